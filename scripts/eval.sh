#!/usr/bin/env bash
# Full accuracy evaluation on the labelled corpora in ../shared/data:
# PAN 2013 text alignment (parts 01-05), Clough-Stevenson, UPPC (Urdu), and a
# generated 20,000-article feed scored through scan and dedup.
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
uppc="$data/uppc-urdu-paraphrase/raw"
if [ -d "$uppc" ]; then
    python3 scripts/truth_uppc.py "$uppc" "$out"
else
    echo "eval.sh: no UPPC under '$uppc': skipping it" >&2
fi
cargo build --release --quiet
echo "== PAN 2013 text alignment (01 = negatives; 05 = the 238 annotated summary pairs)"
./target/release/reprint eval "$out"/0[1-5]-*.jsonl "$@"
echo
echo "== Clough-Stevenson short answers (cut/light/heavy = reuse, non = not)"
./target/release/reprint eval "$out/clough.jsonl" "$@"
if [ -f "$out/uppc.jsonl" ]; then
    echo
    echo "== UPPC Urdu paraphrase (P = reuse, NP = written independently on the same topic)"
    ./target/release/reprint eval "$out/uppc.jsonl" "$@"
fi
echo
echo "== The same labelled pairs cut to their first sentence (one sentence each: short paraphrases)"
python3 scripts/first_sentences.py "$out/clough.jsonl" "$out/clough-first"
./target/release/reprint eval "$out/clough-first/truth.jsonl" "$@"
if [ -f "$out/uppc.jsonl" ]; then
    python3 scripts/first_sentences.py "$out/uppc.jsonl" "$out/uppc-first"
    ./target/release/reprint eval "$out/uppc-first/truth.jsonl" "$@"
fi
echo
echo "== Generated feed, 20,000 articles (reprint synth, base: the enwiki extract when present)"
base=()
[ -d "$data/enwiki-extract-wikitasks/raw" ] && base=(--base "$data/enwiki-extract-wikitasks/raw")
# A truth written before `synth` listed each copy's paragraphs is made anew.
if [ ! -f "$out/synth20k.jsonl" ] || ! grep -q '"paragraphs"' "$out/synth20k.truth.jsonl" 2>/dev/null; then
    ./target/release/reprint synth -n 20000 "${base[@]}" -o "$out/synth20k.jsonl" --truth "$out/synth20k.truth.jsonl"
fi
./target/release/reprint eval "$out/synth20k.truth.jsonl" --feed "$out/synth20k.jsonl" -q
echo "-- the same feed with its dates ignored (direction from coverage alone)"
./target/release/reprint eval "$out/synth20k.truth.jsonl" --feed "$out/synth20k.jsonl" -q --date-field none
