# The node network of ./platform up --nodes N, sourced by topology.sh: nodes 2..N each in a network namespace of their
# own, as separate machines would be, joined by one bridge on this machine.
#
#   host (node "local")          plnodes bridge 10.250.0.1/24 (and .254, the HA replica's stand-in address)
#   plat-node-N namespace        plnode0 10.250.0.N/24, default route via 10.250.0.1; its dockerd, node agent, pod
#                                bridge, Service proxy and DNS all live here
#
# Pod traffic between nodes is routed host-gw style: each node agent routes every other node's podCIDR via that node's
# address when the address is on a network it is attached to (NodeAgent's node routes); a node reaches the first
# node's pods through its default route to the host. Nothing leaves the machine: the host forwards what comes from the
# bridge only to its own pod bridges (anything else is rejected), and nothing is masqueraded.
#
# The control plane listens on this machine's loopback (the apiserver on 127.0.0.1 and, with --ha, 127.0.0.2; the dev
# broker's mock Kafka on 127.0.0.1), which a namespace's own loopback does not reach. Each namespace translates
# connections to those ports (the uplink set) to the host's bridge addresses, and the host translates them back to its
# loopback; only node addresses (10.250.0.0/24) are let through, never a pod's.

NODE_NET_BRIDGE=plnodes
NODE_NET_PREFIX=10.250.0
NODE_NET_HA_ADDRESS=$NODE_NET_PREFIX.254
NODE_NET_TABLE=platform_nodenet

node_netns() { echo "plat-node-$1"; }
node_address() { echo "$NODE_NET_PREFIX.$1"; }

# The host ports a node reaches on this machine's loopback: the apiserver, the registry and the config server (for
# hostNetwork pods' apps), and every mock Kafka broker of the bootstrap list.
node_uplink_ports() {
  local ports=(6443 8761 8888) entry
  local bootstrap; bootstrap=$(cat "$STATE/kafka/bootstrap" 2>/dev/null || true)
  for entry in ${bootstrap//,/ }; do ports+=("${entry##*:}"); done
  printf '%s\n' "${ports[@]}" | sort -un | paste -sd, -
}

# The bridge and the host's side of the uplink, made again from scratch (idempotent: up twice keeps one of each).
node_net_host_up() {
  local ports; ports=$(node_uplink_ports)
  ip link show "$NODE_NET_BRIDGE" >/dev/null 2>&1 || ip link add "$NODE_NET_BRIDGE" type bridge
  ip addr replace "$NODE_NET_PREFIX.1/24" dev "$NODE_NET_BRIDGE"
  ip addr replace "$NODE_NET_HA_ADDRESS/24" dev "$NODE_NET_BRIDGE"
  ip link set "$NODE_NET_BRIDGE" up
  # Forwarding on the bridge only (IPv4 checks the incoming interface); route_localnet lets the uplink's DNAT reach 127/8.
  echo 1 >"/proc/sys/net/ipv4/conf/$NODE_NET_BRIDGE/forwarding"
  echo 1 >"/proc/sys/net/ipv4/conf/$NODE_NET_BRIDGE/route_localnet"
  nft -f - <<NFT
table ip $NODE_NET_TABLE {}
flush table ip $NODE_NET_TABLE
table ip $NODE_NET_TABLE {
  chain prerouting {
    type nat hook prerouting priority -100; policy accept;
    iifname "$NODE_NET_BRIDGE" ip saddr $NODE_NET_PREFIX.0/24 ip daddr $NODE_NET_PREFIX.1 tcp dport { $ports } dnat to 127.0.0.1
    iifname "$NODE_NET_BRIDGE" ip saddr $NODE_NET_PREFIX.0/24 ip daddr $NODE_NET_HA_ADDRESS tcp dport { $ports } dnat to 127.0.0.2
  }
  # From the nodes, forwarded only to the first node's pods (and back onto the bridge): nothing is routed off the
  # machine. Rejected, not dropped, so what tries (a node's dockerd resolving a registry) fails at once.
  chain forward {
    type filter hook forward priority -10; policy accept;
    iifname "$NODE_NET_BRIDGE" oifname { "$NODE_NET_BRIDGE", "plbr-*" } accept
    iifname "$NODE_NET_BRIDGE" counter reject
  }
}
NFT
  # A host whose iptables FORWARD policy drops (Docker with iptables on) would drop what crosses the bridge.
  if command -v iptables >/dev/null && iptables -S FORWARD 2>/dev/null | grep -q -- '-P FORWARD DROP'; then
    local dir
    for dir in -i -o; do
      iptables -C FORWARD "$dir" "$NODE_NET_BRIDGE" -m comment --comment "$NODE_NET_TABLE" -j ACCEPT 2>/dev/null \
        || iptables -I FORWARD 1 "$dir" "$NODE_NET_BRIDGE" -m comment --comment "$NODE_NET_TABLE" -j ACCEPT
    done
  fi
}

# Node n's namespace, its veth to the bridge, its address and default route, and its side of the uplink.
node_net_up() {
  local n=$1 ns; ns=$(node_netns "$1")
  local address; address=$(node_address "$n")
  local ports; ports=$(node_uplink_ports)
  ip netns list | grep -qw "$ns" || ip netns add "$ns"
  if ! ip -n "$ns" link show plnode0 >/dev/null 2>&1; then
    ip link del "plnode-$n" 2>/dev/null || true
    ip link add "plnode-$n" type veth peer name plnode0 netns "$ns"
  fi
  ip link set "plnode-$n" master "$NODE_NET_BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$address/24" dev plnode0
  ip -n "$ns" link set plnode0 up
  ip -n "$ns" route replace default via "$NODE_NET_PREFIX.1"
  ip netns exec "$ns" sh -c "echo 1 >/proc/sys/net/ipv4/conf/plnode0/forwarding; echo 1 >/proc/sys/net/ipv4/conf/plnode0/route_localnet"
  ip netns exec "$ns" nft -f - <<NFT
table ip $NODE_NET_TABLE {}
flush table ip $NODE_NET_TABLE
table ip $NODE_NET_TABLE {
  chain output {
    type nat hook output priority -100; policy accept;
    ip daddr 127.0.0.1 tcp dport { $ports } dnat to $NODE_NET_PREFIX.1
    ip daddr 127.0.0.2 tcp dport { $ports } dnat to $NODE_NET_HA_ADDRESS
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    oifname "plnode0" ip saddr 127.0.0.0/8 snat to $address
  }
}
NFT
}

# Everything node_net_host_up and node_net_up made; the nodes' dockerds must be stopped first.
node_net_down() {
  command -v ip >/dev/null || return 0
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^plat-node-[0-9]+$/ { print $1 }'); do ip netns del "$ns" 2>/dev/null || true; done
  ip link del "$NODE_NET_BRIDGE" 2>/dev/null || true
  command -v nft >/dev/null && { nft delete table ip "$NODE_NET_TABLE" 2>/dev/null || true; }
  if command -v iptables >/dev/null; then
    local dir
    for dir in -i -o; do
      while iptables -D FORWARD "$dir" "$NODE_NET_BRIDGE" -m comment --comment "$NODE_NET_TABLE" -j ACCEPT 2>/dev/null; do :; done
    done
  fi
}
