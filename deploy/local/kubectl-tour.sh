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
        command: ["/bin/sh", "-c", "echo tour \$PORT > /tmp/index.html && echo serving \$PORT && exec httpd -f -v -p \${POD_IP:-127.0.0.1}:\$PORT -h /tmp"]
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          httpGet: {path: /index.html, port: http}
          periodSeconds: 1
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

# Fails the tour unless the output of kubectl (all of it read, so no pipe breaks) matches the pattern.
expect() {
  local pattern=$1 out; shift
  out=$("$@")
  grep -Eq -- "$pattern" <<<"$out" || { printf 'kubectl %s: no line matches /%s/ in:\n%s\n' "$*" "$pattern" "$out" >&2; return 1; }
}

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

# kubectl port-forward to the Deployment's containerPort on a free local port, then one HTTP request through it:
# the body is the serving pod's page ("tour <its port>").
tour_port_forward() {
  local out="$STATE/tour-port-forward.out" pid port="" body
  kubectl --cache-dir "$STATE/kube-cache" -n tour port-forward deploy/web :8080 >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do
    port=$(sed -n 's/^Forwarding from 127.0.0.1:\([0-9]*\) -> 8080$/\1/p' "$out")
    [[ -n "$port" ]] && break
    sleep 0.2
  done
  [[ -n "$port" ]] || { kill "$pid" 2>/dev/null; echo "kubectl port-forward printed: $(cat "$out")" >&2; return 1; }
  body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html") || { kill "$pid"; return 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [[ "$body" =~ ^tour\ [0-9]+$ ]] || { echo "port-forward answered: $body" >&2; return 1; }
}

# What an in-cluster client (client-go's rest.InClusterConfig, the official clients) relies on: the kubernetes Service's
# variables in the pod, its name in the cluster DNS, and the apiserver answering on the Service's address and name
# with a certificate valid for them, to a ServiceAccount token.
tour_in_cluster() {
  local pod=$1 token
  expect '^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$' k exec "$pod" -- env
  expect '10\.96\.0\.1' k exec "$pod" -- nslookup kubernetes.default.svc.cluster.local
  token=$(k create token default)
  expect '"kind": *"APIVersions"' curl -fsS --max-time 5 --cacert "$PLATFORM_CA_FILE" -H "Authorization: Bearer $token" https://10.96.0.1/api
  expect '"kind": *"APIVersions"' curl -fsS --max-time 5 --cacert "$PLATFORM_CA_FILE" -H "Authorization: Bearer $token" \
    --resolve kubernetes.default.svc:443:10.96.0.1 https://kubernetes.default.svc/api
}

