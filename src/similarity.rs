//! Stage 6, verify: exact Jaccard similarity and containment on shingle
//! sets. MinHash finds candidates; these exact figures decide.
//!
//! Sets are sorted slices of distinct hashes (`u32` shingle hashes, as
//! [`crate::shingle::shingle_set`] builds them, or `u64` gram hashes).

/// The sizes behind every set-similarity score of two sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overlap {
    /// `|A ∩ B|`.
    pub shared: usize,
    /// `|A|`.
    pub left: usize,
    /// `|B|`.
    pub right: usize,
}

impl Overlap {
    /// Measures two sorted, duplicate-free sets.
    ///
    /// ```
    /// use reprint::similarity::Overlap;
    /// let o = Overlap::of(&[1, 2, 3, 4], &[3, 4, 5, 6, 7, 8]);
    /// assert_eq!(o.shared, 2);
    /// assert_eq!(o.jaccard(), 0.25);
    /// assert_eq!(o.left_in_right(), 0.5);
    /// assert_eq!(o.right_in_left(), 2.0 / 6.0);
    /// ```
    pub fn of<T: Ord>(a: &[T], b: &[T]) -> Overlap {
        Overlap {
            shared: intersection_size(a, b),
            left: a.len(),
            right: b.len(),
        }
    }

    /// `|A ∩ B| / |A ∪ B|`; 0 for two empty sets.
    pub fn jaccard(&self) -> f64 {
        let union = self.left + self.right - self.shared;
        ratio(self.shared, union)
    }

    /// `|A ∩ B| / |A|`: how much of A is found in B.
    pub fn left_in_right(&self) -> f64 {
        ratio(self.shared, self.left)
    }

    /// `|A ∩ B| / |B|`: how much of B is found in A.
    pub fn right_in_left(&self) -> f64 {
        ratio(self.shared, self.right)
    }

    /// `|A ∩ B| / min(|A|, |B|)`: how much of the smaller set is found in
    /// the larger (the overlap coefficient).
    pub fn smaller_in_larger(&self) -> f64 {
        ratio(self.shared, self.left.min(self.right))
    }

