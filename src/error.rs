//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong inside the `reprint` library.
///
/// Messages are lower-case, name the offending value and, where there is one,
/// the fix. The binary adds its own context on top.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("cannot read '{path}': {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The temporary file that keeps article texts beyond `--text-memory`
    /// could not be written or read back.
    #[error(
        "cannot keep article texts in a temporary file in '{dir}': {cause}; set TMPDIR to a writable directory with free space, or raise --text-memory"
    )]
    TempFile {
        /// The temporary directory.
        dir: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// A temporary file that keeps intermediate data beyond a memory
    /// budget (shingle sets beyond `--set-memory`, the rewrite candidates'
    /// grams) could not be written, mapped or read back.
    #[error(
        "cannot keep {what} in a temporary file in '{dir}': {cause}; set TMPDIR to a writable directory with free space{hint}"
    )]
    Spill {
        /// What was being kept.
        what: &'static str,
        /// The option that keeps more of it in memory, as a clause.
        hint: &'static str,
        /// The temporary directory.
        dir: PathBuf,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// A file looks binary (it holds NUL bytes) and is not text.
    #[error(
        "'{path}' looks like a binary file (NUL byte at offset {offset}); pass text files only"
    )]
    Binary {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// A path given on the command line does not exist.
    #[error("'{path}' does not exist")]
    NotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// Two inputs carry the same document id.
    #[error(
        "duplicate document id '{}' in '{path}' (first seen in '{first}'); {}",
        id.escape_debug(),
        if path.contains(".jsonl:") || path.contains(".ndjson:") || path.contains("<stdin>:") {
            "ids must be unique: fix those lines, or take ids from another field with --id-field"
        } else {
            "rename one of the files"
        }
    )]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Where it appeared again.
        path: String,
        /// Where it appeared first.
        first: String,
    },
    /// One line of a JSON Lines feed is unusable; the other lines are read.
    #[error("{path}:{line}: {message}")]
    FeedLine {
        /// The feed.
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong and what to do.
        message: String,
    },
    /// A compressed feed is damaged; the lines before the damage were read.
    #[error(
        "{path}: compressed data is truncated or corrupt after line {line} ({source}); the lines before it were read"
    )]
    Corrupt {
        /// The feed.
        path: String,
        /// The last line read completely.
        line: u64,
        /// The decoder's error.
        #[source]
        source: std::io::Error,
    },
    /// A compressed feed fails its integrity check: its data is damaged, so
    /// none of its records is used.
    #[error(
        "{path}: compressed data is damaged (checked at line {line}: {source}); none of its {records} records were used, since any of them may be garbled: re-download or recompress the file"
    )]
    Damaged {
        /// The feed.
        path: String,
        /// The last line read when the check failed.
        line: u64,
        /// Records read before the check failed (all set aside).
        records: u64,
        /// The decoder's error.
        #[source]
        source: std::io::Error,
    },
    /// A document is larger than the engine's offsets can address.
    #[error("'{path}' is {size} bytes; documents up to 4 GiB are supported, split the file")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: usize,
    },
    /// A parameter is out of its range or inconsistent with another one.
    #[error("invalid parameter {name}: {message}")]
    InvalidParameter {
        /// The parameter's name, as the command line spells it.
        name: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Two signatures built with different parameters were compared.
    #[error("incompatible signatures: {field} differs ({left} != {right})")]
    IncompatibleSignatures {
        /// Which parameter differs.
        field: &'static str,
        /// Its value on the left-hand signature.
        left: String,
        /// Its value on the right-hand signature.
        right: String,
    },
    /// An index could not be read or written.
    #[error("index '{path}': {message}")]
    Index {
        /// The index directory, or the file in it that failed.
        path: PathBuf,
        /// What failed and what to do.
        message: String,
    },
    /// A sketch directory (or the candidates written into it) could not be
    /// read or written, or does not match the run.
    #[error("sketch '{path}': {message}")]
    Sketch {
        /// The directory, or the file in it that failed.
        path: PathBuf,
        /// What failed and what to do.
        message: String,
    },
    /// Another process holds an index's writer lock.
    #[error("index '{path}' is locked by pid {pid} (one writer at a time; queries still work)")]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
        /// The process that holds it (0 when unknown).
        pid: u32,
    },
    /// Writing a report failed.
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
    /// Serialising a report to JSON failed.
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
