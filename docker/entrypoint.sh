#!/bin/sh
# Container start: bring the database schema up to date, then become the server.
#
# Migrations are retried a bounded number of times (the database may still be
# starting, or another replica may be migrating at the same moment); if they
# still fail the script exits non-zero and the container stops instead of
# serving on a wrong schema. The server is exec'ed so it receives SIGTERM.
#
#   DB_WAIT_ATTEMPTS  migration attempts before giving up (default 30)
#   DB_WAIT_SECONDS   pause between attempts (default 2)
#   SKIP_MIGRATIONS=1 start without migrating (a release job migrated already)
#   SERVE_COMMAND     what to run instead of `python app.py serve`
#   arguments         run them instead, after migrating, e.g. `python app.py digest run`
set -eu
set -f  # SERVE_COMMAND is split into words, never glob-expanded

cd "${APP_DIR:-/app}"
PYTHON=${PYTHON:-python}
attempts=${DB_WAIT_ATTEMPTS:-30}
pause=${DB_WAIT_SECONDS:-2}

if [ "${SKIP_MIGRATIONS:-0}" != "1" ]; then
  n=1
  until "$PYTHON" app.py db upgrade; do
    if [ "$n" -ge "$attempts" ]; then
      echo "entrypoint: database migration failed after $n attempt(s); not starting" >&2
      exit 1
    fi
    echo "entrypoint: migration attempt $n failed; retrying in ${pause}s" >&2
    n=$((n + 1))
    sleep "$pause"
  done
fi

if [ "$#" -gt 0 ]; then
  exec "$@"
fi
# shellcheck disable=SC2086  # word splitting of SERVE_COMMAND is intended
exec ${SERVE_COMMAND:-"$PYTHON" app.py serve}
