//! Stage 5, candidates: locality-sensitive hashing by banding.
//!
//! A signature of `num_perm` values is cut into `bands` bands of `rows`
//! values; two items become a candidate pair when all rows of at least one
//! band agree. A pair with Jaccard similarity `s` becomes a candidate with
//! probability `1 - (1 - s^rows)^bands` (the S-curve, see [`probability`]).
//!
//! [`LshParams::for_threshold`] picks the largest `rows` (fewest spurious
//! candidates) whose S-curve still finds a pair at the threshold with
//! probability at least [`TARGET_RECALL`]. Candidates are only proposals:
//! [`crate::similarity`] verifies each one on exact shingle sets.
//!
//! **Crowded buckets.** A bucket holding more than `bucket_cap` items (the
//! same paragraph in a large share of the corpus, with small variations)
//! would produce a quadratic number of pairs. Its items are paired with its
//! first `bucket_cap` items only, which keeps them connected at linear cost;
//! the count of such buckets is reported in [`LshStats`].

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::error::{Error, Result};

/// Probability at the threshold that [`LshParams::for_threshold`] aims for.
pub const TARGET_RECALL: f64 = 0.99;

/// The banding of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
}

impl LshParams {
    /// The largest `rows` (and `bands = num_perm / rows`) for which a pair
    /// with Jaccard similarity `threshold` becomes a candidate with
    /// probability at least [`TARGET_RECALL`].
    ///
    /// ```
    /// use reprint::lsh::LshParams;
    /// let p = LshParams::for_threshold(0.5, 128).unwrap();
    /// assert_eq!((p.bands, p.rows), (42, 3));
    /// assert!(p.probability(0.5) >= 0.99);
    /// ```
    pub fn for_threshold(threshold: f64, num_perm: usize) -> Result<LshParams> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "--threshold",
                message: format!("{threshold} is not in (0, 1]"),
            });
        }
        if num_perm == 0 {
            return Err(Error::InvalidParameter {
                name: "--num-perm",
                message: "must be at least 1".into(),
            });
        }
        let mut best = LshParams {
            bands: num_perm,
            rows: 1,
        };
        for rows in 1..=num_perm {
            let candidate = LshParams {
                bands: num_perm / rows,
                rows,
            };
            if candidate.probability(threshold) >= TARGET_RECALL {
                best = candidate;
            }
        }
        Ok(best)
    }

    /// Checks explicit `bands` and `rows` against the signature length.
    pub fn validate(&self, num_perm: usize) -> Result<()> {
        if self.bands == 0 || self.rows == 0 || self.bands * self.rows > num_perm {
            return Err(Error::InvalidParameter {
                name: "--bands/--rows",
                message: format!(
                    "{} bands × {} rows needs {} signature values but --num-perm is {num_perm}; \
                     bands × rows must be between 1 and num_perm",
                    self.bands,
                    self.rows,
                    self.bands * self.rows
                ),
            });
        }
        Ok(())
    }

    /// The probability that a pair with Jaccard similarity `s` becomes a
    /// candidate.
    pub fn probability(&self, s: f64) -> f64 {
        probability(s, self.bands, self.rows)
    }
}

/// `1 - (1 - s^rows)^bands`: the chance that two signatures of sets with
/// Jaccard similarity `s` agree on all rows of at least one band.
pub fn probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// What the candidate search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LshStats {
    /// Distinct candidate pairs produced.
    pub candidates: usize,
    /// Buckets that held more than the cap and were paired with their first
    /// `bucket_cap` items only.
    pub crowded_buckets: usize,
}

/// Finds candidate pairs among `n` signatures stored one after the other in
/// `signatures` (each `num_perm` values long). Returns pairs `(i, j)` with
/// `i < j`, sorted and without duplicates, whatever the thread count.
pub fn candidates(
    signatures: &[u32],
    num_perm: usize,
    params: LshParams,
    bucket_cap: usize,
) -> (Vec<(u32, u32)>, LshStats) {
    let n = signatures.len().checked_div(num_perm).unwrap_or(0);
    let mut keys = vec![0u32; n * params.bands];
    if params.bands > 0 {
        keys.par_chunks_mut(params.bands)
            .zip(signatures.par_chunks(num_perm.max(1)))
            .for_each(|(out, sig)| band_keys(sig, params, out));
    }
    candidates_from_keys(&keys, params.bands, bucket_cap)
}

