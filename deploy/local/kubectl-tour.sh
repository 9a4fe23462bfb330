# The kubectl binary, unchanged, through a workload's day on the running platform: the end-to-end test of the
# Kubernetes API (issue 16's list), as ./platform smoke runs it after the newcomer path.
# Sourced by deploy/local/smoke.sh (ROOT, STATE, smoke_step set). Every wait is bounded; the namespace is deleted at the end.

TOUR_TIMEOUT=${PLATFORM_TOUR_TIMEOUT:-120}

tour_manifest() {
  cat <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: tour
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: tour
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: httpd
        image: platform/busybox:latest
        command: ["/bin/sh", "-c", "hostname > /tmp/index.html && echo serving \$PORT && exec httpd -f -v -p 127.0.0.1:\$PORT -h /tmp"]
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          httpGet: {path: /index.html, port: http}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: tour
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
YAML
}

# kubectl with the platform's kubeconfig and a discovery cache of this state directory (a cache from another
# apiserver on the same address would hide new kinds).
k() { kubectl --cache-dir "$STATE/kube-cache" -n tour "$@"; }

# Reads `kubectl get pods -w` until $1 pods show 1/1 Running.
tour_watch_ready() {
  local want=$1 line
  declare -A ready=()
  while IFS= read -r line; do
    echo "  $line"
    read -r name readiness status _ <<<"$line"
    [[ $readiness == 1/1 && $status == Running ]] && ready[$name]=1
    [[ ${#ready[@]} -ge $want ]] && return 0
  done < <(timeout "$TOUR_TIMEOUT" kubectl --cache-dir "$STATE/kube-cache" -n tour get pods -l app=web -w --no-headers)
  return 1
}

run_kubectl_tour() {
  (
    set -euo pipefail
    eval "$("$ROOT/platform" env)"
    export KUBECONFIG
    trap 'kubectl --cache-dir "$STATE/kube-cache" delete namespace tour --wait=false >/dev/null 2>&1 || true' EXIT

    k cluster-info | grep -q 'is running at https://127.0.0.1:6443'
    k api-resources | grep -Eq '^deployments +deploy +apps/v1 +true +Deployment'
    k explain deployment.spec.strategy | grep -q 'FIELD: strategy <DeploymentStrategy>'

    tour_manifest | k apply -f -
    tour_watch_ready 2 || { echo "kubectl get pods -w: two pods never became Ready" >&2; exit 1; }
    k get deploy -o wide | grep -Eq '^web +2/2 +2 +2 +[0-9a-z]+ +httpd +platform/busybox:latest +app=web'
    k describe deployment web | grep -Eq '^Replicas: +2 desired'

    k scale deployment/web --replicas=3
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    k set env deployment/web GREETING=hello
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    k rollout history deployment/web | grep -Eq '^2 '
    k rollout undo deployment/web
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    [[ -z "$(k get deployment web -o jsonpath='{.spec.template.spec.containers[0].env}')" ]]

    local pod; pod=$(k get pods -l app=web -o name | head -n 1)
    k logs "$pod" --tail=1 | grep -q '^serving '
    timeout 5 kubectl --cache-dir "$STATE/kube-cache" -n tour logs -f --tail=1 "$pod" | grep -q '^serving ' || true

    k label deployment web tier=front
    k annotate deployment web owner=team-a
    k patch deployment web --type merge -p '{"spec":{"minReadySeconds":1}}'
    k patch deployment web --type json -p '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":5}]'
    k patch deployment web -p '{"spec":{"template":{"metadata":{"annotations":{"tour":"strategic"}}}}}'
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    tour_manifest | k apply --server-side --force-conflicts -f - | grep -q 'serverside-applied'

    k get events --sort-by=.lastTimestamp | grep -q 'ScalingReplicaSet\|Scheduled\|Started'
    k delete deployment,service -l app=web
    k get deployments -o name | grep -q . && { echo "deployments left after delete -l" >&2; exit 1; }
    echo "kubectl tour: passed"
  )
}
