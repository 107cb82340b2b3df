//! The on-disk layout of an index, kept behind this module so the storage
//! can change without touching the engine.
//!
//! An index is a directory:
//!
//! - `index.json`: the format version and the detection parameters, fixed
//!   when the index is created;
//! - `MANIFEST`: the live segments, their partitions and the next document
//!   number, replaced atomically (written to a temporary file, synced,
//!   renamed, directory synced) once every segment it names is on disk;
//! - `segments/`: immutable segment files, one per batch as a batch is
//!   added (its calendar days are partitions of it), merged into larger
//!   files by compaction (see the `compact` module). A segment holds its
//!   documents (each compressed on its own, for random access, with its
//!   day) and
//!   five sorted tables of `(key, value)`:
//!   LSH band keys (value: document number << 16 | unit), unit shingle-set
//!   keys, body word keys and id hashes (value: document number), and
//!   sampled character grams (value: document number << 16 | its number of
//!   sampled grams), which propose rewrites.
//!   Lookups binary-search the memory-mapped tables. Evicting the days
//!   before a date unlinks the segments that hold only such days; in a
//!   merged segment that also holds later days, the manifest's
//!   `live_from` hides the earlier documents and their entries until the
//!   segment is rewritten;
//! - `LOCK`: the writer's lock (`flock`), with its pid.
//!
//! Why files of our own and not an embedded key-value store (fjall, redb):
//! the data is written once per batch and never updated, eviction drops
//! whole days (a file each), and readers in other processes must work
//! while a writer runs. Immutable segments and an atomically replaced
//! manifest give all three directly: a reader sees the manifest it read
//! and the segments it names; a writer killed at any moment leaves the
//! previous manifest, whose segments are untouched; an evicted day is an
//! unlinked file. The embedded stores open a database in one process at a
//! time, and their logs and compactions would rewrite data that never
//! changes.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::search;
use crate::error::{Error, Result};

/// The on-disk format version this build reads and writes. Any other
/// version is refused, never misread. Version 3: paragraph set keys over
/// 32-bit shingle keys ([`crate::shingle::shingle_key`]). Version 4: the
/// tokeniser splits digits from non-ASCII letters and folds Arabic-script
/// letter variants, so keys of such text differ from version 3's. Version
/// 5: the rewrite grams sample word pairs as well as character grams.
/// Version 6: a segment may hold many days (each document's day is in its
/// entry) and its blob offsets are relative to the blobs, so a merged
/// segment is written in one pass. Version 7: hard-wrapped text without
/// blank lines is split into paragraphs where a line ends short (see
/// [`crate::text::split_paragraphs`]), so such documents' paragraph keys
/// differ from version 6's. Version 8: each document's units' shingle sets
/// are stored beside its record.
pub const FORMAT_VERSION: u32 = 8;

const FORMAT_NAME: &str = "reprint-index";
const SEGMENT_MAGIC: &[u8; 8] = b"rprtseg\0";
const HEADER_LEN: usize = 144;
const DOC_ENTRY: usize = 32;
const TABLE_ENTRY: usize = 16;

/// Pages a search of a table probes, about (see the `search` module).
const SEARCH_PAGES: usize = 4;

/// The pages a read fault of a mapped file maps at once (the kernel's
/// default `fault_around_bytes`).
const FAULT_WINDOW: usize = 64 * 1024;

/// Bytes a merge reads through a segment's map between two hand-backs of
/// the pages read.
const RELEASE_EVERY: usize = 64 << 20;

pub(crate) const META_FILE: &str = "index.json";
pub(crate) const MANIFEST_FILE: &str = "MANIFEST";
pub(crate) const SEGMENT_DIR: &str = "segments";
const LOCK_FILE: &str = "LOCK";

fn index_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    index_error(path, format!("cannot {what}: {e}"))
}

/// What `index.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Meta {
    pub format: String,
    pub version: u32,
    /// The detection parameters, by command-line name (for messages).
    pub params: Vec<(String, String)>,
    /// The detection configuration (threads, matrix and metric aside).
    pub config: crate::scan::Config,
    /// Partitions older than the newest by more than this many days are
    /// evicted after each add.
    pub window_days: Option<u32>,
}

/// One live segment as the manifest lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct SegmentInfo {
    /// File name under `segments/`.
    pub file: String,
    /// Its first partition (days since 1970-01-01) as written.
    pub day: i64,
    /// Its live documents.
    pub docs: u64,
    /// Documents in the file, evicted ones included.
    pub stored: u64,
    /// Its size on disk.
    pub bytes: u64,
    /// Documents of days before this one are evicted: their entries are
    /// skipped and their records not read.
    pub live_from: Option<i64>,
    /// `(day, live documents)` of each partition it holds, by day.
    pub partitions: Vec<(i64, u64)>,
}

impl SegmentInfo {
    /// A file just written: `docs` documents, none evicted, in
    /// `partitions` (by day, the first `first_day`).
    pub fn written(
        file: String,
        first_day: i64,
        docs: usize,
        bytes: u64,
        partitions: Vec<(i64, u64)>,
    ) -> SegmentInfo {
        SegmentInfo {
            file,
            day: first_day,
            docs: docs as u64,
            stored: docs as u64,
            bytes,
            live_from: None,
            partitions,
        }
    }

