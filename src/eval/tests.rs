//! Tests of the evaluation measures.

use super::*;

fn sp(c: [usize; 2], s: [usize; 2]) -> SpanPair {
    SpanPair { copy: c, source: s }
}

#[test]
fn no_cases_and_no_detections_score_one() {
    let s = pan_scores(&[vec![]], &[vec![]]);
    assert_eq!(
        (s.recall, s.precision, s.granularity, s.plagdet),
        (1.0, 1.0, 1.0, 1.0)
    );
}

#[test]
fn detections_without_cases_score_zero_precision() {
    let s = pan_scores(&[vec![]], &[vec![sp([0, 10], [0, 10])]]);
    assert_eq!((s.recall, s.precision, s.plagdet), (0.0, 0.0, 0.0));
}

#[test]
fn a_passage_split_in_two_has_granularity_two() {
    let case = sp([0, 100], [0, 100]);
    let s = pan_scores(
        &[vec![case]],
        &[vec![sp([0, 50], [0, 50]), sp([50, 100], [50, 100])]],
    );
    assert_eq!(s.granularity, 2.0);
    assert!((s.plagdet - 1.0 / 3f64.log2()).abs() < 1e-12);
}

#[test]
fn pan_reference_values() {
    // Hand-computed from the definitions (and PAN's own unit tests).
    let ann1 = sp([0, 100], [0, 100]);
    let ann3 = sp([100, 200], [100, 200]);
    let ann4 = sp([0, 200], [0, 200]);
    // A detection twice the case's size: precision 1/2, recall 1.
    let s = pan_scores(&[vec![ann1.clone()]], &[vec![ann4.clone()]]);
    assert_eq!((s.recall, s.precision), (1.0, 0.5));
    // ann3 does not touch ann1: its precision is 0, ann4's is 1/2.
    let s = pan_scores(&[vec![ann1.clone()]], &[vec![ann3, ann4]]);
    assert_eq!(s.precision, 0.25);
    assert_eq!(s.granularity, 1.0);
    // Overlap in the copy but not in the source does not detect.
    let s = pan_scores(&[vec![ann1]], &[vec![sp([0, 100], [500, 600])]]);
    assert_eq!((s.recall, s.precision), (0.0, 0.0));
    // Pooled over pairs: a missed pair halves recall.
    let a = sp([0, 10], [0, 10]);
    let s = pan_scores(&[vec![a.clone()], vec![a.clone()]], &[vec![a], vec![]]);
    assert_eq!((s.recall, s.precision), (0.5, 1.0));
    assert!((s.plagdet - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn partial_overlap_counts_characters_on_both_sides() {
    let case = sp([0, 100], [0, 100]);
    let det = sp([50, 150], [25, 125]);
    let s = pan_scores(&[vec![case]], &[vec![det]]);
    assert_eq!(s.recall, (50.0 + 75.0) / 200.0);
    assert_eq!(s.precision, (50.0 + 75.0) / 200.0);
}

#[test]
fn auc_handles_ties_and_perfect_separation() {
    assert_eq!(roc_auc(&[1.0, 2.0], &[0.0]), Some(1.0));
    assert_eq!(roc_auc(&[0.0], &[1.0]), Some(0.0));
    assert_eq!(roc_auc(&[1.0], &[1.0]), Some(0.5));
    assert_eq!(roc_auc(&[], &[1.0]), None);
}

#[test]
fn binary_scores() {
    let b = binary([(true, true), (true, false), (false, true), (false, false)]);
    assert_eq!((b.precision, b.recall, b.f1), (0.5, 0.5, 0.5));
}

#[test]
fn ari_of_a_random_split_is_low_and_of_a_merge_is_between() {
    let s = cluster_scores(&[0, 0, 1, 1], &[0, 0, 0, 0]);
    assert_eq!(s.pair_recall, 1.0);
    assert!((s.pair_precision - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(s.ari, 0.0);
}

#[test]
fn truth_lines_parse_with_defaults() {
    let t = parse_truth("{\"copy\":\"a\",\"source\":\"b\",\"label\":false}\n\n").unwrap();
    assert_eq!(t.len(), 1);
    assert!(t[0].spans.is_empty());
    let err = parse_truth("{\"copy\":\"a\"}").unwrap_err();
    assert!(err.starts_with("line 1:"), "{err}");
}

#[test]
fn paragraph_scores_count_over_pairs() {
    let set = |v: &[usize]| {
        v.iter()
            .copied()
            .collect::<std::collections::BTreeSet<usize>>()
    };
    let mut s = ParagraphScores::default();
    assert_eq!((s.precision(), s.recall()), (1.0, 1.0));
    s.add(&set(&[1, 2, 3, 4]), &set(&[1, 2, 3, 5]));
    s.add(&set(&[]), &set(&[7, 8]));
    assert_eq!((s.pairs, s.reported, s.truth, s.correct), (2, 4, 6, 3));
    assert_eq!(s.precision(), 0.75);
    assert_eq!(s.recall(), 0.5);
}
