//! Stage 4, candidates: which document pairs the aligner looks at.
//!
//! Units (paragraphs, or windows of long ones) with identical shingle sets
//! form one group and share one signature; LSH proposes group pairs, exact
//! set overlap verifies them, and verified groups expand into unit matches
//! between documents. A document pair is a candidate when it has a match on
//! a unit that is not boilerplate, or when common units alone cover half of
//! the smaller document; documents with the same words always pair; and
//! documents that share a quarter of their rare character grams are
//! rewrite candidates (module `rewrite`).
//! Boilerplate is decided here (see [`crate::scan`] for the rule) so that it
//! neither explodes the candidates nor makes two stories a pair.

use std::collections::HashMap;

use ahash::AHashMap;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::shingle::ShingledDocument;

mod postings;
mod rewrite;
pub(crate) use rewrite::{
    GramKind, KnownPairs, REWRITE_MAX_DF, REWRITE_MIN_SHARED, REWRITE_SHARE, rewrite_candidates,
    rewriting_carriers, sampled_grams,
};

/// Units with the same shingle set, group by group: each group's
/// `(document, unit)` members in document order, all in one table (a
/// million-article feed has millions of groups, and a vector each took
/// hundreds of megabytes more, left as holes among longer-lived records
/// once freed).
#[derive(Debug, Default)]
pub(crate) struct Groups {
    /// Group g's members are `members[starts[g]..starts[g + 1]]`.
    starts: Vec<usize>,
    members: Vec<(u32, u32)>,
}

impl Groups {
    /// The groups of `lists`, one list of members each.
    #[cfg(test)]
    pub(crate) fn from_lists(lists: &[Vec<(u32, u32)>]) -> Groups {
        let mut starts = vec![0];
        let mut members = Vec::new();
        for l in lists {
            members.extend_from_slice(l);
            starts.push(members.len());
        }
        Groups { starts, members }
    }

    /// Number of groups.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Group g's members.
    pub(crate) fn members(&self, g: usize) -> &[(u32, u32)] {
        &self.members[self.starts[g]..self.starts[g + 1]]
    }

    /// Each group's members, in group order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[(u32, u32)]> + '_ {
        (0..self.len()).map(|g| self.members(g))
    }

    /// [`Groups::iter`] in parallel.
    pub(crate) fn par_iter(&self) -> impl IndexedParallelIterator<Item = &[(u32, u32)]> + '_ {
        (0..self.len()).into_par_iter().map(|g| self.members(g))
    }
}

/// Each document's units' groups, in one table: a unit too short to be
/// fingerprinted has none. Four bytes a unit and eight a document, where a
/// vector of `Option<u32>` per document took eight a unit and forty a
/// document (about 110 MB at a million articles).
#[derive(Debug, Clone, Default)]
pub(crate) struct ParaGroups {
    /// Document d's units are `groups[starts[d]..starts[d + 1]]`.
    starts: Vec<usize>,
    /// Each unit's group, [`ParaGroups::NONE`] for none.
    groups: Vec<u32>,
}

impl ParaGroups {
    /// The mark of a unit without a group.
    const NONE: u32 = u32::MAX;

    /// The group of unit p of document d (`None` when it has none, or when
    /// there is no such unit).
    pub(crate) fn get(&self, d: u32, p: u32) -> Option<u32> {
        let (from, to) = (
            *self.starts.get(d as usize)?,
            *self.starts.get(d as usize + 1)?,
        );
        let at = from + p as usize;
        (at < to)
            .then(|| self.groups[at])
            .filter(|&g| g != Self::NONE)
    }

    /// Whether unit p of document d is in one of `groups` (the
    /// boilerplate groups, say).
    pub(crate) fn in_any<V>(&self, d: u32, p: u32, groups: &HashMap<u32, V>) -> bool {
        self.get(d, p).is_some_and(|g| groups.contains_key(&g))
    }

    /// The number of units of document d.
    pub(crate) fn units(&self, d: u32) -> usize {
        match (self.starts.get(d as usize), self.starts.get(d as usize + 1)) {
            (Some(&from), Some(&to)) => to - from,
            _ => 0,
        }
    }
}

