#!/usr/bin/env bash
# Soak test of POST /predict: the service (Release) on a local port serving $MODEL, wrk sending one real post per
# request for $DURATION, and the service's resident memory sampled every $EVERY seconds, to show it does not grow.
#
#   MODEL=stores/models/tagolym.model DURATION=600 bench/wrk/soak.sh
#
# Needs wrk (Debian: apt-get install wrk). Stops by itself after DURATION seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
: "${MODEL:?set MODEL to a model file}"
DURATION=${DURATION:-600}
EVERY=${EVERY:-30}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-5398}

. bench/wrk/service.sh

rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$service/status"; }
echo "ready; resident memory $(rss) MiB; wrk for ${DURATION}s, $THREADS threads, $CONNECTIONS connections"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/predict-one.lua "http://127.0.0.1:$PORT/predict" >"$work/wrk.txt" &
load=$!
for elapsed in $(seq "$EVERY" "$EVERY" "$DURATION"); do
  sleep "$EVERY"
  echo "after ${elapsed}s: resident memory $(rss) MiB"
done
wait $load
cat "$work/wrk.txt"
