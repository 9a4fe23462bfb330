#!/usr/bin/env bash
# ./platform bench apiserver: mutating request p50/p99 at 100, 500 and 1,000 writes/s (open loop), and list latency
# at 10,000 pods. Builds the apiserver and the load generator in Release; the apiserver runs as its own process with
# its own Postgres and a mock Kafka cluster. Bounded: BENCH_SECONDS per rate (default 10), BENCH_LIST_PODS (10000).
# Before the rates: BENCH_WARMUP_SECONDS (20) of the same write mix at 300/s, until the tiered JIT has settled.
# Investigating: BENCH_DIAG=1 (stall evidence), BENCH_DIAG_SQL, BENCH_DIAG_MIDRUN_SQL, BENCH_PG_FSYNC=on, BENCH_POOL, BENCH_RATES, BENCH_RETENTION (docs/apiserver.md, Benchmark).
# BENCH_PROFILE=1: during the first rate, the CPU the apiserver, Postgres and the load generator each used, Postgres'
# statements by time (pg_stat_statements, on the bench's own server), and a perf profile of the apiserver by assembly and thread (bench/gateway/profile.py; needs perf: apt-get install linux-perf).
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$ROOT"
dotnet build services/apiserver/Platform.ApiServer.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/apiserver/Platform.ApiServer.Bench.csproj -c Release -v q -nologo >/dev/null
BENCH=(timeout 600 dotnet bench/apiserver/bin/Release/net10.0/Platform.ApiServer.Bench.dll
  services/apiserver/bin/Release/net10.0/Platform.ApiServer.dll "${BENCH_SECONDS:-10}" "${BENCH_LIST_PODS:-10000}")
[ -z "${BENCH_PROFILE:-}" ] && exec "${BENCH[@]}"

command -v perf >/dev/null || { echo "bench apiserver: BENCH_PROFILE needs perf (apt-get install linux-perf)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/apiserver-profile.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
# The apiserver inherits these: JIT-compiled code named in /tmp/perf-<pid>.map.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 "${BENCH[@]}" > >(tee "$WORK/out") 2>&1 &
BENCH_PID=$!
for _ in $(seq 1 600); do grep -q "offered writes" "$WORK/out" 2>/dev/null && break; sleep 0.2; done
API=$(pgrep -f "^dotnet [^ ]*/Platform.ApiServer.dll" | head -1)
LOADGEN=$(pgrep -f "^dotnet bench/apiserver/" | head -1)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
SECONDS_PROFILED=$(( ${BENCH_SECONDS:-10} > 4 ? ${BENCH_SECONDS:-10} - 2 : 2 ))
# The CPU is read over the sampled window itself (perf takes a while to start and to write its data afterwards).
perf record -F 499 -g -p "$API" -o "$WORK/perf.data" -- sh -c "echo > '$WORK/begin'; sleep $SECONDS_PROFILED" >/dev/null 2>&1 &
PERF_PID=$!
for _ in $(seq 1 100); do [ -e "$WORK/begin" ] && break; sleep 0.1; done
t0=$(date +%s.%N); a0=$(ticks "$API"); p0=$(ticks $(pgrep -x postgres)); l0=$(ticks "$LOADGEN")
sleep "$SECONDS_PROFILED"
t1=$(date +%s.%N); a1=$(ticks "$API"); p1=$(ticks $(pgrep -x postgres)); l1=$(ticks "$LOADGEN")
wait "$PERF_PID" || true
wait "$BENCH_PID" || true
HZ=$(getconf CLK_TCK)
echo
echo "CPU during ${SECONDS_PROFILED} s of the first rate (cores busy; the machine has $(nproc); perf's own sampling not counted):"
awk -v hz="$HZ" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v a=$((a1 - a0)) -v p=$((p1 - p0)) -v l=$((l1 - l0)) 'BEGIN {
  printf "  apiserver %.2f   postgres %.2f   load generator %.2f\n", a / hz / s, p / hz / s, l / hz / s }'
perf script -i "$WORK/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null | python3 bench/gateway/profile.py --by-assembly
