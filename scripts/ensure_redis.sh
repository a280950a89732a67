#!/usr/bin/env bash
# Make sure a Redis server answers on HOST:PORT for the tests of the jobs on
# Redis (tests/jobs/, tests/system/test_scale_out.py, docs/operations.md).
#
#     scripts/ensure_redis.sh [HOST] [PORT] [DATADIR]
#
# The machine's own server is used when it answers. Otherwise Debian's
# redis-server package is installed when missing and a throwaway server
# (loopback only, no persistence) is started on HOST:PORT, its files in
# DATADIR. Nothing else is touched.
set -euo pipefail

HOST=${1:-127.0.0.1}
PORT=${2:-6379}
DATADIR=${3:-/tmp/eservices-redistest-$PORT}

answers() {
  command -v redis-cli >/dev/null 2>&1 \
    && [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" = PONG ]
}

if answers; then
  echo "Redis answers on $HOST:$PORT"
  exit 0
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Debian's redis-server package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
mkdir -p "$DATADIR"
echo "Starting a throwaway Redis on $HOST:$PORT ($DATADIR)"
redis-server --bind "$HOST" --port "$PORT" --dir "$DATADIR" --save "" \
  --appendonly no --daemonize yes --logfile "$DATADIR/redis.log" \
  --pidfile "$DATADIR/redis.pid"
for _ in $(seq 30); do
  answers && { echo "Redis answers on $HOST:$PORT"; exit 0; }
  sleep 1
done
echo "Redis did not start: see $DATADIR/redis.log" >&2
exit 1
