#!/usr/bin/env bash
# ./platform bench registry: registrations/s, heartbeats/s and full-fetch p50/p99 at 10k and 100k instances.
# Builds the registry and the load generator in Release; the registry runs as its own process on a free
# loopback port. Bounded: every phase stops at its count or time limit. BENCH_MAX_INSTANCES=10000 for a short run.
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$ROOT"
dotnet build discovery/Platform.Discovery.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/registry/Platform.Discovery.Bench.csproj -c Release -v q -nologo >/dev/null
exec dotnet bench/registry/bin/Release/net10.0/Platform.Discovery.Bench.dll \
  discovery/bin/Release/net10.0/Platform.Discovery.dll "${BENCH_MAX_INSTANCES:-100000}"
