//! Property tests of the engine against exact computation.

use proptest::prelude::*;
use reprint::lsh::{self, LshParams};
use reprint::minhash::{MinHasher, Sketch};
use reprint::similarity::Overlap;

/// Two sets with a chosen overlap, drawn from disjoint ranges.
fn two_sets(shared: u64, only_a: u64, only_b: u64, salt: u64) -> (Vec<u64>, Vec<u64>) {
    let mix = |x: u64| reprint::minhash::splitmix64(x ^ salt.rotate_left(17));
    let common: Vec<u64> = (0..shared).map(mix).collect();
    let mut a: Vec<u64> = common
        .iter()
        .copied()
        .chain((0..only_a).map(|i| mix(1 << 40 | i)))
        .collect();
    let mut b: Vec<u64> = common
        .into_iter()
        .chain((0..only_b).map(|i| mix(2 << 40 | i)))
        .collect();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    (a, b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The MinHash estimate (classic or one-permutation) stays within five
    /// standard errors of the exact Jaccard similarity.
    #[test]
    fn minhash_estimate_is_within_five_standard_errors(
        shared in 0u64..400,
        only_a in 0u64..400,
        only_b in 0u64..400,
        salt in any::<u64>(),
        seed in any::<u64>(),
        oph in any::<bool>(),
    ) {
        prop_assume!(shared + only_a > 0 && shared + only_b > 0);
        let (a, b) = two_sets(shared, only_a, only_b, salt);
        let exact = Overlap::of(&a, &b).jaccard();
        let m = 256;
        let sketch = if oph { Sketch::OnePermutation } else { Sketch::MinHash };
        let hasher = MinHasher::with_sketch(m, seed, sketch).unwrap();
        let est = hasher.signature(a.iter().copied(), 5).jaccard(&hasher.signature(b.iter().copied(), 5)).unwrap();
        let se = (exact * (1.0 - exact) / m as f64).sqrt();
        prop_assert!((est - exact).abs() <= 5.0 * se + 2.0 / m as f64,
            "estimate {est} vs exact {exact} (se {se})");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// LSH followed by exact verification finds every pair whose exact
    /// Jaccard similarity is at least threshold + 0.1.
    #[test]
    fn lsh_and_verify_find_every_pair_brute_force_finds(
        salt in any::<u64>(),
        seed in any::<u64>(),
        threshold in 0.3f64..0.8,
        oph in any::<bool>(),
    ) {
        // 60 sets: 20 bases, each with two mutated copies of varying overlap.
        let mut sets: Vec<Vec<u64>> = Vec::new();
        for base in 0..20u64 {
            let size = 30 + (reprint::minhash::splitmix64(salt ^ base) % 60);
            for variant in 0..3u64 {
                let keep = size - (size * variant * (1 + (salt >> 7) % 4)) / 10;
                let (a, _) = two_sets(keep, size - keep, 0, salt ^ (base << 8));
                // Replace the dropped elements with fresh ones in variants.
                let mut s: Vec<u64> = a.iter().copied().take(keep as usize).collect();
                s.extend((0..size - keep).map(|i| reprint::minhash::splitmix64(salt ^ (base << 20) ^ (variant << 40) ^ i)));
                s.sort_unstable();
                s.dedup();
                sets.push(s);
            }
        }
        let num_perm = 128;
        let params = LshParams::for_threshold(threshold, num_perm).unwrap();
        let sketch = if oph { Sketch::OnePermutation } else { Sketch::MinHash };
        let hasher = MinHasher::with_sketch(num_perm, seed, sketch).unwrap();
        let mut sigs = vec![0u32; sets.len() * num_perm];
        for (s, out) in sets.iter().zip(sigs.chunks_mut(num_perm)) {
            hasher.fill(s.iter().copied(), out);
        }
        let (candidates, _) = lsh::candidates(&sigs, num_perm, params, 64);
        let found: std::collections::HashSet<(u32, u32)> = candidates
            .into_iter()
            .filter(|&(i, j)| Overlap::of(&sets[i as usize], &sets[j as usize]).smaller_in_larger() >= threshold)
            .collect();
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                if Overlap::of(&sets[i], &sets[j]).jaccard() >= threshold + 0.1 {
                    prop_assert!(found.contains(&(i as u32, j as u32)), "missed ({i}, {j})");
                }
            }
        }
    }
}

/// Pieces of text that exercise the aligner's edges: multi-byte words,
/// scripts without spaces, punctuation, single and double line breaks.
const PIECES: [&str; 16] = [
    "the",
    "council",
    "approved",
    "budget",
    "Köppen",
    "naïve",
    "中文字",
    "—",
    ".",
    ",",
    "\n",
    "\n\n",
    "\r\n",
    "élection",
    "port",
    "workers",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the texts, alignment does not panic and every passage lies
    /// inside the two bodies, on character boundaries.
    #[test]
    fn alignment_spans_stay_inside_the_bodies(
        a in proptest::collection::vec(0..PIECES.len(), 0..300),
        b in proptest::collection::vec(0..PIECES.len(), 0..300),
        shared in proptest::collection::vec(0..PIECES.len(), 0..200),
        a_skip in 0usize..40,
        b_skip in 0usize..40,
    ) {
        let join = |ids: &[usize]| ids.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
        let common = join(&shared);
        // Both texts carry the shared stretch, so passages are found too.
        let a = format!("{} {common} {}", join(&a[..a.len() / 2]), join(&a[a.len() / 2..]));
        let b = format!("{} {common} {}", join(&b[..b.len() / 2]), join(&b[b.len() / 2..]));
        let start = |t: &str, skip: usize| t.char_indices().nth(skip).map_or(t.len(), |(i, _)| i);
        let (a_start, b_start) = (start(&a, a_skip), start(&b, b_skip));
        let config = reprint::align::AlignConfig { min_chars: 1, ..Default::default() };
        let result = reprint::align::align(&a, a_start, &b, b_start, &config);
        for p in &result.passages {
            prop_assert!(a_start <= p.a.start && p.a.start < p.a.end && p.a.end <= a.len());
            prop_assert!(b_start <= p.b.start && p.b.start < p.b.end && p.b.end <= b.len());
            prop_assert!(a.is_char_boundary(p.a.start) && a.is_char_boundary(p.a.end));
            prop_assert!(b.is_char_boundary(p.b.start) && b.is_char_boundary(p.b.end));
        }
    }
}
