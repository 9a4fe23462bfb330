# ./platform test: the whole suite on real dependencies, each started once for the run.
# Sourced by ./platform (ROOT, STATE, PG_BIN, CONFIGURATION set; lib.sh loaded).
#
#   ./platform test                      every tests/*.Tests project
#   ./platform test Platform.Outbox      only projects whose name contains the word
#   PLATFORM_TEST_PARALLEL=3             how many test projects run at once (default 2)

run_tests() {
  local only=${1:-}
  # Globals, not locals: the EXIT trap runs after this function returned.
  run_dir=$(mktemp -d /tmp/platform-test.XXXXXX)
  chmod 755 "$run_dir"
  local results="$run_dir/results"
  mkdir -p "$results" "$STATE"
  started_dockerd=""
  cleanup_tests() {
    stop_postgres "$run_dir/postgres"
    rm -rf "$run_dir/postgres"
    if [[ -n "$started_dockerd" ]]; then kill "$started_dockerd" 2>/dev/null || true; wait "$started_dockerd" 2>/dev/null || true; fi
    unmount_below "$run_dir"
    # The results stay for a look after the run; the engine's data and exec folders go.
    rm -rf "$run_dir/docker-data" "$run_dir/docker-exec"
  }
  trap cleanup_tests EXIT
  ensure_prereqs
  build_solution

  # One Postgres for the whole run; each test creates its own database in it.
  local pg_port; pg_port=$(free_port)
  PG_PORT=$pg_port PLATFORM_PG_FSYNC=off start_postgres "$run_dir/postgres" "$pg_port" trust
  export PLATFORM_TEST_DATABASE_URL="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Maximum Pool Size=50"

  # One Docker Engine for the whole run: the one DOCKER_HOST names, else a private one (its own socket and data), so
  # runs never share an engine that another run may stop.
  if [[ -n "${DOCKER_HOST:-}" ]] && docker_ok "$DOCKER_HOST"; then :
  else
    export DOCKER_HOST="unix://$run_dir/docker.sock"
    nohup dockerd --host "$DOCKER_HOST" --data-root "$run_dir/docker-data" --exec-root "$run_dir/docker-exec" \
      --pidfile "$run_dir/dockerd.pid" --bridge=none --iptables=false --ip-masq=false >"$run_dir/dockerd.log" 2>&1 &
    started_dockerd=$!
    wait_for dockerd 60 docker_ok "$DOCKER_HOST"
  fi


  # The longest projects start first (a CI run's durations, 2026-12-07: ApiServer 638 s, ControllerManager 577 s,
  # Deploy 491 s, NodeAgent ~376 s, Gateway 310 s, Connect 287 s), so the two workers end close together; the
  # rest follow alphabetically.
  local longest=(ApiServer ControllerManager Deploy NodeAgent Gateway Connect)
  local projects=() rest=()
  local p name
  for name in "${longest[@]}"; do
    p="$ROOT/tests/Platform.$name.Tests/Platform.$name.Tests.csproj"
    [[ -f "$p" && ( -z "$only" || "$(basename "$p")" == *"$only"* ) ]] && projects+=("$p")
  done
  for p in "$ROOT"/tests/*.Tests/*.Tests.csproj; do
    [[ " ${projects[*]} " == *" $p "* ]] && continue
    [[ -z "$only" || "$(basename "$p")" == *"$only"* ]] && rest+=("$p")
  done
  projects+=("${rest[@]}")
  log "running ${#projects[@]} test projects, ${PLATFORM_TEST_PARALLEL:-2} at a time ..."
  # Each fuzz suite appends one line (requests, seed, answers by status, failures); printed before the summary.
  export PLATFORM_FUZZ_REPORT="$results/fuzz.txt"
  export results CONFIGURATION
  printf '%s\n' "${projects[@]}" | xargs -P "${PLATFORM_TEST_PARALLEL:-2}" -I{} bash -c 'run_test_project "$@"' _ {}

  summarize_trx "$results" "${projects[@]}"
}

run_test_project() {
  local proj=$1 name; name=$(basename "$proj" .csproj)
  local started=$SECONDS
  dotnet test "$proj" -c "$CONFIGURATION" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000 >"$results/$name.log" 2>&1 || true
  grep -E '^\s+(Failed|Skipped) ' "$results/$name.log" | head -50 || true
  local counts; counts=$(grep -E '^\s+(Passed|Failed|Skipped): ' "$results/$name.log" | tr -s ' ' | tr '\n' ' ')
  echo "$name:${counts:- no result} ($((SECONDS - started))s)"
}
export -f run_test_project

# A loopback port nobody listens on (bash's /dev/tcp: no python or netcat needed).
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Sums the TRX counters of every project. A project that produced no TRX (crash, build error) counts as a failure.
summarize_trx() {
  local results=$1; shift
  local passed=0 failed=0 skipped=0 proj name trx counters outcome
  for proj in "$@"; do
    name=$(basename "$proj" .csproj)
    trx="$results/$name.trx"
    if [[ ! -f "$trx" ]]; then
      log "$name produced no results; log tail:"; tail -n 30 "$results/$name.log" >&2 || true
      failed=$((failed + 1))
      continue
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
    skipped=$((skipped + $(attr notExecuted)))
    # A run that was aborted (the session timeout, a crashed test host) lists only the tests that finished, all of
    # them passed: the counters alone would call it green. Its outcome says otherwise; it counts as one failure.
    outcome=$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | sed 's/.*outcome="\(.*\)"/\1/')
    if [[ "$outcome" != "Completed" && $(attr failed) -eq 0 ]]; then
      log "$name did not complete (outcome: ${outcome:-none}); log tail:"; tail -n 15 "$results/$name.log" >&2 || true
      failed=$((failed + 1))
    fi
    if [[ $(attr failed) -gt 0 ]]; then
      log "---- failures in $name ----"
      grep -B2 -A12 -E '^\s+Failed ' "$results/$name.log" | head -80 >&2 || true
    fi
  done
  if [[ -s "$results/fuzz.txt" ]]; then sort "$results/fuzz.txt"; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [[ $failed -eq 0 && $skipped -eq 0 ]]
}
