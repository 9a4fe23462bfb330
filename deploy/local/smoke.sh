# ./platform smoke: the path a newcomer takes on a fresh clone, end to end, as .ci/run runs it after the suite.
# Sourced by ./platform (ROOT, STATE, PG_BIN, CONFIGURATION set; lib.sh loaded).
#
#   1. ./platform up --detach, started from another working directory, then a second time (it must reuse)
#   2. eval "$(./platform env)": docker ps, psql and kubectl work in that one shell
#   3. platformctl apply -f deploy/examples/hello.yaml, then 200 from the gateway on /hello/index.html
#   4. one event from platform.pods read with kcat, with its CloudEvents headers
#   5. the kubectl tour (deploy/local/kubectl-tour.sh): a workload's day with the kubectl binary
#   6. seed 001's Services (deploy/local/services-tour.sh): node port 30008, ClusterIP, a pod by name, a deleted pod
#   7. ./platform down leaves nothing mounted below .platform/
# A failing step prints the tail of every component log and stops the platform.

SMOKE_TIMEOUT=${PLATFORM_SMOKE_TIMEOUT:-180}

smoke_step() { printf '\n== smoke: %s\n' "$*" >&2; }

smoke_fail() {
  log "smoke FAILED: $*"
  local file
  for file in "$STATE"/logs/*.log; do
    [[ -e "$file" ]] || continue
    printf -- '---- %s (last 25 lines) ----\n' "$(basename "$file" .log)" >&2
    tail -n 25 "$file" >&2
  done
  "$ROOT/platform" down >&2 || true
  # Once more after the logs: a CI record that keeps only the tail of the output still says which step failed.
  log "smoke FAILED (the step above the component logs): $*"
  return 1
}

# Runs a tour (its name, then the command); a failure repeats the tour's last words of stderr after the logs.
smoke_tour() {
  local name=$1 err rc; shift
  err=$(mktemp)
  { "$@" 2>&1 1>&3 3>&- | tee "$err" >&2; } 3>&1
  rc=${PIPESTATUS[0]}
  [[ $rc -eq 0 ]] || smoke_fail "$name: $(tail -n 6 "$err")"
  rm -f "$err"
  return "$rc"
}

run_smoke() {
  local started=$SECONDS

  smoke_step "up --detach from / (a fresh clone: nothing created by hand)"
  (cd / && "$ROOT/platform" up --detach) || { smoke_fail "./platform up --detach"; return 1; }
  smoke_step "up --detach again (reuses what runs)"
  "$ROOT/platform" up --detach >/dev/null || { smoke_fail "second ./platform up --detach"; return 1; }

  smoke_step 'eval "$(./platform env)"; docker ps; psql; kubectl'
  local failed_check
  failed_check=$(
    eval "$("$ROOT/platform" env)"
    # Each check names itself when it fails (some would fail silently: a test, a grep of what a tool printed).
    check() { local what=$1; shift; "$@" >&2 || { echo "$what"; exit 1; }; }
    prints_1() { local out; out=$("$@" 2>&1); [[ $out == 1 ]] || { echo "$out"; return 1; }; }
    check "DOCKER_HOST is set" test -n "$DOCKER_HOST"
    check "PLATFORM_KAFKA_BOOTSTRAP is set" test -n "$PLATFORM_KAFKA_BOOTSTRAP"
    check "CONFIG_SERVER_URL carries the credentials" test "$CONFIG_SERVER_URL" != "${CONFIG_SERVER_URL/@/}"
    check "docker ps" docker ps -q
    check "psql \$PLATFORM_DATABASE_URI -c 'SELECT 1'" prints_1 psql "$PLATFORM_DATABASE_URI" -tAc 'SELECT 1'
    check "psql -c 'SELECT 1' (PGHOST, PGPORT, PGUSER, PGDATABASE)" prints_1 psql -tAc 'SELECT 1'
    check "curl \$CONFIG_SERVER_URL/application/default" curl -fsS -o /dev/null "$CONFIG_SERVER_URL/application/default"
    check "curl \$EUREKA_URL/apps" curl -fsS -o /dev/null "$EUREKA_URL/apps"
    namespaces=$(kubectl get namespaces -o name 2>&1)   # HTTPS, the local CA, the admin token
    check "kubectl get namespaces lists default (it printed: ${namespaces//$'\n'/ })" grep -qx namespace/default <<<"$namespaces"
  ) || { smoke_fail "the environment from ./platform env: ${failed_check:-./platform env}"; return 1; }

  smoke_step "apply deploy/examples/hello.yaml"
  "$ROOT/platform" ctl apply -f "$ROOT/deploy/examples/hello.yaml" || { smoke_fail "platformctl apply"; return 1; }

  smoke_step "GET /hello/index.html through the gateway (up to ${SMOKE_TIMEOUT}s)"
  local code="" deadline=$((SECONDS + SMOKE_TIMEOUT))
  until [[ $code == 200 ]]; do
    [[ $SECONDS -lt $deadline ]] || { "$ROOT/platform" ctl get pods -o wide >&2 || true; smoke_fail "the gateway answered ${code:-nothing}, not 200"; return 1; }
    sleep 1
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:8080/hello/index.html || true)
  done
  log "200: $(curl -s --max-time 5 http://127.0.0.1:8080/hello/index.html)"

  smoke_step "one event from platform.pods with kcat"
  local bootstrap event
  bootstrap=$(cat "$STATE/kafka/bootstrap")
  event=$(timeout 30 kcat -C -b "$bootstrap" -t platform.pods -o beginning -c 1 -e -q -f 'headers: %h\nkey: %k\n%s\n' 2>&1) ||
    { smoke_fail "kcat read nothing from platform.pods: $event"; return 1; }
  grep -q 'ce_type=io.platform.pod' <<<"$event" || { smoke_fail "the platform.pods event has no ce_type header: $event"; return 1; }
  log "$(head -c 400 <<<"$event")"

  smoke_step "kubectl: apply, get -w until Ready, rollout status/history/undo, logs -f, port-forward, exec, cp, an Ingress with TLS over HTTPS, patch, apply --server-side, events, delete -l"
  source "$ROOT/deploy/local/kubectl-tour.sh"
  smoke_tour "the kubectl tour" run_kubectl_tour || return 1

  smoke_step "seed 001's Services: three replicas on port 80 behind node port 30008 and a ClusterIP, a pod by name, a deleted pod"
  source "$ROOT/deploy/local/services-tour.sh"
  smoke_tour "the services tour" run_services_tour || return 1

  smoke_step "no component log holds a token, password or key"
  "$ROOT/platform" logs --check-secrets || { smoke_fail "a secret was logged (the files above)"; return 1; }

  smoke_step "down leaves nothing mounted"
  "$ROOT/platform" down || { smoke_fail "./platform down"; return 1; }
  local mounts; mounts=$(awk -v d="$(realpath -m "$STATE")/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts)
  [[ -z "$mounts" ]] || { smoke_fail "still mounted after down: $mounts"; return 1; }

  echo "smoke: passed in $((SECONDS - started))s"
}
