#!/usr/bin/env bash
# ./platform bench console [pods=1000] [loads=50]: the console's page-load time as the admin with that many pods bound
# to a fake node (no Docker): p50/p99/max of /pods, /pods?ns=, / and, for comparison, the apiserver's own pod list.
# Builds the apiserver, the console and the load generator in Release; Postgres and a mock Kafka cluster are its own.
# BENCH_HOLD=seconds keeps loading /pods after the table, to sample the console with dotnet-stack.
set -euo pipefail
ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$ROOT"
dotnet build services/apiserver/Platform.ApiServer.csproj -c Release -v q -nologo >/dev/null
dotnet build console/Platform.Console.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/console/Platform.Bench.Console.csproj -c Release -v q -nologo >/dev/null
exec timeout 900 dotnet bench/console/bin/Release/net10.0/Platform.Bench.Console.dll \
  services/apiserver/bin/Release/net10.0/Platform.ApiServer.dll console/bin/Release/net10.0/Platform.Console.dll "${1:-1000}" "${2:-50}"
