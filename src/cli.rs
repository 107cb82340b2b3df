//! Command-line options (clap derive). Converted into the library's
//! [`reprint::scan::Config`] in `cmd/`; the library never sees clap.

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

/// The version, with the commit it was built from when known (build.rs).
const VERSION: &str = env!("REPRINT_VERSION");

/// Find text reuse between news articles: which article copies which
/// paragraphs of another, how much, and in which direction.
#[derive(Debug, Parser)]
#[command(name = "reprint", version = VERSION, about, long_about = None, after_help = AFTER_HELP)]
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
    /// Compare two documents in detail: exact scores and aligned passages.
    #[command(after_help = AFTER_HELP)]
    Compare(CompareOpts),
    /// Remove near-duplicates from JSON Lines feeds, keeping one article
    /// per cluster; kept records are written unchanged.
    #[command(after_help = DEDUP_AFTER_HELP)]
    Dedup(DedupOpts),
    /// Score what scan, compare and dedup produce against ground truth:
    /// labelled document pairs, or a labelled feed (--feed).
    #[command(after_help = EVAL_AFTER_HELP)]
    Eval(EvalOpts),
    /// Who runs whose copy: outlet flows, stories across outlets, lags and
    /// credit, from the pairs scan finds.
    #[command(after_help = AUDIT_AFTER_HELP)]
    Audit(AuditOpts),
    /// A persistent index for live feeds: add each day's articles and see
    /// their reuse of everything indexed before, query it, evict old days.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Generate a synthetic news feed with syndicated copies and its truth.
    Synth(SynthOpts),
    /// Write the fingerprints of documents to Parquet for a candidate join
    /// on a distributed engine (spark/candidates.py); then run scan, dedup
    /// or audit with --candidates on the same inputs.
    #[command(after_help = SKETCH_AFTER_HELP)]
    Sketch(SketchOpts),
    /// Split the alignment of a sketch's candidate pairs across machines:
    /// plan it once (--plan), then align one share per machine (--part
    /// K/N), which reads only its pairs' documents; scan, dedup or audit
    /// with --candidates then read every share instead of aligning.
    Align(AlignShareOpts),
    /// Show the LSH banding chosen for a threshold, and its S-curve.
    Params(ParamsOpts),
    /// Print a shell completion script (bash, zsh, fish, elvish,
    /// powershell) to standard output.
    Completions(CompletionsOpts),
    /// Print the manual page (roff) to standard output.
    Man,
}

const SKETCH_AFTER_HELP: &str = "\
The sketch directory gets docs/ and bands/ (Parquet, one part per chunk) and
sketch.json. Then, on any Spark cluster or locally:
  spark-submit spark/candidates.py DIR      (writes DIR/candidates, DIR/lsh_stats)
  reprint scan  INPUTS --candidates DIR    (or dedup, audit)
with the same inputs, in the same order, and the same detection options:
the report is the one `reprint scan INPUTS` gives.";

/// Options of `reprint sketch`.
#[derive(Debug, Args)]
pub struct SketchOpts {
    /// Files, directories (walked recursively) or JSON Lines feeds; `-`
    /// reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The sketch directory to create (new, or empty).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// Documents per Parquet part.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub chunk: usize,

    /// Threshold, input and detection options: those of the sketch.
    #[command(flatten)]
    pub run: SketchParams,
}

/// Options of `reprint align`.
#[derive(Debug, Args)]
pub struct AlignShareOpts {
    /// The sketched inputs, in the same order.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The sketch directory, with the candidate join's output; the share's
    /// pairs go to its aligned/ directory.
    #[arg(long, value_name = "DIR")]
    pub candidates: PathBuf,

    /// Which share of the planned candidate pairs to align: `K/N`, the
    /// K-th of N (from 1). Only the documents of its pairs are shingled
    /// and kept.
    #[arg(long, value_name = "K/N", default_value = "1/1")]
    pub part: String,

    /// Plan the alignment instead, once for all shares: verify the join's
    /// candidates, find the boilerplate and the rewrite candidates over
    /// the whole corpus, and write the pairs to align into DIR/plan/.
    #[arg(long, conflicts_with = "part")]
    pub plan: bool,

