#!/usr/bin/env bash
# ./platform bench apiserver: mutating request p50/p99 at 100, 500 and 1,000 writes/s (open loop), and list latency
# at 10,000 pods. Builds the apiserver and the load generator in Release; the apiserver runs as its own process with
# its own Postgres and a mock Kafka cluster. Bounded: BENCH_SECONDS per rate (default 10), BENCH_LIST_PODS (10000).
# Investigating: BENCH_DIAG=1 (stall evidence), BENCH_DIAG_SQL, BENCH_DIAG_MIDRUN_SQL, BENCH_PG_FSYNC=on, BENCH_POOL, BENCH_RATES, BENCH_RETENTION (docs/apiserver.md, Benchmark).
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$ROOT"
dotnet build services/apiserver/Platform.ApiServer.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/apiserver/Platform.ApiServer.Bench.csproj -c Release -v q -nologo >/dev/null
exec timeout 600 dotnet bench/apiserver/bin/Release/net10.0/Platform.ApiServer.Bench.dll \
  services/apiserver/bin/Release/net10.0/Platform.ApiServer.dll "${BENCH_SECONDS:-10}" "${BENCH_LIST_PODS:-10000}"