# An Ingress with TLS made by kubectl (create secret tls, create ingress ... tls=), then the page of a pod over HTTPS
# through the gateway's 8443, the client checking the certificate it just made.
tour_ingress_tls() {
  local crt="$STATE/tour-tls.crt" key="$STATE/tour-tls.key" deadline=$((SECONDS + TOUR_TIMEOUT)) body=""
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=tour.example.test" \
    -addext "subjectAltName=DNS:tour.example.test" -keyout "$key" -out "$crt" 2>/dev/null
  k create secret tls tour-tls --cert="$crt" --key="$key"
  # An Exact path: a Prefix / would overlap the /hello/** the smoke's Route claimed first (and not be served).
  k create ingress tour --rule="tour.example.test/index.html=web:80,tls=tour-tls"
  until body=$(curl -fsS --max-time 5 --cacert "$crt" --resolve tour.example.test:8443:127.0.0.1 https://tour.example.test:8443/index.html 2>&1) && [[ "$body" =~ ^tour\ [0-9]+$ ]]; do
    [[ $SECONDS -lt $deadline ]] || { echo "https://tour.example.test:8443 never answered with a pod's page: $body" >&2; k describe ingress tour >&2; rm -f "$crt" "$key"; return 1; }
    sleep 1
  done
  expect '^tour +<none> +tour.example.test +127.0.0.1 +80, 443' k get ingress tour   # no class named: the default class, platform
  rm -f "$crt" "$key"
}

run_kubectl_tour() {
  (
    set -euo pipefail
    eval "$("$ROOT/platform" env)"
    export KUBECONFIG
    trap 'kubectl --cache-dir "$STATE/kube-cache" delete namespace tour --wait=false >/dev/null 2>&1 || true' EXIT

    expect 'is running at https://127.0.0.1:6443' k cluster-info
    expect '^deployments +deploy +apps/v1 +true +Deployment' k api-resources
    expect 'FIELD: strategy <DeploymentStrategy>' k explain deployment.spec.strategy

    tour_manifest | k apply -f -
    tour_watch_ready 2 || { echo "kubectl get pods -w: two pods never became Ready" >&2; exit 1; }
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    expect '^web +2/2 +2 +2 +[0-9a-z]+ +httpd +platform/busybox:latest +app=web' k get deploy -o wide
    expect '^Replicas: +2 desired' k describe deployment web

    # kubectl's imperative commands send Kubernetes protobuf (docs/apiserver.md#request-bodies).
    k create configmap tour-config --from-literal=greeting=hello
    expect '^hello$' k get configmap tour-config -o jsonpath='{.data.greeting}'
    k create serviceaccount tour-reader
    k create role tour-reader --verb=get,list --resource=pods
    k create rolebinding tour-reader --role=tour-reader --serviceaccount=tour:tour-reader
    expect '^yes$' k auth can-i list pods --token="$(k create token tour-reader)"

    k scale deployment/web --replicas=3
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    k set env deployment/web GREETING=hello
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    expect '^2 ' k rollout history deployment/web
    k rollout undo deployment/web
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    [[ -z "$(k get deployment web -o jsonpath='{.spec.template.spec.containers[0].env}')" ]]

    local pod follow; pod=$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
    expect '^serving [0-9]+$' k logs "$pod"
    # httpd -v logs each readiness probe: the last line, then (following) the next ones, for 5 s
    [[ $(k logs "$pod" --tail=1 | wc -l) -eq 1 ]]
    follow=$(timeout 5 kubectl --cache-dir "$STATE/kube-cache" -n tour logs -f --tail=1 "$pod" || true)
    [[ $(grep -c 'response:200' <<<"$follow") -ge 2 ]] || { echo "kubectl logs -f --tail=1 printed within 5 s: $follow" >&2; exit 1; }

    tour_port_forward
    tour_in_cluster "$pod"
    expect '^[a-z0-9.-]+$' k exec "$pod" -- cat /etc/hostname
    local code=0; k exec "$pod" -- sh -c 'exit 3' || code=$?
    [[ $code -eq 3 ]] || { echo "kubectl exec of 'exit 3' exited $code" >&2; exit 1; }
    [[ "$(echo piped | k exec -i "$pod" -- cat)" == piped ]]
    k cp "tour/$pod:/tmp/index.html" "$STATE/tour-index.html"
    grep -Eq '^tour [0-9]+$' "$STATE/tour-index.html"
    k cp "$STATE/tour-index.html" "tour/$pod:/tmp/copied.html"
    expect '^tour [0-9]+$' k exec "$pod" -- cat /tmp/copied.html
    rm -f "$STATE/tour-index.html"

    k label deployment web tier=front
    k annotate deployment web owner=team-a
    k patch deployment web --type merge -p '{"spec":{"minReadySeconds":1}}'
    k patch deployment web --type json -p '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":5}]'
    k patch deployment web -p '{"spec":{"template":{"metadata":{"annotations":{"tour":"strategic"}}}}}'
    k rollout status deployment/web --timeout="${TOUR_TIMEOUT}s"
    expect 'serverside-applied' k apply --server-side --force-conflicts -f <(tour_manifest)

    tour_ingress_tls

    expect 'ScalingReplicaSet' k get events --sort-by=.lastTimestamp
    k delete deployment,service -l app=web
    [[ -z "$(k get deployments,services -o name)" ]] || { echo "objects left after delete -l" >&2; exit 1; }
    echo "kubectl tour: passed"
  )
}
