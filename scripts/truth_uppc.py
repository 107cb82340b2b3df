#!/usr/bin/env python3
"""Convert UPPC (Urdu Paraphrase Plagiarism Corpus) into a reprint truth file.

Usage: truth_uppc.py CORPUS_DIR OUT_DIR

CORPUS_DIR is the folder holding "UPPC Corpus/". Each document's text (the
content of its <UPPC_document> element, XML entities decoded) is written to
OUT_DIR/uppc/NAME.txt, and OUT_DIR/uppc.jsonl pairs each derived document
with its source: label true for paraphrased (P), false for written
independently on the same topic (NP). No spans: document labels only.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def main(corpus, out_dir):
    root = os.path.join(os.path.abspath(corpus), "UPPC Corpus")
    data = os.path.join(root, "data")
    docs = os.path.join(os.path.abspath(out_dir), "uppc")
    os.makedirs(docs, exist_ok=True)
    for name in sorted(os.listdir(data)):
        if not name.endswith(".xml"):
            continue
        text = ET.parse(os.path.join(data, name)).getroot().text or ""
        with open(os.path.join(docs, name[:-4] + ".txt"), "w", encoding="utf-8") as f:
            f.write(text.strip() + "\n")
    rows = []
    with open(os.path.join(root, "all_files.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            source, derived, label = [x.strip() for x in line.split(",")]
            rows.append({
                "copy": os.path.join(docs, derived[:-4] + ".txt"),
                "source": os.path.join(docs, source[:-4] + ".txt"),
                "label": label == "P",
                "group": "uppc-urdu",
            })
    out_file = os.path.join(os.path.abspath(out_dir), "uppc.jsonl")
    with open(out_file, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{out_file}: {len(rows)} pairs", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
