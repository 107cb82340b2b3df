//! `reprint` finds text reuse between news articles: which article
//! reproduces which paragraphs of another, how much, and in which direction.
//!
//! # The pipeline
//!
//! Data flows one way through one module per stage. Byte offsets into the
//! original text travel with every unit, so any report can quote and
//! highlight the exact source text.
//!
//! 1. **Load** ([`corpus`]): [`corpus::Document`]s from files, directories,
//!    JSON Lines feeds and standard input (or records in memory:
//!    [`corpus::read_records`]); a leading `date YYYY-MM-DD` marker or a
//!    feed's date field becomes the document's [`date::Date`].
//! 2. **Segment and normalise** ([`text`]): blocks, paragraphs and
//!    sentences from one rule, Unicode words case-folded with typographic
//!    variants folded, links as one token, each a [`text::Token`] with its
//!    byte span. Scripts without spaces (Chinese, Japanese, Thai, Khmer …)
//!    are tokenised per character.
//! 3. **Shingle** ([`shingle`]): `k`-word shingles hashed with XXH3-64, a
//!    hash whose output is fixed by its specification.
//! 4. **Fingerprint** ([`minhash`]): a [`minhash::Signature`] per distinct
//!    paragraph, built in parallel; it records its parameters and refuses to
//!    compare with an incompatible one.
//! 5. **Candidates** ([`lsh`], [`candidates`]): banding with
//!    [`lsh::LshParams`] derived from the threshold, crowded buckets capped
//!    and boilerplate set aside; rewrites proposed by the rare character
//!    grams two documents share.
//! 6. **Align and score** ([`align`], [`score`]): every candidate pair is
//!    aligned sentence by sentence; the passages give coverages, a verbatim
//!    share, a score and the direction ([`reuse`]).
//! 7. **Report** ([`report`]): table, JSON, CSV and HTML; [`cluster`] turns
//!    a scan into deduplication clusters, [`audit`] into outlets, flows and
//!    stories, and [`index`] keeps fingerprints between runs.
//!
//! [`scan::Detector`] runs stages 2–6 over a corpus; every command, and
//! the evaluation, goes through it. [`sketch`] splits the same path across
//! machines: stage 4's band keys written as Parquet, stage 5's join run
//! elsewhere (Spark) and read back ([`sketch::LshCandidates`]), stage 6
//! in shares ([`sketch::AlignShare`]).
//!
//! # Example
//!
//! ```
//! use reprint::corpus::Document;
//! use reprint::scan::DetectorBuilder;
//!
//! let wire = "The central bank raised its main interest rate by a quarter point on Tuesday, \
//!             citing persistent inflation in services and strong wage growth.";
//! let docs = vec![
//!     Document::from_text("wire", "wire.txt", format!("date 2026-01-01 {wire}")),
//!     Document::from_text("outlet", "outlet.txt", format!("date 2026-01-02 Our town today.\n\n{wire}")),
//! ];
//! let report = DetectorBuilder::new().build()?.scan(&docs)?;
//! let pair = &report.pairs[0];
//! assert_eq!(report.documents[pair.copy].id, "outlet");
//! assert_eq!(report.documents[pair.source].id, "wire");
//! assert_eq!(pair.passages[0].copy.first, 2);
//! # Ok::<(), reprint::Error>(())
//! ```

#![deny(missing_docs)]

pub mod align;
pub mod audit;
pub mod candidates;
pub mod cluster;
pub mod corpus;
pub mod date;
pub mod error;
pub mod eval;
pub mod html;
pub mod index;
pub mod lsh;
mod memory;
pub mod minhash;
pub mod report;
pub mod reuse;
pub mod scan;
pub mod score;
pub mod shingle;
pub mod similarity;
pub mod sketch;
pub mod synth;
pub mod text;

pub use error::{Error, Result};