    /// The same overlap seen from the other side.
    pub fn swap(self) -> Overlap {
        Overlap {
            shared: self.shared,
            left: self.right,
            right: self.left,
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Whether `Overlap::of(a, b).smaller_in_larger() >= threshold`, decided
/// without always finishing the intersection: the walk stops as soon as
/// enough of the smaller set is found, or too little of it is left to get
/// there. Verification asks this of every LSH candidate, nearly all of
/// which fail early.
///
/// ```
/// use reprint::similarity::{contained_at_least, Overlap};
/// let (a, b) = ([1, 2, 3, 4], [3, 4, 5, 6, 7, 8]);
/// assert!(contained_at_least(&a, &b, 0.5));
/// assert!(!contained_at_least(&a, &b, 0.51));
/// ```
pub fn contained_at_least<T: Ord>(a: &[T], b: &[T], threshold: f64) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match shared_needed(small.len(), threshold) {
        Some(needed) => count_shared(small, large, needed) >= needed,
        None => false,
    }
}

/// Which of two sets holds the other at `threshold`: `(a in b, b in a)`,
/// where "x in y" is `Overlap::of(x, y).left_in_right() >= threshold`. The
/// smaller set is tested first, as [`contained_at_least`] does; the larger
/// only when the smaller passed and is big enough to hold it. A paragraph
/// with an outlet's footer run into it holds the footer, but the footer
/// does not hold it.
///
/// ```
/// use reprint::similarity::held_at_least;
/// let (footer, story) = ([1, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8]);
/// assert_eq!(held_at_least(&footer, &story, 0.5), (true, false));
/// assert_eq!(held_at_least(&story, &story, 0.5), (true, true));
/// ```
pub fn held_at_least<T: Ord>(a: &[T], b: &[T], threshold: f64) -> (bool, bool) {
    let swapped = a.len() > b.len();
    let (small, large) = if swapped { (b, a) } else { (a, b) };
    let small_in_large = match shared_needed(small.len(), threshold) {
        Some(needed) => count_shared(small, large, needed) >= needed,
        None => false,
    };
    let large_in_small = small_in_large
        && match shared_needed(large.len(), threshold) {
            Some(needed) if needed <= small.len() => count_shared(small, large, needed) >= needed,
            _ => false,
        };
    if swapped {
        (large_in_small, small_in_large)
    } else {
        (small_in_large, large_in_small)
    }
}

/// The least `k` with `k / n >= threshold` as `ratio` computes it (`None`
/// when no `k <= n` reaches it); for `n = 0`, `ratio` is 0.
fn shared_needed(n: usize, threshold: f64) -> Option<usize> {
    let reaches = |k: usize| ratio(k, n) >= threshold;
    if n == 0 {
        return reaches(0).then_some(0);
    }
    let mut k = (threshold * n as f64).ceil().clamp(0.0, (n + 1) as f64) as usize;
    while k > 0 && reaches(k - 1) {
        k -= 1;
    }
    while k <= n && !reaches(k) {
        k += 1;
    }
    (k <= n).then_some(k)
}

/// Size of the intersection of two sorted, duplicate-free slices. Gallops
/// through the larger one when the sizes differ widely.
pub fn intersection_size<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    count_shared(small, large, usize::MAX)
}

/// Counts the elements of `small` found in `large` (both sorted and
/// duplicate-free), galloping through `large` when it is much the larger;
/// stops once the count reaches `enough`, or when what is left of `small`
/// can no longer bring it there. Only whether the count reaches `enough`
/// is meant: stopped early, it may be short of the intersection's size, or
/// past `enough`.
fn count_shared<T: Ord>(small: &[T], large: &[T], enough: usize) -> usize {
    let n = small.len();
    if n > 0 && large.len() / n >= 16 {
        return gallop_shared(small, large, enough);
    }
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < n && j < large.len() && count < enough {
        if enough != usize::MAX && count + (n - i) < enough {
            break;
        }
        // A few steps of the merge without branching on the comparisons
        // (their outcomes do not follow a pattern a branch predictor
        // learns), then the checks above again.
        let steps = MERGE_STEPS.min(n - i).min(large.len() - j);
        for _ in 0..steps {
            let (a, b) = (&small[i], &large[j]);
            count += usize::from(a == b);
            i += usize::from(a <= b);
            j += usize::from(b <= a);
        }
    }
    count
}

/// Steps of the merge in [`count_shared`] between two checks of whether
/// its answer is known: each step moves one of the two positions or both,
/// so no step runs past either end.
const MERGE_STEPS: usize = 8;

/// [`count_shared`] for a `large` much larger than `small`: each element of
/// `small` is searched for in what is left of `large`.
fn gallop_shared<T: Ord>(small: &[T], large: &[T], enough: usize) -> usize {
    let n = small.len();
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < n && j < large.len() && count < enough {
        if enough != usize::MAX && count + (n - i) < enough {
            break;
        }
        match large[j..].binary_search(&small[i]) {
            Ok(k) => {
                count += 1;
                j += k + 1;
            }
            Err(k) => j += k,
        }
        i += 1;
    }
    count
}

/// Merges sorted, duplicate-free sets into one.
pub fn union_of<'a, T: Ord + Copy + 'a>(sets: impl IntoIterator<Item = &'a [T]>) -> Vec<T> {
    let mut out: Vec<T> = sets.into_iter().flatten().copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn held_at_least_agrees_with_the_overlap(
            a in proptest::collection::btree_set(0u32..60, 0..40),
            b in proptest::collection::btree_set(0u32..60, 0..40),
            t in 0.05f64..1.0,
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let o = Overlap::of(&a, &b);
            prop_assert_eq!(
                held_at_least(&a, &b, t),
                (o.left_in_right() >= t, o.right_in_left() >= t)
            );
        }
    }

    #[test]
    fn empty_sets_score_zero() {
        let o = Overlap::of::<u64>(&[], &[]);
        assert_eq!(o.jaccard(), 0.0);
        assert_eq!(o.left_in_right(), 0.0);
    }

    #[test]
    fn galloping_and_merging_agree() {
        let large: Vec<u64> = (0..1000).map(|x| x * 3).collect();
        let small = [0u64, 3, 4, 2997, 5000];
        assert_eq!(intersection_size(&small, &large), 3);
        assert_eq!(intersection_size(&large, &small), 3);
    }

    proptest! {
        #[test]
        fn intersection_matches_a_hash_set(
            a in proptest::collection::btree_set(0u64..200, 0..100),
            b in proptest::collection::btree_set(0u64..200, 0..100),
        ) {
            let va: Vec<u64> = a.iter().copied().collect();
            let vb: Vec<u64> = b.iter().copied().collect();
            prop_assert_eq!(intersection_size(&va, &vb), a.intersection(&b).count());
        }

        #[test]
        fn early_exit_decides_as_the_full_overlap(
            a in proptest::collection::btree_set(0u64..300, 0..120),
            b in proptest::collection::btree_set(0u64..300, 0..40),
            t in prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..1.2],
        ) {
            let va: Vec<u64> = a.iter().copied().collect();
            let vb: Vec<u64> = b.iter().copied().collect();
            let full = Overlap::of(&va, &vb).smaller_in_larger() >= t;
            prop_assert_eq!(contained_at_least(&va, &vb, t), full);
            prop_assert_eq!(contained_at_least(&vb, &va, t), full);
        }
    }
}
