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
//! **The first add** to an empty index has nothing to look up: it files
//! its batch a segment at a time ([`Index::set_segment_docs`]) and scans
//! it once, as `scan` would.
//!
//! **Storage.** See the `store` module: an immutable segment file per batch
//! (per [`BULK_SEGMENT_DOCS`] documents of a first add), merged
//! size-tiered after each add (the `compact` module), an atomically
//! replaced manifest, a writer lock. A writer killed at any
//! moment leaves the index as it was before the batch.

mod compact;
mod keys;
mod lookup;
mod search;
mod store;

use std::path::{Path, PathBuf};

use ahash::{AHashMap, AHashSet};
use flate2::Compression;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::candidates::{
    GramKind, REWRITE_MAX_DF, REWRITE_MIN_SHARED, REWRITE_SHARE, sampled_grams,
};
use crate::cluster::{Cluster, Keep, cluster_after};
use crate::corpus::{Document, KeptText};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::scan::{Config, Detector, Neighbourhood, ScanReport, StageTimes};
use crate::shingle::ShingledDocument;
use crate::similarity::contained_at_least;
use store::{Lock, Manifest, Meta, Segment, SegmentData, SegmentInfo, Table, UNIT_BITS};

pub use compact::Compacted;
use keys::*;
pub use store::FORMAT_VERSION;

/// Documents per segment when an empty index takes a large batch. Its
/// entries are held until it is written (about 15 KB a document), beside
/// the batch's documents: 32,768 documents take about 0.5 GB.
pub const BULK_SEGMENT_DOCS: usize = 1 << 15;

/// Documents whose entries are sorted together: a segment's tables are
/// written merged from such pieces, so that they are never gathered into
/// one vector (growing it would hold it twice).
const PIECE_DOCS: usize = 4_096;

