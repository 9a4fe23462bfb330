# Functions shared by ./platform up and ./platform test. Sourced, not run.
# Expects ROOT, STATE, PG_BIN, CONFIGURATION to be set.

log() { printf '%s\n' "$*" >&2; }

# --- prerequisites -----------------------------------------------------------------------------

# Installs the Debian packages the platform and its tests use, only when something is missing.
ensure_prereqs() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  [[ -x /bin/busybox ]] || missing+=(busybox-static)
  command -v kcat >/dev/null || missing+=(kcat)
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql-15)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v kubectl >/dev/null || missing+=(kubernetes-client)
  command -v column >/dev/null || missing+=(bsdextrautils)
  command -v git >/dev/null || missing+=(git)
  command -v node >/dev/null || missing+=(nodejs npm)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx-light)
  # Kafka Connect's JDBC exercise (seed 004) and its tests: a throwaway mariadbd per test run.
  [[ -x /usr/sbin/mariadbd ]] || missing+=(mariadb-server)
  # The node agent's pod network: bridges and veths (ip), entering a sandbox's namespace (nsenter), the forward table (nft).
  command -v ip >/dev/null || missing+=(iproute2)
  command -v nsenter >/dev/null || missing+=(util-linux)
  command -v nft >/dev/null || missing+=(nftables)
  # ./platform images (a Debian rootfs for the base images) and the compose file's tests (docker-compose 1.29).
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v rsync >/dev/null || missing+=(rsync)
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      log "missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
      return 1
    fi
    log "installing ${missing[*]} ..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The docker.io package may start a system dockerd with a bridge network; the platform runs its own.
    if command -v systemctl >/dev/null && systemctl is-active --quiet docker 2>/dev/null; then systemctl stop docker docker.socket 2>/dev/null || true; fi
  fi
}

build_solution() {
  [[ -n "${PLATFORM_SKIP_BUILD:-}" ]] && return 0
  local configuration=${1:-$CONFIGURATION}
  log "building Platform.sln ($configuration) ..."
  mkdir -p "$STATE"
  dotnet build "$ROOT/Platform.sln" -c "$configuration" -v q -nologo -clp:ErrorsOnly >"$STATE/build.log" 2>&1 || {
    cat "$STATE/build.log" >&2; log "build failed"; return 1; }
}

# Random secrets generated once per .platform folder; every service reads them from the environment.
# A secret added in a later version is appended to an existing file, so an old .platform folder keeps working.
ensure_credentials() {
  local file="$STATE/credentials"
  mkdir -p "$STATE"
  touch "$file"; chmod 600 "$file"
  add_secret() { grep -q "^$1=" "$file" || echo "$1=$2" >>"$file"; }
  add_secret PLATFORM_ADMIN_TOKEN "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  add_secret PLATFORM_BASIC_USER platform
  add_secret PLATFORM_BASIC_PASSWORD "$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  add_secret PLATFORM_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 -w0)"
  add_secret PLATFORM_CONFIG_ENCRYPT_KEY "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  add_secret PLATFORM_PG_APISERVER_PASSWORD "$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  add_secret PLATFORM_PG_SCHEDULER_PASSWORD "$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  add_secret PLATFORM_GATEWAY_ADMIN_TOKEN "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}