/// Writes the key of each band of `signature` into `out` (one per band):
/// the low 32 bits of XXH3-64 of the band's values, seeded with the band
/// number. Storing these keys instead of whole signatures takes
/// `bands / num_perm` of the memory; two different bands that collide in 32
/// bits only add a candidate that verification rejects.
pub fn band_keys(signature: &[u32], params: LshParams, out: &mut [u32]) {
    for (band, slot) in out.iter_mut().enumerate().take(params.bands) {
        let lo = band * params.rows;
        *slot = band_key(&signature[lo..lo + params.rows], band as u64) as u32;
    }
}

/// Candidate pairs from band keys laid out item by item (`bands` keys per
/// item, as [`band_keys`] writes them): sorted `(i, j)` with `i < j`.
pub fn candidates_from_keys(
    keys: &[u32],
    bands: usize,
    bucket_cap: usize,
) -> (Vec<(u32, u32)>, LshStats) {
    let mut all = Vec::new();
    let crowded_buckets = band_candidates(keys, bands, bucket_cap, &mut all);
    finish(all, crowded_buckets)
}

/// [`candidates_from_keys`] of `n` items whose keys `fill(item, scratch,
/// out)` writes (all `bands` of them into `out`; `scratch` is the caller's
/// to reuse), made for one of `passes` shares of the bands at a time: the
/// keys held are a share of all of them (at a million articles, all the
/// keys take over a gigabyte), for `fill` called `passes` times an item.
/// The same pairs and counts as one pass. The items are filled a block
/// of `block` at a time, `done(range)` called after each (a caller whose
/// items are read from a memory map hands back their pages there).
pub fn candidates_in_passes(
    n: usize,
    bands: usize,
    bucket_cap: usize,
    passes: usize,
    block: usize,
    fill: impl Fn(usize, &mut Vec<u32>, &mut [u32]) + Sync,
    done: impl Fn(std::ops::Range<usize>),
) -> (Vec<(u32, u32)>, LshStats) {
    let per = bands.div_ceil(passes.max(1)).max(1);
    let block = block.max(1);
    let (mut all, mut crowded_buckets) = (Vec::new(), 0);
    for from in (0..bands).step_by(per) {
        let share = from..(from + per).min(bands);
        let width = share.len();
        let mut keys = vec![0u32; n * width];
        for (b, chunk) in keys.chunks_mut(block * width).enumerate() {
            let first = b * block;
            chunk.par_chunks_mut(width).enumerate().for_each_init(
                || (Vec::new(), vec![0u32; bands]),
                |(scratch, full), (i, out)| {
                    fill(first + i, scratch, full);
                    out.copy_from_slice(&full[share.clone()]);
                },
            );
            done(first..first + chunk.len() / width);
        }
        // Each band's pairs merged straight into those of all passes so
        // far: with a pass's own list of pairs beside them, a million
        // articles peaked 65 MB higher in this stage.
        crowded_buckets += band_candidates(&keys, width, bucket_cap, &mut all);
        drop(keys);
    }
    finish(all, crowded_buckets)
}