/// An index directory, opened for reading or (with its lock) for writing.
#[derive(Debug)]
pub struct Index {
    dir: PathBuf,
    meta: Meta,
    manifest: Manifest,
    segments: Vec<Segment>,
    lock: Option<Lock>,
    /// Wall time of each stage of the adds and queries so far.
    times: std::sync::Mutex<StageTimes>,
    /// Documents per segment when the index takes a batch while empty.
    segment_docs: usize,
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
        report.stats.add(&next.report.stats);
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
                let meta = store::new_meta(detector.fixed_params(), config, window_days);
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
                .map(|s| Segment::open_listed(dir, s))
                .collect();
            match opened {
                Ok(segments) => {
                    return Ok(Index {
                        dir: dir.to_path_buf(),
                        meta,
                        manifest,
                        segments,
                        lock: None,
                        times: std::sync::Mutex::new(StageTimes::new()),
                        segment_docs: BULK_SEGMENT_DOCS,
                    });
                }
                Err(e) if attempt >= 3 => return Err(e),
                Err(_) => attempt += 1,
            }
        }
    }

    /// Sets how many documents each segment file holds when the index,
    /// empty, takes a batch (by default 32,768): the entries of one
    /// segment are held until it is written, about 15 KB a document, so
    /// fewer take less memory and make more files. Later adds write a
    /// segment per batch.
    pub fn set_segment_docs(&mut self, docs: usize) {
        self.segment_docs = docs.max(1);
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
        let wanted = detector.fixed_params();
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
        // A merged segment's bytes are shared among its partitions by
        // their documents.
        let mut by_day: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
        for s in &self.manifest.segments {
            for &(day, docs) in &s.partitions {
                let e = by_day.entry(day).or_default();
                e.0 += docs;
                e.1 += s.bytes * docs / s.stored.max(1);
            }
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
        self.lap(None);
        let keys = detector.install(|| batch_keys(detector, &docs))??;
        self.lap(Some("batch keys"));
        Ok(self.check_batch(detector, docs, &keys)?.0)
    }

    /// The wall time of each stage of the adds, deduplications and
    /// queries of this handle so far (`--timings`): the batch's keys, the
    /// indexed neighbours looked up and read back, the scan stages of the
    /// neighbourhood, then writing and merging segments.
    pub fn timings(&self) -> StageTimes {
        self.times.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Records the time since the last lap as `stage`, or (`None`) starts
    /// the clock again.
    pub(super) fn lap(&self, stage: Option<&'static str>) {
        let mut t = self.times.lock().unwrap_or_else(|e| e.into_inner());
        match stage {
            Some(s) => t.lap(s),
            None => t.restart(),
        }
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
        let choose = None::<fn(&ScanReport, usize) -> Vec<bool>>;
        Ok(self.add_kept(detector, docs, today, choose)?.0)
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
        let choose = |report: &ScanReport, indexed: usize| {
            clusters = cluster_after(report, threshold, keep, indexed);
            let mut kept = vec![true; report.documents.len() - indexed];
            for c in &clusters {
                for &(d, _) in &c.dropped {
                    kept[d - indexed] = false;
                }
            }
            kept
        };
        let (added, indexed) = self.add_kept(detector, docs, today, Some(choose))?;
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
        choose: Option<impl FnOnce(&ScanReport, usize) -> Vec<bool>>,
    ) -> Result<(Added, usize)> {
        if self.lock.is_none() {
            return Err(index_error(&self.dir, "opened for reading only"));
        }
        self.check_params(detector)?;
        self.lap(None);
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
        let first_seq = self.manifest.next_seq;
        let mut manifest = self.manifest.clone();
        let listed = manifest.segments.len();
        // An empty index takes a batch as a scan takes a feed: there is
        // nothing indexed to look up, so each chunk of it is filed as a
        // segment of its own before the scan, and its keys and entries are
        // dropped (a batch's entries are several times its text; a million
        // articles' would not fit in memory). The files are listed when
        // the batch is committed. A deduplicating add files only what it
        // keeps, so it files after the scan.
        let bulk = self.segments.is_empty() && choose.is_none();
        let (report, neighbours, indexed, added) = if bulk {
            let added = batch.len();
            for (c, chunk) in batch.chunks(self.segment_docs).enumerate() {
                let first = first_seq + (c * self.segment_docs) as u64;
                let mut pieces = Vec::new();
                for (p, part) in chunk.chunks(PIECE_DOCS).enumerate() {
                    let first = first + (p * PIECE_DOCS) as u64;
                    pieces.push(detector.install(|| {
                        let keys = batch_keys(detector, part)?;
                        Ok::<_, Error>(piece(entries_of(part, &keys, first, today)?))
                    })??);
                    // The pages of the sets read (in their temporary file
                    // beyond --set-memory) are handed back: a million
                    // articles' sets are 1.7 GB.
                    crate::shingle::release_sets(part);
                }
                self.lap(Some("batch keys"));
                self.write_pieces(detector, pieces, &mut manifest)?;
                self.lap(Some("write segments"));
            }
            let (report, neighbours, indexed) =
                self.check_batch(detector, batch, &BatchKeys::default())?;
            (report, neighbours, indexed, added)
        } else {
            // What the segment needs is taken before the scan frees the
            // shingles and moves the texts.
            let (keys, entries) = detector.install(|| {
                let keys = batch_keys(detector, &batch)?;
                let entries = entries_of(&batch, &keys, first_seq, today)?;
                Ok::<_, Error>((keys, entries))
            })??;
            self.lap(Some("batch keys"));
            let (report, neighbours, indexed) = self.check_batch(detector, batch, &keys)?;
            drop(keys);
            let entries: Vec<DocEntries> = match choose {
                Some(choose) => entries
                    .into_iter()
                    .zip(choose(&report, indexed))
                    .filter_map(|(e, k)| k.then_some(e))
                    .collect(),
                None => entries,
            };
            let added = entries.len();
            // One segment for the batch, whatever days it spans: its days
            // are partitions of it, as in a merged segment. (A file per day
            // made a bulk add of 50,000 articles over 50 days 50 files,
            // rewritten twice by the merges that followed.)
            let mut entries = entries.into_iter();
            let pieces: Vec<SegmentData> = std::iter::from_fn(|| {
                let part: Vec<DocEntries> = entries.by_ref().take(PIECE_DOCS).collect();
                (!part.is_empty()).then_some(part)
            })
            .map(|part| detector.install(|| piece(part)))
            .collect::<Result<_>>()?;
            self.write_pieces(detector, pieces, &mut manifest)?;
            (report, neighbours, indexed, added)
        };
        manifest.next_seq = first_seq + report.documents.len().saturating_sub(indexed) as u64;
        // The new files, written out by the system meanwhile, are synced
        // before the manifest lists them.
        for s in &manifest.segments[listed..] {
            store::sync_segment(&self.dir, &s.file)?;
        }
        let evicted = match self.meta.window_days {
            Some(window) => {
                let newest = manifest.segments.iter().map(SegmentInfo::last_day).max();
                newest.map_or_else(Vec::new, |n| {
                    drop_before(&mut manifest, n - i64::from(window))
                })
            }
            None => Vec::new(),
        };
        self.commit(manifest)?;
        self.lap(Some("write segments"));
        self.compact()?;
        self.lap(Some("merge segments"));
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

    /// Writes `pieces` (documents in number order, each piece's tables
    /// sorted) as one segment file of the next generation, its days
    /// partitions of it, and adds it to `manifest` (not yet committed);
    /// nothing when there are no documents.
    fn write_pieces(
        &self,
        detector: &Detector,
        pieces: Vec<SegmentData>,
        manifest: &mut Manifest,
    ) -> Result<()> {
        let docs: Vec<(u64, i64, &[u8])> = pieces
            .iter()
            .flat_map(|p| {
                p.docs
                    .iter()
                    .map(|(seq, day, blob)| (*seq, *day, blob.as_slice()))
            })
            .collect();
        manifest.generation += 1;
        if docs.is_empty() {
            return Ok(());
        }
        let partitions = partitions_of(docs.iter().map(|d| d.1));
        let first = partitions[0].0;
        let table = |t: fn(&SegmentData) -> &Vec<(u64, u64)>| -> Vec<&[(u64, u64)]> {
            pieces.iter().map(|p| t(p).as_slice()).collect()
        };
        let tables = [
            table(|p| &p.bands),
            table(|p| &p.units),
            table(|p| &p.words),
            table(|p| &p.ids),
            table(|p| &p.grams),
        ];
        let file = segment_file(&partitions, manifest.generation);
        let bytes = detector
            .install(|| store::write_segment_pieces(&self.dir, &file, first, &docs, tables))??;
        manifest.segments.push(SegmentInfo::written(
            file,
            first,
            docs.len(),
            bytes,
            partitions,
        ));
        Ok(())
    }

    /// Makes `manifest` the index's state: written atomically, then the
    /// segments it no longer names removed.
    fn commit(&mut self, manifest: Manifest) -> Result<()> {
        store::write_manifest(&self.dir, &manifest)?;
        let segments = manifest
            .segments
            .iter()
            .map(|s| Segment::open_listed(&self.dir, s))
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
        self.lap(Some("count unseen carriers"));
        let new_from = old.len();
        let mut data = old;
        data.extend(batch);
        let mut times = self.times.lock().unwrap_or_else(|e| e.into_inner());
        let report = detector.scan_neighbourhood(
            data,
            &Neighbourhood {
                new_from,
                unseen_carriers: unseen,
            },
            &mut times,
        )?;
        drop(times);
        let (report, indexed) = narrow(report, new_from);
        Ok((report, new_from, indexed))
    }
}

/// The entries of some documents (in number order) as a segment's
/// contents, their tables sorted.
fn piece(entries: Vec<DocEntries>) -> SegmentData {
    let mut seg = SegmentData::default();
    for e in entries {
        seg.docs.push((e.seq, e.day, e.record));
        seg.bands.extend(e.bands);
        seg.units.extend(e.units.into_iter().map(|k| (k, e.seq)));
        seg.words.extend(e.words.map(|k| (k, e.seq)));
        seg.ids.push((e.id, e.seq));
        seg.grams.extend(e.grams);
    }
    rayon::join(
        || {
            rayon::join(
                || seg.bands.par_sort_unstable(),
                || seg.grams.par_sort_unstable(),
            )
        },
        || {
            seg.units.sort_unstable();
            seg.words.sort_unstable();
            seg.ids.sort_unstable();
        },
    );
    seg
}

/// Whether `dir` holds nothing but a lock file, temporary files and the
/// empty manifest (an index whose creation was interrupted before it wrote
/// its parameters, which it writes last).
fn only_lock(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).all(|e| {
            let name = e.file_name();
            name == "LOCK"
                || name.to_string_lossy().ends_with(".tmp")
                || (name == store::MANIFEST_FILE
                    && store::read_manifest(dir).is_ok_and(|m| m.segments.is_empty()))
        })
    })
}

