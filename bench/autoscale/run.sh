#!/usr/bin/env bash
# ./platform bench autoscale: a HorizontalPodAutoscaler on the gateway's request rate. The hello Route's
# gateway_route_requests_per_second (custom.metrics.k8s.io: the apiserver scrapes the gateway's /metrics and serves
# the rate of gateway_route_requests_total{route="default/hello"}) is the Object metric of an HPA on the hello
# Deployment, averageValue 50 requests/s per pod, 1 to 4 replicas. wrk drives the route for a bounded time; then
# the load stops. Prints seconds from the first request to the first scale-up and to all replicas ready, the rate
# the HPA saw, and seconds from the end of the load back to 1 replica. Needs the running platform
# (./platform up --detach). Bounded: load seconds plus at most 4 minutes.
# Usage: bench/autoscale/run.sh [load-seconds=40] [--check]
#   --check: exit 1 unless the Deployment scaled up under load and back down to 1 after it, as CI runs it.
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
LOAD=40 CHECK=false
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=true ;;
    *[!0-9]*|"") echo "usage: $0 [load-seconds] [--check]" >&2; exit 2 ;;
    *) LOAD=$arg ;;
  esac
done
eval "$(./platform env)"
export KUBECONFIG
URL="$GATEWAY_URL/hello/index.html"
say() { printf 'autoscale %5ss  %s\n' "$SECONDS" "$*" >&2; }
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
curl -fs --cacert "$PLATFORM_CA_FILE" -o /dev/null --max-time 5 --retry 3 --retry-all-errors --retry-delay 1 "$PLATFORM_APISERVER_URL/readyz" || { echo "the platform is not running: ./platform up --detach first" >&2; exit 2; }

hpa() {
  cat <<YAML
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: hello
  namespace: default
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: hello}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Object
    object:
      describedObject: {apiVersion: gateway.platform.io/v1, kind: Route, name: hello}
      metric: {name: gateway_route_requests_per_second}
      target: {type: AverageValue, averageValue: "50"}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 15}
YAML
}
field() { kubectl get "$1" -n default -o "jsonpath=$2" 2>/dev/null || true; }
restore() { kubectl delete hpa hello -n default --ignore-not-found >/dev/null 2>&1 || true; ./platform ctl apply -f deploy/examples/hello.yaml >/dev/null 2>&1 || true; }
trap restore EXIT

./platform ctl apply -f deploy/examples/hello.yaml >/dev/null
kubectl scale deployment hello -n default --replicas=1 >/dev/null
say "waiting for hello to answer through the gateway"
deadline=$((SECONDS + 180))
until curl -fs -o /dev/null --max-time 5 "$URL"; do
  [[ $SECONDS -lt $deadline ]] || { echo "hello did not answer through the gateway in 180 s" >&2; exit 1; }
  sleep 1
done
hpa | kubectl apply -f - >/dev/null
say "HPA hello: Route hello's gateway_route_requests_per_second, averageValue 50, 1..4 replicas"
until [[ "$(field hpa/hello '{.status.conditions[?(@.type=="ScalingActive")].status}')" == True ]]; do
  [[ $SECONDS -lt $deadline ]] || { echo "the HPA never read the metric:" >&2; kubectl describe hpa hello -n default >&2; exit 1; }
  sleep 1
done

say "wrk -t2 -c4 -d${LOAD}s $URL"
out=$(mktemp)
start=$SECONDS
wrk -t2 -c4 -d"${LOAD}s" --timeout 5s "$URL" >"$out" 2>&1 &
wrk_pid=$!
first_up="" all_ready="" peak=1 seen=""
while kill -0 "$wrk_pid" 2>/dev/null; do
  desired=$(field hpa/hello '{.status.desiredReplicas}')
  ready=$(field deployment/hello '{.status.readyReplicas}')
  [[ "${desired:-1}" -gt 1 && -z "$first_up" ]] && first_up=$((SECONDS - start)) && say "scaled up: desired $desired"
  [[ "${ready:-0}" -gt "$peak" ]] && peak=$ready
  [[ "${ready:-0}" -ge 4 && -z "$all_ready" ]] && all_ready=$((SECONDS - start)) && say "4 replicas ready"
  current=$(field hpa/hello '{.status.currentMetrics[0].object.current.averageValue}')
  [[ -n "$current" ]] && seen=$current
  sleep 1
done
wait "$wrk_pid" || true
rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$out"); rm -f "$out"
say "load stopped (${rps:-0} req/s); waiting for 1 replica"
stop=$SECONDS down=""
while [[ $((SECONDS - stop)) -lt 180 ]]; do
  if [[ "$(field hpa/hello '{.status.desiredReplicas}')" == 1 && "$(field deployment/hello '{.spec.replicas}')" == 1 ]]; then down=$((SECONDS - stop)); break; fi
  sleep 1
done

{
  echo "PHASE|SECONDS|VALUE"
  echo "wrk through the gateway|$LOAD|${rps:-0} req/s"
  echo "first scale-up after load began|${first_up:-never}|"
  echo "4 replicas ready after load began|${all_ready:-never}|peak ${peak} ready"
  echo "rate per pod the HPA saw (last)||${seen:-none}"
  echo "back to 1 replica after load stopped|${down:-never}|"
} | column -t -s '|'

if $CHECK; then
  [[ -n "$first_up" ]] || { echo "autoscale: the HPA did not scale hello up under load" >&2; kubectl describe hpa hello -n default >&2; exit 1; }
  [[ -n "$down" ]] || { echo "autoscale: the HPA did not scale hello back to 1 after the load" >&2; kubectl describe hpa hello -n default >&2; exit 1; }
fi
