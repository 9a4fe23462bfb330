#!/usr/bin/env bash
# ./platform bench compare <base-rev> <bench> [rounds=2] [bench args...]
# Runs bench/<bench> on <base-rev> (checked out into a temporary worktree) and on this tree, alternating base and
# this for each round, in one run on one machine: the side-by-side figures a change is judged by. Each run's output
# is printed under a header naming the tree and round. Extra environment (END_TO_END=1, SCALING=, DOCKER_HOST ...)
# passes through to both.
set -euo pipefail
ROOT=${PLATFORM_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
base=${1:?usage: ./platform bench compare <base-rev> <bench> [rounds] [args...]}
bench=${2:?usage: ./platform bench compare <base-rev> <bench> [rounds] [args...]}
rounds=${3:-2}
shift $(( $# >= 3 ? 3 : $# ))
[[ -x "$ROOT/bench/$bench/run.sh" ]] || { echo "no benchmark bench/$bench" >&2; exit 2; }
rev=$(git -C "$ROOT" rev-parse --short "$base")
tree=$(mktemp -d "/tmp/platform-bench-base-$rev-XXXX")
cleanup() { git -C "$ROOT" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --detach "$tree" "$rev" >/dev/null
[[ -x "$tree/bench/$bench/run.sh" ]] || { echo "bench/$bench does not exist at $rev" >&2; exit 2; }
here=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo "+changes")
for ((i = 1; i <= rounds; i++)); do
  for side in base this; do
    if [[ $side == base ]]; then dir=$tree label="base $rev"; else dir=$ROOT label="this $here"; fi
    echo
    echo "=== round $i/$rounds: $label (load average $(cut -d' ' -f1-3 /proc/loadavg)) ==="
    PLATFORM_ROOT=$dir "$dir/bench/$bench/run.sh" "$@" 2>&1 | sed "s/^/[$side] /"
  done
done
