# What keeps ./platform up --detach running, sourced by lib.sh.

# --- Supervision -------------------------------------------------------------------------------

declare -gA STARTERS=()   # component → pid of its restart under way (a subshell)

# What stops the supervisor (down's SIGTERM, Ctrl-C in the foreground) stops its restarts under way first, with what
# they started, so none starts a component after down has stopped them all.
stop_starters() {
  local pid tree=()
  for pid in "${STARTERS[@]}"; do kill -0 "$pid" 2>/dev/null && tree+=($(descendants "$pid") "$pid"); done
  [[ ${#tree[@]} -eq 0 ]] || kill "${tree[@]}" 2>/dev/null || true
}

# Every process below a pid (children found by their parent pid in /proc/<pid>/stat).
descendants() {
  local f s rest child
  for f in /proc/[0-9]*/stat; do
    read -r s <"$f" 2>/dev/null || continue
    rest=${s##*) }; rest=${rest#* }
    [[ ${rest%% *} == "$1" ]] || continue
    child=${f#/proc/}; child=${child%/stat}
    echo "$child"; descendants "$child"
  done
}

# What Kubernetes' restart policy or systemd's Restart=always do for the real deployment: a component (or Postgres)
# whose process died is started again with the configuration up gave it, with back-off (1 s doubling to 30 s, reset
# once it ran a minute). Runs between up and down: in the foreground of `up`, or as the supervisor process of
# `up --detach`. The dev broker and dockerd are not restarted: a new mock cluster would have new addresses and no
# data, so their loss is reported instead.
#
# Each restart runs beside the loop (a component waits up to a minute for its health, Postgres for its recovery), so
# one slow start never holds back another: the apiserver waiting on a Postgres that died with it must not keep
# Postgres from being started again. A start still under way is not begun a second time.
#
# The loop starts no process while everything runs (it used to spend a third of a core on cat, sed and sleep): the
# component list is read again every 10 s, pid files with read, and the wait is a read timeout on a pipe.
supervise_components() {
  declare -A next_try=() delay=() started=() names=()
  local reported=" " listed=-10 targets=() conf name tick
  exec {tick}<> <(:)
  while true; do
    local now=$SECONDS
    if (( now - listed >= 10 )); then
      targets=(postgres) listed=$now
      for conf in $(component_confs); do targets+=("$conf"); names[$conf]=$(component_name "$conf"); done
    fi
    for conf in "${targets[@]}"; do
      if [[ $conf == postgres ]]; then
        name=postgres
        postgres_alive && continue
      else
        name=${names[$conf]}
        pid_alive "$STATE/pids/$name.pid" && { [[ -n "${started[$name]:-}" && $((now - ${started[$name]})) -ge 60 ]] && delay[$name]=1; continue; }
        [[ -f "$STATE/pids/$name.pid" ]] || continue   # stopped on purpose (down), not crashed
      fi
      [[ $now -ge ${next_try[$name]:-0} ]] || continue
      [[ -n "${STARTERS[$name]:-}" ]] && kill -0 "${STARTERS[$name]}" 2>/dev/null && continue
      log "$(date -u +%FT%TZ) $name is not running; starting it again"
      [[ $name != postgres ]] && { tail -n 5 "$STATE/logs/$name.log" >&2 2>/dev/null || true; }
      if [[ $name == postgres ]]; then
        ( start_postgres "$STATE/postgres" "$PG_PORT" || log "postgres did not start; retrying" ) &
      else
        ( start_component "$conf" || log "$name did not start; retrying" ) &
      fi
      STARTERS[$name]=$!
      started[$name]=$SECONDS
      delay[$name]=$(( ${delay[$name]:-1} * 2 > 30 ? 30 : ${delay[$name]:-1} * 2 ))
      next_try[$name]=$((SECONDS + ${delay[$name]}))
    done
    for name in kafka dockerd; do
      if [[ -f "$STATE/pids/$name.pid" ]] && ! pid_alive "$STATE/pids/$name.pid" && [[ "$reported" != *" $name "* ]]; then
        log "$name exited and is not restarted (./platform down, then up); last log lines:"; tail -n 10 "$STATE/logs/$name.log" >&2 || true
        reported+="$name "
      fi
    done
    read -rt 1 -u "$tick" || true
  done
}

# The postmaster of up's Postgres, judged by its pid (pg_ctl status takes a zombie for a running server).
postgres_alive() { local pid=""; read -r pid <"$STATE/postgres/data/postmaster.pid" 2>/dev/null; pid_running "$pid"; }
