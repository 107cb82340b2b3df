//! Searching a segment's sorted tables, which are read through a memory
//! map: every probe of a page not yet touched is a page fault, so a search
//! is measured in pages touched rather than in comparisons.
//!
//! Table keys are hashes (band keys are a band number above a 32-bit hash,
//! which spreads as evenly), so a key's position is close to where its
//! value says it should be: interpolation lands within about the square
//! root of the range, and two or three rounds leave a range of a page or
//! two, where bisection finishes. Over 10 million hashed keys this touches
//! 4.8 pages a search (6 at worst) where bisection touches about 16 (the
//! test below). Each interpolation round is bracketed, and after
//! [`ROUNDS`] rounds bisection takes over, so keys that do not spread
//! evenly cost at most the rounds' few probes more than bisection.

/// Entries of a range small enough to bisect: a few 4 KiB pages of
/// 16-byte entries.
const SMALL: usize = 512;

/// Interpolation rounds before bisection takes over.
const ROUNDS: usize = 4;

/// Galloping steps (up to this many entries ahead) before a lookup of
/// sorted keys treats the next key as far away.
const GALLOP: usize = 256;

/// The first position in `lo..hi` whose key (`key_at`) is not below
/// `key`, in a range sorted by key.
pub(super) fn lower_bound(
    key_at: impl Fn(usize) -> u64,
    mut lo: usize,
    mut hi: usize,
    key: u64,
) -> usize {
    // Invariant: every position before `lo` is below `key`, every
    // position from `hi` on is not.
    let mut rounds = 0;
    while hi - lo > SMALL && rounds < ROUNDS {
        rounds += 1;
        let (first, last) = (key_at(lo), key_at(hi - 1));
        if key <= first {
            return lo;
        }
        if key > last {
            return hi;
        }
        // first < key <= last, so last > first.
        let width = (hi - 1 - lo) as u128;
        let guess = lo + ((u128::from(key - first) * width) / u128::from(last - first)) as usize;
        // Bracket the guess by twice the typical error of an even spread.
        let margin = 2 * (hi - lo).isqrt() + 1;
        let below = guess.saturating_sub(margin).max(lo + 1);
        let above = (guess + margin).min(hi - 1);
        if key_at(below) < key {
            lo = below + 1;
        } else {
            hi = below;
            continue;
        }
        if above > lo {
            if key_at(above) < key {
                lo = above + 1;
            } else {
                hi = above;
            }
        }
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key_at(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The first position from `from` (below `n`) whose key is not below
/// `key`, for keys looked up in increasing order: galloping while the next
/// key is near (a batch's keys dense in the table cost one pass over it),
/// a search of the rest once it is far.
pub(super) fn lower_bound_from(
    key_at: impl Fn(usize) -> u64,
    from: usize,
    n: usize,
    key: u64,
) -> usize {
    if from >= n || key_at(from) >= key {
        return from;
    }
    // key_at(lo) < key throughout.
    let (mut lo, mut step) = (from, 1usize);
    while step <= GALLOP {
        let probe = lo + step;
        if probe >= n || key_at(probe) >= key {
            return lower_bound(&key_at, lo + 1, probe.min(n), key);
        }
        lo = probe;
        step *= 2;
    }
    lower_bound(&key_at, lo + 1, n, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(keys: &[u64], key: u64, from: usize) {
        let want = from + keys[from..].partition_point(|&k| k < key);
        let at = |i: usize| keys[i];
        assert_eq!(lower_bound(at, from, keys.len(), key), want);
        assert_eq!(lower_bound_from(at, from, keys.len(), key), want);
    }

    proptest! {
        #[test]
        fn finds_what_a_partition_point_finds(
            mut keys in prop::collection::vec(any::<u64>(), 0..3000),
            probes in prop::collection::vec(any::<u64>(), 1..20),
            from in 0usize..3000,
        ) {
            keys.sort_unstable();
            let from = from.min(keys.len());
            for key in probes {
                check(&keys, key, from);
            }
            // Keys present, and their neighbours.
            for i in (0..keys.len()).step_by(97) {
                for key in [keys[i], keys[i].wrapping_sub(1), keys[i].wrapping_add(1)] {
                    check(&keys, key, from);
                }
            }
        }

        #[test]
        fn uneven_and_repeated_keys_are_found(
            runs in prop::collection::vec((any::<u64>(), 1usize..400), 1..40),
            probes in prop::collection::vec(any::<u64>(), 1..20),
        ) {
            // Long runs of one key and clusters far apart: the spread an
            // interpolation guesses badly.
            let mut keys: Vec<u64> = runs
                .iter()
                .flat_map(|&(k, n)| std::iter::repeat_n(k >> (k % 61), n))
                .collect();
            keys.sort_unstable();
            for key in probes.into_iter().chain(keys.iter().copied().step_by(50)) {
                check(&keys, key, 0);
            }
        }
    }

    #[test]
    fn an_even_spread_is_searched_touching_few_pages() {
        // 10 million hashes in pages of 256 entries: bisection touches
        // about 16 pages per search.
        let mut keys: Vec<u64> = (0..10_000_000u64).map(crate::minhash::splitmix64).collect();
        keys.sort_unstable();
        let pages = std::cell::RefCell::new(Vec::new());
        let at = |i: usize| {
            pages.borrow_mut().push(i / 256);
            keys[i]
        };
        let (mut worst, mut total) = (0, 0);
        for q in 0..1000u64 {
            let key = crate::minhash::splitmix64(q ^ 0xABCD);
            pages.borrow_mut().clear();
            let got = lower_bound(at, 0, keys.len(), key);
            assert_eq!(got, keys.partition_point(|&k| k < key));
            let mut touched = pages.borrow().clone();
            touched.sort_unstable();
            touched.dedup();
            // The first and last pages are touched by every search.
            let touched = touched.len() - 2;
            worst = worst.max(touched);
            total += touched;
        }
        assert!(total <= 1000 * 5, "{total} pages in 1,000 searches");
        assert!(worst <= 8, "{worst} pages");
    }
}
