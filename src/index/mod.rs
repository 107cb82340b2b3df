//! A persistent index for live feeds: articles added day by day, each
//! batch checked against everything indexed before it, with the same
//! detection path as [`crate::scan`].
//!
//! **How a batch is checked.** The batch is shingled; the LSH band keys of
//! its units (and its documents' word keys) are looked up in the index,
//! which returns the earliest [`Config::bucket_cap`] indexed units under
//! each key: the ones a scan of the whole feed would pair a new unit with
//! (a crowded LSH bucket pairs its later items with its first ones). The
//! documents of those units are read back from the index and shingled
//! again; those with a unit that passes the scan's exact verification (or
//! with the same words as a new document) are scanned with the batch after
//! them
//! ([`Detector::scan_neighbourhood`]): only pairs with a new document are
//! aligned, and a paragraph's carriers that were not read back still count
//! towards making it common. The pairs are the pair objects of `scan`,
//! with its direction rules (an indexed article, being earlier, is usually
//! the source).
//!
//! **Equivalence with one scan.** Adding a feed in batches (in feed order)
//! reports the pairs one scan of the whole feed reports, as long as what
//! the scan decides from the whole corpus is already decided by the
//! earlier batches: a paragraph becomes boilerplate when the batch that
//! makes it common arrives, so pairs reported before (an outlet footer
//! shared by two stories of the first day) stay reported; and a paragraph
//! filed under a band key by more than [`Config::bucket_cap`] indexed
//! articles is checked against the first of them, as a scan checks it.
//!
//! **Storage.** See the `store` module: immutable segment files per batch and day,
//! an atomically replaced manifest, a writer lock. A writer killed at any
//! moment leaves the index as it was before the batch.

mod store;

use std::path::{Path, PathBuf};

use ahash::{AHashMap, AHashSet};
use flate2::Compression;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::candidates::{REWRITE_MAX_DF, REWRITE_MIN_SHARED, REWRITE_SHARE, sampled_grams};
use crate::cluster::{Cluster, Keep, cluster_after};
use crate::corpus::Document;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::scan::{Config, Detector, Neighbourhood, ScanReport};
use crate::shingle::ShingledDocument;
use crate::similarity::Overlap;
use store::{Lock, Manifest, Meta, Segment, SegmentData, SegmentInfo, Table};

pub use store::FORMAT_VERSION;

/// An index directory, opened for reading or (with its lock) for writing.
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    meta: Meta,
    manifest: Manifest,
    segments: Vec<Segment>,
    lock: Option<Lock>,
}

/// What `index stats` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexStats {
    /// Documents indexed.
    pub documents: u64,
    /// Bytes of the segment files.
    pub bytes: u64,
    /// Per partition (day since 1970-01-01): documents and bytes.
    pub partitions: Vec<(i64, u64, u64)>,
    /// Segment files.
    pub segments: usize,
    /// The parameters fixed at creation, by command-line name.
    pub params: Vec<(String, String)>,
    /// The eviction window in days, when one was set.
    pub window_days: Option<u32>,
}

impl IndexStats {
    /// The statistics as `reprint index stats --json` prints them.
    pub fn to_json(&self) -> serde_json::Value {
        let partitions: Vec<serde_json::Value> = self
            .partitions
            .iter()
            .map(|&(day, docs, bytes)| {
                serde_json::json!({"day": crate::date::format_day(day), "articles": docs, "bytes": bytes})
            })
            .collect();
        let params: serde_json::Map<String, serde_json::Value> = self
            .params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::json!({
            "articles": self.documents,
            "bytes": self.bytes,
            "bytes_per_article": self.bytes.checked_div(self.documents).unwrap_or(0),
            "segments": self.segments,
            "window_days": self.window_days,
            "partitions": partitions,
            "params": params,
        })
    }
}

/// What adding a batch did.
#[derive(Debug, Clone)]
pub struct Added {
    /// Reuse of the batch against the index and within itself: the new
    /// documents and the indexed documents they pair with, and their pairs.
    pub report: ScanReport,
    /// Documents added.
    pub added: usize,
    /// Documents left out because an indexed document (or an earlier one
    /// of the batch) has their id: the id and the feed record.
    pub already_indexed: Vec<(String, Option<crate::corpus::RecordRef>)>,
    /// Indexed documents read back to check the batch against.
    pub neighbours: usize,
    /// Partitions evicted by the window afterwards.
    pub evicted: Vec<i64>,
}