    /// The newest partition it holds.
    pub fn last_day(&self) -> i64 {
        self.partitions.last().map_or(self.day, |p| p.0)
    }

    /// The share of its documents that are evicted.
    pub fn evicted_share(&self) -> f64 {
        1.0 - self.docs as f64 / self.stored.max(1) as f64
    }
}

/// What `MANIFEST` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub(crate) struct Manifest {
    pub format: String,
    pub version: u32,
    /// Incremented by every write.
    pub generation: u64,
    /// The number the next added document gets.
    pub next_seq: u64,
    pub segments: Vec<SegmentInfo>,
}

/// Checks a format name and version read from `path`.
fn check_version(path: &Path, format: &str, version: u32) -> Result<()> {
    if format != FORMAT_NAME {
        return Err(index_error(
            path,
            format!("not a reprint index (format '{format}')"),
        ));
    }
    if version != FORMAT_VERSION {
        return Err(index_error(
            path,
            format!(
                "written in index format version {version}; this reprint reads version {FORMAT_VERSION}. \
                 Use the reprint that wrote it, or build a new index from the feeds"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn new_meta(
    params: Vec<(String, String)>,
    config: crate::scan::Config,
    window_days: Option<u32>,
) -> Meta {
    Meta {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        params,
        config,
        window_days,
    }
}

pub(crate) fn empty_manifest() -> Manifest {
    Manifest {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        ..Manifest::default()
    }
}

/// Reads and checks `index.json`; `None` when the directory holds none.
pub(crate) fn read_meta(dir: &Path) -> Result<Option<Meta>> {
    let path = dir.join(META_FILE);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(&path, "read it", e)),
    };
    let meta: Meta = serde_json::from_slice(&bytes)
        .map_err(|e| index_error(&path, format!("not a reprint index file ({e})")))?;
    check_version(&path, &meta.format, meta.version)?;
    Ok(Some(meta))
}

/// Reads and checks `MANIFEST`.
pub(crate) fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST_FILE);
    let bytes = fs::read(&path).map_err(|e| io_error(&path, "read it", e))?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| index_error(&path, format!("damaged manifest ({e})")))?;
    check_version(&path, &manifest.format, manifest.version)?;
    Ok(manifest)
}

/// Writes `bytes` to `dir/name` atomically: a temporary file, synced,
/// renamed over the name, and the directory synced.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let path = dir.join(name);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, &path)?;
        sync_dir(dir)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(&path, "write it", e)
    })
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

pub(crate) fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(manifest)?;
    write_atomic(dir, MANIFEST_FILE, &bytes)
}

pub(crate) fn write_meta(dir: &Path, meta: &Meta) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(meta)?;
    write_atomic(dir, META_FILE, &bytes)
}

/// The writer's lock: held while this value lives.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock of the index in `dir`, or says which process holds
    /// it.
    pub(crate) fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_error(&path, "open the lock file", e))?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(Error::IndexLocked {
                    path: dir.to_path_buf(),
                    pid: text.trim().parse().unwrap_or(0),
                });
            }
            Err(e) => return Err(io_error(&path, "lock it", e.into())),
        }
        let written = file
            .set_len(0)
            .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()))
            .and_then(|()| file.flush());
        written.map_err(|e| io_error(&path, "write the lock file", e))?;
        Ok(Lock { _file: file })
    }
}

