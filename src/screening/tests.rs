use super::*;

fn party(id: &str, kind: &str, country: &str, names: &[&str], identifiers: &[(&str, &str)]) -> Party {
    Party {
        id: id.into(),
        vendor_id: None,
        kind: kind.into(),
        country: country.into(),
        names: names.iter().map(|n| n.to_string()).collect(),
        identifiers: identifiers.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect(),
    }
}

fn company(id: &str, country: &str, names: &[&str]) -> Party {
    party(id, "company", country, names, &[])
}

fn pairs(candidates: &[Candidate]) -> Vec<(&str, &str)> {
    candidates.iter().map(|c| (c.entity_id.as_str(), c.other_id.as_str())).collect()
}

#[test]
fn a_shared_identifier_is_decisive_whatever_the_names() {
    let book = [party("acme", "company", "US", &["Acme Widgets"], &[("LEI", "5493001KJTIIGC8Y1R12")])];
    let others = [party("lei:5493001KJTIIGC8Y1R12", "company", "US", &["Totally Different Name"], &[("LEI", " 5493001KJTIIGC8Y1R12 ")])];
    let found = screen(&book, &others, &HashSet::new(), DEFAULT_MIN_SCORE);
    assert_eq!(pairs(&found), [("acme", "lei:5493001KJTIIGC8Y1R12")]);
    assert_eq!(found[0].score, 1.0);
    assert_eq!(found[0].reasons[0], "same identifier LEI 5493001KJTIIGC8Y1R12");
}

#[test]
fn names_match_across_legal_forms_scripts_order_and_typos() {
    let mut kaspersky = company("kaspersky", "RU", &["Kaspersky Lab"]);
    kaspersky.vendor_id = Some("kaspersky".into());
    let book = [kaspersky, company("zte", "CN", &["ZTE Corporation", "中兴通讯股份有限公司"])];
    let others = [
        company("csl:1", "RU", &["AO Kaspersky Lab"]),
        company("csl:2", "RU", &["Lab Kasperksy, JSC"]),
        company("csl:3", "RU", &["OOO Kaspersky Group"]),
        company("csl:4", "CN", &["Zhongxing Tongxun Co., Ltd."]),
        company("csl:5", "CN", &["Unrelated Trading"]),
    ];
    let found = screen(&book, &others, &HashSet::new(), DEFAULT_MIN_SCORE);
    assert_eq!(pairs(&found), [("kaspersky", "csl:1"), ("zte", "csl:4"), ("kaspersky", "csl:2")]);
    assert_eq!(found[0].vendor_id.as_deref(), Some("kaspersky"));
    assert_eq!(
        found[0].reasons,
        ["names \"Kaspersky Lab\" and \"AO Kaspersky Lab\" agree at 1.00 (legal form set aside: ao)", "both in RU"]
    );
    assert!(found[2].score > 0.9 && found[2].score < 1.0, "{}", found[2].score);
    assert!(found[1].reasons[0].contains("run together"), "{:?}", found[1].reasons);
}

#[test]
fn country_kind_and_identifier_disagreements_lower_the_score() {
    let book = [party("a", "company", "US", &["Sky Trading"], &[("LEI", "5493001KJTIIGC8Y1R12")])];
    let others = [
        company("same-country", "US", &["Sky Trading"]),
        company("other-country", "AE", &["Sky Trading"]),
        company("unknown-country", "XRW", &["Sky Trading"]),
        party("person", "person", "US", &["Sky Trading"], &[]),
        party("other-lei", "company", "US", &["Sky Trading"], &[("LEI", "529900T8BM49AURSDO55")]),
    ];
    let found = screen(&book, &others, &HashSet::new(), 0.0);
    let score = |id: &str| found.iter().find(|c| c.other_id == id).map(|c| c.score).unwrap();
    assert_eq!(score("same-country"), 1.0);
    assert_eq!(score("unknown-country"), 1.0);
    assert!((score("other-country") - (1.0 - COUNTRY)).abs() < 1e-12);
    assert!((score("person") - (1.0 - KIND)).abs() < 1e-12);
    assert!((score("other-lei") - (1.0 - IDENTIFIER)).abs() < 1e-12);
    let lei = found.iter().find(|c| c.other_id == "other-lei").unwrap();
    assert!(lei.reasons.iter().any(|r| r == "both have a LEI and none agrees (−0.30)"), "{:?}", lei.reasons);
}

