# The local Postgres of ./platform up and ./platform test, sourced by lib.sh (ROOT, STATE, PG_BIN, PG_PORT set).

# --- Postgres ----------------------------------------------------------------------------------

# The platform's Postgres authenticates every TCP connection with SCRAM: the components log in as their own roles
# (ensure_database_roles), and the superuser `postgres` has no password, so it can only connect over the Unix socket
# in $dir as the OS user postgres. A pod, which shares the host's loopback, cannot become the superuser. AUTH=trust
# (the test run's throwaway server) keeps trust authentication.
start_postgres() {
  local dir=$1 port=$2 auth=${3:-scram-sha-256}
  mkdir -p "$dir"
  chown postgres "$dir" 2>/dev/null || true
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    log "initializing Postgres data in $dir/data ..."
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" --auth-local=peer --auth-host="$auth" -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
  fi
  write_pg_hba "$dir/data/pg_hba.conf" "$auth"
  if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    # A postmaster killed a moment ago may still be a zombie, which pg_ctl takes for a running server.
    local pid; pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
    if pid_running "$pid"; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" reload >/dev/null; return 0; fi
    local i; for i in $(seq 1 50); do [[ -e "/proc/$pid" ]] || break; sleep 0.1; done
  fi
  rm -f "$dir/data/postmaster.pid"
  # The socket's lock file names the dead postmaster too, and Postgres refuses to start while that pid answers
  # kill -0, which a zombie does: it is removed when its pid is no running process.
  local lock="$dir/.s.PGSQL.$port.lock" owner=""
  [[ -f "$lock" ]] && { read -r owner <"$lock" || true; } && ! pid_running "$owner" && rm -f "$lock"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c wal_level=logical -c max_replication_slots=20 -c max_wal_senders=20 -c fsync=${PLATFORM_PG_FSYNC:-on} -c password_encryption=scram-sha-256" start >/dev/null
}

# pg_hba.conf as the platform wants it, written at every start: a data folder made by an older version (trust for
# everyone) is tightened the next time it starts.
write_pg_hba() {
  local file=$1 auth=$2 wanted
  wanted=$(printf '%s\n' "# Written by ./platform at every start (deploy/local/postgres.sh: write_pg_hba)." \
    "local all postgres peer" "local all all $auth" "host all all 127.0.0.1/32 $auth" "host all all ::1/128 $auth")
  [[ "$(cat "$file" 2>/dev/null)" == "$wanted" ]] && return 0
  printf '%s\n' "$wanted" >"$file"
  chown postgres "$file"; chmod 600 "$file"
}

stop_postgres() {
  local dir=$1
  [[ -f "$dir/data/PG_VERSION" ]] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# psql as the superuser, over the Unix socket (the only way the superuser can log in).
# The superuser over the socket, whatever PG* variables the caller's shell holds (an `eval "$(./platform env)"` sets
# PGUSER and PGPASSWORD to the services' role).
psql_super() { env -u PGUSER -u PGPASSWORD -u PGDATABASE -u PGHOST -u PGPORT runuser -u postgres -- "$PG_BIN/psql" -U postgres -h "$STATE/postgres" -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }

# The database `platform` and a login role per component that uses it, with what it needs and nothing more:
# platform_apiserver owns the database (its migrations create the tables; the outbox relay runs in its process);
# platform_scheduler may only connect (its leader lease is an advisory lock, which needs no grant). Nobody else may
# connect. Passwords are in .platform/credentials. Idempotent, and it moves the objects of a database created by an
# older version (owned by postgres) to platform_apiserver.
ensure_database_roles() {
  local db=platform
  psql_super -d postgres <<SQL >/dev/null
SET log_min_error_statement = panic;  -- a failed statement is not logged, so no password reaches postgres.log
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['platform_apiserver','platform_scheduler']) r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \\gexec
ALTER ROLE platform_apiserver LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$PLATFORM_PG_APISERVER_PASSWORD';
ALTER ROLE platform_scheduler LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$PLATFORM_PG_SCHEDULER_PASSWORD';
SELECT 'CREATE DATABASE $db OWNER platform_apiserver' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \\gexec
ALTER DATABASE $db OWNER TO platform_apiserver;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT ON DATABASE $db TO platform_scheduler;
SQL
  psql_super -d "$db" <<'SQL' >/dev/null
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('ALTER SCHEMA %I OWNER TO platform_apiserver', nspname) FROM pg_namespace
 WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' AND nspowner = 'postgres'::regrole \gexec
SELECT format('ALTER TABLE %s OWNER TO platform_apiserver', c.oid::regclass) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r','p','v','m') AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND c.relowner = 'postgres'::regrole \gexec
SELECT format('ALTER SEQUENCE %s OWNER TO platform_apiserver', c.oid::regclass) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND n.nspname NOT LIKE 'pg\_%' AND c.relowner = 'postgres'::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a','i')) \gexec
SELECT format('ALTER FUNCTION %s OWNER TO platform_apiserver', p.oid::regprocedure) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND p.proowner = 'postgres'::regrole \gexec
SQL
}