/// Removes files under `segments/` that the manifest does not name: the
/// remains of a writer that was stopped before it committed.
pub(crate) fn remove_unlisted(dir: &Path, manifest: &Manifest) -> Result<usize> {
    let seg_dir = dir.join(SEGMENT_DIR);
    let entries = match fs::read_dir(&seg_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io_error(&seg_dir, "list it", e)),
    };
    let listed: ahash::AHashSet<&str> = manifest.segments.iter().map(|s| s.file.as_str()).collect();
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(&seg_dir, "list it", e))?;
        let name = entry.file_name();
        if !listed.contains(name.to_string_lossy().as_ref()) {
            fs::remove_file(entry.path()).map_err(|e| io_error(&entry.path(), "remove it", e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Table entries read a page at a time with `pread`, for lookups of few
/// keys, the pages read kept in a few slots (every search probes its
/// table's first and last pages, then pages near its key); an entry that
/// cannot be read so is read through the map.
struct PageReader<'s> {
    segment: &'s Segment,
    /// The page each slot holds (`usize::MAX`: none).
    pages: std::cell::RefCell<[usize; PageReader::SLOTS]>,
    buf: std::cell::RefCell<Vec<u8>>,
}

impl<'s> PageReader<'s> {
    const PAGE: usize = 4096;
    const SLOTS: usize = 16;

    fn new(segment: &'s Segment) -> Self {
        PageReader {
            segment,
            pages: std::cell::RefCell::new([usize::MAX; Self::SLOTS]),
            buf: std::cell::RefCell::new(vec![0; Self::PAGE * Self::SLOTS]),
        }
    }

    /// Entry `i` of the table at `t` (entries never straddle a page:
    /// tables start at multiples of [`TABLE_ENTRY`]).
    fn entry(&self, t: (usize, usize), i: usize) -> (u64, u64) {
        let at = t.0 + i * TABLE_ENTRY;
        let page = at / Self::PAGE;
        let slot = page % Self::SLOTS;
        if self.pages.borrow()[slot] != page && !self.load(page, slot) {
            return self.segment.entry(t, i);
        }
        let buf = self.buf.borrow();
        let off = slot * Self::PAGE + at % Self::PAGE;
        (u64_at(&buf, off), u64_at(&buf, off + 8))
    }

    /// Reads page `page` into its slot; false when it cannot.
    fn load(&self, page: usize, slot: usize) -> bool {
        let from = page * Self::PAGE;
        let len = Self::PAGE.min(self.segment.map.len().saturating_sub(from));
        let mut buf = self.buf.borrow_mut();
        let into = &mut buf[slot * Self::PAGE..slot * Self::PAGE + len];
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_exact_at(&self.segment.file, into, from as u64)
            .is_ok();
        #[cfg(not(unix))]
        let read = {
            let _ = into;
            false
        };
        // A failed read may have filled part of the slot.
        self.pages.borrow_mut()[slot] = if read { page } else { usize::MAX };
        read
    }
}

/// A stored document: its compressed record, then the shingle set of each
/// of its fingerprinted units, so that a unit proposed by a band key is
/// verified without reading the text back and shingling it again. Laid
/// out as little-endian u32s after the record: the record's length comes
/// first, then the record, the number of units `n`, `n + 1` offsets into
/// the keys that follow, and the keys.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocBlob<'a> {
    /// The deflate-compressed JSON record.
    pub record: &'a [u8],
    /// `n + 1` offsets, then the keys.
    sets: &'a [u8],
    units: usize,
}

fn u32_at(bytes: &[u8], i: usize) -> Option<u32> {
    let b = bytes.get(4 * i..4 * i + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> DocBlob<'a> {
    /// The blob of a compressed record and its units' sets.
    pub(crate) fn write<'s>(
        record: &[u8],
        sets: impl ExactSizeIterator<Item = &'s [u32]>,
    ) -> Vec<u8> {
        let units = sets.len();
        let mut keys: Vec<u32> = Vec::new();
        let mut offsets: Vec<u32> = Vec::with_capacity(units + 1);
        offsets.push(0);
        for set in sets {
            keys.extend_from_slice(set);
            offsets.push(keys.len() as u32);
        }
        let mut out = Vec::with_capacity(8 + record.len() + 4 * (offsets.len() + keys.len()));
        out.extend_from_slice(&(record.len() as u32).to_le_bytes());
        out.extend_from_slice(record);
        out.extend_from_slice(&(units as u32).to_le_bytes());
        for x in offsets.iter().chain(&keys) {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    /// Splits a stored blob; `None` when it is damaged.
    fn parse(blob: &'a [u8]) -> Option<DocBlob<'a>> {
        let len = u32_at(blob, 0)? as usize;
        let record = blob.get(4..4 + len)?;
        let rest = blob.get(4 + len..)?;
        let units = u32_at(rest, 0)? as usize;
        let sets = rest.get(4..)?;
        // The offsets are there, and the last one is within the keys.
        let last = u32_at(sets, units)? as usize;
        (sets.len() >= 4 * (units + 1 + last)).then_some(DocBlob {
            record,
            sets,
            units,
        })
    }

    /// The shingle set of unit `u`, as the document was shingled when it
    /// was added; `None` past its units or when the offsets are damaged.
    pub(crate) fn unit_set(&self, u: usize) -> Option<Vec<u32>> {
        if u >= self.units {
            return None;
        }
        let (from, to) = (
            u32_at(self.sets, u)? as usize,
            u32_at(self.sets, u + 1)? as usize,
        );
        let base = self.units + 1;
        (from <= to)
            .then(|| (from..to).map(|i| u32_at(self.sets, base + i)).collect())
            .flatten()
    }
}

/// A segment to be written: documents `(number, compressed record)` in
/// number order and the five key tables, each `(key, value)` sorted.
#[derive(Debug, Default)]
pub(crate) struct SegmentData {
    /// `(number, day, stored blob)` in number order.
    pub docs: Vec<(u64, i64, Vec<u8>)>,
    pub bands: Vec<(u64, u64)>,
    pub units: Vec<(u64, u64)>,
    pub words: Vec<(u64, u64)>,
    pub ids: Vec<(u64, u64)>,
    pub grams: Vec<(u64, u64)>,
}

/// The five key tables of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// `(band << 32 | band key)` of every fingerprinted unit (value:
    /// document number << [`UNIT_BITS`] | unit).
    Bands,
    /// The shingle-set key of every fingerprinted unit, once per document.
    Units,
    /// The body's word key.
    Words,
    /// The XXH3-64 of the document's id.
    Ids,
    /// The high half of each sampled character gram (value: document
    /// number << [`UNIT_BITS`] | the document's sampled grams, at most
    /// 65,535).
    Grams,
}

/// Bits of a band or gram table value below the document number.
pub(crate) const UNIT_BITS: u32 = 16;

impl Table {
    /// Every table, in file order.
    pub(crate) const ALL: [Table; 5] = [
        Table::Bands,
        Table::Units,
        Table::Words,
        Table::Ids,
        Table::Grams,
    ];

    /// The document number a value of this table refers to.
    fn seq_of(self, value: u64) -> u64 {
        match self {
            Table::Bands | Table::Grams => value >> UNIT_BITS,
            Table::Units | Table::Words | Table::Ids => value,
        }
    }
}

/// Writes `data` as `segments/NAME` (synced), its first partition
/// `first_day`, and returns its size.
#[cfg(test)]
pub(crate) fn write_segment(
    dir: &Path,
    name: &str,
    first_day: i64,
    data: &SegmentData,
) -> Result<u64> {
    let docs: Vec<(u64, i64, &[u8])> = data
        .docs
        .iter()
        .map(|(seq, day, blob)| (*seq, *day, blob.as_slice()))
        .collect();
    let tables: [Box<dyn Iterator<Item = (u64, u64)> + '_>; 5] = [
        Box::new(data.bands.iter().copied()),
        Box::new(data.units.iter().copied()),
        Box::new(data.words.iter().copied()),
        Box::new(data.ids.iter().copied()),
        Box::new(data.grams.iter().copied()),
    ];
    write_segment_from(dir, name, first_day, &docs, tables, &|| {})
}

/// Writes `segments/NAME` (synced) from documents `(number, day,
/// compressed record)` in number order and the five tables in [`Table`]
/// order, each sorted; `first_day` is the segment's first partition.
/// Streamed: the tables are never held whole, and `read_through` is
/// called after each [`RELEASE_EVERY`] bytes of records written (a merge
/// hands back the pages of its inputs there). Returns the file's size.
pub(crate) fn write_segment_from<'a>(
    dir: &Path,
    name: &str,
    first_day: i64,
    docs: &[(u64, i64, &[u8])],
    tables: [Box<dyn Iterator<Item = (u64, u64)> + 'a>; 5],
    read_through: &dyn Fn(),
) -> Result<u64> {
    let seg_dir = dir.join(SEGMENT_DIR);
    fs::create_dir_all(&seg_dir).map_err(|e| io_error(&seg_dir, "create it", e))?;
    let path = seg_dir.join(name);
    let result = (|| -> std::io::Result<u64> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        out.write_all(&[0u8; HEADER_LEN])?;
        let mut at = HEADER_LEN as u64;
        // The header: first day, documents and their table's offset, then
        // each key table's length and offset in `Table` order, blobs, file
        // length.
        let mut fields: Vec<u64> = vec![first_day as u64, docs.len() as u64, at];
        let blob_at = doc_table(docs, |entry| out.write_all(&entry))?;
        at += (docs.len() * DOC_ENTRY) as u64;
        for table in tables {
            let start = at;
            let mut n = 0u64;
            for (k, v) in table {
                out.write_all(&k.to_le_bytes())?;
                out.write_all(&v.to_le_bytes())?;
                n += 1;
            }
            at += n * TABLE_ENTRY as u64;
            fields.push(n);
            fields.push(start);
        }
        fields.push(at);
        let mut since = 0usize;
        for (_, _, blob) in docs {
            out.write_all(blob)?;
            since += blob.len();
            if since >= RELEASE_EVERY {
                read_through();
                since = 0;
            }
        }
        at += blob_at;
        fields.push(at);
        let header = header(&fields);
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))?;
        file.write_all(&header)?;
        file.sync_all()?;
        Ok(at)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&path);
        io_error(&path, "write it", e)
    })
}