# A local CA and the apiserver's serving certificate, made once per .platform folder and kept across restarts; the
# serving certificate is renewed when it has less than a day left, or lacks a name in-cluster clients use: 127.0.0.1,
# localhost, and the kubernetes Service's 10.96.0.1, kubernetes, kubernetes.default[.svc[.cluster.local]].
APISERVER_SANS="IP:127.0.0.1,IP:127.0.0.2,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
ensure_pki() {
  local dir="$STATE/pki"
  mkdir -p "$dir"; chmod 700 "$dir"
  if [[ ! -s "$dir/ca.crt" || ! -s "$dir/ca.key" ]]; then
    log "creating the platform's CA in $dir ..."
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=platform-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    rm -f "$dir/apiserver.crt"
  fi
  if [[ ! -s "$dir/apiserver.crt" ]] || ! openssl x509 -checkend 86400 -noout -in "$dir/apiserver.crt" >/dev/null \
    || ! pki_names_all "$dir/apiserver.crt"; then
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=platform-apiserver" \
      -keyout "$dir/apiserver.key" -out "$dir/apiserver.csr" 2>/dev/null
    openssl x509 -req -in "$dir/apiserver.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 825 \
      -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' "$APISERVER_SANS") \
      -out "$dir/apiserver.crt" 2>/dev/null
    rm -f "$dir/apiserver.csr"
  fi
  chmod 600 "$dir"/*.key
}

# Whether the certificate names everything in APISERVER_SANS (an older one is issued again when the list grew).
pki_names_all() {
  local names san
  names=$(openssl x509 -noout -ext subjectAltName -in "$1" 2>/dev/null) || return 1
  for san in ${APISERVER_SANS//,/ }; do
    grep -qF -- "${san/#IP:/IP Address:}" <<<"$names" || return 1
  done
}

# .platform/kubeconfig: the apiserver's HTTPS address, the CA that signed it, the admin token (mode 0600). With
# up --ha each replica is a cluster and context of its own (platform, platform-2): kubectl talks to one server per
# context, so when the first is down `kubectl --context platform-2` reaches the other (the components and platformctl
# pass over to it by themselves).
write_kubeconfig() {
  local file="$STATE/kubeconfig" ca url i=0 name clusters="" contexts=""
  ca=$(base64 -w0 "$STATE/pki/ca.crt")
  for url in ${PLATFORM_APISERVER_URLS//,/ }; do
    i=$((i + 1)); name=platform; [[ $i -gt 1 ]] && name=platform-$i
    clusters+="- name: $name"$'\n'"  cluster:"$'\n'"    server: $url"$'\n'"    certificate-authority-data: $ca"$'\n'
    contexts+="- name: $name"$'\n'"  context:"$'\n'"    cluster: $name"$'\n'"    user: platform-admin"$'\n'"    namespace: default"$'\n'
  done
  (umask 077; cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
${clusters%$'\n'}
users:
- name: platform-admin
  user:
    token: $PLATFORM_ADMIN_TOKEN
contexts:
${contexts%$'\n'}
current-context: platform
KUBECONFIG
  )
}

# A least-privilege apiserver token for a component (ROLE_TOKEN in its .conf), issued once through the token API
# with the admin token and kept in $STATE/tokens/NAME (0600). The apiserver stores only its hash, so a lost file
# means the token is deleted and issued again.
ensure_role_token() {
  local name=$1 role=$2 node=${3:-} file="$STATE/tokens/$1"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$STATE/tokens"; chmod 700 "$STATE/tokens"
    local api=$PLATFORM_APISERVER_URL/apis/auth.platform.io/v1/tokens auth="Authorization: Bearer $PLATFORM_ADMIN_TOKEN"
    curl -s --cacert "$PLATFORM_CA_FILE" -o /dev/null -X DELETE -H "$auth" "$api/$name" || true
    local body="{\"name\":\"$name\",\"role\":\"$role\"${node:+,\"nodeName\":\"$node\"}}" response token
    response=$(curl -fsS --cacert "$PLATFORM_CA_FILE" -X POST -H "$auth" -H 'Content-Type: application/json' -d "$body" "$api") || { log "could not issue the $role token $name"; return 1; }
    token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$response")
    [[ -n "$token" ]] || { log "the token API answered without a token for $name"; return 1; }
    (umask 077; printf '%s' "$token" >"$file")
  fi
  cat "$file"
}

# Binds a component's token user to a ClusterRole (CLUSTER_ROLES in its .conf), e.g. system:auth-delegator for
# components that review their callers' tokens. Idempotent: an existing binding (409) is kept.
ensure_cluster_role_binding() {
  local user=$1 role=$2 name="platform:$1:${2//:/-}" code
  local body="{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"$name\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"$role\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"$user\"}]}"
  code=$(curl -s --cacert "$PLATFORM_CA_FILE" -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $PLATFORM_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d "$body" "$PLATFORM_APISERVER_URL/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")
  [[ "$code" == 201 || "$code" == 409 ]] || { log "could not bind $user to ClusterRole $role (HTTP $code)"; return 1; }
}

# Looks for every secret of this .platform folder (the generated credentials, the component and kubelet-client tokens,
# the lines of every private key) in every log the platform writes: component logs, Postgres', the audit log. Prints
# "FILE: SECRET-NAME" per hit, never the value, and fails when there is one.
check_logs_for_secrets() {
  local names=() values=() name value file line
  while IFS='=' read -r name value; do
    [[ $name == *_USER || ${#value} -lt 8 ]] || { names+=("$name"); values+=("$value"); }
  done <"$STATE/credentials"
  for file in "$STATE"/tokens/* "$STATE"/apiserver-kubelet-client-token "$STATE"/apiserver-admin-token; do
    [[ -s $file ]] && { names+=("token $(basename "$file")"); values+=("$(tr -d '\n' <"$file")"); }
  done
  for file in "$STATE"/pki/*.key "$STATE"/*.pem; do
    [[ -s $file ]] || continue
    while read -r line; do
      [[ $line == -----* || ${#line} -lt 16 ]] || { names+=("key $(basename "$file")"); values+=("$line"); }
    done <"$file"
  done
  local logs=() hits=0 i
  for file in "$STATE"/logs/*.log "$STATE"/postgres/*.log "$STATE"/*.log; do [[ -f $file ]] && logs+=("$file"); done
  for file in "${logs[@]}"; do
    for i in "${!values[@]}"; do
      if grep -qF -- "${values[$i]}" "$file"; then echo "$file: ${names[$i]}"; hits=$((hits + 1)); fi
    done
  done
  log "checked ${#logs[@]} logs for ${#values[@]} secrets: $hits found"
  [[ $hits -eq 0 ]]
}

source "$ROOT/deploy/local/postgres.sh"

# --- Kafka (librdkafka mock cluster hosted by services/dev-broker) -----------------------------

start_kafka() {
  mkdir -p "$STATE/kafka"
  if pid_alive "$STATE/pids/kafka.pid" && [[ -s "$STATE/kafka/bootstrap" ]]; then return 0; fi
  rm -f "$STATE/kafka/bootstrap"
  local dll="$ROOT/services/dev-broker/bin/$CONFIGURATION/net10.0/Platform.DevBroker.dll"
  nohup dotnet "$dll" --bootstrap-file "$STATE/kafka/bootstrap" --control-file "$STATE/kafka/control" >"$STATE/logs/kafka.log" 2>&1 &
  echo $! >"$STATE/pids/kafka.pid"
  wait_for "Kafka broker" 30 test -s "$STATE/kafka/bootstrap"
}

# --- Docker Engine ------------------------------------------------------------------------------

docker_ok() { DOCKER_HOST=$1 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Reuses a running engine (DOCKER_HOST or the default socket); otherwise starts dockerd with host-only
# networking (no bridge, no iptables), so containers never get a private address.
start_docker() {
  local sock="unix://$STATE/docker/docker.sock"
  if [[ -n "${DOCKER_HOST:-}" ]] && docker_ok "$DOCKER_HOST"; then echo "$DOCKER_HOST" >"$STATE/docker_host"
  elif docker_ok "$sock"; then echo "$sock" >"$STATE/docker_host"
  elif docker_ok unix:///var/run/docker.sock; then echo unix:///var/run/docker.sock >"$STATE/docker_host"
  else
    launch_dockerd dockerd "$STATE/docker" "${PLATFORM_DOCKER_ROOT:-/var/lib/platform-docker}"
    echo "$sock" >"$STATE/docker_host"
  fi
  import_pod_images "$(cat "$STATE/docker_host")"
}

# launch_dockerd NAME DIR DATA_ROOT [NETNS]: a dockerd on unix://DIR/docker.sock (exec root and pid file in DIR, log
# .platform/logs/NAME.log, pid .platform/pids/NAME.pid), in network namespace NETNS if given, waited for.
launch_dockerd() {
  local name=$1 dir=$2 data_root=$3 netns=${4:-}
  mkdir -p "$dir"
  # A dockerd that was killed leaves its pid file behind, and a new one refuses to start over it.
  pid_alive "$dir/dockerd.pid" || rm -f "$dir/dockerd.pid"
  local prefix=()
  # nsenter, not ip netns exec: that remounts /sys for the namespace, hiding the cgroup mounts dockerd needs.
  [[ -n "$netns" ]] && prefix=(nsenter "--net=/run/netns/$netns")
  nohup "${prefix[@]}" dockerd --host "unix://$dir/docker.sock" --data-root "$data_root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    --bridge=none --iptables=false --ip-masq=false >"$STATE/logs/$name.log" 2>&1 &
  echo $! >"$STATE/pids/$name.pid"
  wait_for "$name" 60 docker_ok "unix://$dir/docker.sock"
}

# The images pods run here: busybox, and the pod sandbox (NodeAgent:PodNetwork:PauseImage), the same busybox in which
# the agent runs its own sleep loop.
import_pod_images() {
  import_busybox "$1"
  import_busybox "$1" platform/pause:latest
}

# Unmounts every mount point below a folder, deepest first (dockerd's exec/netns/default, overlay layers of a
# killed engine), so the folder can be deleted.
unmount_below() {
  local dir mount; dir=$(realpath -m "$1")
  [[ -d "$dir" ]] || return 0
  while read -r mount; do
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || log "could not unmount $mount"
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
}

# No image can be pulled here: build a one-layer busybox image from the machine's static busybox. The label
# io.platform.busybox says which applet set it has; an image from an older set is built again (tar: kubectl cp).
BUSYBOX_IMAGE_VERSION=3
import_busybox() {
  local host=$1 image=${2:-platform/busybox:latest}
  [[ "$(DOCKER_HOST=$host docker image inspect --format '{{index .Config.Labels "io.platform.busybox"}}' "$image" 2>/dev/null)" == "$BUSYBOX_IMAGE_VERSION" ]] && return 0
  local dir; dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/www" "$dir/tmp" "$dir/etc"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in sh httpd sleep echo cat ls wget nc true false env kill ps tar hostname nslookup; do ln -s busybox "$dir/bin/$applet"; done
  echo "platform busybox" >"$dir/www/index.html"
  tar -C "$dir" -c . | DOCKER_HOST=$host docker import --change "LABEL io.platform.busybox=$BUSYBOX_IMAGE_VERSION" - "$image" >/dev/null
  rm -rf "$dir"
}

# Removes what this platform's node agents leave once their containers are gone: their plbr- bridge with its plv veths,
# their plsvc- interface, and the shared nft table and iptables rule once no platform bridge is left.
remove_pod_network() {
  command -v ip >/dev/null || return 0
  local node hash link
  # This platform's node only (the agents name their links after a hash of the node name): another platform or a
  # test run on the same machine keeps its bridges.
  for node in ${PLATFORM_NODE_NAMES:-$(node_names)}; do
    hash=$(printf %s "$node" | sha256sum | cut -c1-8)
    for link in $(ip -o link show master "plbr-$hash" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
      ip link del "$link" 2>/dev/null || true
    done
    ip link del "plbr-$hash" 2>/dev/null || true
    ip link del "plsvc-$hash" 2>/dev/null || true
    command -v nft >/dev/null && { nft delete table ip "platform_svc_$hash" 2>/dev/null || true; }
  done
  # Shared by every agent on the machine: gone with the last platform bridge.
  ip -o link show | grep -q ': plbr-' && return 0
  command -v nft >/dev/null && nft delete table inet platform_podnet 2>/dev/null || true
  # The agents' bridge-to-bridge accept in iptables' FORWARD (for a host whose FORWARD policy is DROP).
  if command -v iptables >/dev/null; then
    while iptables -D FORWARD -i plbr-+ -o plbr-+ -m comment --comment platform_podnet -j ACCEPT 2>/dev/null; do :; done
  fi
}

# --- components ---------------------------------------------------------------------------------

load_runtime_env() {
  [[ -f "$STATE/credentials" ]] && set -a && source "$STATE/credentials" && set +a
  export PLATFORM_STATE=$STATE PLATFORM_ROOT=$ROOT
  # The components, platformctl and kubectl use HTTPS (6443) with the local CA; plain HTTP (7070) is the launcher's
  # health check and the benchmarks' direct port, on loopback.
  export PLATFORM_APISERVER_URL=https://127.0.0.1:6443
  export PLATFORM_APISERVER_SECURE_URL=https://127.0.0.1:6443
  export PLATFORM_APISERVER_INSECURE_URL=http://127.0.0.1:7070
  # What the components are given: every apiserver replica (up --ha adds 127.0.0.2); their clients pass over one
  # that cannot be reached. Users, kubectl and the scripts keep the first.
  export PLATFORM_APISERVER_URLS=$PLATFORM_APISERVER_URL
  ha_enabled && PLATFORM_APISERVER_URLS+=",https://127.0.0.2:6443"
  export PLATFORM_CA_FILE=$STATE/pki/ca.crt
  # The apiserver's role owns the database: what the services' tables live under, and what an operator's psql uses.
  export PLATFORM_DATABASE_URL="Host=127.0.0.1;Port=$PG_PORT;Username=platform_apiserver;Password=${PLATFORM_PG_APISERVER_PASSWORD:-};Database=platform"
  export PLATFORM_SCHEDULER_DATABASE_URL="Host=127.0.0.1;Port=$PG_PORT;Username=platform_scheduler;Password=${PLATFORM_PG_SCHEDULER_PASSWORD:-};Database=platform"
  export PLATFORM_KAFKA_BOOTSTRAP=$(cat "$STATE/kafka/bootstrap" 2>/dev/null || true)
  export DOCKER_HOST=$(cat "$STATE/docker_host" 2>/dev/null || echo "${DOCKER_HOST:-}")
}

component_name() { local n=${1##*/}; n=${n%.conf}; [[ $n =~ ^[0-9]*-(.*)$ ]] && n=${BASH_REMATCH[1]}; echo "$n"; }

