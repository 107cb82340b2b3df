//! Tests of the aligner: units, seeds, passages, trimming and growth.

use super::*;

#[test]
fn sentences_end_in_every_script() {
    for (text, n) in [
        (
            "پہلا جملہ یہاں ختم ہوتا ہے۔ دوسرا جملہ یہاں ہے؟ تیسرا جملہ۔",
            3,
        ),
        ("यह पहला वाक्य है। यह दूसरा वाक्य है॥ तीसरा।", 3),
        ("这是第一句。这是第二句！这是第三句？", 3),
        ("นี่คือประโยคแรก นี่คือประโยคที่สอง นี่คือประโยคที่สาม", 3),
        ("One sentence here. Another one follows! And a third?", 3),
        ("A hard-wrapped sentence\nruns on over the line break.", 1),
    ] {
        let found = sentences(text, 0);
        assert_eq!(
            found.iter().map(Vec::len).sum::<usize>(),
            n,
            "{text}: {found:?}"
        );
    }
}

#[test]
fn gaps_split_clusters_on_both_axes() {
    let seeds = vec![(0, 0), (1, 1), (2, 2), (10, 3), (11, 4), (12, 40)];
    let mut groups = cluster(seeds, 2);
    groups.sort();
    assert_eq!(
        groups,
        vec![
            vec![(0, 0), (1, 1), (2, 2)],
            vec![(10, 3), (11, 4)],
            vec![(12, 40)]
        ]
    );
}

#[test]
fn unrelated_texts_align_nothing() {
    let a =
        "The river flooded the lower town after three days of rain. Residents moved to the school.";
    let b =
        "The orchestra played a new symphony at the festival. Critics praised the young conductor.";
    assert!(
        align(a, 0, b, 0, &AlignConfig::default())
            .passages
            .is_empty()
    );
}

