# The platform's shape beyond one process per component, sourced by lib.sh: ./platform up --ha (a second replica of
# the control plane on 127.0.0.2) and ./platform up --nodes N (node agents 2..N, each in a network namespace of its own
# with its own Docker engine: nodenet.sh).

# ./platform up --ha: a second replica of the apiserver, discovery, gateway, scheduler and controller-manager, each on
# 127.0.0.2 (deploy/local/components-ha/), until ./platform down.
ha_enabled() { [[ -f "$STATE/ha" ]]; }

# The Eureka servers as Steeltoe's comma-separated serviceUrl, with the Basic credentials: both with up --ha.
eureka_urls() {
  local first="http://${PLATFORM_BASIC_USER}:${PLATFORM_BASIC_PASSWORD}@127.0.0.1:8761/eureka"
  if ha_enabled; then echo "$first,http://${PLATFORM_BASIC_USER}:${PLATFORM_BASIC_PASSWORD}@127.0.0.2:8761/eureka"; else echo "$first"; fi
}

# ./platform up --nodes N: node agents 2..N beside the first ("node-2" ...), each with a Docker engine of its own.
node_count() { cat "$STATE/nodes" 2>/dev/null || echo 1; }

# The node names of this platform (remove_pod_network deletes their bridges).
node_names() { local n; echo local; for n in $(seq 2 "$(node_count)"); do echo "node-$n"; done; }

# The confs of nodes 2..N, from deploy/local/components-nodes/node-agent.conf.in, into .platform/components-nodes/.
write_node_confs() {
  rm -rf "$STATE/components-nodes"
  [[ $(node_count) -gt 1 ]] || return 0
  mkdir -p "$STATE/components-nodes"
  local n
  for n in $(seq 2 "$(node_count)"); do
    sed "s/@N@/$n/g" "$COMPONENTS_DIR-nodes/node-agent.conf.in" >"$STATE/components-nodes/7$n-node-agent-$n.conf"
  done
}

source "$ROOT/deploy/local/nodenet.sh"

# Node n's network namespace (nodenet.sh) and Docker engine in it: its own socket, data root and exec root, with the
# local busybox and pause images. Needs Kafka's bootstrap list (the namespace's uplink to this machine's loopback).
start_node_docker() {
  local n=$1 sock="unix://$STATE/docker-$1/docker.sock"
  node_net_host_up
  node_net_up "$n"
  docker_ok "$sock" || launch_dockerd "dockerd-$n" "$STATE/docker-$n" "${PLATFORM_DOCKER_ROOT:-/var/lib/platform-docker}-$n" "$(node_netns "$n")"
  import_pod_images "$sock"
}

# The component confs in start order (their number), the HA replicas among them when up --ha made the platform,
# and the agents of nodes 2..N after up --nodes N.
component_confs() {
  local dirs=("$COMPONENTS_DIR")
  ha_enabled && dirs+=("$COMPONENTS_DIR-ha")
  [[ -d "$STATE/components-nodes" ]] && dirs+=("$STATE/components-nodes")
  local conf
  for conf in $(for d in "${dirs[@]}"; do ls "$d"/*.conf 2>/dev/null; done | awk -F/ '{print $NF "\t" $0}' | sort | cut -f2); do
    echo "$conf"
  done
}
