#!/usr/bin/env bash
# Issues the platform components' least-privilege tokens with the platform's apiserver and keeps them in the two
# Kubernetes Secrets the manifests read (what ./platform up and compose's bootstrap service do on their side):
#   platform-component-tokens  one key per component token (system-scheduler, system-controller-manager, system-gateway,
#                              system-config-server), from ROLE_TOKEN in deploy/local/components/*.conf, with the
#                              ClusterRoles of its CLUSTER_ROLES bound in the platform;
#   platform-node-tokens       one node token per Kubernetes node labelled platform.io/node=true, keyed by node name
#                              (each bound to its node by the apiserver).
# A token the Secret already holds is kept; run it again after labelling a new node.
#
#   PLATFORM_APISERVER=https://platform-api.example.com PLATFORM_ADMIN_TOKEN=... [PLATFORM_CA_FILE=ca.crt] \
#     deploy/kubernetes/issue-tokens.sh [kubectl flags for the Kubernetes cluster, e.g. --context prod]
#
# No token appears on a command line (curl and kubectl read them from a private temporary folder) nor in the output.
set -euo pipefail
: "${PLATFORM_APISERVER:?the platform apiserver URL}" "${PLATFORM_ADMIN_TOKEN:?an admin token of the platform}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NS=${PLATFORM_NAMESPACE:-platform-system}
KUBECTL=(kubectl "$@")
work=$(mktemp -d); chmod 700 "$work"; trap 'rm -rf "$work"' EXIT
printf 'Authorization: Bearer %s\nContent-Type: application/json\n' "$PLATFORM_ADMIN_TOKEN" >"$work/headers"
CURL=(curl -sS --max-time 30 -H "@$work/headers")
[[ -n "${PLATFORM_CA_FILE:-}" ]] && CURL+=(--cacert "$PLATFORM_CA_FILE")

# platform METHOD PATH [JSON]: the body to stdout, the status code to $work/status.
platform() {
  "${CURL[@]}" -X "$1" -o "$work/body" -w '%{http_code}' ${3:+--data-binary "$3"} "$PLATFORM_APISERVER$2" >"$work/status" || echo 000 >"$work/status"
  cat "$work/body" 2>/dev/null || true
}
status() { cat "$work/status"; }

# The Secret's keys that already hold a token, one per line.
existing_keys() {
  "${KUBECTL[@]}" -n "$NS" get secret "$1" -o go-template='{{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}' 2>/dev/null || true
}

# issue SECRET KEY NAME ROLE [NODE]: a new token (named NAME in the platform) under $work/SECRET/KEY, unless the
# Secret has one.
issue() {
  local secret=$1 key=$2 name=$3 role=$4 node=${5:-} body token
  mkdir -p "$work/$secret"
  if grep -qxF -- "$key" "$work/$secret.keys"; then
    "${KUBECTL[@]}" -n "$NS" get secret "$secret" -o "go-template={{index .data \"$key\" | base64decode}}" >"$work/$secret/$key"
    echo "issue-tokens: $secret/$key kept"; return
  fi
  platform DELETE "/apis/auth.platform.io/v1/tokens/$name" >/dev/null
  body=$(platform POST /apis/auth.platform.io/v1/tokens "{\"name\":\"$name\",\"role\":\"$role\"${node:+,\"nodeName\":\"$node\"}}")
  token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
  if [[ $(status) != 2* || -z "$token" ]]; then echo "issue-tokens: issuing the $role token $name failed (HTTP $(status))" >&2; return 1; fi
  printf '%s' "$token" >"$work/$secret/$key"
  echo "issue-tokens: $secret/$key issued ($role)"
}

bind_cluster_role() {
  local user=$1 role=$2
  platform POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"platform:$user:${role//:/-}\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"$role\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"$user\"}]}" >/dev/null
  [[ $(status) == 201 || $(status) == 409 ]] || { echo "issue-tokens: binding $user to $role failed (HTTP $(status))" >&2; return 1; }
}

# The words of a bash array assignment such as ROLE_TOKEN=(system-gateway user).
array_of() { sed -n "s/^$1=(\(.*\)).*/\1/p" "$2" | tr -d '"'"'"; }

existing_keys platform-component-tokens >"$work/platform-component-tokens.keys"
existing_keys platform-node-tokens >"$work/platform-node-tokens.keys"
for conf in "$ROOT"/deploy/local/components/*.conf; do
  read -r -a token <<<"$(array_of ROLE_TOKEN "$conf")"
  [[ ${#token[@]} -gt 0 && ${token[1]} != node ]] || continue
  issue platform-component-tokens "${token[0]}" "${token[0]}" "${token[1]}"
  read -r -a roles <<<"$(array_of CLUSTER_ROLES "$conf")"
  for role in "${roles[@]}"; do bind_cluster_role "${token[0]}" "$role"; done
done
nodes=$("${KUBECTL[@]}" get nodes -l platform.io/node=true -o jsonpath='{.items[*].metadata.name}')
mkdir -p "$work/platform-node-tokens"
for node in $nodes; do issue platform-node-tokens "$node" "system-node-agent-$node" node "$node"; done

for secret in platform-component-tokens platform-node-tokens; do
  "${KUBECTL[@]}" -n "$NS" create secret generic "$secret" --from-file="$work/$secret" --dry-run=client -o yaml \
    | "${KUBECTL[@]}" apply -f - >/dev/null
  echo "issue-tokens: secret $NS/$secret: $(ls "$work/$secret" | wc -l) tokens"
done