impl Added {
    /// Appends what adding the next batch did: its documents (an indexed
    /// document that both batches pair with is listed once, by id), pairs,
    /// boilerplate and counts. Texts of documents in no pair are dropped,
    /// so adding a feed batch by batch keeps only what the report quotes.
    pub fn append(&mut self, next: Added) {
        let report = &mut self.report;
        let mut position: AHashMap<String, usize> = report
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut map = Vec::with_capacity(next.report.documents.len());
        for d in next.report.documents {
            let at = match position.get(&d.id) {
                Some(&i) => i,
                None => {
                    position.insert(d.id.clone(), report.documents.len());
                    report.documents.push(d);
                    report.documents.len() - 1
                }
            };
            map.push(at);
        }
        for mut p in next.report.pairs {
            p.copy = map[p.copy];
            p.source = map[p.source];
            report.pairs.push(p);
        }
        for mut b in next.report.boilerplate {
            b.example.0 = map[b.example.0];
            if !report.boilerplate.iter().any(|x| x.excerpt == b.excerpt) {
                report.boilerplate.push(b);
            }
        }
        let (s, n) = (&mut report.stats, next.report.stats);
        s.paragraphs += n.paragraphs;
        s.short_paragraphs += n.short_paragraphs;
        s.distinct_paragraphs += n.distinct_paragraphs;
        s.lsh.candidates += n.lsh.candidates;
        s.lsh.crowded_buckets += n.lsh.crowded_buckets;
        s.verified += n.verified;
        s.candidate_pairs += n.candidate_pairs;
        s.boilerplate_paragraphs += n.boilerplate_paragraphs;
        report.pairs.sort_by(|x, y| {
            y.copy_in_source()
                .total_cmp(&x.copy_in_source())
                .then(x.copy.cmp(&y.copy))
                .then(x.source.cmp(&y.source))
        });
        self.added += next.added;
        self.already_indexed.extend(next.already_indexed);
        self.neighbours += next.neighbours;
        self.evicted.extend(next.evicted);
        self.drop_unquoted_texts();
    }

    /// Drops the texts of documents in no pair.
    pub fn drop_unquoted_texts(&mut self) {
        let mut quoted = vec![false; self.report.documents.len()];
        for p in &self.report.pairs {
            quoted[p.copy] = true;
            quoted[p.source] = true;
        }
        for (d, q) in self.report.documents.iter_mut().zip(quoted) {
            if !q {
                d.text = None;
            }
        }
    }
}

/// A document as the index stores it.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    id: String,
    origin: String,
    date: Option<String>,
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    body_start: usize,
    text: String,
}