source "$ROOT/deploy/local/topology.sh"

load_component() {
  NAME="" PROJECT="" URL="" HEALTH=/healthz RUN_ENV=() RUN_PREFIX=() EXPORTS=() ROLE_TOKEN=() CLUSTER_ROLES=()
  source "$1"
}

start_component() {
  local conf=$1
  (
    load_component "$conf"
    local pidfile="$STATE/pids/$NAME.pid"
    # One starter at a time (up, ./platform start, the supervisor): never two processes for one component.
    exec 9>"$STATE/pids/$NAME.lock"
    flock 9
    if pid_alive "$pidfile"; then exit 0; fi
    local proj="$ROOT/$PROJECT"
    local dll; dll="$(dirname "$proj")/bin/$CONFIGURATION/net10.0/$(basename "$proj" .csproj).dll"
    local envs=(ASPNETCORE_URLS="$URL" DOTNET_ENVIRONMENT=Development)
    if [[ ${#ROLE_TOKEN[@]} -gt 0 ]]; then
      PLATFORM_COMPONENT_TOKEN=$(ensure_role_token "${ROLE_TOKEN[@]}") || exit 1
      local role
      for role in "${CLUSTER_ROLES[@]}"; do ensure_cluster_role_binding "${ROLE_TOKEN[0]}" "$role" || exit 1; done
    fi
    local kv
    for kv in "${RUN_ENV[@]}"; do envs+=("$(eval "echo \"$kv\"")"); done
    # Started from its output folder: that is the content root, where its appsettings.json is.
    cd "$(dirname "$dll")"
    # After a crash, the last run's log is kept as <name>.log.1 (./platform logs shows the current one).
    [[ -s "$STATE/logs/$NAME.log" ]] && mv -f "$STATE/logs/$NAME.log" "$STATE/logs/$NAME.log.1"
    # RUN_PREFIX: what the process runs under, e.g. nsenter into a node's network namespace (it execs: the pid is dotnet's).
    "${RUN_PREFIX[@]}" env "${envs[@]}" nohup dotnet "$dll" >"$STATE/logs/$NAME.log" 2>&1 9>&- &
    echo $! >"$pidfile"
    wait_for "$NAME" 60 running_and_ok "$pidfile" "$URL$HEALTH" || { log "$NAME did not become healthy; last log lines:"; tail -n 20 "$STATE/logs/$NAME.log" >&2; exit 1; }
  )
}

http_ok() { curl -fs -o /dev/null --max-time 2 "$1"; }

# Healthy, or exit 2 once the process has died: a crashed start is not waited on for a minute (wait_for stops on 2).
running_and_ok() { pid_alive "$1" || { log "$NAME exited while starting"; return 2; }; http_ok "$2" || return 1; }

# A zombie (killed, not yet reaped by whoever adopted it) answers kill -0 but is gone: its state letter is Z.
# Both use builtins only (no process per call): the supervisor asks about every component every second.
pid_alive() { local pid=""; [[ -f "$1" ]] && read -r pid <"$1" 2>/dev/null; pid_running "$pid"; }

pid_running() {
  local pid=$1 stat=""
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  read -r stat <"/proc/$pid/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

stop_pidfile() {
  local pidfile=$1 name=$2 seconds=${3:-10}
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not stop in ${seconds}s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  local rc
  until "$@"; do
    rc=$?
    [[ $rc -eq 2 ]] && return 1   # the condition says it can never hold (see running_and_ok)
    if [[ $SECONDS -ge $deadline ]]; then log "$what not ready after ${seconds}s"; return 1; fi
    sleep 0.3
  done
}

# One row per component: name, address, pid, state. A pid file whose process is gone is "crashed".
print_status() {
  local rows=() state
  pg_state() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/postgres/data" status >/dev/null 2>&1 && echo healthy || echo stopped; }
  rows+=("postgres|127.0.0.1:$PG_PORT|$(cat "$STATE/postgres/data/postmaster.pid" 2>/dev/null | head -1 || echo -)|$(pg_state)")
  state=stopped; pid_alive "$STATE/pids/kafka.pid" && [[ -n "$PLATFORM_KAFKA_BOOTSTRAP" ]] && state=healthy
  [[ -f "$STATE/pids/kafka.pid" && $state == stopped ]] && state=crashed
  rows+=("kafka|${PLATFORM_KAFKA_BOOTSTRAP:--}|$(cat "$STATE/pids/kafka.pid" 2>/dev/null || echo -)|$state")
  state=stopped; [[ -n "$DOCKER_HOST" ]] && docker_ok "$DOCKER_HOST" && state=healthy
  [[ -f "$STATE/pids/dockerd.pid" ]] || [[ $state == stopped ]] || state="healthy (external)"
  rows+=("dockerd|${DOCKER_HOST:--}|$(cat "$STATE/pids/dockerd.pid" 2>/dev/null || echo -)|$state")
  local conf
  for conf in $(component_confs); do
    rows+=("$(load_component "$conf"
      local pidfile="$STATE/pids/$NAME.pid" s=stopped
      if pid_alive "$pidfile"; then http_ok "$URL$HEALTH" && s=healthy || s=unhealthy
      elif [[ -f "$pidfile" ]]; then s=crashed; fi
      echo "$NAME|$URL|$(cat "$pidfile" 2>/dev/null || echo -)|$s")")
  done
  state=stopped; pid_alive "$STATE/pids/supervisor.pid" && state=running
  rows+=("supervisor|-|$(cat "$STATE/pids/supervisor.pid" 2>/dev/null || echo -)|$state")
  { echo "COMPONENT|ADDRESS|PID|STATE"; printf '%s\n' "${rows[@]}"; } | column -t -s '|'
}

source "$ROOT/deploy/local/supervise.sh"