#[test]
fn a_verbatim_passage_is_found_with_sentence_boundaries() {
    let shared = "The committee published its final report on Thursday after two years of hearings. It recommends sweeping changes to how the agency handles complaints from the public. Ministers said they would respond within three months.";
    let a = format!(
        "An unrelated opening sentence about the weather today. {shared} A closing remark of our own about sport."
    );
    let b = format!(
        "Background on the agency and its history of reform. {shared} Further context on previous inquiries into the matter."
    );
    let r = align(&a, 0, &b, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert_eq!(&a[r.passages[0].a.clone()], shared);
    assert_eq!(&b[r.passages[0].b.clone()], shared);
    assert!(r.passages[0].similarity > 0.99);
}

/// Two sentences copied verbatim in several tests.
const HARBOUR: &str = "The Harbour Trust Association aims to provide support and information for the families who live along the old docks. It runs a weekly advice desk and publishes a guide to the new rules on moorings every spring.";

#[test]
fn a_heading_repeating_the_first_words_stays_out_of_a_verbatim_passage() {
    let shared = HARBOUR;
    let a = format!("Weather was calm across the coast this weekend.\n\n{shared}");
    // The heading shares "The Harbour Trust Association" with the
    // passage, but not the run of words that follows it.
    let b = format!("Contact us\n\nThe Harbour Trust Association\n{shared}");
    let r = align(&a, 0, &b, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert_eq!(&b[r.passages[0].b.clone()], shared);
    assert_eq!(&a[r.passages[0].a.clone()], shared);
}

#[test]
fn a_verbatim_core_sheds_look_alike_sentences_around_it() {
    let core = HARBOUR;
    // The sentences around the core share a few words and one word
    // trigram ("one of the") with the other side, by chance.
    let a = format!(
        "It is one of the oldest charities in the town and has many members. {core} Members meet at the end of each month to plan events."
    );
    let b = format!(
        "Volunteers say this was one of the busiest years they remember. {core} The trust also owns two boats and a small museum by the quay."
    );
    let (ra, rb) = trim(&a, 0..a.len(), &b, 0..b.len(), 3);
    assert_eq!(&a[ra], core.trim_end_matches('.'));
    assert_eq!(&b[rb], core.trim_end_matches('.'));
    // A core shorter than CORE_CHARS is not evidence enough.
    let short = "publishes a guide to the new rules on moorings every spring";
    let a = format!("It is one of the oldest charities in the town. {short}.");
    let b = format!("Volunteers say this was one of the busiest years. {short}.");
    let (ra, _) = trim(&a, 0..a.len(), &b, 0..b.len(), 3);
    assert!(a[ra].starts_with("one of the"));
}

#[test]
fn a_reworded_lede_stays_in_a_verbatim_passage_and_a_new_one_does_not() {
    let body = format!(
        "{HARBOUR} Its members voted on Tuesday to extend the desk's hours through the winter months. \
         The chairman said the change would cost little and help the families most in need."
    );
    let source = format!(
        "The harbour trust will keep its advice desk open longer this winter, its chairman said on Tuesday. {body}"
    );
    // House style: the lede rephrased, its facts and most words kept.
    let reworded = format!(
        "Its advice desk will stay open longer this winter, the harbour trust's chairman announced Tuesday. {body}"
    );
    let r = align(&reworded, 0, &source, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert_eq!(
        r.passages[0].a.start,
        0,
        "{:?}",
        &reworded[r.passages[0].a.clone()]
    );
    assert_eq!(r.passages[0].b.start, 0);
    // A lede of the copy's own stays out.
    let local = format!(
        "Residents of the east quay gathered at the library for the annual fair on Saturday. {body}"
    );
    let r = align(&local, 0, &source, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert!(local[r.passages[0].a.clone()].starts_with("The Harbour Trust"));
}

#[test]
fn a_passage_grows_over_the_words_both_sides_share_next_to_it() {
    let a = "Cat-Proofing Your Home If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food. Call us.";
    let b = "Take it ahead of time. If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food. Call a doctor.";
    let found = "If it causes nausea, take it with food";
    let at = |t: &str| t.find(found).map(|i| i..i + found.len()).unwrap();
    let (pa, pb) = (Prepared::new(a, 0), Prepared::new(b, 0));
    let (ra, rb) = grow_matching(&pa, at(a), &pb, at(b));
    let copied = "If the medication makes you drowsy, try taking it before bedtime. If it causes nausea, take it with food";
    assert_eq!(&a[ra], copied);
    // "Call" alone matches after the passage: fewer than GROW_WORDS.
    assert_eq!(&b[rb], copied);
    // Not before the start of the body.
    let floor = a.find("taking").unwrap();
    let (ra, _) = grow_matching(&Prepared::new(a, floor), at(a), &pb, at(b));
    assert_eq!(&a[ra], &copied[copied.find("taking").unwrap()..]);
}

/// A glossary without sentence punctuation: one line per entry.
const GLOSSARY: [&str; 12] = [
    "bicipital aponeurosis a biceps tendon extension blending with forearm fascia",
    "costocoracoid membrane fascia between clavicle and pectoralis minor",
    "extensor retinaculum a thickening of the deep fascia on the back of the wrist",
    "extensor retinaculum is attached to the wrist bones forming compartments that anchor the tendons",
    "antebrachial fascia wraps forearm muscles in a tube",
    "axillary fascia the armpit floor between chest and back",
    "palmar aponeurosis a tough triangle over the flexor tendons",
    "clavipectoral fascia encloses pectoralis minor under pectoralis major",
    "flexor retinaculum roofs the carpal tunnel across the wrist",
    "brachial fascia the deep sleeve of the upper arm",
    "intermuscular septa divide anterior and posterior arm compartments",
    "deltoid fascia a thin layer over the shoulder muscle",
];

#[test]
fn the_lines_of_a_long_unpunctuated_list_align_on_their_own() {
    let source = GLOSSARY.join("\n");
    // Entries 2 and 3, reworded.
    let copy = "Weather was calm across the coast this weekend and boats stayed in harbour.\n\n\
        The extensor retinaculum is a thickened band of deep fascia across the back of the wrist. \
        It is fixed to the wrist bones at several places, forming compartments in which the tendons are anchored.\n\n\
        The next lesson covers the bones of the hand.";
    let r = align(copy, 0, &source, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    // The source side is the two reused entries, not the whole list.
    assert_eq!(&source[r.passages[0].b.clone()], GLOSSARY[2..4].join("\n"));
}

#[test]
fn a_list_flattened_into_one_line_still_matches_its_lines() {
    let source = format!("Glossary of the upper limb\n\n{}", GLOSSARY.join("\n"));
    let flat = GLOSSARY.join(" ");
    let copy = format!("Notes for the first week.\n\n{flat}\n\nRead the chapter before class.");
    let r = align(&copy, 0, &source, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert_eq!(&copy[r.passages[0].a.clone()], flat);
    assert_eq!(&source[r.passages[0].b.clone()], GLOSSARY.join("\n"));
}

#[test]
fn a_passage_overlapping_a_heavier_one_at_its_end_gives_up_those_sentences() {
    let text = (0..12)
        .map(|i| format!("Sentence number {i} of this text has exactly nine words."))
        .collect::<Vec<_>>()
        .join(" ");
    let (ua, _) = units(&Prepared::new(&text, 0), 0, false);
    assert_eq!(ua.len(), 12);
    // 4..9 weighs 5 × 0.9; 0..5 weighs 5 × 0.8 and keeps 0..4.
    let kept = resolve_overlaps(vec![(0..5, 20..25, 0.8), (4..9, 0..5, 0.9)], &ua);
    assert_eq!(kept, vec![(4..9, 0..5, 0.9), (0..4, 20..25, 0.8)]);
    // Fewer than MIN_LEFT_UNITS left: dropped.
    let kept = resolve_overlaps(vec![(2..5, 20..23, 0.8), (4..9, 0..5, 0.9)], &ua);
    assert_eq!(kept, vec![(4..9, 0..5, 0.9)]);
    // Cut at both ends by two kept passages.
    let both = vec![(0..4, 0..4, 0.9), (8..12, 4..8, 0.9), (3..9, 20..26, 0.5)];
    let kept = resolve_overlaps(both, &ua);
    assert_eq!(kept[2], (4..8, 20..26, 0.5));
}

#[test]
fn reworded_sentences_next_to_a_seed_join_the_passage() {
    let a = "Our reporter spent the morning at the fish market downtown, where prices rose again. \
        The harbour council approved a new budget for the port after a long debate about costs and jobs. \
        Dockers, who had threatened to strike over pay, welcomed the vote and ended their walkout. \
        The local football club won its third match in a row on Saturday.";
    let b = "Heavy rain is expected across the region later this week, forecasters said. \
        The harbour council approved the new budget for the port after a long debate about jobs and costs. \
        The vote was welcomed by port workers who had walked out in a dispute over wages. \
        Tickets for the summer festival go on sale next month at the town hall.";
    let loose = AlignConfig {
        min_chars: 20,
        ..AlignConfig::default()
    };
    let strict = AlignConfig {
        extend_cosine: 1.0,
        ..loose
    };
    let one = align(a, 0, b, 0, &strict);
    assert_eq!(one.passages.len(), 1);
    assert!(!a[one.passages[0].a.clone()].contains("Dockers"));
    let two = align(a, 0, b, 0, &loose);
    assert_eq!(two.passages.len(), 1);
    assert!(a[two.passages[0].a.clone()].starts_with("The harbour council"));
    assert!(a[two.passages[0].a.clone()].contains("welcomed the vote"));
    assert!(b[two.passages[0].b.clone()].contains("The vote was welcomed"));
}

#[test]
fn reworded_passages_are_trimmed_to_where_shared_words_are_dense() {
    let a = "Crowds gathered early outside, then the council approved the harbour budget after a debate.";
    let b = "After a debate the harbour budget was approved by the council, which meets again next spring.";
    let (pa, pb) = (Prepared::new(a, 0), Prepared::new(b, 0));
    let (ra, rb) = trim_sparse(&pa, 0..a.len(), &pb, 0..b.len(), 0, SPARSE_KEEP_WORDS);
    assert_eq!(
        &a[ra],
        "the council approved the harbour budget after a debate."
    );
    assert_eq!(
        &b[rb],
        "After a debate the harbour budget was approved by the council"
    );
    // Two words after the last dense window are the end of the
    // sentence, not a clause of its own: they stay.
    let a = "The council approved the harbour budget after a long debate, officials said.";
    let b = "After a long debate the harbour budget was approved by the council on Tuesday.";
    let (pa, pb) = (Prepared::new(a, 0), Prepared::new(b, 0));
    let (ra, rb) = trim_sparse(&pa, 0..a.len(), &pb, 0..b.len(), 0, SPARSE_KEEP_WORDS);
    assert_eq!((ra, rb), (0..a.len(), 0..b.len()));
    // Unless told to keep none.
    let (ra, _) = trim_sparse(&pa, 0..a.len(), &pb, 0..b.len(), 0, 0);
    assert_eq!(
        &a[ra],
        "The council approved the harbour budget after a long debate"
    );
    // Too few words to judge: unchanged.
    let few = Prepared::new("a few words", 0);
    let (ra, _) = trim_sparse(&few, 0..11, &pb, 0..b.len(), 0, SPARSE_KEEP_WORDS);
    assert_eq!(ra, 0..11);
}

#[test]
fn a_verbatim_pair_drops_reworded_look_alikes() {
    let shared = "The committee published its final report on Thursday after two years of hearings. \
        It recommends sweeping changes to how the agency handles complaints from the public. \
        Ministers said they would respond within three months.";
    let look_alike_a = "Farmers in the northern valley expect a poor harvest after the dry summer and the late frost.";
    let look_alike_b = "After a dry summer and a late frost, the northern valley farmers are expecting a poor harvest.";
    // Unrelated sentences, more than `max_gap` of them, keep the two
    // stretches apart.
    let sport = "The home side scored twice in the second half to win the derby. \
        Their captain limped off with an ankle injury before the break. \
        Tickets for the replay go on sale at the stadium on Friday. \
        The visiting coach blamed the referee for the late penalty. \
        Attendance was the highest of the season despite the rain. \
        A new youth academy will open next to the training ground.";
    let food = "Slow-cooked beans need an overnight soak and plenty of garlic. \
        Bakers in the old quarter now sell sourdough on Sundays. \
        A cheese festival returns to the market square in June. \
        Chefs say the price of olive oil has doubled in a year. \
        The vegetable stall by the bridge takes only cash. \
        Cookery classes for children start again after the holidays.";
    let a_base = format!("{look_alike_a}\n\n{sport}\n\n");
    let b_base = format!("{food}\n\n{look_alike_b}\n\n");
    let config = AlignConfig {
        min_chars: 20,
        ..AlignConfig::default()
    };
    // On its own, the look-alike pair aligns...
    let alone = align(&a_base, 0, &b_base, 0, &config);
    assert_eq!(alone.passages.len(), 1, "{:?}", alone.passages);
    // ...but next to a verbatim copy it is not reported.
    let a = format!("{a_base}{shared}");
    let b = format!("{shared}\n\n{b_base}");
    let r = align(&a, 0, &b, 0, &config);
    assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
    assert_eq!(&a[r.passages[0].a.clone()], shared);
    assert_eq!(&b[r.passages[0].b.clone()], shared);
    assert!(r.passages[0].similarity > 0.99);
}

#[test]
fn a_summary_of_most_of_the_source_is_aligned_with_all_of_it() {
    let source = "The regional council approved a new flood defence plan for the river valley on Monday. \
        Engineers will raise the embankments along twelve kilometres of the river bank. \
        The work is expected to begin in early spring and last about three years. \
        Farmers whose fields border the river will be compensated for land used by the project. \
        The plan was drawn up after severe flooding damaged hundreds of homes two winters ago. \
        Residents of the lower town had campaigned for stronger defences since the floods. \
        Critics argue that the budget underestimates the cost of materials and labour. \
        The council says the project will be funded by a national grant and local taxes. \
        Environmental groups have asked for new wetlands to absorb excess water upstream. \
        The council agreed to study the wetland proposal before the work starts. \
        A public meeting on the plan will be held at the town hall next month. \
        Officials hope the defences will protect the valley for at least fifty years.";
    let copy = "Our weekly column looks at the news that matters to readers in the north. \
        Sport and culture follow on the next pages of this edition.\n\n\
        The regional council approved a flood defence plan for the river valley on Monday. \
        Critics argue the budget underestimates the cost of materials and labour. \
        Officials hope the defences will protect the valley for fifty years.\n\n\
        Letters to the editor can be sent to the usual address before Friday noon.";
    let config = AlignConfig {
        min_chars: 50,
        ..AlignConfig::default()
    };
    let r = align(copy, 0, source, 0, &config);
    assert_eq!(r.passages.len(), 1, "{:?}", r.passages);
    assert_eq!(r.passages[0].b, 0..source.len());
    assert!(copy[r.passages[0].a.clone()].starts_with("The regional council approved"));
    assert!(copy[r.passages[0].a.clone()].contains("protect the valley"));
}

#[test]
fn one_sentence_paraphrases_rank_above_unrelated_sentences() {
    let a = "The company reported a sharp rise in quarterly profit on Tuesday, helped by strong demand for its new phones in Asia.";
    let paraphrase = "On Tuesday the firm said its profit for the quarter rose sharply, thanks to strong Asian demand for its new phones.";
    let unrelated = "Heavy rain flooded several streets in the old town overnight and firefighters pumped water from many cellars.";
    let config = AlignConfig::default();
    let close = align(paraphrase, 0, a, 0, &config).best_sentence_cosine;
    let far = align(unrelated, 0, a, 0, &config).best_sentence_cosine;
    assert!(close > 0.5 && close > 3.0 * far, "{close} {far}");
}

#[test]
fn word_prefixes_match_inflected_forms() {
    let a = "Investigators concluded the explosion was caused by negligent maintenance. \
        The weather stayed dry all week.";
    let b = "An investigation concluded that negligence in maintaining the plant caused the explosions. \
        Shops reopened after the holiday.";
    let whole = AlignConfig {
        word_prefix: 0,
        ..AlignConfig::default()
    };
    let cut = AlignConfig::default();
    let with_whole_words = align(a, 0, b, 0, &whole).best_sentence_cosine;
    let with_prefixes = align(a, 0, b, 0, &cut).best_sentence_cosine;
    assert!(
        with_prefixes > with_whole_words + 0.2,
        "{with_prefixes} vs {with_whole_words}"
    );
}

#[test]
fn word_prefixes_are_cut_from_the_folded_word() {
    // A ligature, a full-width letter, an Arabic-keyboard kaf and a
    // diacritic inside the first five characters: the prefixes are those
    // of the words as the shingles see them.
    let hashes = |text: &str| {
        let t = Prepared::new(text, 0).prefixed_tokens(0..text.len(), 5);
        t.iter().map(|t| t.hash).collect::<Vec<_>>()
    };
    assert_eq!(
        hashes("\u{FB01}nancial ＭARKETS كتابخانه مُحَمَّدِيَّة"),
        hashes("financials markets کتابخانے محمدیہ")
    );
}

#[test]
fn a_sentence_repeated_in_the_source_does_not_stretch_the_passage() {
    let repeated = "Register now for the annual harbour festival and its evening concerts.";
    let shared = format!(
        "{repeated} The city council voted on Tuesday to extend the ferry timetable into the winter months. \
         Operators said the extra sailings would need two more crews and a refit of the older vessel. \
         Residents of the outer islands had campaigned for the change for nearly a decade."
    );
    let a =
        format!("Our own introduction about the local weather and the tides this week. {shared}");
    let b = format!(
        "{repeated} Gardeners are preparing the allotments for the first frost of the season. \
         The library opens a new reading room for children on the ground floor next month. \
         {shared}"
    );
    let r = align(&a, 0, &b, 0, &AlignConfig::default());
    assert_eq!(r.passages.len(), 1);
    assert_eq!(&b[r.passages[0].b.clone()], shared);
    assert_eq!(&a[r.passages[0].a.clone()], shared);
}