/// The parameters that decide what an index holds, by command-line name.
/// Two runs with different values would not find the same pairs.
fn fixed_params(detector: &Detector) -> Vec<(String, String)> {
    let c: &Config = detector.config();
    let lsh = detector.lsh_params();
    let c = &Config {
        threads: None,
        ..c.clone()
    };
    [
        ("--shingle", c.shingle.size.to_string()),
        ("--char-shingle", c.shingle.char_size.to_string()),
        ("--num-perm", c.num_perm.to_string()),
        ("--seed", c.seed.to_string()),
        ("--sketch", c.sketch.family().to_string()),
        ("--threshold", c.threshold.to_string()),
        ("--bands", lsh.bands.to_string()),
        ("--rows", lsh.rows.to_string()),
        ("--min-words", c.min_words.to_string()),
        ("--bucket-cap", c.bucket_cap.to_string()),
        ("--boilerplate-min-docs", c.boilerplate_min_docs.to_string()),
        ("alignment options", format!("{:?}", c.align)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn index_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Index {
    /// Opens the index in `dir` for writing, creating it (with the
    /// detector's parameters and the eviction window) when `dir` does not
    /// exist or is empty. Refused when another process writes to it, or
    /// when its parameters differ from the detector's.
    pub fn open_writer(dir: &Path, detector: &Detector, window_days: Option<u32>) -> Result<Index> {
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(index_error(dir, format!("cannot open it: {e}"))),
        };
        if empty {
            std::fs::create_dir_all(dir)
                .map_err(|e| index_error(dir, format!("cannot create it: {e}")))?;
        }
        let lock = Lock::take(dir)?;
        let meta = match store::read_meta(dir)? {
            Some(meta) => {
                if window_days.is_some() && window_days != meta.window_days {
                    return Err(index_error(
                        dir,
                        format!(
                            "--window is fixed when the index is created ({}); leave it out",
                            meta.window_days
                                .map_or("none".to_string(), |d| format!("{d}d"))
                        ),
                    ));
                }
                meta
            }
            None if empty || only_lock(dir) => {
                let config = Config {
                    threads: None,
                    ..detector.config().clone()
                };
                let meta = store::new_meta(fixed_params(detector), config, window_days);
                store::write_manifest(dir, &store::empty_manifest())?;
                store::write_meta(dir, &meta)?;
                meta
            }
            None => {
                return Err(index_error(
                    dir,
                    "not a reprint index, and not empty: give a new or empty directory",
                ));
            }
        };
        let mut index = Index::from_parts(dir, meta)?;
        store::remove_unlisted(dir, &index.manifest)?;
        index.lock = Some(lock);
        Ok(index)
    }

    /// Opens the index in `dir` for reading; works while a writer runs
    /// (it sees the index as of its last completed batch).
    pub fn open(dir: &Path) -> Result<Index> {
        let meta = store::read_meta(dir)?.ok_or_else(|| {
            index_error(
                dir,
                "not a reprint index (no index.json); create one with `reprint index add`",
            )
        })?;
        Index::from_parts(dir, meta)
    }

    fn from_parts(dir: &Path, meta: Meta) -> Result<Index> {
        // A writer may replace the manifest and remove evicted segments
        // between our reading the one and opening the others: read again.
        let mut attempt = 0;
        loop {
            let manifest = store::read_manifest(dir)?;
            let opened: Result<Vec<Segment>> = manifest
                .segments
                .iter()
                .map(|s| Segment::open(dir, &s.file))
                .collect();
            let opened = opened.and_then(|segs| {
                match segs
                    .iter()
                    .zip(&manifest.segments)
                    .find(|(s, i)| s.day != i.day)
                {
                    Some((_, i)) => Err(index_error(
                        &dir.join(store::SEGMENT_DIR).join(&i.file),
                        "damaged segment: its partition is not the manifest's",
                    )),
                    None => Ok(segs),
                }
            });
            match opened {
                Ok(segments) => {
                    return Ok(Index {
                        dir: dir.to_path_buf(),
                        meta,
                        manifest,
                        segments,
                        lock: None,
                    });
                }
                Err(e) if attempt >= 3 => return Err(e),
                Err(_) => attempt += 1,
            }
        }
    }

    /// The configuration to run with: the index's own, with the asked
    /// configuration's threads, matrix and metric. An asked configuration
    /// that is neither the default nor the index's is refused, naming the
    /// parameter that differs (an index keeps the parameters it was created
    /// with).
    pub fn resolve(&self, asked: &Config) -> Result<Config> {
        let stored = Config {
            threads: asked.threads,
            matrix_limit: asked.matrix_limit,
            metric: asked.metric,
            ..self.meta.config.clone()
        };
        let default = Config {
            threads: asked.threads,
            matrix_limit: asked.matrix_limit,
            metric: asked.metric,
            ..Config::default()
        };
        if *asked != default && *asked != stored {
            self.check_params(&Detector::new(asked.clone())?)?;
        }
        Ok(stored)
    }

    /// Refuses a detector whose parameters differ from the index's.
    pub fn check_params(&self, detector: &Detector) -> Result<()> {
        let wanted = fixed_params(detector);
        if self.meta.params == wanted {
            return Ok(());
        }
        for ((name, have), (_, want)) in self.meta.params.iter().zip(&wanted) {
            if have != want {
                return Err(index_error(
                    &self.dir,
                    format!(
                        "created with {name} {have}; this run asks for {want}. \
                         An index keeps the parameters it was created with: leave the option out, or use another index"
                    ),
                ));
            }
        }
        Err(index_error(
            &self.dir,
            "created with other parameters; leave the detection options out",
        ))
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Documents indexed.
    pub fn len(&self) -> u64 {
        self.manifest.segments.iter().map(|s| s.docs).sum()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Articles, partitions and size on disk.
    pub fn stats(&self) -> IndexStats {
        let mut by_day: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
        for s in &self.manifest.segments {
            let e = by_day.entry(s.day).or_default();
            e.0 += s.docs;
            e.1 += s.bytes;
        }
        IndexStats {
            documents: self.len(),
            bytes: self.manifest.segments.iter().map(|s| s.bytes).sum(),
            partitions: by_day.into_iter().map(|(d, (n, b))| (d, n, b)).collect(),
            segments: self.manifest.segments.len(),
            params: self.meta.params.clone(),
            window_days: self.meta.window_days,
        }
    }

    /// Checks `docs` against the index without adding them: the pairs of
    /// each with the indexed documents (and with each other).
    pub fn query(&self, detector: &Detector, docs: Vec<ShingledDocument>) -> Result<ScanReport> {
        self.check_params(detector)?;
        let keys = detector.install(|| batch_keys(detector, &docs))?;
        Ok(self.check_batch(detector, docs, &keys)?.0)
    }

    /// Adds `docs` (texts kept) and reports their reuse of the index and of
    /// each other. Documents whose id is already indexed are left out and
    /// listed. Undated documents go to the partition of `today` (days since
    /// 1970-01-01). The batch is committed whole or not at all.
    pub fn add(
        &mut self,
        detector: &Detector,
        docs: Vec<ShingledDocument>,
        today: i64,
    ) -> Result<Added> {
        Ok(self.add_kept(detector, docs, today, |_, _| None)?.0)
    }

    /// Deduplicates `docs` against the index and among themselves, as
    /// `dedup` does ([`cluster_after`], the indexed documents heading their
    /// clusters), and adds the kept ones. Returns what was added (the
    /// report covers every document of the batch), the clusters, and how
    /// many indexed documents lead the report's documents.
    pub fn dedup(
        &mut self,
        detector: &Detector,
        docs: Vec<ShingledDocument>,
        today: i64,
        threshold: f64,
        keep: Keep,
    ) -> Result<(Added, Vec<Cluster>, usize)> {
        let mut clusters = Vec::new();
        let (added, indexed) = self.add_kept(detector, docs, today, |report, indexed| {
            clusters = cluster_after(report, threshold, keep, indexed);
            let mut kept = vec![true; report.documents.len() - indexed];
            for c in &clusters {
                for &(d, _) in &c.dropped {
                    kept[d - indexed] = false;
                }
            }
            Some(kept)
        })?;
        Ok((added, clusters, indexed))
    }

    /// Adds the documents of `docs` that `choose` keeps (all when it says
    /// `None`), given the batch's report and how many indexed documents
    /// lead it (the batch follows them in order).
    fn add_kept(
        &mut self,
        detector: &Detector,
        docs: Vec<ShingledDocument>,
        today: i64,
        choose: impl FnOnce(&ScanReport, usize) -> Option<Vec<bool>>,
    ) -> Result<(Added, usize)> {
        if self.lock.is_none() {
            return Err(index_error(&self.dir, "opened for reading only"));
        }
        self.check_params(detector)?;
        // Ids already indexed, and repeated within the batch, are left out.
        let mut seen: AHashSet<&str> = AHashSet::new();
        let keep: Vec<bool> = docs
            .iter()
            .map(|d| {
                seen.insert(d.id.as_str())
                    && !self
                        .segments
                        .iter()
                        .any(|s| s.lookup(Table::Ids, id_key(&d.id)).next().is_some())
            })
            .collect();
        let mut already_indexed = Vec::new();
        let mut batch = Vec::with_capacity(docs.len());
        for (d, k) in docs.into_iter().zip(keep) {
            if k {
                batch.push(d);
            } else {
                already_indexed.push((d.id, d.record));
            }
        }
        // What the segments need is taken before the scan frees the
        // shingles and moves the texts.
        let first_seq = self.manifest.next_seq;
        let keys = detector.install(|| batch_keys(detector, &batch))?;
        let entries: Vec<DocEntries> = detector.install(|| {
            batch
                .par_iter()
                .enumerate()
                .map(|(i, d)| {
                    let seq = first_seq + i as u64;
                    doc_entries(d, seq, today, &keys.bands[i], &keys.grams[i])
                })
                .collect::<Result<Vec<_>>>()
        })??;
        let (report, neighbours, indexed) = self.check_batch(detector, batch, &keys)?;
        let entries: Vec<DocEntries> = match choose(&report, indexed) {
            Some(kept) => entries
                .into_iter()
                .zip(kept)
                .filter_map(|(e, k)| k.then_some(e))
                .collect(),
            None => entries,
        };
        let added = entries.len();

        let mut by_day: std::collections::BTreeMap<i64, SegmentData> = Default::default();
        for e in entries {
            let seg = by_day.entry(e.day).or_insert_with(|| SegmentData {
                day: e.day,
                ..SegmentData::default()
            });
            seg.docs.push((e.seq, e.record));
            seg.bands.extend(e.bands);
            seg.units.extend(e.units.into_iter().map(|k| (k, e.seq)));
            seg.words.extend(e.words.map(|k| (k, e.seq)));
            seg.ids.push((e.id, e.seq));
            seg.grams.extend(e.grams);
        }
        let mut manifest = self.manifest.clone();
        manifest.generation += 1;
        manifest.next_seq = first_seq + report.documents.len().saturating_sub(indexed) as u64;
        for (day, mut seg) in by_day {
            seg.bands.sort_unstable();
            seg.units.sort_unstable();
            seg.words.sort_unstable();
            seg.ids.sort_unstable();
            seg.grams.sort_unstable();
            let file = format!(
                "{}-g{}.seg",
                crate::date::format_day(day),
                manifest.generation
            );
            let bytes = store::write_segment(&self.dir, &file, &seg)?;
            manifest.segments.push(SegmentInfo {
                file,
                day,
                docs: seg.docs.len() as u64,
                bytes,
            });
        }
        let evicted = match self.meta.window_days {
            Some(window) => {
                let newest = manifest.segments.iter().map(|s| s.day).max();
                newest.map_or_else(Vec::new, |n| {
                    drop_before(&mut manifest, n - i64::from(window))
                })
            }
            None => Vec::new(),
        };
        self.commit(manifest)?;
        Ok((
            Added {
                report,
                added,
                already_indexed,
                neighbours,
                evicted,
            },
            indexed,
        ))
    }

    /// Drops every partition before `day` (days since 1970-01-01): whole
    /// segment files. Returns the partitions dropped.
    pub fn evict_before(&mut self, day: i64) -> Result<Vec<i64>> {
        if self.lock.is_none() {
            return Err(index_error(&self.dir, "opened for reading only"));
        }
        let mut manifest = self.manifest.clone();
        let dropped = drop_before(&mut manifest, day);
        if !dropped.is_empty() {
            manifest.generation += 1;
            self.commit(manifest)?;
        }
        Ok(dropped)
    }

    /// Makes `manifest` the index's state: written atomically, then the
    /// segments it no longer names removed.
    fn commit(&mut self, manifest: Manifest) -> Result<()> {
        store::write_manifest(&self.dir, &manifest)?;
        let segments = manifest
            .segments
            .iter()
            .map(|s| Segment::open(&self.dir, &s.file))
            .collect::<Result<Vec<_>>>()?;
        self.manifest = manifest;
        self.segments = segments;
        store::remove_unlisted(&self.dir, &self.manifest)?;
        Ok(())
    }

    /// Scans `batch` after the indexed documents it may pair with. Returns
    /// the report, narrowed to the batch and the documents it pairs with,
    /// how many indexed documents were read back, and how many of them
    /// lead the report.
    fn check_batch(
        &self,
        detector: &Detector,
        batch: Vec<ShingledDocument>,
        keys: &BatchKeys,
    ) -> Result<(ScanReport, usize, usize)> {
        let (old, unseen) = detector.install(|| self.neighbours(detector, &batch, keys))??;
        let new_from = old.len();
        let mut data = old;
        data.extend(batch);
        let report = detector.scan_neighbourhood(
            data,
            &Neighbourhood {
                new_from,
                unseen_carriers: unseen,
            },
        )?;
        let (report, indexed) = narrow(report, new_from);
        Ok((report, new_from, indexed))
    }

    /// The indexed documents `batch` may pair with, read back and shingled,
    /// in index order, and for each unit key of the batch the indexed
    /// carriers not among them. An indexed document is a neighbour when
    /// one of its units shares an LSH band key with a unit of the batch
    /// (among the first [`Config::bucket_cap`] indexed units under that
    /// key, as a scan pairs a crowded bucket) and passes the scan's exact
    /// verification, or when it has the same words as a document of the
    /// batch.
    fn neighbours(
        &self,
        detector: &Detector,
        batch: &[ShingledDocument],
        batch_keys: &BatchKeys,
    ) -> Result<(Vec<ShingledDocument>, AHashMap<u64, u32>)> {
        if self.segments.is_empty() {
            return Ok((Vec::new(), AHashMap::new()));
        }
        let cap = detector.config().bucket_cap.max(2);
        // Every (band key, batch document, unit), looked up in one merge
        // pass per segment.
        let mut wanted: Vec<(u64, u32, u32)> = batch_keys
            .bands
            .par_iter()
            .enumerate()
            .flat_map_iter(|(d, units)| {
                units.iter().flat_map(move |(u, keys)| {
                    keys.iter()
                        .enumerate()
                        .map(move |(b, &k)| (band_key(b, k), d as u32, *u))
                })
            })
            .collect();
        wanted.par_sort_unstable();
        wanted.dedup();
        let mut keys: Vec<u64> = wanted.iter().map(|w| w.0).collect();
        keys.dedup();
        let found = self.earliest_sorted(Table::Bands, &keys, cap);
        // (indexed document, its unit, batch document, its unit)
        let mut proposals: Vec<(u64, u32, u32, u32)> = wanted
            .par_chunk_by(|a, b| a.0 == b.0)
            .flat_map_iter(|chunk| {
                let q = keys.binary_search(&chunk[0].0).unwrap_or(0);
                let (lo, hi) = (
                    found.partition_point(|f| (f.0 as usize) < q),
                    found.partition_point(|f| (f.0 as usize) <= q),
                );
                let hits = &found[lo..hi];
                chunk.iter().flat_map(move |&(_, d, u)| {
                    hits.iter()
                        .map(move |&(_, v)| (v >> UNIT_BITS, (v & UNIT_MASK) as u32, d, u))
                })
            })
            .collect();
        drop(wanted);
        proposals.par_sort_unstable();
        proposals.dedup();
        // Rewrites: indexed documents sharing enough rare sampled grams
        // with a document of the batch (the scan's rule, with the grams
        // carried by more than REWRITE_MAX_DF indexed documents left out).
        let rewrites = self.rewrite_neighbours(&batch_keys.grams);
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
        let read: Vec<Option<ShingledDocument>> = seqs
            .par_iter()
            .map(|&seq| {
                let doc = detector.shingle_kept(self.read_document(seq)?);
                let lo = proposals.partition_point(|p| p.0 < seq);
                let hi = proposals.partition_point(|p| p.0 <= seq);
                let verified = same_words.binary_search(&seq).is_ok()
                    || rewrites.binary_search(&seq).is_ok()
                    || proposals[lo..hi].iter().any(|&(_, ou, d, u)| {
                        match (
                            doc.paragraphs.get(ou as usize),
                            batch[d as usize].paragraphs.get(u as usize),
                        ) {
                            (Some(a), Some(b)) => {
                                Overlap::of(&a.shingles, &b.shingles).smaller_in_larger()
                                    >= threshold
                            }
                            _ => false,
                        }
                    });
                Ok(verified.then_some(doc))
            })
            .collect::<Result<_>>()?;
        drop(proposals);
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
    fn rewrite_neighbours(&self, per_doc: &[Vec<u64>]) -> Vec<u64> {
        let mut keys: Vec<u64> = per_doc.iter().flatten().copied().collect();
        keys.par_sort_unstable();
        keys.dedup();
        let found = self.all_upto(Table::Grams, &keys, REWRITE_MAX_DF);
        let mut out: Vec<u64> = per_doc
            .par_iter()
            .flat_map_iter(|grams| {
                let mut hits: Vec<(u64, u64)> = Vec::new();
                for g in grams {
                    let q = keys.binary_search(g).unwrap_or(0) as u32;
                    let lo = found.partition_point(|f| f.0 < q);
                    let hi = found.partition_point(|f| f.0 <= q);
                    if hi - lo > REWRITE_MAX_DF {
                        continue;
                    }
                    hits.extend(
                        found[lo..hi]
                            .iter()
                            .map(|&(_, v)| (v >> UNIT_BITS, v & UNIT_MASK)),
                    );
                }
                hits.sort_unstable();
                let own = grams.len();
                hits.chunk_by(|a, b| a.0 == b.0)
                    .filter(|run| {
                        let smaller = own.min(run[0].1 as usize).max(1);
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
    fn all_upto(&self, table: Table, keys: &[u64], limit: usize) -> Vec<(u32, u64)> {
        const SEGMENTS_AT_ONCE: usize = 8;
        let mut open: Vec<u32> = (0..keys.len() as u32).collect();
        let mut count = vec![0usize; keys.len()];
        let mut kept: Vec<(u32, u64)> = Vec::new();
        for group in self.segments.chunks(SEGMENTS_AT_ONCE) {
            if open.is_empty() {
                break;
            }
            let sub: Vec<u64> = open.iter().map(|&q| keys[q as usize]).collect();
            let found: Vec<(u32, u64)> = group
                .par_iter()
                .flat_map_iter(|s| {
                    let mut out = Vec::new();
                    s.lookup_sorted(table, &sub, limit + 1, &mut out);
                    out
                })
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

    /// For sorted, distinct `keys`: the first `n` values (in index order)
    /// filed under each, as `(position in keys, value)` sorted.
    fn earliest_sorted(&self, table: Table, keys: &[u64], n: usize) -> Vec<(u32, u64)> {
        let mut found: Vec<(u32, u64)> = self
            .segments
            .par_iter()
            .flat_map_iter(|s| {
                let mut out = Vec::new();
                s.lookup_sorted(table, keys, n, &mut out);
                out
            })
            .collect();
        found.par_sort_unstable();
        let mut kept = Vec::with_capacity(found.len());
        for chunk in found.chunk_by(|a, b| a.0 == b.0) {
            kept.extend_from_slice(&chunk[..chunk.len().min(n)]);
        }
        kept
    }

    /// The first `n` values (in index order) filed under `key`.
    fn earliest(&self, table: Table, key: u64, n: usize) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        for s in &self.segments {
            out.extend(s.lookup(table, key).take(n));
        }
        out.sort_unstable();
        out.truncate(n);
        out
    }

    /// Reads indexed document `seq` back.
    fn read_document(&self, seq: u64) -> Result<Document> {
        for s in &self.segments {
            if let Some(bytes) = s.record(seq)? {
                let mut json = Vec::new();
                std::io::Read::read_to_end(
                    &mut flate2::read::DeflateDecoder::new(bytes),
                    &mut json,
                )
                .map_err(|e| index_error(&self.dir, format!("damaged document {seq}: {e}")))?;
                let r: Record = serde_json::from_slice(&json)
                    .map_err(|e| index_error(&self.dir, format!("damaged document {seq}: {e}")))?;
                return Ok(Document {
                    id: r.id,
                    origin: r.origin,
                    date: r.date.as_deref().and_then(Date::parse),
                    source: r.source,
                    title: r.title,
                    url: r.url,
                    body_start: r.body_start.min(r.text.len()),
                    text: r.text,
                    record: None,
                });
            }
        }
        Err(index_error(
            &self.dir,
            format!("document {seq} is listed but in no segment"),
        ))
    }
}

/// Whether `dir` holds nothing but a lock file (an index whose creation was
/// interrupted before it wrote anything).
fn only_lock(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .all(|e| e.file_name() == "LOCK" || e.file_name().to_string_lossy().ends_with(".tmp"))
    })
}

/// Removes the partitions before `day` from `manifest`; returns them.
fn drop_before(manifest: &mut Manifest, day: i64) -> Vec<i64> {
    let mut dropped: Vec<i64> = manifest
        .segments
        .iter()
        .filter(|s| s.day < day)
        .map(|s| s.day)
        .collect();
    manifest.segments.retain(|s| s.day >= day);
    dropped.sort_unstable();
    dropped.dedup();
    dropped
}

/// The high halves of a document's sampled character grams (all its
/// paragraphs: boilerplate is not known when it is filed; grams carried by
/// very many documents are left out when they are looked up), sorted and
/// distinct.
fn gram_keys(d: &ShingledDocument) -> Vec<u64> {
    let mut g: Vec<u64> = sampled_grams(d, |_| false)
        .into_iter()
        .map(|h| h >> 32)
        .collect();
    g.dedup();
    g
}

fn id_key(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

/// Bits of a band table value that hold the unit (the rest is the
/// document number).
const UNIT_BITS: u32 = 16;
const UNIT_MASK: u64 = (1 << UNIT_BITS) - 1;

fn band_key(band: usize, key: u32) -> u64 {
    ((band as u64) << 32) | u64::from(key)
}

/// What a batch's documents are looked up and filed by, computed once per
/// document: each fingerprinted unit's band keys, and the high halves of
/// the sampled character grams.
struct BatchKeys {
    bands: Vec<Vec<(u32, Vec<u32>)>>,
    grams: Vec<Vec<u64>>,
}

fn batch_keys(detector: &Detector, batch: &[ShingledDocument]) -> BatchKeys {
    let (bands, grams) = batch
        .par_iter()
        .map(|d| (detector.unit_band_keys(d), gram_keys(d)))
        .unzip();
    BatchKeys { bands, grams }
}

/// `(band key, seq << 16 | unit)` for each band of each fingerprinted unit
/// (units past 65,535 of one document are not filed).
fn band_entries(units: &[(u32, Vec<u32>)], seq: u64) -> Vec<(u64, u64)> {
    units
        .iter()
        .filter(|(u, _)| u64::from(*u) <= UNIT_MASK)
        .flat_map(|(u, keys)| {
            keys.iter()
                .enumerate()
                .map(move |(b, &k)| (band_key(b, k), (seq << UNIT_BITS) | u64::from(*u)))
        })
        .collect()
}

/// One new document's record and keys.
struct DocEntries {
    seq: u64,
    day: i64,
    record: Vec<u8>,
    bands: Vec<(u64, u64)>,
    units: Vec<u64>,
    words: Option<u64>,
    id: u64,
    grams: Vec<(u64, u64)>,
}

fn doc_entries(
    d: &ShingledDocument,
    seq: u64,
    today: i64,
    units: &[(u32, Vec<u32>)],
    grams: &[u64],
) -> Result<DocEntries> {
    let record = Record {
        id: d.id.clone(),
        origin: d.origin.clone(),
        date: d.date.as_ref().map(|x| x.as_str().to_string()),
        source: d.source.clone(),
        title: d.title.clone(),
        url: d.url.clone(),
        body_start: d.body_start,
        text: d.text.clone().unwrap_or_default(),
    };
    let json = serde_json::to_vec(&record)?;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), Compression::fast());
    std::io::Write::write_all(&mut enc, &json)?;
    let record = enc.finish()?;
    let bands = band_entries(units, seq);
    let mut units: Vec<u64> = d.paragraphs.iter().filter_map(|p| p.set_key()).collect();
    units.sort_unstable();
    units.dedup();
    let n = (grams.len() as u64).min(UNIT_MASK);
    Ok(DocEntries {
        grams: grams.iter().map(|&g| (g, (seq << UNIT_BITS) | n)).collect(),
        seq,
        day: d.date.as_ref().map_or(today, Date::day),
        record,
        bands,
        units,
        words: d.words_key,
        id: id_key(&d.id),
    })
}

/// Keeps the documents from `new_from` on and those they pair with,
/// renumbering the pairs; boilerplate examples outside them are dropped.
/// Returns the report and how many earlier documents lead it.
fn narrow(mut report: ScanReport, new_from: usize) -> (ScanReport, usize) {
    let n = report.documents.len();
    let mut keep = vec![false; n];
    for k in keep.iter_mut().skip(new_from) {
        *k = true;
    }
    for p in &report.pairs {
        keep[p.copy] = true;
        keep[p.source] = true;
    }
    let mut new_index = vec![usize::MAX; n];
    let mut next = 0;
    for (i, &k) in keep.iter().enumerate() {
        if k {
            new_index[i] = next;
            next += 1;
        }
    }
    report.documents = std::mem::take(&mut report.documents)
        .into_iter()
        .zip(&keep)
        .filter_map(|(d, &k)| k.then_some(d))
        .collect();
    for p in &mut report.pairs {
        p.copy = new_index[p.copy];
        p.source = new_index[p.source];
    }
    report.boilerplate.retain(|b| keep[b.example.0]);
    for b in &mut report.boilerplate {
        b.example.0 = new_index[b.example.0];
    }
    report.matrix = None;
    let indexed = keep[..new_from].iter().filter(|&&k| k).count();
    (report, indexed)
}
