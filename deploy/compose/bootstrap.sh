#!/bin/bash
# The compose file's one-shot `bootstrap` service: issues each component's least-privilege apiserver token (ROLE_TOKEN
# in deploy/local/components/*.conf, the same registry ./platform up reads) and binds its ClusterRoles (CLUSTER_ROLES),
# then writes the token to /run/platform/tokens/NAME (owner app, 0400), where the service reads it (NAME__Token_FILE).
# A token already written is kept. Runs as root in the apiserver image: bash and /dev/tcp, no curl needed.
set -euo pipefail
API=${APISERVER:-apiserver:8080}
TOKENS=/run/platform/tokens
COMPONENTS=${COMPONENTS_DIR:-/components}

# request METHOD PATH [JSON]: prints the status code, then the body.
request() {
  local method=$1 path=$2 body=${3:-} response
  exec 3<>"/dev/tcp/${API%:*}/${API##*:}"
  printf '%s %s HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$method" "$path" "${API%:*}" "$PLATFORM_ADMIN_TOKEN" "${#body}" "$body" >&3
  response=$(cat <&3)
  exec 3<&-
  local code=${response#* }
  printf '%s\n%s\n' "${code%% *}" "${response#*$'\r\n\r\n'}"
}

issue_token() {
  local name=$1 role=$2 node=${3:-} file="$TOKENS/$1" out status token
  if [[ -s "$file" ]]; then echo "bootstrap: $name: token kept"; return; fi
  request DELETE "/apis/auth.platform.io/v1/tokens/$name" >/dev/null
  out=$(request POST /apis/auth.platform.io/v1/tokens "{\"name\":\"$name\",\"role\":\"$role\"${node:+,\"nodeName\":\"$node\"}}")
  status=${out%%$'\n'*}
  token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$out")
  if [[ "$status" != 2* || -z "$token" ]]; then echo "bootstrap: issuing the $role token $name failed (HTTP $status)" >&2; return 1; fi
  (umask 077; printf '%s' "$token" >"$file.tmp")
  chown 1654:1654 "$file.tmp"; chmod 0400 "$file.tmp"; mv "$file.tmp" "$file"
  echo "bootstrap: $name: $role token issued"
}

bind_cluster_role() {
  local user=$1 role=$2 out status
  # The whole answer first: `request | head -1` would end request with SIGPIPE, which set -e takes for a failure.
  out=$(request POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings \
    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"platform:$user:${role//:/-}\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"$role\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"$user\"}]}")
  status=${out%%$'\n'*}
  if [[ "$status" != 201 && "$status" != 409 ]]; then echo "bootstrap: binding $user to $role failed (HTTP $status)" >&2; return 1; fi
}

# The words of a bash array assignment line such as ROLE_TOKEN=(system-node-agent node local).
array_of() { sed -n "s/^$1=(\(.*\)).*/\1/p" "$2" | tr -d '"'"'"; }

mkdir -p "$TOKENS"
for conf in "$COMPONENTS"/*.conf; do
  read -r -a role_token <<<"$(array_of ROLE_TOKEN "$conf")"
  [[ ${#role_token[@]} -gt 0 ]] || continue
  # The node agent's node: the compose file's NODE_NAME instead of the launcher's `local`.
  [[ ${role_token[1]} == node ]] && role_token[2]=${NODE_NAME:-${role_token[2]:-}}
  issue_token "${role_token[@]}"
  read -r -a roles <<<"$(array_of CLUSTER_ROLES "$conf")"
  for role in "${roles[@]}"; do bind_cluster_role "${role_token[0]}" "$role"; done
done
echo "bootstrap: done"
