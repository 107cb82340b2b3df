#!/usr/bin/env python3
"""Side-by-side: the same MinHash LSH job with datasketch, rensa and reprint.

The job: per-paragraph MinHash (128 permutations) of word 5-shingles, LSH at
threshold 0.5, every candidate pair of paragraphs from different documents,
reduced to document pairs.

  compare.py enwiki DIR OUT.jsonl      convert the WikiExtractor extract to a feed
                                       (articles of 200+ characters, one
                                       paragraph per line)
  compare.py datasketch FEED PAIRS     run the job with datasketch
  compare.py rensa FEED PAIRS          run the job with rensa
  compare.py rensa-count FEED PAIRS    the same loop counting candidates
                                       instead of collecting them (writes
                                       the count only)
  compare.py reprint-python FEED PAIRS the job in reprint's Python package
                                       (records read with json, then
                                       reprint.scan; aligned pairs)
  compare.py recall TRUTH PAIRS        share of truth (copy, source) pairs found
  compare.py reprint-pairs JSON PAIRS  document pairs of a `reprint scan` JSON report

PAIRS files hold one "id<TAB>id" line per document pair.
"""
import glob
import json
import os
import re
import sys

WORD = re.compile(r"\w+", re.UNICODE)


def enwiki(src, out):
    n = paras = 0
    with open(out, "w", encoding="utf-8") as f:
        for path in sorted(glob.glob(os.path.join(src, "**", "wiki_*"), recursive=True)):
            text = open(path, encoding="utf-8").read()
            for m in re.finditer(r'<doc id="(\d+)"[^>]*>\n(.*?)</doc>', text, re.S):
                lines = [l for l in m.group(2).split("\n")[1:] if l.strip()]
                body = "\n".join(lines)
                if len(body) < 200:
                    continue
                n += 1
                paras += len(lines)
                f.write(json.dumps({"id": m.group(1), "text": body}) + "\n")
    print(f"{out}: {n} articles, {paras} paragraphs", file=sys.stderr)


def paragraphs(feed):
    """(doc id, list of 5-shingles) for every paragraph with a shingle."""
    for line in open(feed, encoding="utf-8"):
        rec = json.loads(line)
        for para in re.split(r"\n\s*\n|\n", rec["text"]):
            words = WORD.findall(para.lower())
            if not words:
                continue
            if len(words) < 5:
                shingles = [" ".join(words)]
            else:
                shingles = [" ".join(words[i:i + 5]) for i in range(len(words) - 4)]
            yield rec["id"], shingles


def write_pairs(path, docs, candidates):
    pairs = set()
    for a, b in candidates:
        da, db = docs[a], docs[b]
        if da != db:
            pairs.add((min(da, db), max(da, db)))
    with open(path, "w") as f:
        for a, b in sorted(pairs):
            f.write(f"{a}\t{b}\n")
    print(f"{len(candidates)} candidate paragraph pairs, {len(pairs)} document pairs", file=sys.stderr)


def run_lsh_counting(feed, out, make_minhash, lsh):
    """The documented insert-and-query loop, counting candidate pairs
    rather than collecting them in a Python list."""
    sigs = []
    for _, shingles in paragraphs(feed):
        m = make_minhash(shingles)
        lsh.insert(len(sigs), m)
        sigs.append(m)
    count = sum(len(lsh.query(m)) for m in sigs)
    with open(out, "w") as f:
        f.write(f"# {count} candidate results\n")
    print(f"{count} candidate results (counted, not collected)", file=sys.stderr)


def run_lsh(feed, out, make_minhash, lsh):
    """Insert every paragraph's MinHash, then query each one: the loop both
    libraries document."""
    docs, sigs = [], []
    for doc, shingles in paragraphs(feed):
        m = make_minhash(shingles)
        key = len(docs)
        docs.append(doc)
        sigs.append(m)
        lsh.insert(key, m)
    candidates = []
    for key, m in enumerate(sigs):
        for other in lsh.query(m):
            if other > key:
                candidates.append((key, other))
    write_pairs(out, docs, candidates)


def run_datasketch(feed, out):
    from datasketch import MinHash, MinHashLSH

    def make(shingles):
        m = MinHash(num_perm=128, seed=42)
        m.update_batch([s.encode() for s in shingles])
        return m

    run_lsh(feed, out, make, MinHashLSH(threshold=0.5, num_perm=128))


def rensa_job():
    """rensa's MinHash constructor and LSH index for the job."""
    from rensa import RMinHash, RMinHashLSH

    def make(shingles):
        m = RMinHash(num_perm=128, seed=42)
        m.update(shingles)
        return m

    return make, RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)


def run_rensa(feed, out):
    run_lsh(feed, out, *rensa_job())


def run_rensa_count(feed, out):
    run_lsh_counting(feed, out, *rensa_job())


def run_reprint_python(feed, out):
    import reprint

    records = [json.loads(line) for line in open(feed, encoding="utf-8")]
    report = reprint.scan(records, matrix_limit=0)
    with open(out, "w") as f:
        for p in report.pairs:
            a, b = p.source, p.copy
            f.write(f"{min(a, b)}\t{max(a, b)}\n")


def reprint_pairs(report, out):
    data = json.load(open(report))
    with open(out, "w") as f:
        for p in data["pairs"]:
            a, b = p["source"], p["copy"]
            f.write(f"{min(a, b)}\t{max(a, b)}\n")


def recall(truth, pairs):
    found = set()
    for line in open(pairs):
        a, b = line.rstrip("\n").split("\t")
        found.add((a, b))
    total = hit = 0
    for line in open(truth):
        t = json.loads(line)
        total += 1
        a, b = t["copy"], t["source"]
        hit += (min(a, b), max(a, b)) in found
    print(f"{hit / total if total else 1.0:.4f}")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cmd, a, b = sys.argv[1:4]
    {"enwiki": enwiki, "datasketch": run_datasketch, "rensa": run_rensa,
     "rensa-count": run_rensa_count, "reprint-python": run_reprint_python,
     "recall": recall, "reprint-pairs": reprint_pairs}[cmd](a, b)