/// The pairs of [`candidates_from_keys`] merged into `all` (sorted and
/// distinct, as it stays); the number of crowded buckets.
fn band_candidates(
    keys: &[u32],
    bands: usize,
    bucket_cap: usize,
    all: &mut Vec<(u32, u32)>,
) -> usize {
    let n = keys.len().checked_div(bands).unwrap_or(0);
    let bucket_cap = bucket_cap.max(2);
    let band_pairs = |band: usize| {
        let mut items: Vec<(u32, u32)> =
            (0..n).map(|i| (keys[i * bands + band], i as u32)).collect();
        items.sort_unstable();
        let mut pairs = Vec::new();
        let mut crowded = 0;
        for bucket in items.chunk_by(|a, b| a.0 == b.0) {
            if bucket.len() < 2 {
                continue;
            }
            if bucket.len() > bucket_cap {
                crowded += 1;
            }
            let hubs = bucket.len().min(bucket_cap);
            for (x, &(_, i)) in bucket.iter().enumerate() {
                for &(_, j) in &bucket[..hubs.min(x)] {
                    pairs.push(pack(j, i));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        (pairs, crowded)
    };
    // A few bands at a time, each merged into the distinct pairs so far: a
    // pair found in many bands (a copy is found in nearly all of them) is
    // held once, not once per band.
    let mut crowded_buckets = 0;
    let at_once = rayon::current_num_threads().max(1);
    let band_ids: Vec<usize> = (0..bands).collect();
    for group in band_ids.chunks(at_once) {
        let found: Vec<(Vec<u64>, usize)> = group.par_iter().map(|&b| band_pairs(b)).collect();
        for (pairs, crowded) in found {
            crowded_buckets += crowded;
            merge_into(all, &pairs, unpack);
        }
    }
    crowded_buckets
}

fn finish(pairs: Vec<(u32, u32)>, crowded_buckets: usize) -> (Vec<(u32, u32)>, LshStats) {
    let stats = LshStats {
        candidates: pairs.len(),
        crowded_buckets,
    };
    (pairs, stats)
}

fn band_key(row: &[u32], band: u64) -> u64 {
    let mut buf = [0u8; 4 * 64];
    if row.len() <= 64 {
        for (chunk, v) in buf.chunks_exact_mut(4).zip(row) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        xxh3_64_with_seed(&buf[..row.len() * 4], band)
    } else {
        let bytes: Vec<u8> = row.iter().flat_map(|v| v.to_le_bytes()).collect();
        xxh3_64_with_seed(&bytes, band)
    }
}

/// Adds the sorted distinct `add` to the sorted distinct `all`, which
/// stays sorted and distinct: merged from the back inside `all`, so that
/// the union is not held beside it (at a million articles `all` holds
/// tens of millions of pairs).
/// `pair_of` reads an element of `add` (pairs as they are, or packed by
/// [`pack`]: sorted as packed, they are sorted as pairs).
fn merge_into<A: Copy>(all: &mut Vec<(u32, u32)>, add: &[A], pair_of: impl Fn(A) -> (u32, u32)) {
    let (mut i, mut j) = (all.len(), add.len());
    // Exactly: the growth a vector doubles by is the size of all the
    // pairs at a million articles.
    all.reserve_exact(j);
    all.resize(i + j, (0, 0));
    let mut k = all.len();
    while j > 0 {
        k -= 1;
        let next = pair_of(add[j - 1]);
        if i > 0 && all[i - 1] > next {
            all[k] = all[i - 1];
            i -= 1;
        } else {
            all[k] = next;
            j -= 1;
        }
    }
    all.dedup();
}

/// A candidate pair in one `u64`, the smaller item in the high half:
/// sorted faster than pairs, in the same order.
fn pack(i: u32, j: u32) -> u64 {
    let (i, j) = if i < j { (i, j) } else { (j, i) };
    (u64::from(i) << 32) | u64::from(j)
}

fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_in_place_gives_the_sorted_union() {
        let list = |seed: u64, n: usize| -> Vec<(u32, u32)> {
            let mut v: Vec<(u32, u32)> = (0..n as u64)
                .map(|i| {
                    // Candidate pairs: the smaller item first.
                    let h = crate::minhash::splitmix64(seed * 1000 + i);
                    let (x, y) = ((h % 7) as u32, (h >> 32) as u32 % 50);
                    (x.min(y), x.max(y))
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for (a, b) in [(0, 0), (5, 0), (0, 5), (30, 40), (200, 3), (3, 200)] {
            let (x, y) = (list(a as u64 + 1, a), list(b as u64 + 7, b));
            let mut want: Vec<(u32, u32)> = x.iter().chain(&y).copied().collect();
            want.sort_unstable();
            want.dedup();
            let mut all = x.clone();
            merge_into(&mut all, &y, |p| p);
            let packed: Vec<u64> = y.iter().map(|&(i, j)| pack(i, j)).collect();
            let mut again = x.clone();
            merge_into(&mut again, &packed, unpack);
            assert_eq!(again, want, "{a} {b}, packed");
            assert_eq!(all, want, "{a} {b}");
        }
    }

    #[test]
    fn bands_made_in_passes_give_the_pairs_and_counts_of_one_pass() {
        // 300 items, 9 bands, keys from a small alphabet so that buckets
        // collide, some of them crowded.
        let bands = 9;
        let key =
            |i: usize, b: usize| (crate::minhash::splitmix64((i / 3 + b * 7) as u64) % 40) as u32;
        let keys: Vec<u32> = (0..300)
            .flat_map(|i| (0..bands).map(move |b| key(i, b)))
            .collect();
        let one = candidates_from_keys(&keys, bands, 4);
        assert!(
            one.1.crowded_buckets > 0 && one.1.candidates > 100,
            "{:?}",
            one.1
        );
        for passes in [1, 2, 3, 4, 9, 20] {
            let fill = |i: usize, _: &mut Vec<u32>, out: &mut [u32]| {
                out.copy_from_slice(&keys[i * bands..(i + 1) * bands]);
            };
            // Blocks of 7 items, each handed on once a pass.
            let done = std::cell::RefCell::new(vec![0usize; 300]);
            assert_eq!(
                candidates_in_passes(300, bands, 4, passes, 7, fill, |r| {
                    assert!(r.len() <= 7);
                    r.for_each(|i| done.borrow_mut()[i] += 1);
                }),
                one,
                "{passes} passes"
            );
            let shares = bands.div_ceil(bands.div_ceil(passes));
            assert!(done.into_inner().iter().all(|&n| n == shares));
        }
    }

    #[test]
    fn s_curve_is_monotone_and_bounded() {
        let p = LshParams { bands: 20, rows: 5 };
        let mut last = 0.0;
        for i in 0..=10 {
            let v = p.probability(i as f64 / 10.0);
            assert!((0.0..=1.0).contains(&v));
            assert!(v >= last);
            last = v;
        }
        assert_eq!(p.probability(1.0), 1.0);
        assert_eq!(p.probability(0.0), 0.0);
    }

    #[test]
    fn higher_thresholds_use_more_rows() {
        let low = LshParams::for_threshold(0.3, 128).unwrap();
        let high = LshParams::for_threshold(0.8, 128).unwrap();
        assert!(high.rows > low.rows);
        assert!(high.probability(0.8) >= TARGET_RECALL);
        assert!(low.probability(0.3) >= TARGET_RECALL);
    }

    #[test]
    fn bad_thresholds_are_errors() {
        assert!(LshParams::for_threshold(0.0, 128).is_err());
        assert!(LshParams::for_threshold(1.5, 128).is_err());
        assert!(LshParams { bands: 40, rows: 4 }.validate(128).is_err());
        assert!(LshParams { bands: 32, rows: 4 }.validate(128).is_ok());
    }

    #[test]
    fn identical_signatures_become_candidates() {
        let sigs = vec![1, 2, 3, 4, 9, 9, 9, 9, 1, 2, 3, 4];
        let (pairs, stats) = candidates(&sigs, 4, LshParams { bands: 2, rows: 2 }, 10);
        assert_eq!(pairs, vec![(0, 2)]);
        assert_eq!(stats.candidates, 1);
    }

    #[test]
    fn crowded_buckets_pair_with_hubs_only() {
        let sigs = vec![7u32; 10 * 2];
        let (pairs, stats) = candidates(&sigs, 2, LshParams { bands: 1, rows: 2 }, 3);
        assert_eq!(stats.crowded_buckets, 1);
        // 3 hubs pair among themselves (3 pairs) and with the 7 others (21).
        assert_eq!(pairs.len(), 24);
    }

    proptest::proptest! {
        #[test]
        fn band_pairs_are_the_distinct_pairs_of_every_band(
            keys in proptest::collection::vec(0u32..4, 0..120),
            bands in 1usize..6,
            cap in 2usize..5,
        ) {
            let n = keys.len() / bands;
            let keys = &keys[..n * bands];
            // Every band's buckets paired the slow way, hubs first.
            let mut expected = std::collections::BTreeSet::new();
            for band in 0..bands {
                for i in 0..n {
                    let in_bucket: Vec<usize> = (0..n)
                        .filter(|&j| keys[j * bands + band] == keys[i * bands + band])
                        .collect();
                    let rank = in_bucket.iter().position(|&j| j == i).unwrap_or(0);
                    for &j in in_bucket.iter().take(rank.min(cap)) {
                        expected.insert((j as u32, i as u32));
                    }
                }
            }
            let (pairs, stats) = candidates_from_keys(keys, bands, cap);
            proptest::prop_assert_eq!(stats.candidates, pairs.len());
            proptest::prop_assert_eq!(pairs, expected.into_iter().collect::<Vec<_>>());
        }
    }
}
