#!/usr/bin/env python3
"""Convert the PAN 2013 text-alignment training corpus into reprint truth files.

Usage: truth_pan13.py CORPUS_DIR OUT_DIR

Writes one JSON Lines truth file per part (01-no-plagiarism.jsonl, ...) with
absolute document paths. Part 02 uses `pairs_original` (the full 1,000-pair
list; its `pairs` file was cut to one line). Part 05 keeps only the pairs
whose XML carries plagiarism annotations (238 in this copy). Offsets are
PAN's character offsets, written as [start, end).
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

PARTS = [
    "01-no-plagiarism",
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
]


def main(corpus, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    corpus = os.path.abspath(corpus)
    for part in PARTS:
        pdir = os.path.join(corpus, part)
        pairs_file = os.path.join(pdir, "pairs_original")
        if not os.path.exists(pairs_file):
            pairs_file = os.path.join(pdir, "pairs")
        rows = []
        with open(pairs_file, encoding="utf-8") as f:
            pairs = [line.split() for line in f if line.strip()]
        for susp, src in pairs:
            xml_path = os.path.join(pdir, f"{susp[:-4]}-{src[:-4]}.xml")
            spans = []
            if os.path.exists(xml_path):
                for feat in ET.parse(xml_path).getroot().iter("feature"):
                    if feat.get("name") != "plagiarism" or feat.get("this_offset") is None:
                        continue
                    t0, tl = int(feat.get("this_offset")), int(feat.get("this_length"))
                    s0, sl = int(feat.get("source_offset")), int(feat.get("source_length"))
                    spans.append({"copy": [t0, t0 + tl], "source": [s0, s0 + sl]})
            positive = part != "01-no-plagiarism"
            if positive and not spans:
                continue  # unannotated summary pair
            rows.append({
                "copy": os.path.join(corpus, "susp", susp),
                "source": os.path.join(corpus, "src", src),
                "label": positive,
                "group": part,
                "spans": spans,
            })
        out = os.path.join(out_dir, part + ".jsonl")
        with open(out, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        print(f"{out}: {len(rows)} pairs", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
