# What keeps ./platform up --detach running, sourced by lib.sh.

# --- Supervision -------------------------------------------------------------------------------

# What Kubernetes' restart policy or systemd's Restart=always do for the real deployment: a component (or Postgres)
# whose process died is started again with the configuration up gave it, with back-off (1 s doubling to 30 s, reset
# once it ran a minute). Runs between up and down: in the foreground of `up`, or as the supervisor process of
# `up --detach`. The dev broker and dockerd are not restarted: a new mock cluster would have new addresses and no
# data, so their loss is reported instead.
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
      log "$(date -u +%FT%TZ) $name is not running; starting it again"
      [[ $name != postgres ]] && { tail -n 5 "$STATE/logs/$name.log" >&2 2>/dev/null || true; }
      if [[ $name == postgres ]]; then
        ( start_postgres "$STATE/postgres" "$PG_PORT" ) || log "postgres did not start; retrying"
      else
        ( start_component "$conf" ) || log "$name did not start; retrying"
      fi
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
