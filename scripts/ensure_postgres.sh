#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on HOST:PORT for the scale-out tests
# (tests/system/test_scale_out.py, docs/deployment.md).
#
#     scripts/ensure_postgres.sh [HOST] [PORT] [DATADIR]
#
# The machine's own server is used when it answers. Otherwise Debian's
# PostgreSQL packages are installed when missing and a throwaway cluster
# (trust authentication, loopback only, superuser "postgres") is created in
# DATADIR and started on HOST:PORT. Nothing else is touched.
set -euo pipefail

HOST=${1:-127.0.0.1}
PORT=${2:-5432}
DATADIR=${3:-/tmp/eservices-pgtest-$PORT}

answers() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$HOST" -p "$PORT"
}

if answers; then
  echo "PostgreSQL answers on $HOST:$PORT"
  exit 0
fi

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(bindir)" ]; then
  echo "Installing Debian's PostgreSQL packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
fi
BIN=$(bindir)
RUN_AS=(runuser -u postgres --)
[ "$(id -u)" = 0 ] || RUN_AS=()

if [ ! -f "$DATADIR/PG_VERSION" ]; then
  echo "Creating a throwaway PostgreSQL cluster in $DATADIR"
  mkdir -p "$DATADIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DATADIR"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DATADIR" -U postgres -A trust -E UTF8 >/dev/null
fi
echo "Starting PostgreSQL on $HOST:$PORT ($DATADIR)"
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATADIR" -l "$DATADIR/server.log" -w -t 60 \
  -o "-h $HOST -p $PORT -k $DATADIR" start >/dev/null
for _ in $(seq 60); do
  answers && { echo "PostgreSQL answers on $HOST:$PORT"; exit 0; }
  sleep 1
done
echo "PostgreSQL did not start: see $DATADIR/server.log" >&2
exit 1
