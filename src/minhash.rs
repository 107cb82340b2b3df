//! Stage 4, fingerprint: MinHash signatures of shingle sets.
//!
//! Permutation `i` maps a 64-bit shingle hash `x` to
//! `((a_i · x + b_i) mod 2^64) >> 32`, a multiply-shift hash onto 32 bits,
//! with `a_i` (odd) and `b_i` drawn from SplitMix64 seeded with
//! `seed + i` (Steele, Lea & Flood, 2014). Both are fixed by their
//! definitions, so a signature written today compares with one written next
//! year. The fraction of positions where two signatures agree estimates the
//! Jaccard similarity of their sets with standard error
//! `sqrt(J(1-J)/num_perm)`.
//!
//! A [`Signature`] carries its [`SignatureParams`]; comparing two signatures
//! built with different parameters is an error, never a wrong number.

use std::fmt;

use crate::error::{Error, Result};

/// Name of the hash family, recorded in every signature and report.
pub const HASH_FAMILY: &str = "xxh3_64-shingles/splitmix64-multiply-shift-32";

/// Everything that must match for two signatures to be comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureParams {
    /// Number of permutations (signature length).
    pub num_perm: usize,
    /// Seed of the permutation family.
    pub seed: u64,
    /// Tokens per shingle of the sets that were signed.
    pub shingle_size: usize,
}

impl fmt::Display for SignatureParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "num_perm={} seed={} shingle={} family={HASH_FAMILY}",
            self.num_perm, self.seed, self.shingle_size
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

/// Builds MinHash signatures for one parameter set. Cheap to share across
/// threads.
#[derive(Debug, Clone)]
pub struct MinHasher {
    num_perm: usize,
    seed: u64,
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    /// A hasher with `num_perm` permutations drawn from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> Result<MinHasher> {
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
        Ok(MinHasher {
            num_perm,
            seed,
            a,
            b,
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

    /// Writes the signature of `shingles` into `out` (length `num_perm`).
    /// An empty set gives all `u32::MAX`.
    pub fn fill(&self, shingles: impl IntoIterator<Item = u64>, out: &mut [u32]) {
        assert_eq!(out.len(), self.num_perm, "signature buffer length");
        out.fill(u32::MAX);
        for x in shingles {
            for ((slot, &a), &b) in out.iter_mut().zip(&self.a).zip(&self.b) {
                let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
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
}
