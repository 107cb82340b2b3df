"""reprint's candidate join on Spark.

    spark-submit spark/candidates.py SKETCH_DIR

Reads the `bands` table of a sketch written by `reprint sketch`, runs the
join in candidates.sql (next to this file) with the sketch's bucket cap,
and writes `candidates/` and `lsh_stats/` (Parquet) into the sketch
directory. Then `reprint scan INPUTS
--candidates SKETCH_DIR` (or dedup, audit) aligns the pairs. SKETCH_DIR
may be any path Spark reads (local, HDFS, S3, GCS).
"""

import json
import os
import sys

from pyspark.sql import SparkSession

FORMAT = "reprint-sketch/2"


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: spark-submit candidates.py SKETCH_DIR")
    sketch = argv[1].rstrip("/")
    spark = SparkSession.builder.appName("reprint-candidates").getOrCreate()
    manifest = json.loads(spark.read.text(f"{sketch}/sketch.json", wholetext=True).first()[0])
    if manifest.get("format") != FORMAT:
        sys.exit(f"{sketch}: not a sketch of format {FORMAT}")
    cap = max(2, int(manifest["params"]["--bucket-cap"]))
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "candidates.sql")) as f:
        candidates_sql, crowded_sql = f.read().format(bucket_cap=cap).split("-- next")
    spark.read.parquet(f"{sketch}/bands").createOrReplaceTempView("bands")
    spark.sql(candidates_sql).write.mode("overwrite").parquet(f"{sketch}/candidates")
    spark.sql(crowded_sql).coalesce(1).write.mode("overwrite").parquet(f"{sketch}/lsh_stats")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv)
