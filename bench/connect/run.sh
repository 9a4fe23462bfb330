#!/usr/bin/env bash
# ./platform bench connect: JDBC source and sink records/s and CDC commit-to-consumer latency, on a private Postgres
# (wal_level=logical, fsync on) and the librdkafka mock cluster, with a standalone Connect worker in the bench process.
# Usage: ./platform bench connect [rows=50000] [cdc-rate=200] [cdc-seconds=10]
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
CONFIGURATION=${PLATFORM_CONFIGURATION:-Release}
PG_BIN=/usr/lib/postgresql/15/bin
STATE=$(mktemp -d /tmp/bench-connect.XXXXXX); chmod 755 "$STATE"
source "$ROOT/deploy/local/lib.sh"
source "$ROOT/deploy/local/test.sh"
port=$(free_port)
start_postgres "$STATE/pg" "$port" trust
trap 'stop_postgres "$STATE/pg"; rm -rf "$STATE"' EXIT
dotnet build "$ROOT/bench/connect" -c "$CONFIGURATION" -v q -nologo -clp:ErrorsOnly >/dev/null
dotnet "$ROOT/bench/connect/bin/$CONFIGURATION/net10.0/Platform.Bench.Connect.dll" \
  "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" "$STATE" "${1:-50000}" "${2:-200}" "${3:-10}"
