-- reprint's candidate join (the LSH stage) over a sketch's `bands` table,
-- in plain SQL for Spark SQL, DataFusion or Sail. `{bucket_cap}` is the
-- sketch's --bucket-cap (at least 2), from its sketch.json.
--
-- Units with the same shingle set (`set_key`) are one group, named by its
-- first unit in document order (`doc * 2^20 + unit`). In each bucket (a
-- band and a band key) the groups are ranked in that order, and each is
-- paired with the bucket's first {bucket_cap} groups: a bucket that a
-- boilerplate sentence fills with thousands of groups makes thousands of
-- pairs, not millions. The result is the distinct pairs `a < b`; the
-- second statement counts the crowded buckets for the report.
WITH grouped AS (
    SELECT band, band_key, MIN(doc * 1048576 + unit) AS ref
    FROM bands
    GROUP BY band, band_key, set_key
),
ranked AS (
    SELECT band, band_key, ref,
           ROW_NUMBER() OVER (PARTITION BY band, band_key ORDER BY ref) AS rank_in_bucket
    FROM grouped
)
SELECT DISTINCT hub.ref AS a, other.ref AS b
FROM ranked hub
JOIN ranked other
  ON hub.band = other.band
 AND hub.band_key = other.band_key
 AND hub.rank_in_bucket < other.rank_in_bucket
WHERE hub.rank_in_bucket <= {bucket_cap}
-- next
SELECT CAST(COUNT(*) AS BIGINT) AS crowded_buckets
FROM (
    SELECT band, band_key
    FROM (SELECT DISTINCT band, band_key, set_key FROM bands) grouped
    GROUP BY band, band_key
    HAVING COUNT(*) > {bucket_cap}
) crowded
