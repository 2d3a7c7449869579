#!/usr/bin/env bash
# Load benchmark of POST /predict with wrk: builds the service (Release), starts it on a free local port with the
# model at $MODEL (default: one trained from data/mse-sample.jsonl.gz with the CLI),
# waits until it is ready, runs wrk for single posts and for batches of 32, and stops the service.
#
#   bench/wrk/run.sh                          # the sample model
#   MODEL=stores/models/tagolym.model DURATION=30s CONNECTIONS=32 bench/wrk/run.sh
#
# Needs wrk (Debian: apt-get install wrk). Figures depend on the machine: read them as orders of magnitude.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-5399}

. bench/wrk/service.sh
curl -s "http://127.0.0.1:$PORT/model" | head -c 200; echo

echo "== one post per request: $THREADS threads, $CONNECTIONS connections, $DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/predict-one.lua "http://127.0.0.1:$PORT/predict"
echo "== 32 posts per request: $THREADS threads, $CONNECTIONS connections, $DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/predict-batch.lua "http://127.0.0.1:$PORT/predict"
