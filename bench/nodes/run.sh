#!/usr/bin/env bash
# ./platform bench nodes: many nodes on one machine (./platform up --detach --nodes 3). A Deployment of six busybox
# httpd pods spread over the nodes (topologySpreadConstraints on kubernetes.io/hostname), with a Service; a pod on each
# node fetches a page from a pod on every other node by its IP and through the Service's ClusterIP; then the last node's agent
# is killed with SIGKILL and kept down, and the clock runs until its pods are evicted (NodeLifecycle: the node goes
# unreachable after ControllerManager:NodeMonitorGracePeriod, the pods tolerate that for 5 s) and six replicas are
# Ready on the other nodes. Prints the spread and the seconds; the agent is started again at the end.
# Usage: bench/nodes/run.sh   (exit 1 unless all of it happened; CI counts it). Bounded: about 4 minutes.
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
[[ $# -eq 0 ]] || { echo "usage: $0" >&2; exit 2; }
eval "$(./platform env)"
export KUBECONFIG
say() { printf 'nodes %5ss  %s\n' "$SECONDS" "$*" >&2; }
fail() { say "FAILED: $*"; kubectl get pods -n "$NS" -o wide >&2 || true; exit 1; }
curl -fs --cacert "$PLATFORM_CA_FILE" -o /dev/null --max-time 5 --retry 3 --retry-all-errors --retry-delay 1 "$PLATFORM_APISERVER_URL/readyz" || { echo "the platform is not running: ./platform up --detach --nodes 3 first" >&2; exit 2; }
STATE=${PLATFORM_STATE:-$ROOT/.platform}
NODES=$(cat "$STATE/nodes" 2>/dev/null || echo 1)
[[ $NODES -ge 3 ]] || { echo "bench nodes needs three nodes: ./platform up --detach --nodes 3 (this platform has $NODES)" >&2; exit 2; }
VICTIM=node-$NODES AGENT=node-agent-$NODES
NS=nodes-$(date +%H%M%S)
restart_agent() {
  [[ -f "$STATE/pids/$AGENT.pid" ]] && return 0
  # With the build up started (./platform bench runs in Release).
  local out; out=$(PLATFORM_CONFIGURATION=$(cat "$STATE/configuration" 2>/dev/null || echo Debug) ./platform start "$AGENT" 2>&1) \
    || { say "could not start $AGENT again:"; echo "$out" | tail -n 5 >&2; }
}
trap 'restart_agent; kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true' EXIT

say "waiting for $NODES Ready nodes without the unreachable taint"
deadline=$((SECONDS + 90))
until [[ $(kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l) -ge $NODES ]] \
  && ! kubectl get nodes -o jsonpath='{.items[*].spec.taints[*].key}' | grep -q node.kubernetes.io/unreachable; do
  [[ $SECONDS -lt $deadline ]] || fail "fewer than $NODES nodes Ready and untainted after 90 s"
  sleep 1
done

kubectl create namespace "$NS" >/dev/null
kubectl apply -n "$NS" -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 6
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      terminationGracePeriodSeconds: 1
      topologySpreadConstraints:
      # Honor: a lost node (tainted unreachable:NoSchedule) is no domain, so its empty count holds nothing Pending.
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {app: spread}}}
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
      containers:
      - name: web
        image: platform/busybox:latest
        command: [sh, -c, 'echo "hello from \$(hostname)" > /www/index.html; exec httpd -f -p 80 -h /www']
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: spread}
spec:
  selector: {app: spread}
  ports: [{port: 80, targetPort: 80}]
YAML
say "Deployment spread: 6 replicas, maxSkew 1 over kubernetes.io/hostname; Service spread"
kubectl rollout status -n "$NS" deployment/spread --timeout=120s >/dev/null || fail "6 replicas not Ready in 120 s"
pods=$(kubectl get pods -n "$NS" -l app=spread -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP}{"\n"}{end}')
echo "POD NODE IP"$'\n'"$pods" | column -t >&2
for node in $(kubectl get nodes -o jsonpath='{.items[*].metadata.name}'); do
  count=$(awk -v n="$node" '$2 == n' <<<"$pods" | wc -l)
  [[ $count -eq 2 ]] || fail "node $node runs $count of the 6 pods, not 2"
done
say "2 pods on each of the $NODES nodes"

# Across nodes: from one pod on each node, the page of a pod on every other node by its IP (nodes 2..N are network
# namespaces of their own: the host-gw routes between them and to the first node), then through the Service's
# ClusterIP, whose address the cluster DNS gives for the short name (each node's own proxy and DNS).
# (busybox nc: the static busybox's wget crashes.)
fetch() { kubectl exec -n "$NS" "$1" -- sh -c "printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc -w 5 $2 80" 2>/dev/null | tail -n 1; }
cluster_ip=$(kubectl get svc -n "$NS" spread -o jsonpath='{.spec.clusterIP}')
for from_node in $(awk '{ print $2 }' <<<"$pods" | sort -u); do
  read -r from _ <<<"$(awk -v n="$from_node" '$2 == n' <<<"$pods" | head -n 1)"
  for to_node in $(awk -v n="$from_node" '$2 != n { print $2 }' <<<"$pods" | sort -u); do
    read -r _ _ to_ip <<<"$(awk -v n="$to_node" '$2 == n' <<<"$pods" | head -n 1)"
    page=$(fetch "$from" "$to_ip")
    [[ $page == "hello from "* ]] || fail "$from on $from_node could not reach $to_ip on $to_node"
    say "$from ($from_node) → $to_ip ($to_node): $page"
  done
  # (busybox nslookup exits 1 when any search domain answered NXDOMAIN, even with the name resolved.)
  resolved=$({ kubectl exec -n "$NS" "$from" -- nslookup spread 2>/dev/null || true; } | awk '/^Address/ { a = $NF } END { print a }')
  [[ $resolved == "$cluster_ip" ]] || fail "nslookup spread in $from on $from_node gave '$resolved', not the ClusterIP $cluster_ip"
  page=$(fetch "$from" "$cluster_ip")
  [[ $page == "hello from "* ]] || fail "$from on $from_node could not reach the Service spread ($cluster_ip)"
  say "$from ($from_node) → Service spread (spread = $cluster_ip): $page"
done

# Node loss: the agent's pid file goes first, so the supervisor takes it for stopped, not crashed.
pid=$(cat "$STATE/pids/$AGENT.pid")
rm -f "$STATE/pids/$AGENT.pid"
kill -9 "$pid"
lost=$SECONDS
say "kill -9 $AGENT (pid $pid), kept down; waiting for its pods to move"
moved=""
while [[ $((SECONDS - lost)) -lt 150 ]]; do
  now=$(kubectl get pods -n "$NS" -l app=spread -o jsonpath='{range .items[*]}{.spec.nodeName} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null || true)
  if [[ $(awk -v v="$VICTIM" '$1 != v && $2 == "True"' <<<"$now" | wc -l) -ge 6 && $(awk -v v="$VICTIM" '$1 == v' <<<"$now" | wc -l) -eq 0 ]]; then
    moved=$((SECONDS - lost)); break
  fi
  sleep 1
done
[[ -n "$moved" ]] || fail "the pods of $VICTIM did not move within 150 s"
unreachable=$(kubectl get node "$VICTIM" -o jsonpath='{.spec.taints[*].key}')
say "6 replicas Ready on the other nodes $moved s after the agent died (taints on $VICTIM: $unreachable)"
printf '%-44s %s\n' "PHASE" "SECONDS" "node agent killed → its pods Ready elsewhere" "$moved"
