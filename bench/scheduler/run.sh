#!/usr/bin/env bash
# ./platform bench scheduler: the in-process scheduler benchmark (5,000 nodes, 10,000 pods per workload, then the
# scaling table). Bounded: every run schedules a fixed number of pods; about 1-3 minutes on 2 cores.
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
dotnet build -c Release -v q --nologo "$ROOT/bench/scheduler/Platform.Scheduler.Bench.csproj" >/dev/null
exec dotnet "$ROOT/bench/scheduler/bin/Release/net10.0/Platform.Scheduler.Bench.dll" --nodes "${NODES:-5000}" --pods "${PODS:-10000}" ${SCALING:---scaling} "$@"
