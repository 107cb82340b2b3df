//! Looking a batch up in the index: the indexed documents that share a
//! band key or enough rare character grams with it, read back.

use super::*;

/// Proposed documents verified between two hand-backs of the pages read.
const READ_BLOCK: usize = 4096;

impl Index {
    /// The indexed documents `batch` may pair with, read back and shingled,
    /// in index order, and for each unit key of the batch the indexed
    /// carriers not among them. An indexed document is a neighbour when
    /// one of its units shares an LSH band key with a unit of the batch
    /// (among the first [`Config::bucket_cap`] indexed units under that
    /// key, as a scan pairs a crowded bucket) and passes the scan's exact
    /// verification, or when it has the same words as a document of the
    /// batch.
    pub(super) fn neighbours(
        &self,
        detector: &Detector,
        batch: &[ShingledDocument],
        batch_keys: &BatchKeys,
    ) -> Result<(Vec<ShingledDocument>, AHashMap<u64, u32>)> {
        if self.segments.is_empty() {
            return Ok((Vec::new(), AHashMap::new()));
        }
        let cap = detector.config().bucket_cap.max(2);
        // Every band key of the batch, looked up in one merge pass per
        // segment.
        let mut keys: Vec<u64> = batch_keys
            .bands
            .par_iter()
            .flat_map_iter(|units| band_keys_of(units).map(|(k, _)| k))
            .collect();
        keys.par_sort_unstable();
        keys.dedup();
        let found = self.earliest_sorted(Table::Bands, &keys, cap);
        self.release_pages();
        let found_at = found_ranges(&keys, &found);
        // (indexed document, its unit, batch document, its unit), made and
        // deduplicated one batch document at a time: a unit found in many
        // bands (a footer carried by many indexed articles finds the same
        // ones in all 42) is proposed once, not once per band.
        let mut proposals: Vec<(u64, u32, u32, u32)> = batch_keys
            .bands
            .par_iter()
            .enumerate()
            .flat_map_iter(|(d, units)| {
                let mut local: Vec<(u64, u32, u32, u32)> = Vec::new();
                for (key, u) in band_keys_of(units) {
                    let Some(&(lo, hi)) = found_at.get(&key) else {
                        continue;
                    };
                    local.extend(
                        found[lo..hi]
                            .iter()
                            .map(|&(_, v)| (v >> UNIT_BITS, (v & UNIT_MASK) as u32, d as u32, u)),
                    );
                }
                local.sort_unstable();
                local.dedup();
                local
            })
            .collect();
        drop(keys);
        proposals.par_sort_unstable();
        self.lap(Some("look up band keys"));
        // Rewrites: indexed documents sharing enough rare sampled grams
        // with a document of the batch (the scan's rule, with the grams
        // carried by more than REWRITE_MAX_DF indexed documents left out).
        let rewrites = self.rewrite_neighbours(&batch_keys.grams);
        self.lap(Some("look up rewrite grams"));
        let mut same_words: Vec<u64> = batch
            .iter()
            .filter_map(|d| d.words_key)
            .flat_map(|w| self.earliest(Table::Words, w, 1))
            .collect();
        same_words.sort_unstable();
        same_words.dedup();
        let mut seqs: Vec<u64> = proposals.iter().map(|p| p.0).collect();
        seqs.extend(&same_words);
        seqs.extend(&rewrites);
        seqs.sort_unstable();
        seqs.dedup();
        let threshold = detector.config().threshold;
        // A proposal is verified on the unit's shingle set stored beside
        // the record; only the neighbours found are read back and shingled.
        // Taken a block of documents at a time, the pages read handed back
        // after each: proposals are spread over every segment, and each
        // page read maps its neighbours too.
        let mut read: Vec<Option<ShingledDocument>> = Vec::with_capacity(seqs.len());
        for block in seqs.chunks(READ_BLOCK) {
            let part: Vec<Option<ShingledDocument>> = block
                .par_iter()
                .map(|&seq| {
                    let lo = proposals.partition_point(|p| p.0 < seq);
                    let hi = proposals.partition_point(|p| p.0 <= seq);
                    let stored = self.stored(seq)?;
                    let verified = same_words.binary_search(&seq).is_ok()
                        || rewrites.binary_search(&seq).is_ok()
                        || proposals[lo..hi].iter().any(|&(_, ou, d, u)| {
                            match (
                                stored.unit_set(ou as usize),
                                batch[d as usize].paragraphs.get(u as usize),
                            ) {
                                (Some(a), Some(b)) => {
                                    contained_at_least(&a, &b.shingles, threshold)
                                }
                                _ => false,
                            }
                        });
                    if !verified {
                        return Ok(None);
                    }
                    Ok(Some(detector.shingle_kept(self.decode(seq, stored)?)))
                })
                .collect::<Result<_>>()?;
            read.extend(part);
            self.release_pages();
        }
        drop(proposals);
        self.release_pages();
        self.lap(Some("read back and verify neighbours"));
        let mut kept = Vec::new();
        let mut kept_seqs = Vec::new();
        for (seq, doc) in seqs.into_iter().zip(read) {
            if let Some(doc) = doc {
                kept.push(doc);
                kept_seqs.push(seq);
            }
        }
        let mut unit_keys: Vec<u64> = batch
            .iter()
            .flat_map(|d| d.paragraphs.iter().filter_map(|p| p.set_key()))
            .collect();
        unit_keys.sort_unstable();
        unit_keys.dedup();
        let unseen = unit_keys
            .par_iter()
            .filter_map(|&k| {
                let n = self
                    .segments
                    .iter()
                    .flat_map(|s| s.lookup(Table::Units, k))
                    .filter(|s| kept_seqs.binary_search(s).is_err())
                    .count();
                (n > 0).then_some((k, n.min(u32::MAX as usize) as u32))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        Ok((kept, unseen))
    }

    /// The indexed documents that share at least half of [`REWRITE_SHARE`]
    /// of the smaller one's sampled grams with a document of `batch` (and at
    /// least [`REWRITE_MIN_SHARED`]), counting only grams filed by at most
    /// [`REWRITE_MAX_DF`] indexed documents: a superset of what the scan's
    /// rule pairs (it counts only rare grams, and without boilerplate), which
    /// the scan then decides. Sorted.
    pub(super) fn rewrite_neighbours(&self, per_doc: &[Vec<u64>]) -> Vec<u64> {
        let mut keys: Vec<u64> = per_doc.iter().flatten().copied().collect();
        keys.par_sort_unstable();
        keys.dedup();
        let found = self.all_upto(Table::Grams, &keys, REWRITE_MAX_DF);
        self.release_pages();
        let found_at = found_ranges(&keys, &found);
        let mut out: Vec<u64> = per_doc
            .par_iter()
            .flat_map_iter(|grams| {
                // (indexed document, its gram count, the gram's kind).
                let mut hits: Vec<(u64, u64, usize)> = Vec::new();
                for g in grams {
                    let kind = GramKind::of(*g as u32) as usize;
                    let Some(&(lo, hi)) = found_at.get(g) else {
                        continue;
                    };
                    if hi - lo > REWRITE_MAX_DF {
                        continue;
                    }
                    hits.extend(
                        found[lo..hi]
                            .iter()
                            .map(|&(_, v)| (v >> UNIT_BITS, v & UNIT_MASK, kind)),
                    );
                }
                hits.sort_unstable();
                let mut own = [0usize; 2];
                for g in grams {
                    own[GramKind::of(*g as u32) as usize] += 1;
                }
                // Counted by kind, as the scan does; the indexed document's
                // count is of both kinds, loosened by half.
                hits.chunk_by(|a, b| (a.0, a.2) == (b.0, b.2))
                    .filter(|run| {
                        let smaller = own[run[0].2].min(run[0].1 as usize).max(1);
                        run.len() >= REWRITE_MIN_SHARED
                            && run.len() as f64 >= 0.5 * REWRITE_SHARE * smaller as f64
                    })
                    .map(|run| run[0].0)
                    .collect::<Vec<_>>()
            })
            .collect();
        out.par_sort_unstable();
        out.dedup();
        out
    }

    /// For sorted, distinct `keys`: every value filed under each key that
    /// has at most `limit` of them, as `(position in keys, value)` sorted.
    /// Segments are read a few at a time, and a key past `limit` is not
    /// looked up in the rest (a common gram is not fetched from every
    /// segment).
    pub(super) fn all_upto(&self, table: Table, keys: &[u64], limit: usize) -> Vec<(u32, u64)> {
        const SEGMENTS_AT_ONCE: usize = 8;
        let mut open: Vec<u32> = (0..keys.len() as u32).collect();
        let mut count = vec![0usize; keys.len()];
        let mut kept: Vec<(u32, u64)> = Vec::new();
        for group in self.segments.chunks(SEGMENTS_AT_ONCE) {
            if open.is_empty() {
                break;
            }
            let sub: Vec<u64> = open.iter().map(|&q| keys[q as usize]).collect();
            let found: Vec<(u32, u64)> = lookup_each(group, table, &sub, limit + 1)
                .into_iter()
                .map(|(q, v)| (open[q as usize], v))
                .collect();
            for &(q, _) in &found {
                count[q as usize] += 1;
            }
            kept.extend(
                found
                    .into_iter()
                    .filter(|&(q, _)| count[q as usize] <= limit),
            );
            open.retain(|&q| count[q as usize] <= limit);
        }
        kept.retain(|&(q, _)| count[q as usize] <= limit);
        kept.par_sort_unstable();
        kept
    }

    /// Unmaps the segments' pages read so far (see
    /// [`Segment::release_pages`]); no slice of them may be held.
    fn release_pages(&self) {
        for s in &self.segments {
            s.release_pages();
        }
    }

    /// For sorted, distinct `keys`: the first `n` values (in index order)
    /// filed under each, as `(position in keys, value)` sorted.
    pub(super) fn earliest_sorted(&self, table: Table, keys: &[u64], n: usize) -> Vec<(u32, u64)> {
        let mut found = lookup_each(&self.segments, table, keys, n);
        found.par_sort_unstable();
        let mut kept = Vec::with_capacity(found.len());
        for chunk in found.chunk_by(|a, b| a.0 == b.0) {
            kept.extend_from_slice(&chunk[..chunk.len().min(n)]);
        }
        kept
    }

    /// The first `n` values (in index order) filed under `key`.
    pub(super) fn earliest(&self, table: Table, key: u64, n: usize) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        for s in &self.segments {
            out.extend(s.lookup(table, key).take(n));
        }
        out.sort_unstable();
        out.truncate(n);
        out
    }

    /// Document `seq` as stored (its record and its units' sets).
    fn stored(&self, seq: u64) -> Result<store::DocBlob<'_>> {
        for s in &self.segments {
            if let Some(doc) = s.document(seq)? {
                return Ok(doc);
            }
        }
        Err(index_error(
            &self.dir,
            format!("document {seq} is listed but in no segment"),
        ))
    }