/// Documents whose shingle sets a stage reads in order before it hands
/// back their mapped pages ([`crate::shingle::release_sets`]): about 13
/// MB of sets of news articles.
pub(crate) const SET_BLOCK_DOCS: usize = 1 << 14;

/// Groups fingerprinted paragraphs with identical shingle sets. Returns the
/// groups (in first-seen order) and, per document and paragraph, its group.
pub(crate) fn group_paragraphs(data: &[ShingledDocument]) -> (Groups, ParaGroups) {
    let mut starts: Vec<usize> = Vec::with_capacity(data.len() + 1);
    starts.push(0);
    starts.extend(data.iter().scan(0, |n, d| {
        *n += d.paragraphs.len();
        Some(*n)
    }));
    // The units' set keys, a block of documents at a time, the pages of
    // their sets handed back after it when the sets are mapped from a file.
    let mut keys: Vec<Option<u64>> = Vec::with_capacity(starts[data.len()]);
    for block in data.chunks(SET_BLOCK_DOCS) {
        keys.par_extend(
            block
                .par_iter()
                .flat_map_iter(|d| d.paragraphs.iter().map(|p| p.set_key())),
        );
        crate::shingle::release_sets(block);
    }
    let mut index: AHashMap<u64, u32> = AHashMap::new();
    let mut groups = 0usize;
    let groups_of_units: Vec<u32> = keys
        .iter()
        .map(|key| match key {
            Some(key) => *index.entry(*key).or_insert_with(|| {
                groups += 1;
                (groups - 1) as u32
            }),
            None => ParaGroups::NONE,
        })
        .collect();
    drop(index);
    drop(keys);
    let para_group = ParaGroups {
        starts,
        groups: groups_of_units,
    };
    // The members in document order, group by group.
    let (starts, members) = buckets(
        groups,
        (0..data.len()).flat_map(|d| {
            let units = para_group.starts[d]..para_group.starts[d + 1];
            para_group.groups[units]
                .iter()
                .enumerate()
                .filter(|&(_, &g)| g != ParaGroups::NONE)
                .map(move |(p, &g)| (g as usize, (d as u32, p as u32)))
        }),
    );
    (Groups { starts, members }, para_group)
}

/// `items` (a key below `n` and a value each) bucketed by key: offsets
/// (bucket k is `values[offsets[k]..offsets[k + 1]]`) and the values, each
/// bucket's in the order given. A counting sort: two passes over `items`
/// and no vector per bucket.
pub(crate) fn buckets<T: Copy + Default>(
    n: usize,
    items: impl Iterator<Item = (usize, T)> + Clone,
) -> (Vec<usize>, Vec<T>) {
    let mut offsets = vec![0usize; n + 1];
    for (k, _) in items.clone() {
        offsets[k + 1] += 1;
    }
    for k in 0..n {
        offsets[k + 1] += offsets[k];
    }
    let mut fill = offsets.clone();
    let mut values = vec![T::default(); offsets[n]];
    for (k, v) in items {
        values[fill[k]] = v;
        fill[k] += 1;
    }
    (offsets, values)
}

pub(crate) fn set_key(set: &[u32]) -> u64 {
    let bytes: Vec<u8> = set.iter().flat_map(|h| h.to_le_bytes()).collect();
    xxh3_64(&bytes) ^ (set.len() as u64).rotate_left(32)
}

/// Each group's family: the documents that carry it or a paragraph that
/// holds it (a verified near-copy holding at least the threshold of its
/// shingles). Holding is directed: a paragraph with an outlet's footer run
/// into it holds the footer, so it is in the footer's family, but the
/// footer's carriers are not in its family, and the story around the footer
/// is not common because the footer is. Only the number of documents and
/// the first of them (in document order) are kept: a list of nearly the
/// whole corpus for each such footer grew with the square of the feed.
pub(crate) struct Families {
    /// Documents in each group's family.
    pub(crate) count: Vec<u32>,
    /// The first [`FAMILY_KEPT`] of them, sorted.
    pub(crate) first: Vec<Vec<u32>>,
}

