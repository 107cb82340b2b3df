//! The scan's configuration and its builder.

use crate::align::AlignConfig;
use crate::error::Result;
use crate::lsh::LshParams;
use crate::minhash::Sketch;
use crate::shingle::ShingleConfig;

use super::Detector;

/// Which document-level score the similarity matrix holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Metric {
    /// `values[i][j]`: share of document i covered by passages reused
    /// between i and j.
    #[default]
    Containment,
    /// `values[i][j]`: the pair's Jaccard (covered text over the text of
    /// both).
    Jaccard,
}

impl Metric {
    /// The name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Metric::Containment => "containment",
            Metric::Jaccard => "jaccard",
        }
    }
}

/// Every parameter of a scan. [`Config::default`] holds the documented
/// defaults.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    /// Shingle sizes.
    pub shingle: ShingleConfig,
    /// MinHash permutations per signature.
    pub num_perm: usize,
    /// Seed of the MinHash permutations.
    pub seed: u64,
    /// Signature scheme: classic MinHash or one-permutation hashing.
    pub sketch: Sketch,
    /// Candidate stage: two paragraphs make their documents a candidate
    /// pair when this fraction of the smaller paragraph's shingles is found
    /// in the larger (the aligner then decides the pair). LSH banding is tuned so paragraph pairs with Jaccard similarity at
    /// the threshold are found with probability ≥ 0.99.
    pub threshold: f64,
    /// Explicit banding; derived from `threshold` and `num_perm` when `None`.
    pub lsh: Option<LshParams>,
    /// Paragraphs with fewer words (characters, for scripts without spaces)
    /// are too short to fingerprint alone. They still count towards
    /// document scores and can extend a passage next to them.
    pub min_words: usize,
    /// An LSH bucket with more items than this is paired with its first
    /// `bucket_cap` items only.
    pub bucket_cap: usize,
    /// Documents a paragraph must appear in to be common (see the module
    /// docs on boilerplate).
    pub boilerplate_min_docs: usize,
    /// The similarity matrix is computed for corpora of at most this many
    /// documents.
    pub matrix_limit: usize,
    /// The matrix metric.
    pub metric: Metric,
    /// Worker threads; `None` uses rayon's global pool (all cores).
    pub threads: Option<usize>,
    /// The aligner that decides every candidate pair.
    pub align: AlignConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            shingle: ShingleConfig::default(),
            num_perm: 128,
            seed: 42,
            sketch: Sketch::default(),
            threshold: 0.5,
            lsh: None,
            min_words: 8,
            bucket_cap: 64,
            boilerplate_min_docs: 4,
            matrix_limit: 500,
            metric: Metric::Containment,
            threads: None,
            align: AlignConfig::default(),
        }
    }
}

/// Builds a [`Detector`].
///
/// ```
/// use reprint::scan::DetectorBuilder;
/// let detector = DetectorBuilder::new().shingle_size(4).num_perm(64).threshold(0.6).build().unwrap();
/// assert_eq!(detector.lsh_params().bands * detector.lsh_params().rows <= 64, true);
/// ```
#[derive(Debug, Clone, Default)]
pub struct DetectorBuilder {
    config: Config,
}

impl DetectorBuilder {
    /// A builder with the default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder starting from `config`.
    pub fn from_config(config: Config) -> Self {
        DetectorBuilder { config }
    }

    /// Words per shingle.
    pub fn shingle_size(&mut self, k: usize) -> &mut Self {
        self.config.shingle.size = k;
        self
    }

    /// Characters per shingle for scripts without spaces.
    pub fn char_shingle_size(&mut self, n: usize) -> &mut Self {
        self.config.shingle.char_size = n;
        self
    }

    /// MinHash permutations.
    pub fn num_perm(&mut self, n: usize) -> &mut Self {
        self.config.num_perm = n;
        self
    }

    /// Paragraph similarity threshold.
    pub fn threshold(&mut self, t: f64) -> &mut Self {
        self.config.threshold = t;
        self
    }

    /// Permutation seed.
    pub fn seed(&mut self, seed: u64) -> &mut Self {
        self.config.seed = seed;
        self
    }

    /// Signature scheme.
    pub fn sketch(&mut self, sketch: Sketch) -> &mut Self {
        self.config.sketch = sketch;
        self
    }

    /// Explicit LSH banding.
    pub fn lsh(&mut self, params: LshParams) -> &mut Self {
        self.config.lsh = Some(params);
        self
    }

    /// Minimum words for a paragraph to be fingerprinted alone.
    pub fn min_words(&mut self, n: usize) -> &mut Self {
        self.config.min_words = n;
        self
    }

    /// Worker threads.
    pub fn threads(&mut self, n: usize) -> &mut Self {
        self.config.threads = Some(n);
        self
    }

    /// Matrix metric.
    pub fn metric(&mut self, metric: Metric) -> &mut Self {
        self.config.metric = metric;
        self
    }

    /// Validates the configuration and builds the detector.
    pub fn build(&self) -> Result<Detector> {
        Detector::new(self.config.clone())
    }
}
