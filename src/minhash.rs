//! Stage 4, fingerprint: MinHash signatures of shingle sets, in one of two
//! [`Sketch`] schemes.
//!
//! **Classic MinHash** ([`Sketch::MinHash`]): permutation `i` maps a 64-bit
//! shingle hash `x` to `((a_i · x + b_i) mod 2^64) >> 32`, a multiply-shift
//! hash onto 32 bits, with `a_i` (odd) and `b_i` drawn from SplitMix64
//! seeded with `seed + 2i` and `seed + 2i + 1` (Steele, Lea & Flood, 2014).
//! One multiplication per permutation per shingle.
//!
//! **One-permutation hashing with optimal densification**
//! ([`Sketch::OnePermutation`]; Li, Owen & Zhang 2012; Shrivastava 2017):
//! each shingle is hashed once, `h = splitmix64(x ⊕ splitmix64(seed))`; the
//! high 32 bits pick one of `num_perm` bins (`(h >> 32) · num_perm >> 32`)
//! and the low 32 bits are the value kept if it is the bin's smallest. An
//! empty bin `i` then copies the value of the first non-empty bin among
//! `bin(splitmix64(key ⊕ (i << 32 | t)))` for `t = 1, 2, …` (`key =
//! splitmix64(seed + 1)`), the same probe sequence for every set, so two
//! signatures still agree in a position with probability equal to the
//! Jaccard similarity. One hash per shingle.
//!
//! Both are fixed by their definitions, so a signature written today
//! compares with one written next year. The fraction of positions where two
//! signatures agree estimates the Jaccard similarity of their sets (standard
//! error `sqrt(J(1-J)/num_perm)` for classic MinHash, slightly more for
//! one-permutation hashing of sets smaller than `num_perm`).
//!
//! A [`Signature`] carries its [`SignatureParams`]; comparing two signatures
//! built with different parameters is an error, never a wrong number.

use std::fmt;

use crate::error::{Error, Result};

/// Name of the classic hash family, recorded in reports.
pub const HASH_FAMILY: &str = "xxh3_64-high32-shingles/splitmix64-multiply-shift-32";

/// Name of the one-permutation hash family, recorded in reports.
pub const OPH_HASH_FAMILY: &str = "xxh3_64-high32-shingles/splitmix64-oph-optimal-densification-32";

/// How signatures are computed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Sketch {
    /// One multiply-shift permutation per signature position.
    MinHash,
    /// One hash per shingle into `num_perm` bins, empty bins densified (the
    /// default: as accurate as classic MinHash on the benchmark feeds, and
    /// much cheaper).
    #[default]
    OnePermutation,
}

impl Sketch {
    /// The hash family's name, as reports record it.
    pub fn family(self) -> &'static str {
        match self {
            Sketch::MinHash => HASH_FAMILY,
            Sketch::OnePermutation => OPH_HASH_FAMILY,
        }
    }
}

/// Everything that must match for two signatures to be comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureParams {
    /// Number of permutations (signature length).
    pub num_perm: usize,
    /// Seed of the permutation family.
    pub seed: u64,
    /// Tokens per shingle of the sets that were signed.
    pub shingle_size: usize,
    /// The signature scheme.
    pub sketch: Sketch,
}

impl fmt::Display for SignatureParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "num_perm={} seed={} shingle={} family={}",
            self.num_perm,
            self.seed,
            self.shingle_size,
            self.sketch.family()
        )
    }
}

/// SplitMix64: the next output for state `x` (the state advances by the
/// golden-ratio increment before mixing).
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Probes of one empty bin before densification falls back to a scan.
const MAX_PROBES: u64 = 1 << 16;

/// Densification probes tested at once, before searching one by one.
const LOOKAHEAD: usize = 8;

/// Densification probes precomputed per bin.
const PROBE_TABLE: u64 = 32;