    /// Threshold, input and detection options: those of the sketch.
    #[command(flatten)]
    pub run: SketchParams,
}

/// The options a sketch is made with, and every later stage repeats.
#[derive(Debug, Args)]
pub struct SketchParams {
    /// Paragraph threshold of the runs that use the sketch (it sets the
    /// banding).
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,
}

/// Candidates from a distributed candidate join.
#[derive(Debug, Args)]
pub struct CandidatesOpts {
    /// Take the LSH stage's candidates from a sketch directory of these
    /// inputs on which the candidate join has run (see `reprint sketch`);
    /// the rest of the run, and its report, is a scan's.
    #[arg(long, value_name = "DIR")]
    pub candidates: Option<PathBuf>,
}

/// Options of `reprint completions`.
#[derive(Debug, Args)]
pub struct CompletionsOpts {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for people.
    Table,
    /// One JSON object with documents, pairs, matrix and params.
    Json,
    /// JSON Lines: a record per document, pair and boilerplate text, then a
    /// summary (for feeds too large for one object).
    Jsonl,
    /// One CSV row per reuse pair (see --matrix-csv for the matrix).
    Csv,
    /// A self-contained HTML report: heat map and side-by-side passages.
    Html,
}

/// Signature schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SketchArg {
    /// Classic MinHash: one hash per permutation per shingle.
    Minhash,
    /// One-permutation hashing with optimal densification: one hash per
    /// shingle.
    Oph,
}

/// Matrix metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// Fraction of the row document's shingles found in the column document.
    Containment,
    /// Jaccard similarity of the two documents' shingle sets.
    Jaccard,
}

const DEDUP_AFTER_HELP: &str = "\
Exit status:
  0  duplicates found (and dropped)
  1  no duplicates found
  2  an error occurred (bad lines are reported on stderr with their line
     number and skipped; the other records are still deduplicated)";

const EVAL_AFTER_HELP: &str = "\
Truth files are JSON Lines, one labelled pair per line:
  {\"copy\": \"susp/doc1.txt\", \"source\": \"src/doc9.txt\", \"label\": true,
   \"group\": \"03-random\", \"category\": \"cut\",
   \"spans\": [{\"copy\": [1412, 1681], \"source\": [1084, 1486]}]}
Only copy, source and label are required. Paths are relative to the truth
file (or --root). With --feed, copy and source are document ids in the
feeds (reprint synth --truth writes such a file; its \"copied\" share sets
which copies dedup should drop).

Prints, per group: ROC-AUC of the pair scores, pair precision, recall and
F1, false detections on negatives, and PAN's passage plagdet, precision,
recall and granularity when spans are given; with --feed: pair recall and
precision, direction accuracy and the dedup clusters' ARI.";

/// Input format choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// By file name: .jsonl/.ndjson (optionally .gz) are feeds, others text;
    /// stdin is a feed when it starts with `{`.
    Auto,
    /// Every input is one plain-text document.
    Text,
    /// Every input is a JSON Lines feed.
    Jsonl,
}