    /// Indexed document `seq` read back: its stored record decompressed
    /// and parsed.
    fn decode(&self, seq: u64, doc: store::DocBlob<'_>) -> Result<Document> {
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::DeflateDecoder::new(doc.record),
            &mut json,
        )
        .map_err(|e| index_error(&self.dir, format!("damaged document {seq}: {e}")))?;
        let r: Record = serde_json::from_slice(&json)
            .map_err(|e| index_error(&self.dir, format!("damaged document {seq}: {e}")))?;
        Ok(Document {
            id: r.id,
            origin: r.origin,
            date: r.date.as_deref().and_then(Date::parse),
            source: r.source,
            title: r.title,
            url: r.url,
            body_start: r.body_start.min(r.text.len()),
            text: r.text,
            record: None,
        })
    }
}

/// [`Segment::lookup_sorted`] of sorted `keys` in each of `segments`, in
/// no particular order: in parallel by segment and by stretch of keys (a
/// batch's keys are millions, and the files few once merged).
fn lookup_each(
    segments: &[Segment],
    table: Table,
    keys: &[u64],
    per_key: usize,
) -> Vec<(u32, u64)> {
    const KEYS_AT_ONCE: usize = 1 << 15;
    segments
        .par_iter()
        .flat_map(|s| {
            keys.par_chunks(KEYS_AT_ONCE)
                .enumerate()
                .flat_map_iter(move |(c, chunk)| {
                    let mut out = Vec::new();
                    s.lookup_sorted(table, chunk, per_key, &mut out);
                    let base = (c * KEYS_AT_ONCE) as u32;
                    out.into_iter().map(move |(q, v)| (q + base, v))
                })
        })
        .collect()
}

/// Where the values found for each key are in `found` (`(position in
/// keys, value)`, sorted), by key: one hash lookup for each of a batch's
/// keys instead of three binary searches over tables of millions (the
/// band keys of 50,000 articles took 16 s to look up that way).
fn found_ranges(keys: &[u64], found: &[(u32, u64)]) -> AHashMap<u64, (usize, usize)> {
    let mut at = AHashMap::new();
    let mut lo = 0;
    for run in found.chunk_by(|a, b| a.0 == b.0) {
        at.insert(keys[run[0].0 as usize], (lo, lo + run.len()));
        lo += run.len();
    }
    at
}

/// `(band key, unit)` for every band of every fingerprinted unit of a
/// document (its [`BatchKeys`] bands).
fn band_keys_of(units: &[(u32, Vec<u32>)]) -> impl Iterator<Item = (u64, u32)> + '_ {
    units.iter().flat_map(|(u, keys)| {
        keys.iter()
            .enumerate()
            .map(move |(b, &k)| (band_key(b, k), *u))
    })
}