/// The bin that empty bin `i` probes at step `t` (from 1) under
/// one-permutation hashing with `num_perm` bins.
fn probe(num_perm: usize, seed: u64, i: usize, t: u64) -> usize {
    let h = splitmix64(splitmix64(seed.wrapping_add(1)) ^ ((i as u64) << 32 | t));
    (((h >> 32) * num_perm as u64) >> 32) as usize
}

/// Builds MinHash signatures for one parameter set. Cheap to share across
/// threads.
#[derive(Debug, Clone)]
pub struct MinHasher {
    num_perm: usize,
    seed: u64,
    sketch: Sketch,
    a: Vec<u64>,
    b: Vec<u64>,
    /// One-permutation hashing: the first [`PROBE_TABLE`] densification
    /// probes of each bin, row by row.
    probes: Vec<u16>,
}

impl MinHasher {
    /// A classic MinHash hasher with `num_perm` permutations drawn from
    /// `seed`.
    pub fn new(num_perm: usize, seed: u64) -> Result<MinHasher> {
        MinHasher::with_sketch(num_perm, seed, Sketch::MinHash)
    }

    /// A hasher of the given scheme with `num_perm` signature positions.
    pub fn with_sketch(num_perm: usize, seed: u64, sketch: Sketch) -> Result<MinHasher> {
        if num_perm == 0 || num_perm > 4096 {
            return Err(Error::InvalidParameter {
                name: "--num-perm",
                message: format!("{num_perm} is out of range; use 1 to 4096 (128 is typical)"),
            });
        }
        let (a, b) = (0..num_perm as u64)
            .map(|i| {
                let s = seed.wrapping_add(i.wrapping_mul(2));
                (splitmix64(s) | 1, splitmix64(s.wrapping_add(1)))
            })
            .unzip();
        let probes = match sketch {
            Sketch::MinHash => Vec::new(),
            Sketch::OnePermutation => (0..num_perm)
                .flat_map(|i| (1..=PROBE_TABLE).map(move |t| probe(num_perm, seed, i, t) as u16))
                .collect(),
        };
        Ok(MinHasher {
            num_perm,
            seed,
            sketch,
            a,
            b,
            probes,
        })
    }

    /// Signature length.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The permutation seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The signature scheme.
    pub fn sketch(&self) -> Sketch {
        self.sketch
    }

