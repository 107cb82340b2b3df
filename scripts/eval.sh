#!/usr/bin/env bash
# Full accuracy evaluation on the labelled corpora in ../shared/data:
# PAN 2013 text alignment (parts 01-05) and Clough-Stevenson.
# Usage: scripts/eval.sh [DATA_DIR] [extra reprint eval options]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
shift || true
pan="$data/pan13-text-alignment-training/raw"
clough="$data/clough-stevenson-short-answer-plagiarism"
if [ ! -d "$pan" ] || [ ! -d "$clough" ]; then
    echo "eval.sh: the labelled corpora are not in '$data' (expected $pan and $clough); nothing to evaluate" >&2
    exit 2
fi
out=target/eval
mkdir -p "$out"
python3 scripts/truth_pan13.py "$pan" "$out"
python3 scripts/truth_clough.py "$clough" "$out/clough.jsonl"
cargo build --release --quiet
echo "== PAN 2013 text alignment (01 = negatives; 05 = the 238 annotated summary pairs)"
./target/release/reprint eval "$out"/0[1-5]-*.jsonl "$@"
echo
echo "== Clough-Stevenson short answers (cut/light/heavy = reuse, non = not)"
./target/release/reprint eval "$out/clough.jsonl" "$@"
