//! Command-line options (clap derive). Converted into the library's
//! [`reprint::scan::Config`] in `cmd/`; the library never sees clap.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status:
  0  reuse found
  1  no reuse found
  2  an error occurred (bad input files are reported on stderr and skipped;
     the results of the other inputs are still printed)

The JSON schema of `--format json` is documented in the README
(\"JSON output\") and on the `reprint::report::JsonReport` type.";

/// Find text reuse between news articles: which article copies which
/// paragraphs of another, how much, and in which direction.
#[derive(Debug, Parser)]
#[command(name = "reprint", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan documents for reuse between every pair of them.
    #[command(after_help = AFTER_HELP)]
    Scan(ScanOpts),
    /// Show the LSH banding chosen for a threshold, and its S-curve.
    Params(ParamsOpts),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for people.
    Table,
    /// One JSON object with documents, pairs, matrix and params.
    Json,
    /// One CSV row per reuse pair (see --matrix-csv for the matrix).
    Csv,
}

/// Matrix metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// Fraction of the row document's shingles found in the column document.
    Containment,
    /// Jaccard similarity of the two documents' shingle sets.
    Jaccard,
}

/// Detection parameters shared by the commands that fingerprint text.
#[derive(Debug, Args)]
pub struct EngineOpts {
    /// Minimum exact similarity of two paragraphs to count as reuse: the
    /// fraction of the smaller paragraph's shingles found in the larger.
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Words per shingle.
    #[arg(short = 'k', long = "shingle", default_value_t = 5, value_name = "K")]
    pub shingle: usize,

    /// Characters per shingle in paragraphs written mostly in Chinese,
    /// Japanese, Thai, Lao, Khmer or Myanmar script.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub char_shingle: usize,

    /// MinHash permutations per signature.
    #[arg(long, default_value_t = 128, value_name = "N")]
    pub num_perm: usize,

    /// LSH bands (give with --rows; derived from --threshold otherwise).
    #[arg(long, requires = "rows", value_name = "B")]
    pub bands: Option<usize>,

    /// LSH rows per band (give with --bands).
    #[arg(long, requires = "bands", value_name = "R")]
    pub rows: Option<usize>,

    /// Seed of the MinHash permutations.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Paragraphs with fewer words are too short to fingerprint alone
    /// (characters for scripts without spaces); they still extend passages
    /// next to them and count in document scores.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub min_words: usize,

    /// A paragraph in at least this many documents is common; common
    /// paragraphs whose documents share nothing else are boilerplate.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub boilerplate_min_docs: usize,

    /// LSH buckets with more paragraphs than this are paired with their first
    /// N only.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub bucket_cap: usize,

    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,
}

/// Options of `reprint scan`.
#[derive(Debug, Args)]
pub struct ScanOpts {
    /// Files or directories to scan (directories recursively); `-` reads
    /// one document from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output (`-` is stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the similarity matrix as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub matrix_csv: Option<PathBuf>,

    /// Metric of the similarity matrix.
    #[arg(long, value_enum, default_value_t = MetricArg::Containment)]
    pub metric: MetricArg,

    /// Largest corpus (in documents) that gets a similarity matrix.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub matrix_limit: usize,

    /// File extensions read when walking directories (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,md",
        value_name = "EXT"
    )]
    pub ext: Vec<String>,

    /// Print the chosen LSH banding and its S-curve on stderr first.
    #[arg(long)]
    pub explain: bool,

    /// Print no warnings or progress on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,
}

/// Options of `reprint params`.
#[derive(Debug, Args)]
pub struct ParamsOpts {
    /// Paragraph similarity threshold.
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// MinHash permutations per signature.
    #[arg(long, default_value_t = 128, value_name = "N")]
    pub num_perm: usize,

    /// LSH bands (give with --rows).
    #[arg(long, requires = "rows", value_name = "B")]
    pub bands: Option<usize>,

    /// LSH rows per band (give with --bands).
    #[arg(long, requires = "bands", value_name = "R")]
    pub rows: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Opts::command().debug_assert();
    }
}