#[test]
fn a_different_decision_suppresses_the_pair() {
    let book = [company("a", "US", &["Sky Trading"])];
    let others = [company("b", "US", &["Sky Trading"]), company("c", "US", &["Sky Trading"])];
    let suppressed: HashSet<(String, String)> = [("a".to_string(), "b".to_string())].into();
    assert_eq!(pairs(&screen(&book, &others, &suppressed, DEFAULT_MIN_SCORE)), [("a", "c")]);
}

#[test]
fn a_typo_in_a_one_word_name_is_still_reached() {
    let book = [company("a", "RU", &["Kaspersky"])];
    let others = [company("b", "RU", &["Kasperksy"]), company("c", "RU", &["Kapsersky"])];
    let found = screen(&book, &others, &HashSet::new(), DEFAULT_MIN_SCORE);
    assert_eq!(pairs(&found), [("a", "b"), ("a", "c")]);
}

#[test]
fn common_words_alone_do_not_flood_the_comparisons() {
    // 600 book parties and 600 others share "technology" and nothing else. The common key is
    // skipped, so no pair is compared (each would score about 0.47).
    // The other words share no key either: their first and last letters differ ("bq…zz", "ow…yy").
    let letters = |i: usize| -> String { [i / 676, i / 26 % 26, i % 26].iter().map(|&d| (b'a' + d as u8) as char).collect() };
    let book: Vec<Party> = (0..600).map(|i| company(&format!("b{i}"), "US", &[&format!("Technology Bq{}zz", letters(i))])).collect();
    let others: Vec<Party> = (0..600).map(|i| company(&format!("o{i}"), "US", &[&format!("Technology Ow{}yy", letters(i))])).collect();
    assert!(screen(&book, &others, &HashSet::new(), 0.3).is_empty());
    // A party whose only key is common keeps it: the exact twin is found.
    let mut others = others;
    others.push(company("twin", "US", &["Technology"]));
    let mut book = book;
    book.push(company("tech", "US", &["Technology"]));
    let found = screen(&book, &others, &HashSet::new(), 0.9);
    assert_eq!(pairs(&found), [("tech", "twin")]);
}

#[test]
fn a_legal_form_counts_for_the_party_whichever_name_carries_it() {
    // The vendor's own record names no form; the Entity List's AO Kaspersky Lab, linked `same`,
    // says joint-stock. Against the US subsidiary (Inc.) the forms of the party disagree, even
    // though the best-agreeing pair of names ("Kaspersky Lab" / "Kaspersky Lab, Inc.") has one form.
    let book = [company("kaspersky", "RU", &["Kaspersky Lab", "AO Kaspersky Lab"])];
    let others = [company("fcc:kaspersky-lab-inc", "XRW", &["Kaspersky Lab, Inc."]), company("fcc:ao", "XRW", &["AO Kaspersky Lab"])];
    let found = screen(&book, &others, &HashSet::new(), DEFAULT_MIN_SCORE);
    assert_eq!(pairs(&found), [("kaspersky", "fcc:ao"), ("kaspersky", "fcc:kaspersky-lab-inc")]);
    assert_eq!(found[0].score, 1.0);
    assert_eq!(found[1].score, 0.9);
    assert_eq!(found[1].reasons.last().unwrap(), "legal forms differ: joint-stock company and corporation (−0.10)");
    // Without the linked name, nothing says the vendor's form: no penalty.
    let found = screen(&[company("kaspersky", "RU", &["Kaspersky Lab"])], &others[..1], &HashSet::new(), DEFAULT_MIN_SCORE);
    assert_eq!(found[0].score, 1.0);
}

#[test]
fn a_pair_is_dropped_early_only_when_its_penalties_alone_keep_it_under_the_floor() {
    let parties = [
        company("a", "RU", &["AO Kaspersky Lab"]),
        company("b", "US", &["Kaspersky Lab Inc."]),
        party("c", "person", "RU", &["Kaspersky Lab"], &[]),
        party("d", "company", "US", &["Kaspersky Labs"], &[("LEI", "X")]),
        party("e", "company", "", &["Kasperky Lab"], &[("LEI", "Y")]),
        party("f", "company", "GB", &["Unrelated Name"], &[("LEI", "X")]),
    ];
    let prepared: Vec<Prepared> = parties.iter().map(Prepared::new).collect();
    let mut dropped = 0;
    for a in &prepared {
        for b in &prepared {
            let full = compare(a, b, 0.0).expect("nothing is under 0");
            for floor in [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] {
                match compare(a, b, floor) {
                    Some(early) => assert_eq!((early.score, early.names), (full.score, full.names)),
                    None => {
                        assert!(full.score < floor, "{} dropped at {floor}", full.score);
                        dropped += 1;
                    }
                }
            }
        }
    }
    assert!(dropped > 0, "some pairs are dropped early");
}