/// Bytes written to a file from an offset on, gathered a megabyte at a
/// time (`pwrite`, so that parts of one file are written in parallel).
struct Placed<'f> {
    file: &'f File,
    at: u64,
    buf: Vec<u8>,
}

impl<'f> Placed<'f> {
    const FLUSH: usize = 1 << 20;

    fn new(file: &'f File, at: u64) -> Placed<'f> {
        Placed {
            file,
            at,
            buf: Vec::with_capacity(Self::FLUSH + 64),
        }
    }

    fn push(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::FLUSH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(self.file, &self.buf, self.at)?;
        self.at += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.flush()
    }
}

/// Hands `out` each document's entry of the documents' table (number,
/// record offset among the records, record length, day) in order;
/// returns the records' total length.
fn doc_table(
    docs: &[(u64, i64, &[u8])],
    mut out: impl FnMut([u8; DOC_ENTRY]) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    let mut blob_at = 0u64;
    for (seq, day, blob) in docs {
        let mut entry = [0u8; DOC_ENTRY];
        for (i, x) in [*seq, blob_at, blob.len() as u64, *day as u64]
            .into_iter()
            .enumerate()
        {
            entry[i * 8..(i + 1) * 8].copy_from_slice(&x.to_le_bytes());
        }
        out(entry)?;
        blob_at += blob.len() as u64;
    }
    Ok(blob_at)
}

/// A segment file's header for its `fields`: first day, documents and
/// their table's offset, each key table's length and offset in [`Table`]
/// order, the records' offset, the file's length.
fn header(fields: &[u64]) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(SEGMENT_MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    for f in fields {
        header.extend_from_slice(&f.to_le_bytes());
    }
    let check = xxh3_64(&header);
    header.extend_from_slice(&check.to_le_bytes());
    debug_assert_eq!(header.len(), HEADER_LEN);
    header
}

/// Writes `segments/NAME` as [`write_segment_from`] does, the same bytes,
/// from tables held as sorted pieces (each table the pieces' entries
/// merged), but not synced: [`sync_segment`] it before listing it, so
/// that the system writes it out while the next one is made. The tables'
/// lengths being known, every part of the file is placed before it is
/// written, and the parts are written in parallel: the band table, the
/// gram table, and the rest. Returns the file's size.
pub(crate) fn write_segment_pieces(
    dir: &Path,
    name: &str,
    first_day: i64,
    docs: &[(u64, i64, &[u8])],
    tables: [Vec<&[(u64, u64)]>; 5],
) -> Result<u64> {
    use std::os::unix::fs::FileExt;
    let seg_dir = dir.join(SEGMENT_DIR);
    fs::create_dir_all(&seg_dir).map_err(|e| io_error(&seg_dir, "create it", e))?;
    let path = seg_dir.join(name);
    // Where each part goes.
    let mut at = HEADER_LEN as u64;
    let mut fields: Vec<u64> = vec![first_day as u64, docs.len() as u64, at];
    at += (docs.len() * DOC_ENTRY) as u64;
    let mut table_at = [0u64; 5];
    for (t, pieces) in tables.iter().enumerate() {
        let n: u64 = pieces.iter().map(|p| p.len() as u64).sum();
        table_at[t] = at;
        fields.push(n);
        fields.push(at);
        at += n * TABLE_ENTRY as u64;
    }
    let blobs_at = at;
    fields.push(blobs_at);
    at += docs.iter().map(|d| d.2.len() as u64).sum::<u64>();
    fields.push(at);
    let result = (|| -> std::io::Result<u64> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let table = |t: usize| {
            let parts: Vec<Box<dyn Iterator<Item = (u64, u64)> + '_>> = tables[t]
                .iter()
                .map(|p| Box::new(p.iter().copied()) as Box<dyn Iterator<Item = _>>)
                .collect();
            let mut out = Placed::new(&file, table_at[t]);
            for (k, v) in super::compact::merged(parts) {
                out.push(&k.to_le_bytes())?;
                out.push(&v.to_le_bytes())?;
            }
            out.finish()
        };
        let rest = || {
            let mut out = Placed::new(&file, HEADER_LEN as u64);
            doc_table(docs, |entry| out.push(&entry))?;
            out.finish()?;
            for t in [1, 2, 3] {
                table(t)?;
            }
            let mut out = Placed::new(&file, blobs_at);
            for (_, _, blob) in docs {
                out.push(blob)?;
            }
            out.finish()
        };
        let (bands, (grams, rest)) = rayon::join(|| table(0), || rayon::join(|| table(4), rest));
        bands?;
        grams?;
        rest?;
        file.write_all_at(&header(&fields), 0)?;
        Ok(at)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&path);
        io_error(&path, "write it", e)
    })
}

