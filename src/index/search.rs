//! Searching a segment's sorted tables, which are read through a memory
//! map: every probe of a page not yet touched is a page fault, so a search
//! is measured in pages touched rather than in comparisons.
//!
//! Table keys are hashes (band keys are a band number above a 32-bit hash,
//! and every paragraph has one key in each band, so they spread as
//! evenly), so a key's position is close to where its value says it
//! should be. Each round interpolates between the ends of the range and
//! probes the guess; the key then lies about `d` entries to one side,
//! where `d` is what the probed key's distance from it is worth at the
//! range's density, give or take the square root of `d` (the spread of an
//! even sample). A second probe a little beyond that, `d + sqrt(d) + 2`
//! entries away, brackets the key: the range left is of the order of
//! `sqrt(d)` entries, and the next round's ends are the two probes'
//! neighbours, on pages already read. Over 10 million hashed keys this
//! touches 2.3 pages a search besides the table's first and last (4 at
//! worst) where bracketing the guess by twice the square root of the whole
//! range touched 4.8, and bisection about 16 (the test below). The
//! estimate is short near a long run of one key (a paragraph that
//! thousands of articles share): the second probe's step doubles until it
//! passes the key, and a search that lands inside a run gallops back past
//! its start and bisects to it. After [`ROUNDS`] rounds bisection takes
//! over, so keys that do not spread evenly cost at most the rounds' few
//! probes more than bisection.

/// Entries of a range small enough to bisect: one or two 4 KiB pages of
/// 16-byte entries.
const SMALL: usize = 256;

/// Interpolation rounds before bisection takes over.
const ROUNDS: usize = 6;

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
        // first < key <= last, so last > first and hi - 1 > lo.
        let width = hi - 1 - lo;
        let offset = (u128::from(key - first) * width as u128) / u128::from(last - first);
        let guess = (lo + offset as usize).clamp(lo + 1, hi - 1);
        // Key units per entry, and how many entries the probed key's
        // distance from `key` is worth, with the margin of an even spread.
        let per_entry = (last - first) as f64 / width as f64;
        let estimate = |distance: u64| {
            let d = distance as f64 / per_entry;
            // Saturates for a spread far from even.
            (d + d.sqrt() + 2.0) as usize
        };
        // From the guess, probe toward the key at the estimate, doubling
        // the step until the key is passed: runs of one key and clusters
        // make the estimate short.
        let at = key_at(guess);
        if at < key {
            lo = guess + 1;
            let mut step = estimate(key - at);
            loop {
                let probe = guess.saturating_add(step);
                if probe >= hi - 1 {
                    break;
                }
                if key_at(probe) < key {
                    lo = probe + 1;
                    step = step.saturating_mul(2);
                } else {
                    hi = probe;
                    break;
                }
            }
        } else {
            hi = guess;
            // On the key itself, its run's start is near or far; once it
            // is bracketed, bisection finds it (an interpolation between
            // the bracket's ends would guess at the run's end again).
            if at == key {
                rounds = ROUNDS;
            }
            let mut step = if at == key { 2 } else { estimate(at - key) };
            while guess > lo + step {
                let probe = guess - step;
                if key_at(probe) < key {
                    lo = probe + 1;
                    break;
                }
                hi = probe;
                step = step.saturating_mul(2);
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
        assert!(total <= 1000 * 5 / 2, "{total} pages in 1,000 searches");
        assert!(worst <= 5, "{worst} pages");
    }
}
