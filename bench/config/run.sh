#!/usr/bin/env bash
# Config server benchmark: requests/s and p99 per backend (native, git warm, git fetching per request,
# Postgres) and bus-refresh propagation to 10 .NET clients. Bounded: about a minute plus the build.
# Usage: bench/config/run.sh [seconds-per-backend] [concurrency]
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
SECONDS_PER_BACKEND="${1:-10}"
CONCURRENCY="${2:-16}"
cd "$ROOT"
dotnet build -c Release -v quiet -nologo config-server/Platform.ConfigServer.csproj >/dev/null
dotnet build -c Release -v quiet -nologo bench/config/Platform.ConfigServer.Bench.csproj >/dev/null
exec dotnet bench/config/bin/Release/net10.0/Platform.ConfigServer.Bench.dll \
  "$ROOT/config-server/bin/Release/net10.0/Platform.ConfigServer.dll" "$SECONDS_PER_BACKEND" "$CONCURRENCY"
