# ./platform compose-env: the .env docker-compose.yml reads (sourced by ./platform; ROOT set, lib.sh loaded).
#
#   ./platform compose-env               .env for Apache Kafka (profile kafka) and Microsoft-based images built from source
#   ./platform compose-env --local       .env for this machine: profile local (the dev broker), platform/postgres:15
#   ./platform compose-env --file PATH   write PATH instead of ./.env (tests)
#
# The node agent gets the Docker Engine of DOCKER_HOST (a unix socket), else /var/run/docker.sock, and its group.
# Secrets are generated once and kept when the file is written again (switching --local on or off keeps them: the
# Postgres volume was initialised with them). The file is mode 0600 and git-ignored.

compose_env() {
  local file=$ROOT/.env local=false
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --local) local=true; shift ;;
      --file) file=${2:?--file needs a path}; shift 2 ;;
      *) log "usage: ./platform compose-env [--local] [--file PATH]"; return 2 ;;
    esac
  done
  local old=""
  [[ -f "$file" ]] && old=$(cat "$file")
  # kept VAR DEFAULT: the value already in the file, else DEFAULT.
  kept() { local v; v=$(sed -n "s/^$1=//p" <<<"$old" | tail -1); echo "${v:-$2}"; }
  hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  # The node agent's engine: DOCKER_HOST's socket, else the default one. It must exist: a bind mount of a missing path
  # would make an empty directory there.
  local socket=/var/run/docker.sock
  [[ "${DOCKER_HOST:-}" == unix://* ]] && socket=${DOCKER_HOST#unix://}
  if [[ ! -S "$socket" ]]; then log "no Docker socket at $socket (set DOCKER_HOST=unix:///path/to/docker.sock)"; return 1; fi
  local profile=kafka postgres_image=postgres:15 bootstrap=kafka-1:9092,kafka-2:9092,kafka-3:9092
  if $local; then
    profile=local postgres_image=platform/postgres:15 bootstrap=dev-broker:9092,dev-broker:9093,dev-broker:9094
  fi
  (umask 077; cat >"$file.tmp" <<ENV
# Written by ./platform compose-env for docker-compose.yml. Secrets: keep this file private, never commit it.
COMPOSE_PROFILES=$profile
POSTGRES_IMAGE=$postgres_image
KAFKA_BOOTSTRAP=$bootstrap
PLATFORM_REGISTRY=$(kept PLATFORM_REGISTRY platform)
PLATFORM_TAG=$(kept PLATFORM_TAG latest)
PLATFORM_BIND=$(kept PLATFORM_BIND 127.0.0.1)
NODE_NAME=$(kept NODE_NAME compose-node)
DOCKER_SOCKET=$socket
DOCKER_GID=$(stat -c %g "$socket")
POSTGRES_PASSWORD=$(kept POSTGRES_PASSWORD "$(hex 18)")
PLATFORM_PG_APISERVER_PASSWORD=$(kept PLATFORM_PG_APISERVER_PASSWORD "$(hex 18)")
PLATFORM_PG_SCHEDULER_PASSWORD=$(kept PLATFORM_PG_SCHEDULER_PASSWORD "$(hex 18)")
PLATFORM_ADMIN_TOKEN=$(kept PLATFORM_ADMIN_TOKEN "$(hex 24)")
PLATFORM_BASIC_USER=$(kept PLATFORM_BASIC_USER platform)
PLATFORM_BASIC_PASSWORD=$(kept PLATFORM_BASIC_PASSWORD "$(hex 18)")
PLATFORM_ENCRYPTION_KEY=$(kept PLATFORM_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 -w0)")
PLATFORM_CONFIG_ENCRYPT_KEY=$(kept PLATFORM_CONFIG_ENCRYPT_KEY "$(hex 24)")
PLATFORM_GATEWAY_ADMIN_TOKEN=$(kept PLATFORM_GATEWAY_ADMIN_TOKEN "$(hex 24)")
ENV
  )
  # Published host ports: kept when set (a second platform on one machine needs its own).
  local port
  for port in APISERVER_PORT DISCOVERY_PORT CONFIG_SERVER_PORT GATEWAY_PORT CONNECT_PORT CONSOLE_PORT; do
    [[ -n "$(kept "$port" "")" ]] && echo "$port=$(kept "$port" "")" >>"$file.tmp"
  done
  mv "$file.tmp" "$file"
  log "wrote $file (profile $profile)"
}