    /// Writes the signature of `shingles` into `out` (length `num_perm`).
    /// An empty set gives all `u32::MAX`.
    pub fn fill(&self, shingles: impl IntoIterator<Item = u64>, out: &mut [u32]) {
        assert_eq!(out.len(), self.num_perm, "signature buffer length");
        out.fill(u32::MAX);
        if self.sketch == Sketch::OnePermutation {
            self.fill_oph(shingles, out);
            return;
        }
        for x in shingles {
            for ((slot, &a), &b) in out.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
    }

    /// One-permutation hashing with optimal densification (see the module
    /// documentation).
    fn fill_oph(&self, shingles: impl IntoIterator<Item = u64>, out: &mut [u32]) {
        // One byte per bin marks the bins filled by a shingle of their own;
        // on the stack for the usual signature lengths.
        const ON_STACK: usize = 1024;
        if self.num_perm <= ON_STACK {
            let mut filled = [0u8; ON_STACK];
            self.fill_oph_with(shingles, out, &mut filled[..self.num_perm]);
        } else {
            self.fill_oph_with(shingles, out, &mut vec![0; self.num_perm]);
        }
    }

    fn fill_oph_with(
        &self,
        shingles: impl IntoIterator<Item = u64>,
        out: &mut [u32],
        filled: &mut [u8],
    ) {
        let k = self.num_perm as u64;
        let bin = |h: u64| (((h >> 32) * k) >> 32) as usize;
        let key = splitmix64(self.seed);
        let mut count = 0usize;
        for x in shingles {
            let h = splitmix64(x ^ key);
            let i = bin(h);
            let v = h as u32;
            if filled[i] == 0 {
                filled[i] = 1;
                count += 1;
                out[i] = v;
            } else if v < out[i] {
                out[i] = v;
            }
        }
        if count == 0 || count == self.num_perm {
            return;
        }
        let filled = &*filled;
        let is_filled = |j: usize| filled[j] != 0;
        for i in 0..self.num_perm {
            if is_filled(i) {
                continue;
            }
            // The probe sequence finds a filled bin after num_perm / count
            // probes on average. The first LOOKAHEAD probes are tested
            // without branching, which costs less than mispredicting where
            // the search ends. Past MAX_PROBES (never reached in practice)
            // the next filled bin to the right is taken.
            let row = &self.probes[i * PROBE_TABLE as usize..(i + 1) * PROBE_TABLE as usize];
            let mut hits = 0u32;
            for (t, &j) in row[..LOOKAHEAD].iter().enumerate() {
                hits |= u32::from(filled[j as usize]) << t;
            }
            let probed = if hits != 0 {
                Some(row[hits.trailing_zeros() as usize] as usize)
            } else {
                row[LOOKAHEAD..]
                    .iter()
                    .map(|&j| j as usize)
                    .find(|&j| is_filled(j))
                    .or_else(|| {
                        (PROBE_TABLE + 1..=MAX_PROBES)
                            .map(|t| probe(self.num_perm, self.seed, i, t))
                            .find(|&j| is_filled(j))
                    })
            };
            let j = probed.unwrap_or_else(|| {
                (1..self.num_perm)
                    .map(|d| (i + d) % self.num_perm)
                    .find(|&j| is_filled(j))
                    .unwrap_or(i)
            });
            out[i] = out[j];
        }
    }

    /// The signature of a set of shingles of `shingle_size` tokens.
    ///
    /// ```
    /// use reprint::minhash::MinHasher;
    /// let hasher = MinHasher::new(256, 42).unwrap();
    /// let a = hasher.signature(0..1000u64, 5);
    /// let b = hasher.signature(500..1500u64, 5);
    /// let estimate = a.jaccard(&b).unwrap();
    /// assert!((estimate - 1.0 / 3.0).abs() < 0.1);
    /// ```
    pub fn signature(
        &self,
        shingles: impl IntoIterator<Item = u64>,
        shingle_size: usize,
    ) -> Signature {
        let mut values = vec![0; self.num_perm];
        self.fill(shingles, &mut values);
        Signature {
            params: SignatureParams {
                num_perm: self.num_perm,
                seed: self.seed,
                shingle_size,
                sketch: self.sketch,
            },
            values,
        }
    }
}

/// A MinHash signature and the parameters it was built with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    params: SignatureParams,
    values: Vec<u32>,
}

impl Signature {
    /// The parameters the signature was built with.
    pub fn params(&self) -> SignatureParams {
        self.params
    }

    /// The minimum hash under each permutation.
    pub fn values(&self) -> &[u32] {
        &self.values
    }

    /// Checks that `other` was built with the same parameters.
    pub fn check_compatible(&self, other: &Signature) -> Result<()> {
        let (l, r) = (self.params, other.params);
        let mismatch = |field, left: String, right: String| {
            Err(Error::IncompatibleSignatures { field, left, right })
        };
        if l.num_perm != r.num_perm {
            return mismatch("num_perm", l.num_perm.to_string(), r.num_perm.to_string());
        }
        if l.seed != r.seed {
            return mismatch("seed", l.seed.to_string(), r.seed.to_string());
        }
        if l.sketch != r.sketch {
            return mismatch(
                "sketch",
                l.sketch.family().to_string(),
                r.sketch.family().to_string(),
            );
        }
        if l.shingle_size != r.shingle_size {
            return mismatch(
                "shingle_size",
                l.shingle_size.to_string(),
                r.shingle_size.to_string(),
            );
        }
        Ok(())
    }

