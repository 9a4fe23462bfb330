#!/usr/bin/env bash
# ./platform chaos: the fault campaign against the running local platform (./platform up --detach first; it
# applies deploy/examples/hello.yaml if the gateway does not serve /hello yet). See bench/chaos/Program.cs.
# Usage: bench/chaos/run.sh [--only apiserver,postgres] [--converge-limit 10] [--broker-downtime 3] [--markdown]
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
eval "$(./platform env)"
export PLATFORM_ROOT=$ROOT PLATFORM_STATE=${PLATFORM_STATE:-$ROOT/.platform}
curl -fs --cacert "$PLATFORM_CA_FILE" -o /dev/null --max-time 5 --retry 3 --retry-all-errors --retry-delay 1 "$PLATFORM_APISERVER_URL/readyz" || { echo "the platform is not running: ./platform up --detach first" >&2; exit 2; }
./platform status | grep -Eq "^supervisor .* running" || { echo "no supervisor restarts what the campaign kills: ./platform up --detach starts one" >&2; exit 2; }
if ! curl -fs -o /dev/null --max-time 5 "$GATEWAY_URL/hello/index.html"; then
  ./platform ctl apply -f deploy/examples/hello.yaml >&2
  deadline=$((SECONDS + 180))
  until curl -fs -o /dev/null --max-time 5 "$GATEWAY_URL/hello/index.html"; do
    [[ $SECONDS -lt $deadline ]] || { echo "the gateway does not serve /hello/index.html after 180 s" >&2; exit 1; }
    sleep 1
  done
fi
dotnet build -c Release bench/chaos/Platform.Bench.Chaos.csproj -v quiet -nologo | { grep -E ' error |warning' || true; }
timeout 1200 dotnet bench/chaos/bin/Release/net10.0/Platform.Bench.Chaos.dll "$@"