/// Makes `segments/NAME`, written by [`write_segment_pieces`], durable,
/// with its directory entry.
pub(crate) fn sync_segment(dir: &Path, name: &str) -> Result<()> {
    let seg_dir = dir.join(SEGMENT_DIR);
    let path = seg_dir.join(name);
    File::open(&path)
        .and_then(|f| f.sync_all())
        .and_then(|()| sync_dir(&seg_dir))
        .map_err(|e| io_error(&path, "write it", e))
}

/// A segment opened for reading (memory-mapped).
#[derive(Debug)]
pub(crate) struct Segment {
    path: PathBuf,
    map: Mmap,
    /// The file, for lookups of few keys read with `pread` (see
    /// [`PageReader`]).
    file: File,
    pub day: i64,
    /// Documents of earlier days are evicted.
    live_from: Option<i64>,
    docs: (usize, usize),
    blobs: usize,
    bands: (usize, usize),
    units: (usize, usize),
    words: (usize, usize),
    ids: (usize, usize),
    grams: (usize, usize),
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

impl Segment {
    /// Opens and checks `segments/NAME`.
    pub(crate) fn open(dir: &Path, name: &str) -> Result<Segment> {
        let path = dir.join(SEGMENT_DIR).join(name);
        let file = File::open(&path).map_err(|e| io_error(&path, "open it", e))?;
        // SAFETY: segments are never modified once written (a new one is
        // written and the manifest replaced instead); an evicted segment is
        // unlinked, which keeps a mapping valid.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| io_error(&path, "map it", e))?;
        // Lookups touch a few pages here and there: read ahead of a
        // fault, a cold query read 5 MB for each page it needed (6.6 s and
        // 1.07 GB resident against 600,000 articles; 1.5 s and 89 MB
        // without). The advice is a hint; a system that refuses it is
        // only slower.
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Random);
        let damaged = |what: &str| index_error(&path, format!("damaged segment: {what}"));
        if map.len() < HEADER_LEN || &map[..8] != SEGMENT_MAGIC {
            return Err(damaged("not a segment file"));
        }
        let version = u32::from_le_bytes([map[8], map[9], map[10], map[11]]);
        if version != FORMAT_VERSION {
            return Err(index_error(
                &path,
                format!("segment in format version {version}; this reprint reads {FORMAT_VERSION}"),
            ));
        }
        if u64_at(&map, HEADER_LEN - 8) != xxh3_64(&map[..HEADER_LEN - 8]) {
            return Err(damaged("header checksum"));
        }
        let f = |i: usize| u64_at(&map, 16 + 8 * i);
        if f(14) != map.len() as u64 {
            return Err(damaged("truncated"));
        }
        let len = map.len();
        let span = |n: u64, off: u64, entry: usize| -> Result<(usize, usize)> {
            let n = usize::try_from(n).map_err(|_| damaged("table size"))?;
            let off = usize::try_from(off).map_err(|_| damaged("table offset"))?;
            match n.checked_mul(entry).and_then(|b| b.checked_add(off)) {
                Some(end) if end <= len => Ok((off, n)),
                _ => Err(damaged("table out of bounds")),
            }
        };
        let docs = span(f(1), f(2), DOC_ENTRY)?;
        let blobs = span(0, f(13), 1)?.0;
        let table_at = |i: usize| span(f(3 + 2 * i), f(4 + 2 * i), TABLE_ENTRY);
        let (bands, units, words, ids, grams) = (
            table_at(0)?,
            table_at(1)?,
            table_at(2)?,
            table_at(3)?,
            table_at(4)?,
        );
        Ok(Segment {
            day: f(0) as i64,
            live_from: None,
            path,
            map,
            file,
            docs,
            blobs,
            bands,
            units,
            words,
            ids,
            grams,
        })
    }

