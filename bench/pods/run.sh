#!/usr/bin/env bash
# ./platform bench pods [pods=100] [rates=10,20,50,100]: create->Ready latency (p50/p90/p99) through the running
# platform (./platform up --detach first): pods created unbound at each rate, bound by the scheduler, started by the
# node agents. Prints create->bound, bound->Ready and create->Ready per rate, and the rate where p99 crosses 5 s.
# ./platform bench pods --isolated [pods=100] [rate=10]: its own Postgres, mock Kafka, apiserver process and one
# node agent, pods created already bound; needs dockerd (DOCKER_HOST or the default socket).
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
if [[ " $* " != *" --isolated "* ]]; then
  eval "$(./platform env)"
  curl -fs --cacert "$PLATFORM_CA_FILE" -o /dev/null --max-time 5 --retry 3 --retry-all-errors --retry-delay 1 "$PLATFORM_APISERVER_URL/readyz" \
    || { echo "the platform is not running: ./platform up --detach first (or --isolated)" >&2; exit 2; }
fi
dotnet build -c Release bench/pods/Platform.Bench.Pods.csproj -v quiet -nologo | { grep -E ' error |warning' || true; }
timeout 1800 dotnet bench/pods/bin/Release/net10.0/Platform.Bench.Pods.dll "$@"