/// Documents kept per family: enough to tell a huge family and to sample
/// [`MAX_CARRIERS`] carriers.
pub(crate) const FAMILY_KEPT: usize = if HUGE_FAMILY + 1 > MAX_CARRIERS {
    HUGE_FAMILY + 1
} else {
    MAX_CARRIERS
};

/// The families of `groups` (see [`Families`]) among `documents` documents;
/// `holds` lists `(held, holder)`: group `holder` holds group `held`.
pub(crate) fn family_documents(
    groups: &Groups,
    holds: &[(u32, u32)],
    documents: usize,
) -> Families {
    // The groups that hold each group, by held group (no vector per group:
    // a million articles have millions of groups).
    let mut holders: Vec<(u32, u32)> = holds.to_vec();
    holders.par_sort_unstable();
    let holders_of = |g: usize| {
        let lo = holders.partition_point(|&(held, _)| (held as usize) < g);
        let hi = holders.partition_point(|&(held, _)| (held as usize) <= g);
        holders[lo..hi].iter().map(|&(_, holder)| holder as usize)
    };
    // A group's documents, in order and once each (its members are in
    // document order).
    let own = |g: usize| {
        let m = groups.members(g);
        (0..m.len())
            .filter(move |&i| i == 0 || m[i - 1].0 != m[i].0)
            .map(move |i| m[i].0)
    };
    const UNSEEN: u32 = u32::MAX;
    let (count, first): (Vec<u32>, Vec<Vec<u32>>) = (0..groups.len())
        .into_par_iter()
        .with_min_len(1 << 16)
        .map_init(
            || vec![UNSEEN; documents],
            |seen, g| {
                // Documents are counted once each by marking them with the
                // group's number; the first are the smallest of each
                // contributor's first.
                let contributors = std::iter::once(g).chain(holders_of(g));
                let (mut count, mut first) = (0u32, Vec::new());
                for c in contributors {
                    for d in own(c) {
                        if seen[d as usize] != g as u32 {
                            seen[d as usize] = g as u32;
                            count += 1;
                        }
                    }
                    first.extend(own(c).take(FAMILY_KEPT));
                }
                first.sort_unstable();
                first.dedup();
                first.truncate(FAMILY_KEPT);
                first.shrink_to_fit();
                (count, first)
            },
        )
        .unzip();
    Families { count, first }
}

/// Expands group-level matches to paragraph matches between documents:
/// `(doc_a, doc_b, para_a, para_b, common)` with `doc_a < doc_b`, sorted.
pub(crate) type Match = (u32, u32, u32, u32, bool);

pub(crate) fn expand_matches(
    groups: &Groups,
    edges: &[(u32, u32)],
    common: &[bool],
    skip: &[bool],
    identical: &[Match],
) -> Vec<Match> {
    let mut within: Vec<Match> = groups
        .par_iter()
        .enumerate()
        .filter(|(g, _)| !skip[*g])
        .flat_map_iter(|(g, group)| {
            let c = common[g];
            let m = group;
            (0..m.len())
                .flat_map(move |i| (i + 1..m.len()).filter_map(move |j| ordered(m[i], m[j], c)))
        })
        .collect();
    let across: Vec<Match> = edges
        .par_iter()
        .filter(|&&(a, b)| !skip[a as usize] && !skip[b as usize])
        .flat_map_iter(|&(a, b)| {
            let c = common[a as usize] || common[b as usize];
            let ma = groups.members(a as usize);
            let mb = groups.members(b as usize);
            ma.iter()
                .flat_map(move |&x| mb.iter().filter_map(move |&y| ordered(x, y, c)))
        })
        .collect();
    within.extend(across);
    within.extend_from_slice(identical);
    within.par_sort_unstable();
    within.dedup();
    within
}

