#!/bin/bash
# First start of the compose file's Postgres (run by the postgres image's entrypoint from /docker-entrypoint-initdb.d):
# the platform's roles as ./platform up makes them (deploy/local/lib.sh, ensure_database_roles). platform_apiserver
# owns the database platform; platform_scheduler may only connect (its leader lease is an advisory lock).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v apiserver_password="$PLATFORM_PG_APISERVER_PASSWORD" -v scheduler_password="$PLATFORM_PG_SCHEDULER_PASSWORD" <<'SQL'
CREATE ROLE platform_apiserver LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'apiserver_password';
CREATE ROLE platform_scheduler LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'scheduler_password';
CREATE DATABASE platform OWNER platform_apiserver;
REVOKE ALL ON DATABASE platform FROM PUBLIC;
GRANT CONNECT ON DATABASE platform TO platform_scheduler;
\connect platform
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO platform_apiserver;
SQL
