#!/usr/bin/env bash
# Runs the same MinHash LSH job with datasketch, rensa and reprint on
# (a) the enwiki extract as a feed and (b) a generated feed with truth, and
# prints wall time, peak RSS and recall for each: the median of RUNS runs
# (each run's figures go to target/compare/runs.tsv).
# Usage: benches/compare/run.sh [ARTICLES_IN_GENERATED_FEED] [DATA_DIR] [RUNS]
# TOOLS (default "datasketch rensa rensa-count reprint reprint-python") and
# FEEDS (default "enwiki synth") choose what runs; reprint-python is the
# Python package, installed from ./python into the same environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
data=${2:-../shared/data}
runs=${3:-1}
work=target/compare
mkdir -p "$work"
: >"$work/runs.tsv"
tools=${TOOLS:-datasketch rensa rensa-count reprint reprint-python}
want_feeds=${FEEDS:-enwiki synth}
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet datasketch rensa "maturin>=1.5,<2"
fi
py="$work/venv/bin/python"
cargo build --release --quiet
if [[ " $tools " == *" reprint-python "* ]]; then
    PATH="$PWD/$work/venv/bin:$PATH" "$work/venv/bin/pip" install --quiet --no-build-isolation ./python
fi
bin=target/release/reprint

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() { # name, output pairs, command...
    local name=$1 pairs=$2; shift 2
    local times=() rss=()
    for ((r = 1; r <= runs; r++)); do
        /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" 2>"$work/$name.log" >/dev/null || true
        read -r secs kb < <(tail -n 1 "$work/time.txt")
        times+=("$secs")
        rss+=("$((kb / 1024))")
        printf "%s\t%s\t%s\t%s\t%s\n" "$feed" "$name" "$r" "$secs" "$((kb / 1024))" >>"$work/runs.tsv"
    done
    printf "%-12s %8.2f s %8.0f MB" "$name" \
        "$(printf "%s\n" "${times[@]}" | median)" "$(printf "%s\n" "${rss[@]}" | median)"
}

feeds=()
if [[ " $want_feeds " != *" enwiki "* ]]; then
    :
elif [ -d "$data/enwiki-extract-wikitasks/raw" ]; then
    [ -f "$work/enwiki.jsonl" ] || $py benches/compare/compare.py enwiki "$data/enwiki-extract-wikitasks/raw" "$work/enwiki.jsonl"
    feeds+=(enwiki)
else
    echo "no enwiki extract under $data: skipping feed (a)" >&2
fi
base=()
[ -d "$data/enwiki-extract-wikitasks/raw" ] && base=(--base "$data/enwiki-extract-wikitasks/raw")
if [[ " $want_feeds " == *" synth "* ]]; then
    if [ ! -f "$work/synth$n.jsonl" ]; then
        $bin synth -n "$n" "${base[@]}" -o "$work/synth$n.jsonl" --truth "$work/synth$n.truth.jsonl"
    fi
    feeds+=("synth$n")
fi

for feed in "${feeds[@]}"; do
    f="$work/$feed.jsonl"
    echo "== $feed ($(wc -l < "$f") articles, $(du -m "$f" | cut -f1) MB; median of $runs run(s))"
    for tool in $tools; do
        out="$work/$feed.$tool.pairs"
        if [ "$tool" = reprint ]; then
            measure reprint "$out" $bin scan "$f" -f json -o "$work/$feed.reprint.json" --matrix-limit 0 -q
            $py benches/compare/compare.py reprint-pairs "$work/$feed.reprint.json" "$out"
        else
            measure "$tool" "$out" $py benches/compare/compare.py "$tool" "$f" "$out"
        fi
        pairs=$(wc -l < "$out" 2>/dev/null || echo 0)
        if [ -f "$work/$feed.truth.jsonl" ]; then
            printf " %8s doc pairs, recall %s\n" "$pairs" "$($py benches/compare/compare.py recall "$work/$feed.truth.jsonl" "$out")"
        else
            printf " %8s doc pairs\n" "$pairs"
        fi
    done
done