    /// Opens the segment the manifest lists as `info`.
    pub(crate) fn open_listed(dir: &Path, info: &SegmentInfo) -> Result<Segment> {
        let mut s = Segment::open(dir, &info.file)?;
        if s.day != info.day {
            return Err(index_error(
                &s.path,
                "damaged segment: its partition is not the manifest's",
            ));
        }
        s.live_from = info.live_from;
        Ok(s)
    }

    /// Documents in the file, evicted ones included.
    pub(crate) fn len(&self) -> usize {
        self.docs.1
    }

    /// `(number, blob offset, blob length, day)` of the `i`-th document.
    fn doc_entry(&self, i: usize) -> (u64, u64, u64, i64) {
        let at = self.docs.0 + i * DOC_ENTRY;
        (
            u64_at(&self.map, at),
            u64_at(&self.map, at + 8),
            u64_at(&self.map, at + 16),
            u64_at(&self.map, at + 24) as i64,
        )
    }

    /// The position of document `seq` in the documents table.
    fn position(&self, seq: u64) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.doc_entry(mid).0.cmp(&seq) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn live_day(&self, day: i64) -> bool {
        self.live_from.is_none_or(|from| day >= from)
    }

    /// Whether a value of table `t` refers to a document not evicted.
    fn is_live(&self, t: Table, value: u64) -> bool {
        self.live_from.is_none()
            || self
                .position(t.seq_of(value))
                .is_some_and(|i| self.live_day(self.doc_entry(i).3))
    }

