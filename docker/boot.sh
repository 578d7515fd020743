#!/bin/sh
# Entry point of the app and worker images, and usable as is outside containers:
#   docker/boot.sh gunicorn --config docker/gunicorn.conf.py 'app:create_app()'
# Waits for the database (bounded retries), applies migrations, then replaces itself with
# the command, so that the command is PID 1 in a container and receives its signals.
#
#   BOOT_DB_ATTEMPTS (30) and BOOT_DB_INTERVAL (2 s): how long to wait for the database.
#   BOOT_MIGRATE (1): 0 skips `flask db upgrade` (the worker: the app container migrates).
#   FLASK (flask): the flask executable, for a virtualenv not on PATH.
set -eu

if [ $# -eq 0 ]; then
    echo "usage: docker/boot.sh COMMAND [ARG...]" >&2
    exit 64
fi
cd "$(dirname "$0")/.."
flask=${FLASK:-flask}

"$flask" --app app wait-for-db \
    --attempts "${BOOT_DB_ATTEMPTS:-30}" --interval "${BOOT_DB_INTERVAL:-2}"
if [ "${BOOT_MIGRATE:-1}" = 1 ]; then
    echo "boot: applying database migrations" >&2
    "$flask" --app app db upgrade
fi
exec "$@"
