"""reprint's candidate join on Apache DataFusion, on one machine.

    python spark/candidates_datafusion.py SKETCH_DIR

The same join as candidates.py runs on Spark (the SQL in candidates.sql,
unchanged), for sketches that fit one machine's disk but where a Spark
installation is not at hand: `pip install datafusion`. Writes
`candidates/` and `lsh_stats/` (Parquet) into the sketch directory.
"""

import json
import os
import shutil
import sys

from datafusion import SessionContext

FORMAT = "reprint-sketch/2"


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python candidates_datafusion.py SKETCH_DIR")
    sketch = argv[1].rstrip("/")
    with open(os.path.join(sketch, "sketch.json")) as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT:
        sys.exit(f"{sketch}: not a sketch of format {FORMAT}")
    cap = max(2, int(manifest["params"]["--bucket-cap"]))
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "candidates.sql")) as f:
        candidates_sql, crowded_sql = f.read().format(bucket_cap=cap).split("-- next")
    ctx = SessionContext()
    ctx.register_parquet("bands", os.path.join(sketch, "bands") + "/")
    for name, sql in (("candidates", candidates_sql), ("lsh_stats", crowded_sql)):
        out = os.path.join(sketch, name)
        shutil.rmtree(out, ignore_errors=True)
        # Snappy, as Spark writes by default: reprint reads snappy or
        # uncompressed Parquet.
        ctx.sql(sql).write_parquet(out, compression="snappy")


if __name__ == "__main__":
    main(sys.argv)
