#!/usr/bin/env bash
# The distributed path against the single-machine oracle: a generated feed
# is sketched, the candidate join runs on Spark (local[2]), and scan with
# --candidates must give byte for byte what it gives without it; then the
# alignment is planned once and split in shares (each shingles only its
# pairs' documents), and scan and dedup assembled from them must equal
# their single-machine output. (audit --candidates goes through the
# same code; tests/sketch.rs compares it on an emulated join.)
#
#   scripts/spark-conformance.sh [ARTICLES]     (default 20000)
#
# Needs Java 17+ and python3; PySpark is installed from PyPI into
# target/sparkenv on first use and reused after. Work files go to
# target/spark-conformance.
set -euo pipefail
cd "$(dirname "$0")/.."

articles="${1:-20000}"
shares=2
env_dir="$PWD/target/sparkenv"
work="$PWD/target/spark-conformance"

if ! command -v java >/dev/null 2>&1; then
    echo "spark-conformance: java is not installed (Spark needs Java 17 or later)" >&2
    exit 1
fi
if [ ! -x "$env_dir/bin/spark-submit" ]; then
    echo "spark-conformance: installing PySpark into $env_dir"
    python3 -m venv --clear "$env_dir"
    "$env_dir/bin/pip" install -q --disable-pip-version-check "pyspark>=4.0,<5"
fi
export PATH="$env_dir/bin:$PATH"
export PYSPARK_PYTHON="$env_dir/bin/python"

# REPRINT_BIN names a binary already built; otherwise the release binary
# is built.
if [ -n "${REPRINT_BIN:-}" ]; then
    reprint="$REPRINT_BIN"
else
    cargo build --release --locked --bin reprint
    reprint="$PWD/target/release/reprint"
fi

rm -rf "$work"
mkdir -p "$work/events"
feed="$work/feed.jsonl"
sketch="$work/sketch"

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f s", b - a }'; }

"$reprint" synth -n "$articles" -o "$feed" 2>/dev/null

# The oracle: the single-machine runs.
t=$(seconds)
"$reprint" scan -q -f json "$feed" >"$work/scan.json"
"$reprint" dedup -q "$feed" -o "$work/kept.jsonl" --clusters "$work/clusters.jsonl"
oracle=$(elapsed "$t")

t=$(seconds)
"$reprint" sketch -q "$feed" -o "$sketch"
sketched=$(elapsed "$t")

t=$(seconds)
spark-submit --master "local[2]" --conf spark.ui.enabled=false \
    --conf spark.driver.memory=2g --conf spark.sql.shuffle.partitions=4 \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false \
    --conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.dir="file://$work/events" \
    spark/candidates.py "$sketch" 2>"$work/spark.log" || {
    tail -40 "$work/spark.log" >&2
    exit 1
}
joined=$(elapsed "$t")

failed=0
same() {
    if cmp -s "$1" "$2"; then
        echo "  same: $3"
    else
        echo "  DIFFERENT: $3 ($1 vs $2)"
        failed=1
    fi
}

echo "spark-conformance: $articles generated articles, Spark local[2]"
t=$(seconds)
"$reprint" scan -q -f json "$feed" --candidates "$sketch" >"$work/scan.spark.json"
assembled=$(elapsed "$t")
same "$work/scan.json" "$work/scan.spark.json" "scan pairs and passages, aligned in one run"

t=$(seconds)
"$reprint" align -q "$feed" --candidates "$sketch" --plan
planned=$(elapsed "$t")
t=$(seconds)
for k in $(seq 1 "$shares"); do
    "$reprint" align -q "$feed" --candidates "$sketch" --part "$k/$shares"
done
aligned=$(elapsed "$t")
"$reprint" scan -q -f json "$feed" --candidates "$sketch" >"$work/scan.shares.json"
"$reprint" dedup -q "$feed" --candidates "$sketch" -o "$work/kept.shares.jsonl" \
    --clusters "$work/clusters.shares.jsonl"
same "$work/scan.json" "$work/scan.shares.json" "scan pairs and passages, from $shares aligned shares"
same "$work/kept.jsonl" "$work/kept.shares.jsonl" "dedup kept records, from the shares"
same "$work/clusters.jsonl" "$work/clusters.shares.jsonl" "dedup clusters, from the shares"

pairs=$(grep -o '"candidate_pairs": *[0-9]*' "$work/scan.json" | grep -o '[0-9]*$' || true)
echo "  candidate pairs: ${pairs:-?}; sketch: $(du -sh "$sketch/bands" | cut -f1) of bands"
# Shuffle written, from the task-end events of Spark's event log.
shuffled=$(find "$work/events" -type f -exec cat {} + | grep '"Event":"SparkListenerTaskEnd"' |
    grep -o '"Shuffle Bytes Written":[0-9]*' | awk -F: '{ s += $2 } END { printf "%.1f MB", s / 1e6 }')
echo "  Spark shuffle written: $shuffled; candidates: $(du -sh "$sketch/candidates" | cut -f1)"
echo "  single machine (scan + dedup): $oracle"
echo "  sketch: $sketched; Spark join (spark-submit, JVM start included): $joined"
echo "  scan aligning the join's candidates: $assembled"
echo "  alignment planned (verification, boilerplate, rewrites): $planned"
echo "  alignment in $shares shares: $aligned"
if [ "$failed" -ne 0 ]; then
    echo "spark-conformance: FAILED" >&2
    exit 1
fi
echo "spark-conformance: the distributed path equals the single-machine path"
