//! Stages 3–4 of a scan over a corpus, up to alignment: paragraph groups,
//! signatures and LSH (or a join's candidates), exact verification,
//! paragraph families and boilerplate, rewrite candidates.

use ahash::AHashSet;
use rayon::prelude::*;

use super::{Detector, Neighbourhood, ScanStats, StageTimes};
use crate::candidates::{
    HUGE_FAMILY, KnownPairs, MAX_CARRIERS, ParaGroups, expand_matches, family_documents,
    find_boilerplate, group_paragraphs, huge_touch, identical_documents, rewrite_candidates,
    rewriting_carriers, set_key,
};
use crate::error::{Error, Result};
use crate::lsh;
use crate::shingle::{MappedSets, ShingledDocument, release_sets};
use crate::similarity::{contained_at_least, held_at_least};
use crate::sketch::LshCandidates;

/// Bytes of LSH band keys made and held at once
/// ([`lsh::candidates_in_passes`]): beyond it the bands are taken in shares,
/// a pass each, and the signatures are made again for every pass. At a
/// million articles the keys of all 42 bands take 1.2 GB (four passes);
/// the 200,000-article feed's 0.24 GB and the enwiki feed's take one pass,
/// which saves making the signatures twice (0.82 -> 0.63 s on enwiki).
const LSH_KEY_BUDGET: usize = 288 << 20;

/// Groups whose signatures are made before the pages of their mapped
/// shingle sets are handed back ([`release_sets`]): about 25 MB of sets.
const SET_BLOCK_GROUPS: usize = 1 << 17;

/// Bytes of shingle sets in a run of groups whose candidates with another
/// run are verified together, the pages of mapped sets they read handed
/// back after them: a million articles' sets make a few tens of runs.
/// Runs of 128 MiB peaked at 2.03 GB there, above the LSH stage's 1.99
/// GB.
const VERIFY_TILE: usize = 64 << 20;

/// Documents whose whole shingle sets are made before the pages of their
/// mapped sets are handed back.
const NEEDED_BLOCK: usize = 1 << 10;

/// The passes [`LSH_KEY_BUDGET`] allows for the keys of `groups` groups.
fn lsh_passes(groups: usize, bands: usize) -> usize {
    (groups * bands * std::mem::size_of::<u32>())
        .div_ceil(LSH_KEY_BUDGET)
        .max(1)
}

/// What the corpus-wide stages of a scan decide before alignment
/// ([`Detector::decide_candidates`]).
pub(super) struct Decided {
    /// The candidate document pairs `(a, b)`, `a < b`, sorted.
    pub(super) candidates: Vec<(u32, u32)>,
    /// Each document's paragraphs' groups (`None`: too short to group).
    pub(super) para_group: ParaGroups,
    /// The boilerplate groups, with the share of their carriers related.
    pub(super) boilerplate_groups: std::collections::HashMap<u32, f64>,
    /// Each boilerplate group's first member and number of members, sorted
    /// by group.
    pub(super) bp_groups: Vec<(u32, (u32, u32), usize)>,
    /// Documents carrying each group.
    pub(super) family_count: Vec<u32>,
    /// The counts of these stages, for the report.
    pub(super) stats: ScanStats,
}

