# Sourced by the wrk benchmarks: builds the service (Release), starts it on 127.0.0.1:$PORT serving $MODEL (default: a
# model trained from the shipped sample with the CLI) with
# polling off and request logging turned down, stops it on exit, and waits until it is ready. Sets $service (its
# process id) and $work (a scratch folder, removed on exit).
work=$(mktemp -d)
dotnet build src/TagOlym.Web -c Release -v q -nologo >/dev/null
if [ -z "${MODEL:-}" ]; then
  # a Production service trains no model: make one from the shipped sample, as a train job would
  MODEL=$work/tagolym.model
  dotnet run -c Release --project src/TagOlym.Cli -- train --data data/mse-sample.jsonl.gz --args config/args_best.json \
    --no-track --quiet --model-out "$MODEL" >/dev/null
fi
ASPNETCORE_ENVIRONMENT=Production Model__Path="$(realpath -m "$MODEL")" Model__PollInterval=00:00:00 \
  Serilog__MinimumLevel__Default=Warning \
  dotnet src/TagOlym.Web/bin/Release/net10.0/TagOlym.Web.dll --urls "http://127.0.0.1:$PORT" >"$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "the service did not become ready:" >&2; cat "$work/service.log" >&2; exit 1; }