    /// The stored document `seq` (its compressed record and its units'
    /// shingle sets), when it is here and not evicted.
    pub(crate) fn document(&self, seq: u64) -> Result<Option<DocBlob<'_>>> {
        let Some(i) = self.position(seq) else {
            return Ok(None);
        };
        let (_, off, n, day) = self.doc_entry(i);
        if !self.live_day(day) {
            return Ok(None);
        }
        let blob = self.blob(off, n)?;
        DocBlob::parse(blob)
            .map(Some)
            .ok_or_else(|| index_error(&self.path, format!("damaged segment: document {seq}")))
    }

    fn blob(&self, off: u64, n: u64) -> Result<&[u8]> {
        let start = (self.blobs as u64).checked_add(off);
        match start.and_then(|a| Some((a, a.checked_add(n)?))) {
            Some((a, end)) if end <= self.map.len() as u64 => {
                Ok(&self.map[a as usize..end as usize])
            }
            _ => Err(index_error(
                &self.path,
                "damaged segment: record out of bounds",
            )),
        }
    }

    /// Tells the system the file is about to be read through in order (a
    /// merge): read ahead again, unlike lookups.
    pub(crate) fn read_in_order(&self) {
        #[cfg(unix)]
        let _ = self.map.advise(memmap2::Advice::Sequential);
    }

    /// Unmaps the pages read so far; they stay in the page cache. A
    /// batch's lookups touch most pages of the tables they search, which
    /// would otherwise stay resident for the rest of the batch (2.0 of
    /// the 4.5 GB peak of a 200,000-article build were such pages).
    pub(crate) fn release_pages(&self) {
        self.release_range(0, self.map.len());
    }

    /// `(number, day, compressed record)` of every live document, in
    /// number order.
    pub(crate) fn live_documents(&self) -> Result<Vec<(u64, i64, &[u8])>> {
        (0..self.len())
            .map(|i| self.doc_entry(i))
            .filter(|e| self.live_day(e.3))
            .map(|(seq, off, n, day)| Ok((seq, day, self.blob(off, n)?)))
            .collect()
    }

    /// Every live entry of table `t`, in order. The pages read through are
    /// handed back every [`RELEASE_EVERY`] bytes: a merge of the whole
    /// index reads gigabytes of tables.
    pub(crate) fn live_entries(&self, t: Table) -> impl Iterator<Item = (u64, u64)> + '_ {
        const STRIDE: usize = RELEASE_EVERY / TABLE_ENTRY;
        let tab = self.table(t);
        (0..tab.1)
            .map(move |i| {
                if i > 0 && i % STRIDE == 0 {
                    self.release_range(tab.0 + (i - STRIDE) * TABLE_ENTRY, tab.0 + i * TABLE_ENTRY);
                }
                self.entry(tab, i)
            })
            .filter(move |&(_, v)| self.is_live(t, v))
    }

    fn table(&self, t: Table) -> (usize, usize) {
        match t {
            Table::Bands => self.bands,
            Table::Units => self.units,
            Table::Words => self.words,
            Table::Ids => self.ids,
            Table::Grams => self.grams,
        }
    }

    fn entry(&self, t: (usize, usize), i: usize) -> (u64, u64) {
        let at = t.0 + i * TABLE_ENTRY;
        (u64_at(&self.map, at), u64_at(&self.map, at + 8))
    }

    /// For sorted, distinct `keys`: the first `per_key` values filed under
    /// each in table `t`, as `(position in keys, value)`, appended to
    /// `out`. Keys near each other are galloped to and far ones searched
    /// ([`search::lower_bound_from`]), so a dense batch costs about one read
    /// of the table and a sparse one a few pages per key.
    pub(crate) fn lookup_sorted(
        &self,
        t: Table,
        keys: &[u64],
        per_key: usize,
        out: &mut Vec<(u32, u64)>,
    ) {
        let tab = self.table(t);
        let n = tab.1;
        // Each search probes a few pages. Through the map, a probe's fault
        // maps the window of pages around it (and they are unmapped
        // again), which pays when the keys' searches cover the table's
        // windows several times over: many keys, or a small table. Few
        // keys in a large table read their pages with `pread` instead, a
        // system call each.
        let sparse = n * TABLE_ENTRY > keys.len().saturating_mul(SEARCH_PAGES * FAULT_WINDOW);
        let pages = sparse.then(|| PageReader::new(self));
        let entry = |j: usize| match &pages {
            Some(p) => p.entry(tab, j),
            None => self.entry(tab, j),
        };
        let mut i = 0usize;
        let mut first = None;
        for (q, &key) in keys.iter().enumerate() {
            if i >= n {
                break;
            }
            // Galloping from the last key's place probes pages between
            // them that a sparse lookup does not need.
            i = if sparse {
                search::lower_bound(|j| entry(j).0, i, n, key)
            } else {
                search::lower_bound_from(|j| entry(j).0, i, n, key)
            };
            first.get_or_insert(i);
            let mut taken = 0;
            while i < n && taken < per_key {
                let (k, v) = entry(i);
                if k != key {
                    break;
                }
                if self.is_live(t, v) {
                    out.push((q as u32, v));
                    taken += 1;
                }
                i += 1;
            }
        }
        // A batch's keys read a stretch of the table through: its pages
        // are handed back as soon as it is done, so that a lookup of
        // millions of keys does not hold the whole table mapped.
        if let Some(first) = first.filter(|_| pages.is_none()) {
            self.release_range(tab.0 + first * TABLE_ENTRY, tab.0 + i.min(n) * TABLE_ENTRY);
        }
    }

    /// Unmaps the whole pages of bytes `from..to` of the file (see
    /// [`Segment::release_pages`]).
    fn release_range(&self, from: usize, to: usize) {
        const PAGE: usize = 4096;
        let from = from.next_multiple_of(PAGE);
        let to = if to >= self.map.len() {
            self.map.len()
        } else {
            to / PAGE * PAGE
        };
        if to <= from {
            return;
        }
        // SAFETY: the map is a read-only mapping of a file that is never
        // modified once written (see `open`), and nothing is written
        // through it: the pages handed back stay mapped at the same
        // addresses and are read again from the file with the same bytes,
        // so a slice held across this (a merge holds its inputs' records)
        // reads what it read before.
        #[cfg(unix)]
        unsafe {
            let _ = self.map.unchecked_advise_range(
                memmap2::UncheckedAdvice::DontNeed,
                from,
                to - from,
            );
        }
    }

    /// The document numbers filed under `key` in table `t`, in order.
    pub(crate) fn lookup(&self, t: Table, key: u64) -> impl Iterator<Item = u64> + '_ {
        let tab = self.table(t);
        let lo = search::lower_bound(|j| self.entry(tab, j).0, 0, tab.1, key);
        (lo..tab.1)
            .map(move |i| self.entry(tab, i))
            .take_while(move |&(k, _)| k == key)
            .filter(move |&(_, v)| self.is_live(t, v))
            .map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_blob_gives_back_its_record_and_unit_sets() {
        let sets: Vec<Vec<u32>> = vec![vec![1, 5, 9], vec![], vec![u32::MAX, 7]];
        let blob = DocBlob::write(b"record bytes", sets.iter().map(|s| &s[..]));
        let doc = DocBlob::parse(&blob).expect("a blob");
        assert_eq!(doc.record, b"record bytes");
        for (u, set) in sets.iter().enumerate() {
            assert_eq!(doc.unit_set(u).as_ref(), Some(set));
        }
        assert_eq!(doc.unit_set(3), None);
        // A blob cut short anywhere is refused, not misread.
        for end in 0..blob.len() {
            assert!(DocBlob::parse(&blob[..end]).is_none(), "cut at {end}");
        }
    }

    #[test]
    fn a_segment_written_from_pieces_in_parallel_is_the_one_written_in_a_stream() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // Three pieces of sorted entries per table (hashed keys, some
        // repeated across pieces), a table with none, and records.
        let piece = |table: u64, p: u64, n: u64| -> Vec<(u64, u64)> {
            let mut v: Vec<(u64, u64)> = (0..n)
                .map(|i| {
                    (
                        crate::minhash::splitmix64(table * 7 + (p * n + i) / 2),
                        p * n + i,
                    )
                })
                .collect();
            v.sort_unstable();
            v
        };
        let sizes = [70_000u64, 30, 0, 5, 90_000];
        let tables: Vec<Vec<Vec<(u64, u64)>>> = sizes
            .iter()
            .enumerate()
            .map(|(t, &n)| (0..3).map(|p| piece(t as u64, p, n)).collect())
            .collect();
        let blobs: Vec<Vec<u8>> = (0..300u64)
            .map(|d| vec![d as u8; (d as usize * 37) % 5_000])
            .collect();
        let docs: Vec<(u64, i64, &[u8])> = blobs
            .iter()
            .enumerate()
            .map(|(d, b)| (d as u64 + 10, 20_000 + d as i64 / 100, b.as_slice()))
            .collect();
        let pieces =
            |t: usize| -> Vec<&[(u64, u64)]> { tables[t].iter().map(|p| p.as_slice()).collect() };
        let parallel = write_segment_pieces(
            dir.path(),
            "p.seg",
            20_000,
            &docs,
            [pieces(0), pieces(1), pieces(2), pieces(3), pieces(4)],
        )
        .expect("written");
        let merged = |t: usize| -> Box<dyn Iterator<Item = (u64, u64)> + '_> {
            let mut all: Vec<(u64, u64)> = tables[t].concat();
            all.sort_unstable();
            Box::new(all.into_iter())
        };
        let streamed = write_segment_from(
            dir.path(),
            "s.seg",
            20_000,
            &docs,
            [merged(0), merged(1), merged(2), merged(3), merged(4)],
            &|| {},
        )
        .expect("written");
        assert_eq!(parallel, streamed);
        let read = |name: &str| std::fs::read(dir.path().join(SEGMENT_DIR).join(name)).unwrap();
        assert!(read("p.seg") == read("s.seg"), "the files differ");
        let seg = Segment::open(dir.path(), "p.seg").expect("opened");
        assert_eq!(seg.docs.1, 300);
    }

    #[test]
    fn lookups_of_few_keys_read_with_pread_find_what_the_map_finds() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // Hashed keys, some repeated, over many pages of a table.
        let mut bands: Vec<(u64, u64)> = (0..200_000u64)
            .map(|i| (crate::minhash::splitmix64(i / 3), i))
            .collect();
        bands.sort_unstable();
        let data = SegmentData {
            bands: bands.clone(),
            ..SegmentData::default()
        };
        write_segment(dir.path(), "s.seg", 1, &data).expect("written");
        let seg = Segment::open(dir.path(), "s.seg").expect("opened");
        let expected = |keys: &[u64], per_key: usize| -> Vec<(u32, u64)> {
            keys.iter()
                .enumerate()
                .flat_map(|(q, &k)| {
                    let at = bands.partition_point(|&(b, _)| b < k);
                    bands[at..]
                        .iter()
                        .take_while(move |&&(b, _)| b == k)
                        .take(per_key)
                        .map(move |&(_, v)| (q as u32, v))
                })
                .collect()
        };
        // Keys present and absent, sorted and distinct: few (read with
        // pread: the table is 3.2 MB) and many (read through the map).
        for n in [1usize, 7, 300, 20_000] {
            let sparse = bands.len() * TABLE_ENTRY > n * SEARCH_PAGES * FAULT_WINDOW;
            assert_eq!(sparse, n <= 7);
            let mut keys: Vec<u64> = (0..n as u64)
                .map(|i| {
                    if i % 2 == 0 {
                        crate::minhash::splitmix64(i * 3)
                    } else {
                        crate::minhash::splitmix64(1_000_000 + i)
                    }
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            for per_key in [1, 2, 64] {
                let mut found = Vec::new();
                seg.lookup_sorted(Table::Bands, &keys, per_key, &mut found);
                assert_eq!(
                    found,
                    expected(&keys, per_key),
                    "{n} keys, {per_key} per key"
                );
            }
        }
    }
}