impl Detector {
    /// Stages 3–4 over a corpus, up to alignment: paragraph groups,
    /// signatures and LSH (or the `given` candidates of a join), exact
    /// verification, families and boilerplate, rewrite candidates. What
    /// alignment and the report need of them.
    pub(super) fn decide_candidates(
        &self,
        data: &mut [ShingledDocument],
        neighbourhood: Option<&Neighbourhood>,
        given: Option<&LshCandidates>,
        times: &mut StageTimes,
    ) -> Result<Decided> {
        if data.len() >= u32::MAX as usize {
            return Err(Error::InvalidParameter {
                name: "PATH",
                message: "too many documents for one scan".into(),
            });
        }

        // What reading left free (parsed records, texts handed to the
        // temporary file) goes back before the groups and the LSH stage.
        crate::memory::release_free_memory();
        // Exact copies of a paragraph share one group and one signature.
        let (groups, para_group) = group_paragraphs(data);
        let mut stats = ScanStats {
            paragraphs: data.iter().map(|d| d.paragraph_spans.len()).sum(),
            short_paragraphs: data
                .iter()
                .map(|d| d.paragraphs.iter().filter(|p| p.too_short).count())
                .sum(),
            distinct_paragraphs: groups.len(),
            ..ScanStats::default()
        };
        crate::memory::release_free_memory();
        times.lap("group paragraphs");
        let set_of = |g: &[(u32, u32)]| -> &[u32] {
            let (d, p) = g[0];
            &data[d as usize].paragraphs[p as usize].shingles
        };

        // Stages 4–5: signatures, kept only as their LSH band keys (a third
        // of the memory of whole signatures at the default banding), and
        // the candidates they share; or the candidates of a join run
        // elsewhere on a sketch.
        let (candidates, lsh_stats) = match given {
            Some(given) => given.group_pairs(&groups, &para_group)?,
            None => {
                let num_perm = self.config.num_perm;
                // The keys of a share of the bands at a time (see
                // LSH_KEY_BUDGET). Groups are numbered in the order of their first
                // members, so a block of groups reads the sets of a run
                // of documents, whose mapped pages are handed back after
                // it.
                let first_doc = |g: usize| groups.members(g)[0].0 as usize;
                lsh::candidates_in_passes(
                    groups.len(),
                    self.lsh.bands,
                    self.config.bucket_cap,
                    lsh_passes(groups.len(), self.lsh.bands),
                    SET_BLOCK_GROUPS,
                    |g, signature, out| {
                        signature.resize(num_perm, 0);
                        self.hasher.fill(
                            set_of(groups.members(g)).iter().map(|&s| u64::from(s)),
                            signature,
                        );
                        lsh::band_keys(signature, self.lsh, out);
                    },
                    |blk| {
                        if !blk.is_empty() {
                            release_sets(&data[first_doc(blk.start)..=first_doc(blk.end - 1)]);
                        }
                    },
                )
            }
        };
        stats.lsh = lsh_stats;
        times.lap("signatures and LSH");

        // Stage 6: verify.
        let threshold = self.config.threshold;
        // The sets by group in one flat table: one memory access to find
        // a candidate's set instead of three dependent ones.
        let group_sets: Vec<&[u32]> = groups.iter().map(set_of).collect();
        // A verified edge: the smaller of the two holds the threshold of its
        // shingles in the larger; which holds which is kept for the
        // families.
        // Taken tile by tile: the groups are cut into runs of about
        // VERIFY_TILE bytes of sets, a tile is the candidates between two
        // runs, and the pages of mapped sets a tile read are handed back
        // after it, so that at most two runs' pages are resident. Taken
        // in their order, candidates read sets from anywhere in the
        // corpus (a crowded bucket's first members pair with all of it),
        // and each page read maps its neighbours too: a million articles'
        // verification held 1.4 GB of such pages.
        // With every set in memory, one tile: the pairs in their order.
        let maps = MappedSets::of(data);
        let tile_bytes = if maps.is_empty() {
            usize::MAX
        } else {
            VERIFY_TILE
        };
        let mut run_of: Vec<u16> = Vec::with_capacity(group_sets.len());
        let mut bytes = 0usize;
        for set in &group_sets {
            run_of.push(u16::try_from(bytes / tile_bytes).unwrap_or(u16::MAX));
            bytes += std::mem::size_of_val(*set);
        }
        let tile = |&(a, b): &(u32, u32)| (run_of[a as usize], run_of[b as usize]);
        let mut candidates = candidates;
        if !maps.is_empty() {
            candidates.par_sort_unstable_by_key(|p| (tile(p), *p));
        }
        let mut verified: Vec<(u32, u32, (bool, bool))> = Vec::new();
        for block in candidates.chunk_by(|p, q| tile(p) == tile(q)) {
            verified.par_extend(block.par_iter().filter_map(|&(a, b)| {
                let held = held_at_least(group_sets[a as usize], group_sets[b as usize], threshold);
                (held.0 || held.1).then_some((a, b, held))
            }));
            maps.release();
        }
        drop(run_of);
        if !maps.is_empty() {
            verified.par_sort_unstable_by_key(|&(a, b, _)| (a, b));
        }
        drop(maps);
        let edges: Vec<(u32, u32)> = verified.iter().map(|&(a, b, _)| (a, b)).collect();
        let holds: Vec<(u32, u32)> = verified
            .iter()
            .flat_map(|&(a, b, (a_in_b, b_in_a))| {
                [a_in_b.then_some((a, b)), b_in_a.then_some((b, a))]
            })
            .flatten()
            .collect();
        drop(verified);
        // The LSH candidates (tens of millions of pairs at a million
        // articles) and the sets by group are done with.
        drop(candidates);
        drop(group_sets);
        stats.verified = edges.len();
        times.lap("verify candidates");

        // Stage 7: assemble.
        let mut families = family_documents(&groups, &holds, data.len());
        drop(holds);
        if let Some(n) = neighbourhood.filter(|n| !n.unseen_carriers.is_empty()) {
            for (g, group) in groups.iter().enumerate() {
                if let Some(&unseen) = n.unseen_carriers.get(&set_key(set_of(group))) {
                    families.count[g] = families.count[g].saturating_add(unseen);
                }
            }
        }
        let common: Vec<bool> = families
            .count
            .iter()
            .map(|&n| n as usize >= self.config.boilerplate_min_docs)
            .collect();
        // Paragraphs carried by very many documents are decided on a sample
        // of their carriers before any of their pairs is built.
        let huge: Vec<bool> = families
            .count
            .iter()
            .map(|&n| n as usize > HUGE_FAMILY)
            .collect();
        let mut matches =
            expand_matches(&groups, &edges, &common, &huge, &identical_documents(data));
        let pair_rare: Vec<((u32, u32), bool)> = matches
            .par_chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .map(|chunk| ((chunk[0].0, chunk[0].1), chunk.iter().any(|m| !m.4)))
            .collect();
        // Pairs that share only common paragraphs qualify when the two
        // documents share at least half of the smaller one: their whole
        // sets are built for those documents only.
        let mut needed: Vec<u32> = pair_rare
            .iter()
            .filter(|(_, rare)| !rare)
            .flat_map(|((a, b), _)| [*a, *b])
            .collect();
        needed.sort_unstable();
        needed.dedup();
        // A block of documents (in order, but spread over the corpus) at a
        // time, the pages of their mapped sets handed back after each:
        // each page read maps its neighbours too, and blocks of 16,384
        // held 1 GB of them at a million articles.
        let mut needed_sets: Vec<Vec<u32>> = Vec::with_capacity(needed.len());
        for block in needed.chunks(NEEDED_BLOCK) {
            needed_sets.par_extend(block.par_iter().map(|&d| data[d as usize].shingle_set()));
            release_sets(&data[block[0] as usize..=block[block.len() - 1] as usize]);
        }
        let set_of_doc = |d: u32| needed.binary_search(&d).ok().map(|i| &needed_sets[i]);
        let mostly_shared = |a: u32, b: u32| match (set_of_doc(a), set_of_doc(b)) {
            // As `Overlap::of(x, y).smaller_in_larger() >= 0.5`, stopping
            // as soon as the answer is known.
            (Some(x), Some(y)) => contained_at_least(x, y, 0.5),
            _ => false,
        };
        let qualifying: Vec<((u32, u32), bool)> = pair_rare
            .par_iter()
            .map(|&((da, db), rare)| ((da, db), rare || mostly_shared(da, db)))
            .collect();
        let qualified: AHashSet<(u32, u32)> = qualifying
            .iter()
            .filter(|(_, ok)| *ok)
            .map(|(p, _)| *p)
            .collect();
        drop(qualifying);
        drop(pair_rare);
        // The paragraphs' shingle sets have done their work (the whole sets
        // of `needed` are kept): the aligner reads the text. Freed before
        // the rewrite candidates and alignment, the next peaks.
        data.par_iter_mut()
            .flat_map_iter(|d| d.paragraphs.iter_mut())
            .for_each(|p| p.shingles = Default::default());
        crate::memory::release_free_memory();
        // Documents with the same words are related however many carry
        // them (identical pairs are only a star in the matches).
        let same_words = |a: u32, b: u32| {
            let (x, y) = (&data[a as usize].words_key, &data[b as usize].words_key);
            x.is_some() && x == y
        };
        let related =
            |a: u32, b: u32| qualified.contains(&(a, b)) || same_words(a, b) || mostly_shared(a, b);
        let mut boilerplate_groups = find_boilerplate(&families.first, &common, &related);
        // Carriers of a paragraph found boilerplate may be rewrites of one
        // story (outlets that reworded it but kept one quote word for
        // word): decided again with those carriers related.
        let (rewriting, carriers_grams) =
            rewriting_carriers(data, &families.first, &boilerplate_groups, &|d, p| {
                para_group.get(d, p).is_some_and(|g| common[g as usize])
            })?;
        if !rewriting.is_empty() {
            let rewrites_of =
                |a: u32, b: u32| rewriting.binary_search(&(a.min(b), a.max(b))).is_ok();
            // Only the groups with such carriers are decided again.
            let recheck: Vec<bool> = (0..groups.len())
                .map(|g| {
                    boilerplate_groups.contains_key(&(g as u32)) && {
                        let docs = &families.first[g];
                        let docs = &docs[..docs.len().min(MAX_CARRIERS)];
                        docs.iter()
                            .enumerate()
                            .any(|(i, &a)| docs[i + 1..].iter().any(|&b| rewrites_of(a, b)))
                    }
                })
                .collect();
            let still = find_boilerplate(&families.first, &recheck, &|a, b| {
                related(a, b) || rewrites_of(a, b)
            });
            boilerplate_groups.retain(|g, _| !recheck[*g as usize] || still.contains_key(g));
            boilerplate_groups.extend(still);
        }
        // The families' documents have done their work (their counts stay,
        // for the boilerplate report).
        families.first = Vec::new();
        // Widespread paragraphs that are not boilerplate (a story run by
        // very many outlets) are reuse like any other: build their pairs.
        let widespread: Vec<bool> = (0..groups.len())
            .map(|g| !huge[g] || boilerplate_groups.contains_key(&(g as u32)))
            .collect();
        if widespread.iter().any(|&skip| !skip) {
            let extra = expand_matches(&groups, &edges, &common, &widespread, &[]);
            matches.extend(extra.iter().filter(|m| huge_touch(m, &para_group, &huge)));
            matches.par_sort_unstable();
            matches.dedup();
        }

        let is_boilerplate = |d: u32, p: u32| para_group.in_any(d, p, &boilerplate_groups);

        // Candidate document pairs: a shared paragraph that is not
        // boilerplate, or common paragraphs with half the smaller document
        // shared.
        let candidates: Vec<(u32, u32)> = matches
            .par_chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .filter_map(|chunk| {
                let (da, db) = (chunk[0].0, chunk[0].1);
                if neighbourhood.is_some_and(|n| (da.max(db) as usize) < n.new_from) {
                    return None;
                }
                if !chunk.iter().any(|m| !m.4) && !mostly_shared(da, db) {
                    return None;
                }
                chunk
                    .iter()
                    .any(|m| !is_boilerplate(da, m.2) && !is_boilerplate(db, m.3))
                    .then_some((da, db))
            })
            .collect();
        drop(matches);
        drop(needed_sets);
        // What the aligner and the report need of the boilerplate groups
        // (each one's first member and its number of members), sorted by
        // group: the groups (a vector of members per distinct paragraph)
        // and the verified edges are freed before the rewrite candidates,
        // the next peak.
        let mut bp_groups: Vec<(u32, (u32, u32), usize)> = boilerplate_groups
            .keys()
            .map(|&g| {
                let members = groups.members(g as usize);
                (g, members[0], members.len())
            })
            .collect();
        bp_groups.sort_unstable();
        drop(groups);
        drop(edges);
        crate::memory::release_free_memory();
        times.lap("families and boilerplate");
        // Rewrites: documents sharing many rare character grams outside
        // boilerplate, though no paragraph matched.
        // Pairs that are candidates already are left out as the grams'
        // pairs are listed.
        let known = KnownPairs::new(data.len(), &candidates);
        let rewrites = rewrite_candidates(
            data.len(),
            &|d| {
                carriers_grams
                    .sampled_grams(d as u32, &data[d], |p| is_boilerplate(d as u32, p as u32))
            },
            &known,
            neighbourhood.map_or(0, |n| n.new_from),
        )?;
        drop(known);
        drop(carriers_grams);
        crate::memory::release_free_memory();
        let mut candidates = candidates;
        candidates.extend(
            rewrites
                .into_iter()
                .filter(|&(a, b)| neighbourhood.is_none_or(|n| (a.max(b) as usize) >= n.new_from)),
        );
        candidates.par_sort_unstable();
        candidates.dedup();
        stats.candidate_pairs = candidates.len();
        times.lap("rewrite candidates");
        Ok(Decided {
            candidates,
            para_group,
            boilerplate_groups,
            bp_groups,
            family_count: families.count,
            stats,
        })
    }
}
