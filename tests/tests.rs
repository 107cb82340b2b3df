//! CLI integration tests: one binary, one module per area.
//!
//! - `util`: a temporary corpus and a runner for the built `reprint` binary.
//! - `samples`: the golden test on `samples/` (the seed articles).
//! - `formats`: table, JSON and CSV output, `-o`, `--matrix-csv`.
//! - `exit_codes`: 0 reuse, 1 none, 2 error; bad inputs do not lose results.
//! - `determinism`: byte-identical output at any thread count.
//! - `engine`: property tests of MinHash and LSH against exact computation.
//! - `feeds`: JSON Lines input, field mapping, gzip, stdin.
//! - `dedup`: clusters, kept records byte for byte, keep rules.
//! - `compare`: one pair in detail.
//! - `bad_input`: every kind of bad input, reported and survived.
//! - `html`: the HTML report, escaped, self-contained, rendered in Chromium.
//! - `inputs`: byte-order marks, gzip by content, no input, escaped ids, CSV cells.
//! - `outputs`: nothing clobbered, targets checked first, formats by extension.
//! - `one_path`: edited copies, re-wrapped duplicates, footers; compare = scan; eval.
//! - `audit`: outlets, flows, stories, lags and credit on a hand-made feed.
//! - `index`: batches equal one scan, query, evict, fixed parameters, lock, killed writers.
//! - `sketch`: sketch, candidate join and --candidates equal a scan; shares; refusals.

mod util;

mod audit;
mod bad_input;
mod compare;
mod dedup;
mod determinism;
mod engine;
mod exit_codes;
mod feeds;
mod formats;
mod html;
mod index;
mod inputs;
mod one_path;
mod outputs;
mod samples;
mod sketch;
