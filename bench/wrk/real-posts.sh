#!/usr/bin/env bash
# Writes COUNT (default 1000) request bodies for bench/wrk/predict-real.lua, one per line, to the file given as the
# first argument: every N-th post of the data file DATA (default ../shared/data/mse-questions.jsonl.gz), whole, so the
# requests have the corpus's own spread of lengths.
set -euo pipefail
out=${1:?usage: real-posts.sh OUT_FILE}
DATA=${DATA:-$(dirname "$0")/../../../shared/data/mse-questions.jsonl.gz}
COUNT=${COUNT:-1000}
[ -f "$DATA" ] || { echo "no such data file: $DATA" >&2; exit 2; }
python3 - "$DATA" "$COUNT" "$out" <<'PY'
import gzip, json, sys
data, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with gzip.open(data, "rt", encoding="utf-8") as f:
    posts = [json.loads(line)["post_canonical"] for line in f if line.strip()]
step = max(1, len(posts) // count)
with open(out, "w", encoding="utf-8") as f:
    for text in posts[::step][:count]:
        f.write(json.dumps({"texts": [{"text": text}]}, ensure_ascii=False) + "\n")
PY
