//! From seed sentence pairs to passages: clustering by gaps, best
//! matches, extension and validation, and overlaps between passages.

use super::*;

/// Splits seeds into groups wherever consecutive seeds (sorted by `key`)
/// are more than `gap` units apart.
pub(super) fn split_by(
    mut seeds: Vec<(u32, u32)>,
    gap: usize,
    key: fn(&(u32, u32)) -> u32,
) -> Vec<Vec<(u32, u32)>> {
    seeds.sort_by_key(|s| (key(s), *s));
    let mut out: Vec<Vec<(u32, u32)>> = Vec::new();
    for s in seeds {
        match out.last_mut() {
            Some(group) if key(&s) <= key(group.last().unwrap_or(&s)) + gap as u32 + 1 => {
                group.push(s)
            }
            _ => out.push(vec![s]),
        }
    }
    out
}

/// Clusters seeds along both documents until each cluster is contiguous
/// (within `gap`) on both sides.
pub(super) fn cluster(seeds: Vec<(u32, u32)>, gap: usize) -> Vec<Vec<(u32, u32)>> {
    let mut out = Vec::new();
    let mut work = vec![(seeds, true)];
    while let Some((group, by_a)) = work.pop() {
        let parts = if by_a {
            split_by(group, gap, |s| s.0)
        } else {
            split_by(group, gap, |s| s.1)
        };
        if parts.len() == 1 {
            let part = parts.into_iter().next().unwrap_or_default();
            // Stable along this axis: check the other one, or finish.
            let other = if by_a {
                split_by(part.clone(), gap, |s| s.1)
            } else {
                split_by(part.clone(), gap, |s| s.0)
            };
            if other.len() == 1 {
                out.push(part);
            } else {
                work.extend(other.into_iter().map(|g| (g, by_a)));
            }
        } else {
            work.extend(parts.into_iter().map(|g| (g, !by_a)));
        }
    }
    out
}

/// A passage in units: copy range, source range, similarity.
pub(super) type Passage = (Range<u32>, Range<u32>, f64);

/// The pieces of passages cut at insertions: copy and source ranges.
pub(super) type Pieces = Vec<(Range<u32>, Range<u32>)>;

/// Overlaps in the copy: keeps the passage with more similar text
/// (similarity × length), so a long passage is not lost to a short repeat
/// of one of its sentences elsewhere in the source. A lighter passage
/// that overlaps kept ones only at its ends (a sentence that straddles two
/// copied passages joins both clusters) loses those sentences instead
/// (see [`MIN_LEFT_UNITS`]); its source side is left to the trimming.
pub(super) fn resolve_overlaps(mut passages: Vec<Passage>, ua: &[Unit]) -> Vec<Passage> {
    let weight = |p: &Passage| {
        let len = ua[p.0.end as usize - 1].span.end - ua[p.0.start as usize].span.start;
        p.2 * len as f64
    };
    passages.sort_by(|x, y| {
        weight(y)
            .total_cmp(&weight(x))
            .then(x.0.start.cmp(&y.0.start))
            .then(x.1.start.cmp(&y.1.start))
    });
    let mut kept: Vec<Passage> = Vec::new();
    for mut p in passages {
        let units = p.0.len();
        // Cut the ends of p that kept passages cover, until none does.
        let mut cut = true;
        while cut {
            cut = false;
            for k in &kept {
                if k.0.start <= p.0.start && p.0.start < k.0.end && k.0.end < p.0.end {
                    p.0.start = k.0.end;
                    cut = true;
                } else if p.0.start < k.0.start && k.0.start < p.0.end && p.0.end <= k.0.end {
                    p.0.end = k.0.start;
                    cut = true;
                }
            }
        }
        let disjoint = kept
            .iter()
            .all(|k| k.0.end <= p.0.start || p.0.end <= k.0.start);
        if disjoint && (p.0.len() == units || p.0.len() >= MIN_LEFT_UNITS as usize) {
            kept.push(p);
        }
    }
    kept
}

