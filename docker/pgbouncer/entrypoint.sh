#!/bin/sh
# PgBouncer in transaction pooling in front of PostgreSQL: writes pgbouncer.ini and the
# user list from the environment, then runs pgbouncer in the foreground. Runs outside
# containers too (tests/test_ops_deploy.py starts it against this machine's PostgreSQL).
#
# Apps behind it must not use prepared statements: set DATABASE_PGBOUNCER=1 (models/db.py).
set -eu

: "${DB_HOST:=postgres}"
: "${DB_PORT:=5432}"
: "${DB_NAME:?DB_NAME is required}"
: "${DB_USER:?DB_USER is required}"
: "${DB_PASSWORD:?DB_PASSWORD is required}"
conf_dir=${PGBOUNCER_CONF_DIR:-/tmp/pgbouncer}

mkdir -p "$conf_dir"
umask 077
cat >"$conf_dir/pgbouncer.ini" <<INI
[databases]
${DB_NAME} = host=${DB_HOST} port=${DB_PORT} dbname=${DB_NAME}

[pgbouncer]
listen_addr = ${LISTEN_ADDR:-0.0.0.0}
listen_port = ${LISTEN_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${conf_dir}/userlist.txt
; A server connection serves one transaction, then goes back to the pool: a few dozen
; server connections carry hundreds of app threads.
pool_mode = transaction
max_client_conn = ${MAX_CLIENT_CONN:-1000}
default_pool_size = ${DEFAULT_POOL_SIZE:-20}
reserve_pool_size = ${RESERVE_POOL_SIZE:-5}
server_lifetime = 3600
log_connections = 0
log_disconnections = 0
INI
# userlist.txt: "user" "password", with any double quote doubled.
escaped=$(printf '%s' "$DB_PASSWORD" | sed 's/"/""/g')
printf '"%s" "%s"\n' "$DB_USER" "$escaped" >"$conf_dir/userlist.txt"

if [ "$(id -u)" = 0 ]; then
    # pgbouncer refuses to run as root; drop to an unprivileged user.
    chown -R "${PGBOUNCER_USER:-postgres}" "$conf_dir"
    exec pgbouncer -u "${PGBOUNCER_USER:-postgres}" "$conf_dir/pgbouncer.ini"
fi
exec pgbouncer "$conf_dir/pgbouncer.ini"
