# ./platform images: every service image built here with no pull (sourced by ./platform; ROOT, STATE, lib.sh set).
#
#   ./platform images                 base images (deploy/docker/base/build.sh, cached), then every service image
#   ./platform images --only gateway  one service (the base images are still checked)
#
# Each project is published on the host (Release, from a copy of the sources in .platform/images/src) into
# .platform/images/context/NAME/app and copied onto
# platform/base-aspnet:10.0 by deploy/docker/Dockerfile's target `prebuilt`. Images are tagged
# platform/NAME:latest and platform/NAME:<git describe>. Uses DOCKER_HOST, else the running platform's engine,
# else the default socket.

# NAME PROJECT HEALTH of every image: the components of deploy/local/components (one registry), then the dev broker,
# whose health is a TCP connect to its first relayed broker port.
image_specs() {
  local conf
  for conf in "$COMPONENTS_DIR"/*.conf; do
    [[ -e "$conf" ]] || continue
    printf '%s %s %s 8080\n' "$(sed -n 's/^NAME=//p' "$conf")" "$(sed -n 's/^PROJECT=//p' "$conf")" \
      "$(sed -n 's/^HEALTH=//p' "$conf" | grep . || echo /healthz)"
  done
  echo "dev-broker services/dev-broker/Platform.DevBroker.csproj - 9092"
}

images_docker_host() {
  if [[ -n "${DOCKER_HOST:-}" ]] && docker_ok "$DOCKER_HOST"; then return; fi
  if [[ -s "$STATE/docker_host" ]] && docker_ok "$(cat "$STATE/docker_host")"; then
    DOCKER_HOST=$(cat "$STATE/docker_host"); export DOCKER_HOST; return
  fi
  if docker_ok unix:///var/run/docker.sock; then export DOCKER_HOST=unix:///var/run/docker.sock; return; fi
  log "no Docker Engine: set DOCKER_HOST, or ./platform up --detach first"
  return 1
}

# The assembly a project builds (AssemblyName, else the project file's name).
project_assembly() {
  local name; name=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$ROOT/$1" | head -1)
  echo "${name:-$(basename "$1" .csproj)}"
}

build_images() {
  local only=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --only) only=${2:?--only needs a name}; shift 2 ;;
      *) log "usage: ./platform images [--only NAME]"; return 2 ;;
    esac
  done
  local specs; specs=$(image_specs)
  if [[ -n "$only" ]] && ! awk '{print $1}' <<<"$specs" | grep -qx "$only"; then
    log "no image '$only' (known: $(awk '{print $1}' <<<"$specs" | tr '\n' ' '))"
    return 2
  fi
  ensure_prereqs
  images_docker_host
  local started=$SECONDS
  log "base images (engine $DOCKER_HOST) ..."
  PLATFORM_STATE=$STATE "$ROOT/deploy/docker/base/build.sh"

  local version revision source_url
  version=$(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
  revision=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  source_url=$(git -C "$ROOT" remote get-url origin 2>/dev/null || echo "file://$ROOT")
  # Published from a copy of the sources: their own obj/ folders, so a Release restore for one runtime never rewrites
  # the project.assets.json a Debug build or a test run of the checkout is reading.
  mkdir -p "$STATE/images/src"
  rsync -a --delete --exclude=bin/ --exclude=obj/ --exclude=/.platform/ --exclude=/.git/ --exclude=node_modules/ \
    --exclude=TestResults/ "$ROOT/" "$STATE/images/src/"
  local table="$STATE/images/table.txt" name project health port
  : >"$table"
  while read -r name project health port; do
    [[ -n "$only" && "$name" != "$only" ]] && continue
    build_image "$name" "$project" "$health" "$port" "$version" "$revision" "$source_url" >>"$table"
  done <<<"$specs"
  { printf 'IMAGE TAG SIZE SECONDS\n'; cat "$table"; } | column -t
  log "images built in $((SECONDS - started))s"
}

dotnet_rid() { case "$(uname -m)" in aarch64|arm64) echo linux-arm64 ;; *) echo linux-x64 ;; esac; }

source "$ROOT/deploy/docker/docker-build.sh"

build_image() {
  local name=$1 project=$2 health=$3 port=$4 version=$5 revision=$6 source_url=$7
  local started=$SECONDS ctx="$STATE/images/context/$name"
  [[ "$health" == - ]] && health=""
  log "[$name] dotnet publish $project ..."
  rm -rf "$ctx"
  mkdir -p "$ctx/deploy/docker"
  # For this machine's architecture only: the other runtimes' native libraries (librdkafka's) would be 70 MB more.
  dotnet publish "$STATE/images/src/$project" -c Release -r "$(dotnet_rid)" --self-contained false -o "$ctx/app" -p:UseAppHost=false \
    -v q -nologo -clp:ErrorsOnly >&2
  cp "$ROOT/deploy/docker/Dockerfile" "$ctx/Dockerfile"
  cp -r "$ROOT/deploy/docker/healthcheck.sh" "$ROOT/deploy/docker/entrypoint.sh" "$ROOT/deploy/docker/state" "$ctx/deploy/docker/"
  log "[$name] docker build --target prebuilt ..."
  docker_build --target prebuilt \
    --build-arg RUNTIME_IMAGE=platform/base-aspnet:10.0 \
    --build-arg ASSEMBLY="$(project_assembly "$project")" \
    --build-arg HEALTH_PATH="$health" --build-arg HEALTH_PORT="$port" \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE="$source_url" \
    -t "platform/$name:latest" -t "platform/$name:$version" "$ctx"
  local size; size=$(docker image inspect --format '{{.Size}}' "platform/$name:latest")
  echo "platform/$name $version $((size / 1000000))MB $((SECONDS - started))"
}
