#!/usr/bin/env bash
# ./platform bench scheduler
#   in-process (always): 5,000 nodes x 10,000 pods for four workloads, then the scaling table (SCALING= to skip it).
#   END_TO_END=1: also the end-to-end run (apiserver on Postgres + Kafka protocol, scheduler process,
#   1,000 nodes, 10,000 pods created over HTTP), once binding pod by pod and once with the batch call
#   (E2E_BIND_BATCH="1 100"). Every run is bounded by its pod count and a timeout.
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
dotnet build -c Release -v q --nologo "$ROOT/bench/scheduler/InProcess/Platform.Scheduler.Bench.csproj" >/dev/null
dotnet "$ROOT/bench/scheduler/InProcess/bin/Release/net10.0/Platform.Scheduler.Bench.dll" --nodes "${NODES:-5000}" --pods "${PODS:-10000}" ${SCALING---scaling}
if [[ "${END_TO_END:-0}" == "1" ]]; then
  echo
  dotnet build -c Release -v q --nologo "$ROOT/services/scheduler/Platform.Scheduler.csproj" >/dev/null
  dotnet build -c Release -v q --nologo "$ROOT/bench/scheduler/EndToEnd/Platform.Scheduler.EndToEnd.csproj" >/dev/null
  # Side by side: one pods/binding request per pod (kube-scheduler's way), then the batch call.
  for batch in ${E2E_BIND_BATCH:-1 100}; do
    dotnet "$ROOT/bench/scheduler/EndToEnd/bin/Release/net10.0/Platform.Scheduler.EndToEnd.dll" \
      --nodes "${E2E_NODES:-1000}" --pods "${E2E_PODS:-10000}" --timeout "${E2E_TIMEOUT:-600}" --bind-batch-size "$batch" --root "$ROOT"
  done
fi