/// How inputs are found and read.
#[derive(Debug, Args)]
pub struct InputOpts {
    /// File extensions read when walking directories (comma-separated);
    /// .jsonl and .ndjson feeds are always read.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,md",
        value_name = "EXT"
    )]
    pub ext: Vec<String>,

    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto, value_name = "FORMAT")]
    pub input_format: InputFormatArg,

    /// Feed field holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// Feed field holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// Feed field holding the publication date (YYYY-MM-DD or ISO 8601).
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_field: String,

    /// Feed field holding the outlet.
    #[arg(long, default_value = "source", value_name = "NAME")]
    pub source_field: String,

    /// Feed field holding the headline.
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,

    /// Feed field holding the address.
    #[arg(long, default_value = "url", value_name = "NAME")]
    pub url_field: String,

    /// Only documents published on or after DATE (a day covers the whole
    /// day; undated documents are left out when a range is given). `dedup`
    /// passes the records it leaves out to the kept output unchanged.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<reprint::date::Date>,

    /// Only documents published on or before DATE (inclusive).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<reprint::date::Date>,

    /// Mebibytes of article text held in memory for the aligner and the
    /// reports; texts beyond it are written to an unnamed temporary file
    /// (in TMPDIR, which then needs room for the feed's text) and read
    /// back by offset when needed, so a large feed's texts do not stay in
    /// memory. 0 writes every text there.
    #[arg(long, default_value_t = reprint::corpus::DEFAULT_TEXT_MEMORY >> 20, value_name = "MIB")]
    pub text_memory: usize,

    /// Mebibytes of shingle sets (four bytes a word of text) held in
    /// memory until the paragraph families are found; sets beyond it are
    /// written to an unnamed temporary file in TMPDIR and read through a
    /// memory map, whose pages are handed back as each stage goes (a
    /// million articles' sets take 1.7 GB). 0 writes every set there.
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_SET_MEMORY >> 20, value_name = "MIB")]
    pub set_memory: usize,

    /// Print no warnings or progress on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_date(s: &str) -> Result<reprint::date::Date, String> {
    reprint::date::Date::parse(s).ok_or_else(|| {
        format!("'{s}' is not a date: use YYYY-MM-DD, an ISO 8601 time such as 2026-03-04T09:30:00Z, an RFC 2822 date or Unix epoch seconds")
    })
}

/// Detection parameters shared by the commands that fingerprint text.
#[derive(Debug, Args)]
pub struct EngineOpts {
    /// Words per shingle.
    #[arg(short = 'k', long = "shingle", default_value_t = 2, value_name = "K")]
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

    /// Signature scheme.
    #[arg(long, value_enum, default_value_t = SketchArg::Oph)]
    pub sketch: SketchArg,

    /// Paragraphs with fewer words are too short to fingerprint alone
    /// (characters for scripts without spaces); they still extend passages
    /// next to them and count in document scores.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub min_words: usize,

    /// A paragraph in at least this many documents is common; common
    /// paragraphs whose documents share nothing else are boilerplate.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub boilerplate_min_docs: usize,

    /// LSH buckets with more paragraphs than this are paired with their first
    /// N only.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub bucket_cap: usize,

    /// Worker threads (default, or 0: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print the wall time of each stage (reading, signatures, candidates,
    /// alignment, output) on stderr at the end.
    #[arg(long)]
    pub timings: bool,

    #[command(flatten)]
    pub align: AlignOpts,
}

/// Parameters of the aligner that decides every candidate pair (every
/// command that detects reuse takes them).
#[derive(Debug, Args)]
#[command(next_help_heading = "Alignment")]
pub struct AlignOpts {
    /// Minimum tf-idf cosine of a seed sentence pair.
    #[arg(long, default_value_t = 0.33, value_name = "X")]
    pub seed_cosine: f64,

    /// Minimum Dice coefficient of a seed sentence pair's word sets.
    #[arg(long, default_value_t = 0.33, value_name = "X")]
    pub seed_dice: f64,

    /// Minimum tf-idf cosine of a weaker sentence pair that joins a seed
    /// within two sentences of it in both documents.
    #[arg(long, default_value_t = 0.2, value_name = "X")]
    pub extend_cosine: f64,

    /// Minimum Dice coefficient of such a weaker sentence pair.
    #[arg(long, default_value_t = 0.2, value_name = "X")]
    pub extend_dice: f64,

    /// Sentences that may separate two seeds of one passage.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub max_gap: usize,

    /// Sentence gap for the second, summary-shaped clustering (0: off).
    #[arg(long, default_value_t = 24, value_name = "N")]
    pub summary_gap: usize,

    /// Minimum tf-idf cosine between the two sides of a passage.
    #[arg(long, default_value_t = 0.34, value_name = "X")]
    pub validate_cosine: f64,

    /// Shortest passage kept, in characters on each side.
    #[arg(long, default_value_t = 150, value_name = "N")]
    pub min_chars: usize,

    /// Shortest near-verbatim passage kept (most word trigrams shared), in
    /// characters on each side.
    #[arg(long, default_value_t = 130, value_name = "N")]
    pub min_verbatim_chars: usize,

