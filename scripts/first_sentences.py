#!/usr/bin/env python3
"""Cuts every document of a labelled-pairs truth file down to its first
sentence, for the short-text evaluation: `first_sentences.py TRUTH OUT_DIR`
writes OUT_DIR/truth.jsonl and one file per document side."""
import json
import os
import re
import sys

ENDS = r"(?<=[.?!۔؟।。！？])\s*"


def main(truth, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.dirname(os.path.abspath(truth))
    with open(truth, encoding="utf-8") as f, open(
        os.path.join(out_dir, "truth.jsonl"), "w", encoding="utf-8"
    ) as out:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            pair = json.loads(line)
            for side in ("copy", "source"):
                path = pair[side]
                if not os.path.isabs(path):
                    path = os.path.join(base, path)
                with open(path, encoding="utf-8", errors="replace") as doc:
                    text = doc.read().strip()
                first = re.split(ENDS, text, maxsplit=1)[0]
                name = f"{i:05}_{side}.txt"
                with open(os.path.join(out_dir, name), "w", encoding="utf-8") as doc:
                    doc.write(first)
                pair[side] = name
            pair["group"] = pair.get("group", "pairs") + "-first-sentence"
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: first_sentences.py TRUTH.jsonl OUT_DIR")
    main(sys.argv[1], sys.argv[2])