/// Documents with the same words in the same order (white space and
/// wrapping aside) are paired with the first of them (a star, not all
/// pairs), so that exact and re-wrapped copies are always candidates, even
/// when every paragraph is too short to fingerprint alone. Matches only
/// select candidates (the aligner finds the passages), so they pair
/// paragraphs by position.
pub(crate) fn identical_documents(data: &[ShingledDocument]) -> Vec<Match> {
    let mut first: AHashMap<u64, u32> = AHashMap::new();
    let mut out = Vec::new();
    for (d, doc) in data.iter().enumerate() {
        let Some(key) = doc.words_key else {
            continue;
        };
        let f = *first.entry(key).or_insert(d as u32);
        let a = &data[f as usize];
        if f as usize != d {
            let n = a.paragraphs.len().min(doc.paragraphs.len()) as u32;
            out.extend((0..n).map(|p| (f, d as u32, p, p, false)));
        }
    }
    out
}

pub(crate) fn ordered(x: (u32, u32), y: (u32, u32), common: bool) -> Option<Match> {
    match x.0.cmp(&y.0) {
        std::cmp::Ordering::Less => Some((x.0, y.0, x.1, y.1, common)),
        std::cmp::Ordering::Greater => Some((y.0, x.0, y.1, x.1, common)),
        std::cmp::Ordering::Equal => None,
    }
}

/// Most carriers examined per common paragraph.
pub(crate) const MAX_CARRIERS: usize = 64;

/// Paragraphs carried by more documents than this have their pairs built
/// only once they are known not to be boilerplate.
pub(crate) const HUGE_FAMILY: usize = 128;

/// Whether a match involves a paragraph of a huge family.
pub(crate) fn huge_touch(m: &Match, para_group: &ParaGroups, huge: &[bool]) -> bool {
    let g = |d: u32, p: u32| para_group.get(d, p);
    [g(m.0, m.2), g(m.1, m.3)]
        .into_iter()
        .flatten()
        .any(|g| huge[g as usize])
}