    /// Trim passage ends to the first and last shared word n-gram of this
    /// size (0 keeps sentence boundaries).
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub trim_ngram: usize,

    /// Compare words by their first N characters (a stemmer for any
    /// language; 0 compares whole words).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub word_prefix: usize,
}

/// Options of `reprint scan`.
#[derive(Debug, Args)]
pub struct ScanOpts {
    /// Files, directories (walked recursively) or JSON Lines feeds; `-`
    /// reads standard input (one text document, or a feed).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Candidate stage: two paragraphs (or windows of long ones) make their
    /// documents a candidate pair when this share of the smaller one's
    /// shingles is in the larger (rewrites are candidates by their shared
    /// character grams too); the aligner then decides every candidate.
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Output format [default: table, or html when --output ends in .html]
    #[arg(short, long, value_enum)]
    pub format: Option<FormatArg>,

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

    /// Print the chosen LSH banding and its S-curve on stderr first.
    #[arg(long)]
    pub explain: bool,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,

    /// Candidates from a distributed candidate join.
    #[command(flatten)]
    pub distributed: CandidatesOpts,
}

const AUDIT_AFTER_HELP: &str = "\
Outlets come from the feed's source field (--source-field), or for text files
from their parent directory (--source-from dir). Each copy is attributed to the
earliest version of each story it reuses; a copy credits its source when the
source outlet's name or an --alias appears at its start or end (first or last
300 characters).

Exit status: 0 reuse across documents found, 1 none, 2 an input failed.";

/// Audit output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormatArg {
    /// Flows, outlets and the top stories for people.
    Table,
    /// One JSON object: outlets, flows, stories (with pairs) and params.
    Json,
    /// One CSV row per flow (see --stories-csv).
    Csv,
    /// A self-contained page: outlet heat map, flows, top stories, outlets.
    Html,
}

/// Where outlet names come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceFromArg {
    /// The feed field named by --source-field.
    Field,
    /// For text files, the name of their parent directory (feed records
    /// keep their field).
    Dir,
}

/// Options of `reprint audit`.
#[derive(Debug, Args)]
pub struct AuditOpts {
    /// JSON Lines feeds, files or directories; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Candidate stage: share of the smaller paragraph's shingles in the
    /// larger that makes two documents a candidate pair (as scan's).
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Output format [default: table, or by the extension of --output].
    #[arg(short, long, value_enum)]
    pub format: Option<AuditFormatArg>,

    /// Write the audit to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write one CSV row per story member to FILE.
    #[arg(long, value_name = "FILE")]
    pub stories_csv: Option<PathBuf>,

    /// Other names an outlet is credited by: NAME=ALIAS[,ALIAS...]
    /// (repeatable), e.g. "Associated Press=AP,The Associated Press".
    #[arg(long, value_name = "NAME=ALIASES")]
    pub alias: Vec<String>,

    /// Where outlet names come from.
    #[arg(long, value_enum, default_value_t = SourceFromArg::Field)]
    pub source_from: SourceFromArg,

    /// Stories shown in the table.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub stories: usize,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,

    /// Candidates from a distributed candidate join.
    #[command(flatten)]
    pub distributed: CandidatesOpts,
}

/// Compare output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormatArg {
    /// Scores, direction and passages with their text, for people.
    Table,
    /// `{"documents": [...], "pair": {...}}`, the pair as in `scan`.
    Json,
}

/// Options of `reprint compare`.
#[derive(Debug, Args)]
pub struct CompareOpts {
    /// Two documents (files, or `-`), or feeds holding them (choose with
    /// --id).
    #[arg(required = true, num_args = 1..=2, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Id of a document to compare (give twice) when the inputs hold more
    /// than two documents.
    #[arg(long, value_name = "ID")]
    pub id: Vec<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CompareFormatArg::Table)]
    pub format: CompareFormatArg,

    /// Print whole paragraphs instead of their first 160 characters.
    #[arg(long)]
    pub full: bool,

    /// Candidate stage of the feed the documents come from (as scan's: it
    /// decides the feed's boilerplate); the pair itself is always aligned.
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,
}

