# Seed 001's Services on the running platform with the kubectl binary (issue #20's must-show), as ./platform smoke
# runs it: three replicas each bound to port 80 of their own pod IP answer on 127.0.0.1:30008 and on the ClusterIP,
# a pod reaches the Service by its short name, and a deleted pod stops being served (the time it took is printed).
# Sourced by deploy/local/smoke.sh (ROOT, STATE set; lib.sh loaded). Every wait is bounded; the namespace goes at the end.

SERVICES_TIMEOUT=${PLATFORM_SERVICES_TIMEOUT:-120}

# Who answers http://$1/ (a pod's name), or nothing.
services_who() { curl -s --max-time 2 "http://$1/" 2>/dev/null | tr -d '\r\n'; }

# Polls $1 until every name in the rest of the arguments has answered; fails after SERVICES_TIMEOUT.
services_until_all_answer() {
  local target=$1; shift
  local -A seen=() ; local name deadline=$((SECONDS + SERVICES_TIMEOUT)) missing
  while :; do
    name=$(services_who "$target"); [[ -n $name ]] && seen[$name]=1
    missing=""; for n in "$@"; do [[ -n ${seen[$n]:-} ]] || missing+=" $n"; done
    [[ -z $missing ]] && return 0
    [[ $SECONDS -lt $deadline ]] || { log "services: $target never answered from:$missing"; return 1; }
  done
}

run_services_tour() (
  set -euo pipefail
  eval "$("$ROOT/platform" env)"
  trap 'kubectl delete namespace seed --wait=false >/dev/null 2>&1 || true' EXIT
  kubectl apply -f "$ROOT/deploy/examples/seed-001-services.yaml"
  kubectl -n seed rollout status deployment/myapp --timeout="${SERVICES_TIMEOUT}s"
  kubectl -n seed get pods,services,endpointslices -o wide

  local pods ips cluster_ip
  mapfile -t pods < <(kubectl -n seed get pods -l app=myapp -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
  [[ ${#pods[@]} -eq 3 ]] || { log "services: ${#pods[@]} pods, not 3"; return 1; }
  ips=$(kubectl -n seed get pods -l app=myapp -o jsonpath='{.items[*].status.podIP}')
  [[ $(tr ' ' '\n' <<<"$ips" | sort -u | grep -c .) -eq 3 ]] || { log "services: the replicas do not have three pod IPs: $ips"; return 1; }
  cluster_ip=$(kubectl -n seed get service myapp-service -o jsonpath='{.spec.clusterIP}')
  [[ $(kubectl -n seed get service myapp-service -o jsonpath='{.spec.ports[0].nodePort}') == 30008 ]]

  log "services: every replica (each on port 80 of ${ips}) answers on 127.0.0.1:30008 and on the ClusterIP ${cluster_ip}:80"
  services_until_all_answer 127.0.0.1:30008 "${pods[@]}"
  services_until_all_answer "$cluster_ip:80" "${pods[@]}"

  log "services: from a pod, by the Service's short name and its full one"
  local answer
  answer=$(kubectl -n seed exec "${pods[0]}" -- wget -qO- http://myapp-service)
  [[ " ${pods[*]} " == *" $answer "* ]] || { log "services: wget http://myapp-service answered '$answer'"; return 1; }
  answer=$(kubectl -n seed exec "${pods[0]}" -- wget -qO- http://myapp-service.seed.svc.cluster.local)
  [[ " ${pods[*]} " == *" $answer "* ]] || { log "services: the full name answered '$answer'"; return 1; }

  log "services: delete ${pods[2]}; the node port stops sending to it"
  local deleted_at last_seen now name quiet=0 deadline
  deleted_at=$(date +%s%N)
  kubectl -n seed delete pod "${pods[2]}" --wait=false >/dev/null
  last_seen=$deleted_at
  deadline=$((SECONDS + 30))
  # Served by the other replicas for 40 requests in a row: the deleted one is out of the Service.
  while [[ $quiet -lt 40 ]]; do
    [[ $SECONDS -lt $deadline ]] || { log "services: ${pods[2]} still answered 30 s after its deletion"; return 1; }
    name=$(services_who 127.0.0.1:30008); now=$(date +%s%N)
    if [[ $name == "${pods[2]}" ]]; then last_seen=$now; quiet=0; else quiet=$((quiet + 1)); fi
  done
  log "services: ${pods[2]} last answered $(( (last_seen - deleted_at) / 1000000 )) ms after kubectl delete"
)
