#!/usr/bin/env bash
# ./platform bench service-proxy: requests/s and p99 of the same wrk load straight to a pod IP, through the Service's
# ClusterIP and through its NodePort, for each of the node agent's proxy modes (userspace and nftables, one after the
# other in one run), with keep-alive and with a new connection per request. Starts its own Postgres, mock Kafka,
# apiserver process and a node agent per mode on the pod network; the backend is nginx run in the pod's network
# namespace. Needs root, dockerd, iproute2, nftables, wrk and nginx. About two minutes.
# Env: BENCH_DURATION (default 8s per run), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_PROXY_MODES
# (userspace,nftables).
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing wrk and nginx-light..." >&2
    (apt-get install -y -q wrk nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk nginx-light >/dev/null 2>&1; }) || true
  fi
fi
for tool in wrk nginx nsenter ip nft; do
  command -v "$tool" >/dev/null || { echo "bench service-proxy: '$tool' not found (apt-get install -y wrk nginx-light iproute2 util-linux)" >&2; exit 2; }
done
[ "$(id -u)" = "0" ] || { echo "bench service-proxy: needs root (the pod network and the ClusterIP interface)" >&2; exit 2; }
dotnet build -c Release bench/service-proxy/Platform.Bench.ServiceProxy.csproj -v quiet -nologo | { grep -E ' error |warning' || true; }
timeout 600 dotnet bench/service-proxy/bin/Release/net10.0/Platform.Bench.ServiceProxy.dll \
  "${BENCH_DURATION:-8s}" "${BENCH_CONNECTIONS:-32}" "${BENCH_THREADS:-2}"
