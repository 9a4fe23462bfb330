#!/usr/bin/env bash
# ./platform bench pods: create->Ready latency (p50/p90/p99) of 100 pods on one node agent, image present.
# Starts its own Postgres, mock Kafka, apiserver process and node agent; needs dockerd (DOCKER_HOST or the default socket).
# Usage: bench/pods/run.sh [pods=100] [creations-per-second=10]
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
dotnet build -c Release bench/pods/Platform.Bench.Pods.csproj -v quiet -nologo | { grep -E ' error |warning' || true; }
timeout 900 dotnet bench/pods/bin/Release/net10.0/Platform.Bench.Pods.dll "${1:-100}" "${2:-10}"
