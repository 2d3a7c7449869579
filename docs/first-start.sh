#!/usr/bin/env bash
# The first start a new user has: a fresh clone of this repository, an empty NuGet cache, then the service.
# Prints the seconds spent restoring, building, starting, and until /health/ready answers 200
# (the first model is trained on the shipped sample meanwhile). Usage: docs/first-start.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q "$repo" "$work/TagOlym"
cd "$work/TagOlym"
export NUGET_PACKAGES=$work/nuget DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
port=$((20000 + RANDOM % 20000))
seconds() { date +%s.%N; }
t0=$(seconds)
dotnet restore src/TagOlym.Web >restore.log 2>&1
t1=$(seconds)
dotnet build src/TagOlym.Web --no-restore >build.log 2>&1
t2=$(seconds)
dotnet run --no-build --project src/TagOlym.Web --urls "http://127.0.0.1:$port" >run.log 2>&1 &
pid=$!
until grep -q "Application started" run.log; do sleep 0.2; done
t3=$(seconds)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do sleep 0.2; done
t4=$(seconds)
printf 'restore %.0f s (%s), build %.0f s, start %.0f s, ready %.0f s after start, %.0f s in all\n' \
  "$(echo "$t1 - $t0" | bc)" "$(du -sh "$NUGET_PACKAGES" | cut -f1)" "$(echo "$t2 - $t1" | bc)" \
  "$(echo "$t3 - $t2" | bc)" "$(echo "$t4 - $t2" | bc)" "$(echo "$t4 - $t0" | bc)"