    /// Estimated Jaccard similarity: the fraction of agreeing positions.
    pub fn jaccard(&self, other: &Signature) -> Result<f64> {
        self.check_compatible(other)?;
        let equal = self
            .values
            .iter()
            .zip(&other.values)
            .filter(|(a, b)| a == b)
            .count();
        Ok(equal as f64 / self.values.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs of the reference generator seeded with 0
        // (state += golden ratio, then mix), as published with the algorithm.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(0x9E37_79B9_7F4A_7C15), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn identical_sets_agree_everywhere() {
        let h = MinHasher::new(64, 1).unwrap();
        let a = h.signature([1u64, 2, 3], 5);
        let b = h.signature([3u64, 2, 1], 5);
        assert_eq!(a.jaccard(&b).unwrap(), 1.0);
    }

    #[test]
    fn disjoint_sets_rarely_agree() {
        let h = MinHasher::new(128, 1).unwrap();
        let a = h.signature(0..500u64, 5);
        let b = h.signature(1000..1500u64, 5);
        assert!(a.jaccard(&b).unwrap() < 0.05);
    }

    #[test]
    fn incompatible_signatures_refuse_to_compare() {
        let a = MinHasher::new(64, 1).unwrap().signature([1u64], 5);
        let b = MinHasher::new(64, 2).unwrap().signature([1u64], 5);
        let err = a.jaccard(&b).unwrap_err();
        assert!(err.to_string().contains("seed"), "{err}");
        let c = MinHasher::new(32, 1).unwrap().signature([1u64], 5);
        assert!(a.jaccard(&c).is_err());
        let d = MinHasher::new(64, 1).unwrap().signature([1u64], 3);
        assert!(a.jaccard(&d).is_err());
    }

    #[test]
    fn zero_permutations_is_an_error() {
        assert!(MinHasher::new(0, 1).is_err());
    }

    /// One-permutation hashing written out from the module documentation,
    /// probing without the precomputed table.
    fn reference_oph(set: &[u64], num_perm: usize, seed: u64) -> Vec<u32> {
        let k = num_perm as u64;
        let bin = |h: u64| (((h >> 32) * k) >> 32) as usize;
        let mut out: Vec<Option<u32>> = vec![None; num_perm];
        for &x in set {
            let h = splitmix64(x ^ splitmix64(seed));
            let slot = &mut out[bin(h)];
            *slot = Some(slot.map_or(h as u32, |v| v.min(h as u32)));
        }
        if out.iter().all(Option::is_none) {
            return vec![u32::MAX; num_perm];
        }
        let key = splitmix64(seed.wrapping_add(1));
        (0..num_perm)
            .map(|i| {
                out[i].unwrap_or_else(|| {
                    (1u64..)
                        .map(|t| bin(splitmix64(key ^ ((i as u64) << 32 | t))))
                        .find_map(|j| out[j])
                        .unwrap_or(u32::MAX)
                })
            })
            .collect()
    }

    #[test]
    fn one_permutation_hashing_follows_its_definition() {
        for (num_perm, size, seed) in [
            (128, 1, 7),
            (128, 3, 42),
            (128, 50, 1),
            (128, 1000, 9),
            (64, 20, 3),
            (256, 5, 11),
        ] {
            let set: Vec<u64> = (0..size).map(|i| splitmix64(i ^ seed << 20)).collect();
            let h = MinHasher::with_sketch(num_perm, seed, Sketch::OnePermutation).unwrap();
            let sig = h.signature(set.iter().copied(), 5);
            assert_eq!(
                sig.values(),
                reference_oph(&set, num_perm, seed),
                "{num_perm} {size}"
            );
            // Order and repeats do not matter.
            let shuffled = set.iter().rev().chain(&set).copied();
            assert_eq!(h.signature(shuffled, 5), sig);
        }
        let empty = MinHasher::with_sketch(128, 1, Sketch::OnePermutation)
            .unwrap()
            .signature(std::iter::empty(), 5);
        assert!(empty.values().iter().all(|&v| v == u32::MAX));
    }

    #[test]
    fn sketches_refuse_to_compare_with_each_other() {
        let a = MinHasher::new(64, 1).unwrap().signature([1u64], 5);
        let b = MinHasher::with_sketch(64, 1, Sketch::OnePermutation)
            .unwrap()
            .signature([1u64], 5);
        assert!(a.jaccard(&b).unwrap_err().to_string().contains("sketch"));
    }
}