/// What the extension step reads.
pub(super) struct Context<'a> {
    pub(super) ua: &'a [Unit],
    pub(super) ub: &'a [Unit],
    /// The copy's paragraphs each of its units starts and ends in.
    pub(super) paragraph_a: Vec<(u32, u32)>,
    /// The copy's text, to judge the length of the pieces of a passage cut
    /// at an insertion.
    pub(super) copy_text: &'a str,
    /// Passages shorter than this are dropped ([`AlignConfig::min_chars`]).
    pub(super) min_chars: usize,
    pub(super) idf: &'a AHashMap<u64, f64>,
    pub(super) seed_cosine: &'a AHashMap<(u32, u32), f64>,
}

/// Within one cluster, keeps only the seeds that are the best match of
/// their copy sentence and of their source sentence: a sentence repeated
/// across the source (a menu line, a recurring definition) otherwise
/// stretches the passage over every repeat. Among equally good matches of
/// one copy sentence, the one closest to the cluster's diagonal (the median
/// offset between copy and source positions) and those at most
/// [`DIAGONAL_SLACK`] sentences further from it stay.
pub(super) fn best_matches(
    group: &[(u32, u32)],
    cosine: &AHashMap<(u32, u32), f64>,
) -> Vec<(u32, u32)> {
    let cos = |s: &(u32, u32)| cosine.get(s).copied().unwrap_or(0.0);
    let mut best_a: AHashMap<u32, f64> = AHashMap::new();
    let mut best_b: AHashMap<u32, f64> = AHashMap::new();
    for s in group {
        let c = cos(s);
        let a = best_a.entry(s.0).or_insert(c);
        *a = a.max(c);
        let b = best_b.entry(s.1).or_insert(c);
        *b = b.max(c);
    }
    let mut kept: Vec<(u32, u32)> = group
        .iter()
        .copied()
        .filter(|s| {
            let c = cos(s);
            c >= best_a[&s.0] - BEST_MATCH_SLACK && c >= best_b[&s.1] - BEST_MATCH_SLACK
        })
        .collect();
    let mut offsets: Vec<i64> = kept
        .iter()
        .map(|s| i64::from(s.1) - i64::from(s.0))
        .collect();
    offsets.sort_unstable();
    let Some(&diagonal) = offsets.get(offsets.len() / 2) else {
        return kept;
    };
    let distance = |s: &(u32, u32)| (i64::from(s.1) - i64::from(s.0) - diagonal).abs();
    let mut nearest: AHashMap<u32, i64> = AHashMap::new();
    for s in &kept {
        let d = nearest.entry(s.0).or_insert(i64::MAX);
        *d = (*d).min(distance(s));
    }
    kept.retain(|s| distance(s) <= nearest[&s.0] + DIAGONAL_SLACK);
    kept
}

/// Clusters `seeds` with gaps of up to `gap` sentences and keeps the
/// clusters whose two sides reach a cosine of `validate`, clustering the
/// others again with a smaller gap. The pieces of a passage cut at an
/// insertion are also listed in `pieces`.
pub(super) fn extend(
    seeds: &[(u32, u32)],
    gap: usize,
    validate: f64,
    ctx: &Context,
    out: &mut Vec<Passage>,
    pieces: &mut Pieces,
) {
    if seeds.is_empty() {
        return;
    }
    for group in cluster(seeds.to_vec(), gap) {
        let filtered = best_matches(&group, ctx.seed_cosine);
        if filtered.len() < group.len() {
            extend(&filtered, gap, validate, ctx, out, pieces);
            continue;
        }
        let (ra, rb) = extent(&group);
        let sim = fragment_cosine(
            &ctx.ua[ra.start as usize..ra.end as usize],
            &ctx.ub[rb.start as usize..rb.end as usize],
            ctx.idf,
        );
        if sim >= validate {
            let cut = split_at_insertions(group, ctx);
            if cut.len() == 1 {
                out.push((ra, rb, sim));
            } else {
                for piece in cut {
                    let (ra, rb) = extent(&piece);
                    pieces.push((ra.clone(), rb.clone()));
                    let sim = fragment_cosine(
                        &ctx.ua[ra.start as usize..ra.end as usize],
                        &ctx.ub[rb.start as usize..rb.end as usize],
                        ctx.idf,
                    );
                    out.push((ra, rb, sim));
                }
            }
        } else if gap > 0 {
            extend(&group, gap - 1, validate, ctx, out, pieces);
        }
    }
}