/// Common groups whose carriers mostly share nothing else, with the share
/// of carrier pairs that do.
pub(crate) fn find_boilerplate(
    family_docs: &[Vec<u32>],
    common: &[bool],
    related_pair: &(dyn Fn(u32, u32) -> bool + Sync),
) -> HashMap<u32, f64> {
    fn carriers(docs: &[u32]) -> &[u32] {
        &docs[..docs.len().min(MAX_CARRIERS)]
    }
    // Documents that share one common paragraph (a heading, a footer)
    // usually share several: each carrier pair is decided once.
    let mut pairs: Vec<(u32, u32)> = family_docs
        .par_iter()
        .enumerate()
        .filter(|(g, _)| common[*g])
        .flat_map_iter(|(_, docs)| {
            let docs = carriers(docs);
            docs.iter()
                .enumerate()
                .flat_map(move |(i, &a)| docs[i + 1..].iter().map(move |&b| (a, b)))
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let related: Vec<bool> = pairs.par_iter().map(|&(a, b)| related_pair(a, b)).collect();
    family_docs
        .par_iter()
        .enumerate()
        .filter(|(g, _)| common[*g])
        .filter_map(|(g, docs)| {
            let docs = carriers(docs);
            let mut total = 0usize;
            let mut related_pairs = 0usize;
            for (i, &a) in docs.iter().enumerate() {
                // The carriers are sorted, so the pairs (a, b) of this
                // group follow each other in `pairs`: found by galloping
                // forward from the last one.
                let mut from = pairs.partition_point(|&p| p < (a, 0));
                for &b in &docs[i + 1..] {
                    let k = from + gallop(&pairs[from..], (a, b));
                    total += 1;
                    related_pairs += usize::from(pairs.get(k) == Some(&(a, b)) && related[k]);
                    from = k;
                }
            }
            let share = related_pairs as f64 / total.max(1) as f64;
            (share < 0.5).then_some((g as u32, share))
        })
        .collect()
}

/// The index of the first element of the sorted `s` not less than `x`:
/// doubling steps from the start, then a binary search (cheap when `x` is
/// near the start, as in a merge of two sorted lists).
fn gallop<T: Ord + Copy>(s: &[T], x: T) -> usize {
    let mut end = 1;
    while end < s.len() && s[end - 1] < x {
        end *= 2;
    }
    let end = end.min(s.len());
    let start = end / 2;
    start + s[start..end].partition_point(|&y| y < x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_paragraphs_share_a_group_and_short_ones_have_none() {
        let shared = "The harbour board approved the dredging plan on Tuesday after a long debate.";
        let texts = [
            format!("Too short.\n\n{shared}"),
            format!("{shared}\n\nA paragraph of this document alone, with enough words in it."),
        ];
        let docs: Vec<ShingledDocument> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let doc = crate::corpus::Document::from_text(i.to_string(), "t", t.clone());
                ShingledDocument::new(&doc, &crate::shingle::ShingleConfig::default(), 5)
            })
            .collect();
        let (groups, para_group) = group_paragraphs(&docs);
        assert_eq!(
            (
                para_group.units(0),
                para_group.units(1),
                para_group.units(2)
            ),
            (2, 2, 0)
        );
        assert_eq!(para_group.get(0, 0), None);
        assert_eq!(para_group.get(0, 1), Some(0));
        assert_eq!(para_group.get(1, 0), Some(0));
        assert_eq!(para_group.get(1, 1), Some(1));
        assert_eq!((para_group.get(1, 2), para_group.get(2, 0)), (None, None));
        assert_eq!(groups.len(), 2);
        assert_eq!(groups.members(0), [(0, 1), (1, 0)]);
        assert_eq!(groups.members(1), [(1, 1)]);
    }

    fn groups_of(lists: &[&[u32]]) -> Groups {
        let lists: Vec<Vec<(u32, u32)>> = lists
            .iter()
            .map(|docs| docs.iter().map(|&d| (d, 0)).collect())
            .collect();
        Groups::from_lists(&lists)
    }

    #[test]
    fn galloping_finds_what_a_binary_search_finds() {
        let s: Vec<u32> = (0..300).map(|i| i * 3).collect();
        for x in 0..905 {
            assert_eq!(gallop(&s, x), s.partition_point(|&y| y < x), "{x}");
        }
        assert_eq!(gallop(&[] as &[u32], 5), 0);
    }

    #[test]
    fn boilerplate_is_a_group_whose_carriers_mostly_share_nothing_else() {
        // Group 0: a footer on documents 0..10, related only in pairs
        // (0, 1) and (2, 3). Group 1: a story on documents 4..8, all of
        // them related. Group 2 is not common.
        let family = vec![(0..10).collect::<Vec<u32>>(), (4..8).collect(), vec![0, 9]];
        let related = |a: u32, b: u32| {
            (a, b) == (0, 1) || (a, b) == (2, 3) || (4..8).contains(&a) && (4..8).contains(&b)
        };
        let found = find_boilerplate(&family, &[true, true, false], &related);
        assert_eq!(found.len(), 1);
        let expected = (2 + 6) as f64 / 45.0;
        assert!((found[&0] - expected).abs() < 1e-12, "{found:?}");
    }

    #[test]
    fn a_family_counts_each_document_once_and_keeps_the_first() {
        // Group 0 (a footer in documents 0..300) and group 1 (documents 5
        // and 400) hold each other; group 2 (document 2, twice) holds the
        // footer but not the other way round (a story with the footer run
        // into it).
        let footer: Vec<u32> = (0..300).collect();
        let groups = groups_of(&[&footer, &[400, 5], &[2, 2]]);
        let holds = [(0, 1), (1, 0), (0, 2)];
        let f = family_documents(&groups, &holds, 401);
        assert_eq!(f.count, vec![301, 301, 1]);
        let expected: Vec<u32> = (0..FAMILY_KEPT as u32).collect();
        assert_eq!(f.first[0], expected);
        assert_eq!(f.first[1], expected);
        assert_eq!(f.first[2], vec![2]);
        // A lone group is its own family.
        let f = family_documents(&groups_of(&[&[7, 3]]), &[], 8);
        assert_eq!((f.count[0], f.first[0].clone()), (2, vec![3, 7]));
    }
}
