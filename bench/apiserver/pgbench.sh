#!/usr/bin/env bash
# bash bench/apiserver/pgbench.sh: Postgres alone on the apiserver's write transaction (a pod create, pipelined as
# Npgsql sends it: pgbench/create.sql), at 1 to 32 concurrent writers: transactions/s and the CPU Postgres spent per
# transaction. Separates the database's share of the write path from the apiserver's (docs/apiserver.md, "Postgres
# alone"). Its own Postgres server (fsync off, as the apiserver bench's), schema from the apiserver's own migrations.
# Bounded: BENCH_SECONDS (10) per writer count, BENCH_WRITERS ("1 2 4 8 16 32").
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$ROOT"
BIN=/usr/lib/postgresql/15/bin
SECONDS_EACH="${BENCH_SECONDS:-10}"
WORK="$(mktemp -d /tmp/apiserver-pgbench.XXXXXX)"
API_PID=""
BROKER_PID=""
cleanup() {
  for p in $API_PID $BROKER_PID; do kill "$p" 2>/dev/null || true; done
  runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
chown postgres "$WORK"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$BIN/initdb" -D "$WORK/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null
psql_() { "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc "$1"; }

# The schema is the apiserver's: it migrates the database at start (beside a dev broker: it checks Kafka first), then
# both are stopped before anything is measured.
dotnet build services/apiserver/Platform.ApiServer.csproj -c Release -v q -nologo >/dev/null
dotnet build services/dev-broker/Platform.DevBroker.csproj -c Release -v q -nologo >/dev/null
dotnet services/dev-broker/bin/Release/net10.0/Platform.DevBroker.dll --bootstrap-file "$WORK/bootstrap" >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
for _ in $(seq 1 150); do [ -s "$WORK/bootstrap" ] && break; sleep 0.2; done
ConnectionStrings__Platform="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres" Kafka__BootstrapServers="$(cat "$WORK/bootstrap")" \
  ApiServer__StateDirectory="$WORK/state" ApiServer__AdminToken="pgbench-$(od -An -tx8 -N16 /dev/urandom | tr -d " ")" ASPNETCORE_URLS=http://127.0.0.1:0 \
  dotnet services/apiserver/bin/Release/net10.0/Platform.ApiServer.dll >"$WORK/apiserver.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 300); do
  [ "$(psql_ "SELECT count(*) FROM pg_tables WHERE tablename IN ('apiserver_objects', 'apiserver_changes', 'platform_outbox')" 2>/dev/null)" = 3 ] && break
  sleep 0.2
done
for p in $API_PID $BROKER_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
API_PID=""; BROKER_PID=""
[ "$(psql_ "SELECT count(*) FROM pg_tables WHERE tablename = 'platform_outbox'")" = 1 ] || { echo "the apiserver did not create its schema:" >&2; tail -20 "$WORK/apiserver.log" >&2; exit 1; }
psql_ "INSERT INTO apiserver_objects (kind, namespace, name, uid, resource_version, body) VALUES ('Namespace', '', 'bench', gen_random_uuid(), 1, '{}') ON CONFLICT DO NOTHING"

busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
HZ=$(getconf CLK_TCK)
BODY="$(cat bench/apiserver/pgbench/pod.json)"
echo "Postgres alone, the apiserver's pod-create transaction (bench/apiserver/pgbench/create.sql, ${#BODY}-byte body), ${SECONDS_EACH} s per writer count, $(nproc) cores:"
echo
echo "| concurrent writers | transactions/s | latency ms | Postgres CPU µs per transaction |"
echo "|---:|---:|---:|---:|"
for writers in ${BENCH_WRITERS:-1 2 4 8 16 32}; do
  b0=$(busy)
  # pgbench's own CPU is taken out of the machine's busy time; nothing else should run.
  TIMEFORMAT='%U %S'
  { time "$BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -M prepared -c "$writers" -j "$writers" -T "$SECONDS_EACH" \
    -D "body=$BODY" -D 'ph="rv-0123456789abcdef0123456789abcdef"' -D 'labels={"app":"bench","shard":"s3"}' \
    -f bench/apiserver/pgbench/create.sql postgres >"$WORK/pgbench.out" 2>&1; } 2>"$WORK/pgbench-cpu" || { cat "$WORK/pgbench.out" >&2; exit 1; }
  b1=$(busy)
  n=$(awk '/actually processed/ { print $NF }' "$WORK/pgbench.out" | cut -d/ -f1)
  lat=$(awk '/latency average/ { print $4 }' "$WORK/pgbench.out")
  awk -v w="$writers" -v n="$n" -v lat="$lat" -v s="$SECONDS_EACH" -v busy=$((b1 - b0)) -v hz="$HZ" -v own="$(cat "$WORK/pgbench-cpu")" 'BEGIN {
    split(own, o, " "); pg = busy / hz - o[1] - o[2]
    printf "| %d | %.0f | %.2f | %.0f |\n", w, n / s, lat, pg * 1e6 / n }'
done
