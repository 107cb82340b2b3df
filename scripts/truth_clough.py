#!/usr/bin/env python3
"""Convert the Clough & Stevenson short-answer corpus into a reprint truth file.

Usage: truth_clough.py CORPUS_DIR OUT_FILE

CORPUS_DIR holds file_list.csv and extracted/corpus-20090418/. Each answer is
paired with the Wikipedia source of its task; cut, light and heavy answers are
reuse, non answers are not; the category is kept for the per-category means.
"""
import csv
import json
import os
import sys


def main(corpus, out_file):
    corpus = os.path.abspath(corpus)
    texts = os.path.join(corpus, "extracted", "corpus-20090418")
    rows = []
    with open(os.path.join(corpus, "file_list.csv"), encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            name, task, cat = rec["File"].strip(), rec["Task"].strip(), rec["Category"].strip()
            if not name or cat == "orig":
                continue
            rows.append({
                "copy": os.path.join(texts, name),
                "source": os.path.join(texts, f"orig_task{task}.txt"),
                "label": cat != "non",
                "group": "clough-stevenson",
                "category": cat,
            })
    os.makedirs(os.path.dirname(os.path.abspath(out_file)), exist_ok=True)
    with open(out_file, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    print(f"{out_file}: {len(rows)} pairs", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