/// Which article of a cluster to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeepArg {
    /// The earliest date (undated articles last).
    Earliest,
    /// The most words.
    Longest,
    /// The first in input order.
    First,
}

/// Options of `reprint dedup`.
#[derive(Debug, Args)]
pub struct DedupOpts {
    /// JSON Lines feeds (.jsonl, .ndjson, optionally .gz), or text files and
    /// directories (the kept and dropped outputs then list their paths, one
    /// per line); `-` reads a feed from standard input.
    #[arg(required = true, value_name = "FEED")]
    pub paths: Vec<PathBuf>,

    /// Write the kept records to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write one JSON line per cluster (kept id, dropped ids with scores).
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,

    /// Write the dropped records to FILE.
    #[arg(long, value_name = "FILE")]
    pub dropped: Option<PathBuf>,

    /// Write an HTML report of the clusters and the reuse behind them.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Which article of a cluster to keep.
    #[arg(long, value_enum, default_value_t = KeepArg::Earliest)]
    pub keep: KeepArg,

    /// Also drop articles with a near-copy in this index (see `reprint
    /// index`), and add the kept ones to it; created when it does not exist.
    #[arg(long, value_name = "DIR", conflicts_with = "candidates")]
    pub index: Option<PathBuf>,

    /// An article is a duplicate of another when at least this share of its
    /// shingles (boilerplate excluded) is found in the other.
    #[arg(short = 't', long, default_value_t = 0.8, value_name = "T")]
    pub threshold: f64,

    /// Candidate stage: share of the smaller paragraph's shingles in the
    /// larger that makes two documents a candidate pair (as scan's
    /// --threshold).
    #[arg(long, default_value_t = 0.5, value_name = "T")]
    pub paragraph_threshold: f64,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,

    /// Candidates from a distributed candidate join.
    #[command(flatten)]
    pub distributed: CandidatesOpts,
}

/// `reprint index` subcommands.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add articles (creating the index on first use) and report their
    /// reuse of the indexed articles and of each other, as scan reports it.
    #[command(after_help = INDEX_AFTER_HELP)]
    Add(IndexAddOpts),
    /// Report which indexed articles the given texts reuse and which reuse
    /// them, without adding them.
    #[command(after_help = INDEX_AFTER_HELP)]
    Query(IndexRunOpts),
    /// Articles, date range, partitions and size on disk.
    Stats(IndexStatsOpts),
    /// Drop every partition (day) before a date.
    Evict(IndexEvictOpts),
    /// Merge every segment into one, so that queries search one set of
    /// tables (after a bulk build, or in a quiet hour).
    #[command(after_help = COMPACT_AFTER_HELP)]
    Compact(IndexCompactOpts),
}

const COMPACT_AFTER_HELP: &str = "\
Adds merge small segments as they go but never into segments of more than
65,536 articles, so that one add does not rewrite most of a large index; an
index built from a large feed keeps a file per 32,768 articles
(--segment-size) or per batch. Compacting rewrites the index
once (it needs its size again in free disk space while it runs) and holds
the writer's lock meanwhile; queries keep working. Afterwards a day is evicted
by marking it dropped, and the merged file is rewritten once more than half
of it is evicted.";

const INDEX_AFTER_HELP: &str = "\
The detection options are fixed when the index is created and stored in it;
later runs use the stored ones (giving other values is refused). Articles go
to the partition of their date's day, undated ones to the day they are added.
One writer at a time; queries work while a writer runs.";

/// Options of `reprint index add`.
#[derive(Debug, Args)]
pub struct IndexAddOpts {
    /// When creating the index: after each add, drop the days older than
    /// the newest day by more than this (`30d`, or a number of days).
    #[arg(long, value_name = "DAYS")]
    pub window: Option<String>,

    /// Add the input in batches of this many articles as it is read, each
    /// checked against the index as the earlier ones left it: memory
    /// follows the batch, not the input. By default 50,000, except that an
    /// empty index takes the whole input in one batch, read as `scan` reads
    /// a feed.
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,

