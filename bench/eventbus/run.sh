#!/usr/bin/env bash
# Outbox relay throughput and commit-to-consumer latency on a private Postgres (fsync on) and the mock Kafka cluster.
# Usage: ./platform bench eventbus [events=100000] [rate=1000] [seconds=10]
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
CONFIGURATION=${PLATFORM_CONFIGURATION:-Release}
PG_BIN=/usr/lib/postgresql/15/bin
STATE=$(mktemp -d /tmp/bench-eventbus.XXXXXX); chmod 755 "$STATE"
source "$ROOT/deploy/local/lib.sh"
source "$ROOT/deploy/local/test.sh"
port=$(free_port)
start_postgres "$STATE/pg" "$port"
trap 'stop_postgres "$STATE/pg"; rm -rf "$STATE"' EXIT
dotnet build "$ROOT/bench/eventbus" -c "$CONFIGURATION" -v q -nologo -clp:ErrorsOnly >/dev/null
dotnet "$ROOT/bench/eventbus/bin/$CONFIGURATION/net10.0/Platform.Bench.EventBus.dll" \
  "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "${1:-100000}" "${2:-1000}" "${3:-10}"