/// The copy and source units a group of seeds spans.
fn extent(group: &[(u32, u32)]) -> (Range<u32>, Range<u32>) {
    let ra = group.iter().map(|s| s.0).min().unwrap_or(0)
        ..group.iter().map(|s| s.0).max().unwrap_or(0) + 1;
    let rb = group.iter().map(|s| s.1).min().unwrap_or(0)
        ..group.iter().map(|s| s.1).max().unwrap_or(0) + 1;
    (ra, rb)
}

/// Cuts a group of seeds where the copy inserted whole paragraphs: between
/// two seeds that follow each other in the source (no source sentence
/// between them), a whole copy paragraph without a seed whose words the
/// two source sentences do not share (see [`INSERTION_COSINE`]). The
/// pieces keep their order; one piece when there is no such insertion.
/// A piece too short to stand as a passage stays joined to its neighbour
/// (the passage then spans the insertion, as it did uncut).
pub(super) fn split_at_insertions(group: Vec<(u32, u32)>, ctx: &Context) -> Vec<Vec<(u32, u32)>> {
    let paragraph_a = &ctx.paragraph_a;
    let mut sorted = group;
    sorted.sort_unstable();
    let mut pieces: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut current: Vec<(u32, u32)> = Vec::new();
    for s in sorted {
        if let Some(&prev) = current.last() {
            let source_next = s.1 == prev.1 + 1;
            let para = |u: u32| paragraph_a.get(u as usize).copied().unwrap_or((0, 0));
            // Fewer words than a unit between them (a heading, a line too
            // short to match): no insertion.
            let gap = (prev.0 as usize + 1)..(s.0 as usize).max(prev.0 as usize + 1);
            let between: usize = ctx.ua[gap].iter().map(|u| u.words).sum();
            let whole_paragraph_between =
                between >= MIN_UNIT_WORDS && para(s.0).0 >= para(prev.0).1 + 2;
            if source_next && whole_paragraph_between {
                // The copy's units between the two seeds against the two
                // source sentences they sit between: a sentence split in
                // two or reworded around the junction shares their words.
                let foreign = fragment_cosine(
                    &ctx.ua[prev.0 as usize + 1..s.0 as usize],
                    &ctx.ub[prev.1 as usize..=s.1 as usize],
                    ctx.idf,
                ) < INSERTION_COSINE;
                if foreign {
                    pieces.push(std::mem::take(&mut current));
                }
            }
        }
        current.push(s);
    }
    pieces.push(current);
    if pieces.len() > 1 {
        let long = |piece: &[(u32, u32)]| {
            let (ra, _) = extent(piece);
            let span = ctx.ua[ra.start as usize].span.start..ctx.ua[ra.end as usize - 1].span.end;
            prose_chars(&ctx.copy_text[span]) >= ctx.min_chars
        };
        let mut joined: Vec<Vec<(u32, u32)>> = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match joined.last_mut() {
                Some(last) if !long(last) || !long(&piece) => last.extend(piece),
                _ => joined.push(piece),
            }
        }
        pieces = joined;
    }
    pieces
}

pub(super) fn fragment_cosine(a: &[Unit], b: &[Unit], idf: &AHashMap<u64, f64>) -> f64 {
    let merge = |units: &[Unit]| {
        let mut all: Vec<(u64, u32)> =
            Vec::with_capacity(units.iter().map(|u| u.counts.len()).sum());
        all.extend(units.iter().flat_map(|u| u.counts.iter().copied()));
        all.sort_unstable_by_key(|x| x.0);
        let mut merged: Vec<(u64, u32)> = Vec::with_capacity(all.len());
        for (w, c) in all {
            match merged.last_mut() {
                Some((last, n)) if *last == w => *n += c,
                _ => merged.push((w, c)),
            }
        }
        weigh(merged.into_iter(), idf)
    };
    dot(&merge(a), &merge(b))
}