/// `(day, documents)` of documents of these days, by day.
fn partitions_of(days: impl Iterator<Item = i64>) -> Vec<(i64, u64)> {
    let mut days: Vec<i64> = days.collect();
    days.sort_unstable();
    days.chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u64))
        .collect()
}

/// The file name of a segment of `partitions` (sorted) written in
/// `generation`: its first and last days.
fn segment_file(partitions: &[(i64, u64)], generation: u64) -> String {
    let day = |p: Option<&(i64, u64)>| crate::date::format_day(p.map_or(0, |p| p.0));
    let (first, last) = (day(partitions.first()), day(partitions.last()));
    if first == last {
        format!("{first}-g{generation}.seg")
    } else {
        format!("{first}-{last}-g{generation}.seg")
    }
}

/// Removes the partitions before `day` from `manifest`; returns them. A
/// segment that holds only such partitions is dropped; one that also
/// holds later ones hides the earlier documents (`live_from`) until
/// compaction rewrites it.
fn drop_before(manifest: &mut Manifest, day: i64) -> Vec<i64> {
    let mut dropped: Vec<i64> = Vec::new();
    for s in &mut manifest.segments {
        dropped.extend(s.partitions.iter().map(|p| p.0).filter(|&d| d < day));
        if s.partitions.first().is_some_and(|p| p.0 < day) {
            s.partitions.retain(|p| p.0 >= day);
            s.docs = s.partitions.iter().map(|p| p.1).sum();
            s.live_from = Some(s.live_from.map_or(day, |f| f.max(day)));
        }
    }
    manifest.segments.retain(|s| !s.partitions.is_empty());
    dropped.sort_unstable();
    dropped.dedup();
    dropped
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