    /// When the index is empty: articles per segment file. Each file's
    /// entries are held until it is written (about 15 KB an article), so
    /// fewer take less memory and make more files, each of which a query
    /// searches (`reprint index compact` merges them).
    #[arg(long, default_value_t = reprint::index::BULK_SEGMENT_DOCS, value_name = "N")]
    pub segment_size: usize,

    /// The index, the articles and the report.
    #[command(flatten)]
    pub run: IndexRunOpts,
}

/// What `reprint index add` and `reprint index query` share.
#[derive(Debug, Args)]
pub struct IndexRunOpts {
    /// The index directory (`add` creates it when it does not exist).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Files, directories or JSON Lines feeds; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Candidate stage: share of the smaller paragraph's shingles in the
    /// larger that makes two documents a candidate pair (as scan's; fixed
    /// when the index is created).
    #[arg(short = 't', long, default_value_t = 0.5, value_name = "T")]
    pub threshold: f64,

    /// Output format [default: table, or from --output's extension]
    #[arg(short, long, value_enum)]
    pub format: Option<FormatArg>,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Input options.
    #[command(flatten)]
    pub input: InputOpts,

    /// Detection parameters.
    #[command(flatten)]
    pub engine: EngineOpts,
}

/// Options of `reprint index stats`.
#[derive(Debug, Args)]
pub struct IndexStatsOpts {
    /// The index directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `reprint index compact`.
#[derive(Debug, Args)]
pub struct IndexCompactOpts {
    /// The index directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Options of `reprint index evict`.
#[derive(Debug, Args)]
pub struct IndexEvictOpts {
    /// The index directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Drop the days before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub before: String,
}

/// Options of `reprint eval`.
#[derive(Debug, Args)]
pub struct EvalOpts {
    /// Truth files (JSON Lines of labelled pairs; see the README's
    /// "Evaluation" section).
    #[arg(required = true, value_name = "TRUTH")]
    pub truth: Vec<PathBuf>,

    /// Directory that relative document paths are resolved against
    /// (default: each truth file's directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CompareFormatArg::Table)]
    pub format: CompareFormatArg,

    /// Also write one JSON line per pair (paths, label, score and its components, detections)
    /// to FILE.
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,

    /// Feeds the truth's ids name: the truth is scored on `scan` and
    /// `dedup` of these feeds instead of on labelled document pairs.
    #[arg(long, num_args = 1.., value_name = "FEED")]
    pub feed: Vec<PathBuf>,

    /// With --feed: the paragraph threshold of the scan (as `scan
    /// --threshold`).
    #[arg(long, default_value_t = 0.5, value_name = "T")]
    pub paragraph_threshold: f64,

    /// With --feed: the threshold of the dedup clusters (as `dedup
    /// --threshold`).
    #[arg(long, default_value_t = 0.8, value_name = "T")]
    pub dedup_threshold: f64,

    #[command(flatten)]
    pub engine: EngineOpts,

    #[command(flatten)]
    pub input: InputOpts,
}

/// Options of `reprint synth`.
#[derive(Debug, Args)]
pub struct SynthOpts {
    /// Number of articles.
    #[arg(short = 'n', long, default_value_t = 10_000, value_name = "N")]
    pub articles: usize,

    /// Share of the articles that are copies of an earlier one (0 to 1).
    #[arg(long, default_value_t = 0.3, value_name = "X", value_parser = share)]
    pub copy_share: f64,

    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Outlets (at least 2).
    #[arg(long, default_value_t = reprint::synth::OUTLETS, value_name = "N")]
    pub outlets: usize,

    /// How many of the outlets are wire services: they originate most
    /// stories, the others run their copy, some of it days later.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub wires: usize,

    /// Text to learn words from: a file or a directory (every file in it;
    /// WikiExtractor's <doc> lines are skipped). Default: a built-in article.
    #[arg(long, value_name = "PATH")]
    pub base: Option<PathBuf>,

    /// Write the feed (JSON Lines) to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write the truth: one JSON line per (copy, source) pair.
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
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

/// A share: a number from 0 to 1.
fn share(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is not a share between 0 and 1"))
    }
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
