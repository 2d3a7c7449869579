#!/usr/bin/env bash
# The service next to its floor, in one run: `wrk -t1 -c32`, one real post per request, against
#   1. the service, in Production (JSON request logs on, at Information, to a file; /metrics on), and
#   2. bench/EmptyEndpoint: ASP.NET Core reading the same body and answering a fixed JSON, nothing else,
# each warmed up first, then measured for $DURATION in alternation, $ROUNDS times; prints every round and the
# median ratios. With AGAINST_MODEL set, the second is the same service serving that model instead (e.g. the ensemble
# against the linear model). SCRIPT picks the request (default bench/wrk/predict-one.lua, one short post;
# bench/wrk/predict-batch.lua sends 32 short posts a request; bench/wrk/predict-real.lua sends whole posts of the data
# in turn, at their real lengths, from POSTS_FILE, by default 1,000 written by bench/wrk/real-posts.sh).
#
#   bench/wrk/compare.sh                                   # the model trained from the shipped sample
#   MODEL=stores/models/tagolym.model DURATION=30s bench/wrk/compare.sh
#   MODEL=ensemble.model AGAINST_MODEL=linear.model bench/wrk/compare.sh
#   MODEL=ensemble.model AGAINST_MODEL=linear.model SCRIPT=bench/wrk/predict-batch.lua bench/wrk/compare.sh
#   MODEL=ensemble.model AGAINST_MODEL=linear.model SCRIPT=bench/wrk/predict-real.lua bench/wrk/compare.sh
#
# Needs wrk (Debian: apt-get install wrk). Run it on a machine as quiet as you can get.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
SCRIPT=${SCRIPT:-bench/wrk/predict-one.lua}
[ -f "$SCRIPT" ] || { echo "no such wrk script: $SCRIPT" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
EMPTY_PORT=$(free_port)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$(basename "$SCRIPT")" = predict-real.lua ] && [ -z "${POSTS_FILE:-}" ]; then
  POSTS_FILE=$work/real-posts.txt
  bench/wrk/real-posts.sh "$POSTS_FILE"
fi
export POSTS_FILE=${POSTS_FILE:-}

dotnet build src/TagOlym.Web -c Release -v q -nologo >/dev/null
dotnet build bench/EmptyEndpoint -c Release -v q -nologo >/dev/null
if [ -z "${MODEL:-}" ]; then
  # the service trains no model outside Development: make one from the shipped sample
  MODEL=$work/tagolym.model
  dotnet run -c Release --project src/TagOlym.Cli -- train --data data/mse-sample.jsonl.gz --args config/args_best.json \
    --no-track --quiet --model-out "$MODEL" >/dev/null
fi
# the service as deployed: Production, request logging at its shipped level (Information), metrics on
serve() { # model port name
  ASPNETCORE_ENVIRONMENT=Production Model__Path="$(realpath -m "$1")" Model__PollInterval=00:00:00 \
    Feedback__ConnectionString="Data Source=$work/$3-feedback.db" \
    dotnet src/TagOlym.Web/bin/Release/net10.0/TagOlym.Web.dll --urls "http://127.0.0.1:$2" >"$work/$3.log" 2>&1 &
}
serve "$MODEL" "$PORT" service
service=$!
if [ -n "${AGAINST_MODEL:-}" ]; then
  serve "$AGAINST_MODEL" "$EMPTY_PORT" empty
  floor="the service serving $AGAINST_MODEL"
  second=against
else
  ASPNETCORE_ENVIRONMENT=Production dotnet bench/EmptyEndpoint/bin/Release/net10.0/EmptyEndpoint.dll --urls "http://127.0.0.1:$EMPTY_PORT" \
    >"$work/empty.log" 2>&1 &
  floor="the empty endpoint"
  second=empty
fi
empty=$!
second_ready() { # the empty endpoint answers any body; a service, once its model is ready
  if [ "$second" = against ]; then curl -sf "http://127.0.0.1:$EMPTY_PORT/health/ready" >/dev/null
  else curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$EMPTY_PORT/predict"; fi
}
trap 'kill $service $empty 2>/dev/null; wait $service $empty 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && second_ready && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "the service did not become ready:" >&2; cat "$work/service.log" >&2; exit 1; }

# the two are measured in alternation, ROUNDS times, so that a neighbour's load falls on both alike; each round's
# ratio and the median of the rounds are reported
measure() { # name url round -> wrk output in $work/name-round.txt
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" "$2" >"$work/$1-$3.txt"
  grep -q "unexpected status" "$work/$1-$3.txt" && { echo "$1 answered something else than 200:" >&2; cat "$work/$1-$3.txt" >&2; exit 1; }
  return 0
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$work/$1.txt"; }
p99() { # in ms, whatever unit wrk printed
  awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; print v }' "$work/$1.txt"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$SCRIPT" "http://127.0.0.1:$PORT/predict" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$SCRIPT" "http://127.0.0.1:$EMPTY_PORT/predict" >/dev/null
echo "wrk -t1 -c$CONNECTIONS -d$DURATION, $(basename "$SCRIPT"), $ROUNDS rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n| round | service requests/s | service p99 | %s requests/s | %s p99 | requests/s ratio | p99 ratio |\n|---|---|---|---|---|---|---|\n' "$second" "$second"
for round in $(seq 1 "$ROUNDS"); do
  measure service "http://127.0.0.1:$PORT/predict" "$round"
  measure empty "http://127.0.0.1:$EMPTY_PORT/predict" "$round"
  printf '| %d | %.0f | %.2f ms | %.0f | %.2f ms | %.2fx | %.2fx |\n' "$round" \
    "$(rps service-$round)" "$(p99 service-$round)" "$(rps empty-$round)" "$(p99 empty-$round)" \
    "$(awk -v a="$(rps service-$round)" -v b="$(rps empty-$round)" 'BEGIN { print a / b }')" \
    "$(awk -v a="$(p99 service-$round)" -v b="$(p99 empty-$round)" 'BEGIN { print a / b }')"
done
ratio=$(for r in $(seq 1 "$ROUNDS"); do awk -v a="$(rps service-$r)" -v b="$(rps empty-$r)" 'BEGIN { print a / b }'; done | median)
p99ratio=$(for r in $(seq 1 "$ROUNDS"); do awk -v a="$(p99 service-$r)" -v b="$(p99 empty-$r)" 'BEGIN { print a / b }'; done | median)
printf '\nmedian of the rounds: %.2fx the requests/s of %s, %.2fx its p99\n' "$ratio" "$floor" "$p99ratio"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); request log lines the service wrote: $(grep -c '"RequestPath":"/predict"' "$work/service.log" || true)"
