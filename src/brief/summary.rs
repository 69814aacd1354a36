//! The executive summaries: plain English sentences generated from the numbers.
//!
//! The wording is a legal matter, so it lives here in Rust, with tests, rather than in a template:
//! - "controlled by" is written only for the `controllers` the data lists, never inferred;
//! - a tie the data calls alleged is always called alleged, and every tie is attributed to the data
//!   and its source ("the data records …") rather than asserted;
//! - testimony is quoted only together with its source and its Admiralty grade;
//! - nothing is said about control, ties or designations that the data does not hold.
//!
//! Names and other strings from the data are wrapped with [`isolate`] before they are spliced into a
//! sentence, so that a right-to-left override inside a vendor name cannot reorder the rest of the
//! sentence. Numbers are formatted with [`fixed`], which rounds exactly like the template's `num`
//! helper so that the summary and the tables never disagree on a digit.

use super::data::{ComparisonBrief, Excerpt, FactorLine, VendorBrief, VendorHead};

/// Longest paraphrase quoted in a summary; longer ones are cut (the full text is in the testimony
/// section, and the summary says so).
const SUMMARY_EXCERPT_MAX: usize = 280;

/// Formats `x` with `d` decimals, rounding half away from zero after scaling by 10^d.
///
/// This is the same computation as typst's `calc.round(x, digits: d)` (which the template's `num`
/// helper uses), so both sides print the same digits even on binary ties such as 12.25.
pub fn fixed(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let scale = 10f64.powi(d as i32);
    let r = (x * scale).round() / scale;
    // Avoid printing "-0.0" for tiny negative noise.
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:.d$}")
}

/// Like [`fixed`] but drops trailing zeros ("0.6" rather than "0.60"), for strengths and shares.
pub fn trimmed(x: f64, d: usize) -> String {
    let s = fixed(x, d);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Bidi controls that open or close an embedding, override or isolate.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether [`isolate`] would change `s`.
pub(crate) fn has_bidi_controls(s: &str) -> bool {
    s.chars().any(is_bidi_control)
}

/// Confines the effect of bidi controls inside `s` to `s` itself.
///
/// Strings without bidi controls are returned unchanged. Otherwise the string is wrapped in a
/// first-strong isolate (U+2068 … U+2069); isolates opened inside are closed before the end, and a
/// stray pop-isolate that would close our wrapper early is dropped. Every visible character is kept,
/// so the text still prints verbatim; only its reach is limited (Unicode bidi algorithm, X6a).
pub fn isolate(s: &str) -> String {
    if !has_bidi_controls(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    out.push('\u{2068}');
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => {
                depth += 1;
                out.push(c);
            }
            '\u{2069}' if depth == 0 => {}
            '\u{2069}' => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.extend(std::iter::repeat_n('\u{2069}', depth + 1));
    out
}

/// Joins items as "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// A factor label as it reads inside a sentence: "Install base" → "install base", but acronyms
/// such as "US ties" keep their capitals.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            let mut s: String = first.to_lowercase().collect();
            s.push_str(&label[first.len_utf8()..]);
            isolate(&s)
        }
        _ => isolate(label),
    }
}

/// "10%" for 0.1, "12.5%" for 0.125.
fn percent(x: f64) -> String {
    format!("{}%", trimmed(x * 100.0, 1))
}

/// Cuts `s` to at most `max` characters at a word boundary and marks the cut.
fn cut(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() <= max {
        return (s.to_string(), false);
    }
    let head: String = s.chars().take(max).collect();
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => head[..i].to_string(),
        _ => head,
    };
    (format!("{}…", head.trim_end()), true)
}

/// The headline sentence shared by both briefs.
fn score_sentence(v: &VendorHead, scenario: &str, as_of: &str) -> String {
    format!(
        "{} scores {} of 100 ({}) and ranks {} of {} under the {} scenario as of {}.",
        isolate(&v.name),
        fixed(v.score, 1),
        isolate(&v.band),
        v.rank,
        v.of,
        isolate(scenario),
        isolate(as_of)
    )
}

fn prohibited_sentence(v: &VendorHead) -> Option<String> {
    if !v.prohibited {
        return None;
    }
    if v.lists.is_empty() {
        return Some("It is prohibited: it is designated on the evaluation date.".to_string());
    }
    let lists: Vec<String> = v.lists.iter().map(|l| isolate(l)).collect();
    Some(format!("It is prohibited: it is designated on {}.", join_and(&lists)))
}

/// The largest contributions (weighted_sum), or the highest factor values when the method has no
/// per-factor contributions.
fn contribution_sentence(factors: &[FactorLine], method: &str) -> Option<String> {
    if factors.is_empty() {
        return None;
    }
    let has_contributions = factors.iter().all(|f| f.contribution.is_some());
    if has_contributions {
        let mut top: Vec<(usize, f64)> =
            factors.iter().enumerate().filter_map(|(i, f)| f.contribution.filter(|c| *c > 0.0).map(|c| (i, c))).collect();
        // Stable sort keeps factor order among equal contributions.
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(3);
        let items: Vec<String> = top
            .iter()
            .enumerate()
            .map(|(k, (i, c))| {
                let unit = if k == 0 { " points" } else { "" };
                format!("{} ({}{})", in_sentence(&factors[*i].label), fixed(*c, 1), unit)
            })
            .collect();
        return Some(match items.len() {
            0 => "No factor contributes to the score.".to_string(),
            1 => format!("The largest contribution is {}.", items[0]),
            _ => format!("The largest contributions are {}.", join_and(&items)),
        });
    }
    let mut top: Vec<(usize, f64)> = factors.iter().enumerate().filter(|(_, f)| f.value > 0.0).map(|(i, f)| (i, f.value)).collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(3);
    let items: Vec<String> = top.iter().map(|(i, x)| format!("{} ({})", in_sentence(&factors[*i].label), fixed(*x, 2))).collect();
    let head = format!("The {} method gives no per-factor contributions", isolate(method));
    Some(match items.len() {
        0 => format!("{head}; every factor value is 0."),
        1 => format!("{head}; the highest factor value is {}.", items[0]),
        _ => format!("{head}; the highest factor values are {}.", join_and(&items)),
    })
}

fn mitigation_sentence(v: &VendorHead) -> Option<String> {
    if v.mitigation <= 0.0 {
        return None;
    }
    let mut s = format!("A recorded mitigation of {} is applied to the score", percent(v.mitigation));
    if v.mitigation < 1.0 {
        s.push_str(&format!("; without it the score would be {}", fixed(v.score / (1.0 - v.mitigation), 1)));
    }
    s.push('.');
    Some(s)
}

fn missing_sentence(factors: &[FactorLine]) -> Option<String> {
    let missing: Vec<&FactorLine> = factors.iter().filter(|f| f.missing).collect();
    let first = missing.first()?;
    let same = missing.iter().all(|f| fixed(f.value, 2) == fixed(first.value, 2));
    if same {
        let names: Vec<String> = missing.iter().map(|f| in_sentence(&f.label)).collect();
        let verb = if missing.len() == 1 { "it carries" } else { "each carries" };
        Some(format!("No data was found for {}; {verb} the missing-data value {}.", join_and(&names), fixed(first.value, 2)))
    } else {
        let names: Vec<String> = missing.iter().map(|f| format!("{} ({})", in_sentence(&f.label), fixed(f.value, 2))).collect();
        Some(format!("No data was found for {}; each carries the missing-data value shown.", join_and(&names)))
    }
}

fn control_sentence(b: &VendorBrief) -> Option<String> {
    if b.controllers.is_empty() {
        return None;
    }
    let items: Vec<String> = b
        .controllers
        .iter()
        .map(|c| {
            if c.path.len() > 2 {
                let path: Vec<String> = c.path.iter().map(|p| isolate(p)).collect();
                format!("{} (control path: {})", isolate(&c.name), path.join(" → "))
            } else {
                isolate(&c.name)
            }
        })
        .collect();
    Some(format!("It is controlled by {}.", join_and(&items)))
}

/// Up to three ties, strongest first, each attributed to the data and its source.
fn tie_sentences(b: &VendorBrief) -> Vec<String> {
    let mut ties: Vec<_> = b.ties.iter().collect();
    ties.sort_by(|a, b| (b.strength * b.confidence).total_cmp(&(a.strength * a.confidence)));
    let mut out: Vec<String> = ties
        .iter()
        .take(3)
        .map(|t| {
            let article = if t.alleged { "an alleged" } else { "a" };
            let kind = if t.kind.trim().is_empty() { String::new() } else { format!("{}; ", isolate(&t.kind)) };
            format!(
                "The data records {article} tie to {} ({kind}strength {}, confidence {}; source: {}).",
                isolate(&t.other),
                trimmed(t.strength, 2),
                trimmed(t.confidence, 2),
                isolate(&t.source)
            )
        })
        .collect();
    if ties.len() > 3 {
        out.push(format!("{} further ties are listed in the ties section.", ties.len() - 3));
    }
    out
}

/// One excerpt as a sentence, always with its source and grade.
fn excerpt_sentence(e: &Excerpt) -> String {
    let venue = e.venue.as_deref().map(|v| format!(" at {}", isolate(v))).unwrap_or_default();
    let cite = format!("({}, graded {})", isolate(&e.source), isolate(&e.grade));
    match &e.quote {
        Some(q) => {
            let (q, was_cut) = cut(q, SUMMARY_EXCERPT_MAX);
            let more = if was_cut { " The full quote is in the testimony section." } else { "" };
            format!("On {}{venue}, {} said “{}” {cite}.{more}", isolate(&e.date), isolate(&e.speaker), isolate(&q))
        }
        None => {
            let (s, was_cut) = cut(&e.summary, SUMMARY_EXCERPT_MAX);
            let more = if was_cut { " The full summary is in the testimony section." } else { "" };
            format!(
                "On {}{venue}, {} made a statement summarised as “{}” {cite}.{more}",
                isolate(&e.date),
                isolate(&e.speaker),
                isolate(&s)
            )
        }
    }
}

/// The earliest statement of concern and the earliest exculpatory one, so that a brief that cites
/// testimony against a vendor also cites what speaks for it.
fn testimony_sentences(b: &VendorBrief) -> Vec<String> {
    let mut by_date: Vec<&Excerpt> = b.testimony.iter().collect();
    by_date.sort_by(|a, b| a.date.cmp(&b.date));
    let picked: Vec<&Excerpt> =
        ["concern", "exculpatory"].iter().filter_map(|s| by_date.iter().copied().find(|e| e.stance == *s)).collect();
    let mut out: Vec<String> = picked.iter().map(|e| excerpt_sentence(e)).collect();
    let rest = b.testimony.len() - picked.len();
    if rest > 0 {
        let noun = if rest == 1 { "excerpt is" } else { "excerpts are" };
        let further = if picked.is_empty() { "" } else { " further" };
        out.push(format!("{rest}{further} testimony {noun} listed in the testimony section."));
    }
    out
}

/// The executive summary of a single-vendor brief, one sentence per item.
pub fn vendor_summary(b: &VendorBrief) -> Vec<String> {
    let mut out = vec![score_sentence(&b.vendor, &b.meta.scenario, &b.meta.as_of)];
    out.extend(prohibited_sentence(&b.vendor));
    out.extend(contribution_sentence(&b.factors, &b.meta.method));
    out.extend(mitigation_sentence(&b.vendor));
    out.extend(missing_sentence(&b.factors));
    out.extend(control_sentence(b));
    out.extend(tie_sentences(b));
    out.extend(testimony_sentences(b));
    out
}

/// The executive summary of a comparison brief: who ranks highest and lowest, the order, who is
/// prohibited, and the factors on which the vendors differ most.
pub fn comparison_summary(c: &ComparisonBrief) -> Vec<String> {
    let mut out = Vec::new();
    let heads: Vec<&VendorHead> = c.vendors.iter().map(|(v, _)| v).collect();
    out.push(format!(
        "This brief compares {} vendors under the {} scenario as of {}.",
        heads.len(),
        isolate(&c.meta.scenario),
        isolate(&c.meta.as_of)
    ));
    // Riskiest first: ranks already break ties in score.
    let mut ordered = heads.clone();
    ordered.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.vendor_id.cmp(&b.vendor_id)));
    if let (Some(top), Some(bottom)) = (ordered.first(), ordered.last()) {
        out.push(format!(
            "{} ranks highest: it scores {} of 100 ({}), rank {} of {}.",
            isolate(&top.name),
            fixed(top.score, 1),
            isolate(&top.band),
            top.rank,
            top.of
        ));
        if ordered.len() > 1 {
            out.push(format!(
                "{} ranks lowest of those compared: {} of 100 ({}), rank {} of {}.",
                isolate(&bottom.name),
                fixed(bottom.score, 1),
                isolate(&bottom.band),
                bottom.rank,
                bottom.of
            ));
        }
        let order: Vec<String> = ordered.iter().map(|v| format!("{} ({})", isolate(&v.name), fixed(v.score, 1))).collect();
        out.push(format!("In order of score: {}.", order.join(", ")));
    }
    let prohibited: Vec<String> = ordered.iter().filter(|v| v.prohibited).map(|v| isolate(&v.name)).collect();
    match prohibited.len() {
        0 => {}
        1 => out.push(format!("{} is prohibited: it is designated on the evaluation date.", prohibited[0])),
        _ => out.push(format!("{} are prohibited: they are designated on the evaluation date.", join_and(&prohibited))),
    }
    let mut diffs: Vec<_> = c.differences.iter().collect();
    diffs.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    let items: Vec<String> = diffs
        .iter()
        .take(3)
        .filter(|d| d.spread > 0.0)
        .map(|d| {
            format!(
                "{} (spread {}: highest {}, lowest {})",
                in_sentence(&d.factor_label),
                fixed(d.spread, 2),
                isolate(&d.highest),
                isolate(&d.lowest)
            )
        })
        .collect();
    match items.len() {
        0 => {}
        1 => out.push(format!("They differ most on {}.", items[0])),
        _ => out.push(format!("They differ most on {}.", join_and(&items))),
    }
    let mitigated: Vec<String> =
        ordered.iter().filter(|v| v.mitigation > 0.0).map(|v| format!("{} ({})", isolate(&v.name), percent(v.mitigation))).collect();
    if !mitigated.is_empty() {
        out.push(format!("A recorded mitigation is applied to the score of {}.", join_and(&mitigated)));
    }
    let missing: Vec<String> = c
        .vendors
        .iter()
        .filter_map(|(v, fs)| {
            let names: Vec<String> = fs.iter().filter(|f| f.missing).map(|f| in_sentence(&f.label)).collect();
            (!names.is_empty()).then(|| format!("{} for {}", join_and(&names), isolate(&v.name)))
        })
        .collect();
    if !missing.is_empty() {
        out.push(format!("Some factors had no data and carry the missing-data value: {}.", missing.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::data::*;
    use super::*;

    fn head(name: &str, score: f64, rank: usize) -> VendorHead {
        VendorHead {
            vendor_id: name.to_lowercase().replace(' ', "-"),
            name: name.to_string(),
            hq_country: "RU".into(),
            privilege: "kernel".into(),
            category: None,
            score,
            band: if score >= 50.0 { "high".into() } else { "moderate".into() },
            rank,
            of: 9,
            prohibited: false,
            lists: vec![],
            possibly_prohibited: false,
            possible_lists: vec![],
            range_holdings: vec![],
            mitigation: 0.0,
        }
    }

    fn factor(label: &str, value: f64, weight: f64, missing: bool) -> FactorLine {
        FactorLine {
            factor: label.to_lowercase().replace(' ', "_"),
            label: label.into(),
            value,
            weight,
            contribution: Some(100.0 * value * weight),
            missing,
            evidence: vec![],
        }
    }

    fn brief() -> VendorBrief {
        let mut v = head("Kaspersky Lab", 55.6, 2);
        v.prohibited = true;
        v.lists = vec!["US-BOD-17-01".into(), "US-FCC-COVERED".into(), "US-NDAA-1634".into()];
        VendorBrief {
            meta: Meta {
                title: "t".into(),
                scenario: "default".into(),
                method: "weighted_sum".into(),
                as_of: "2026-11-27".into(),
                document_date: "2026-11-28".into(),
                vetta_version: "0.1.0".into(),
                dataset_sha256: "00".into(),
                smaa_seed: Some(0),
                paper: Paper::A4,
            },
            vendor: v,
            factors: vec![
                factor("Ownership", 0.0, 0.2, false),
                factor("Designations", 1.0, 0.15, false),
                factor("Install base", 0.96, 0.1, false),
                factor("Privilege", 1.0, 0.1, false),
                factor("Market", 0.5, 0.05, true),
            ],
            controllers: vec![],
            ties: vec![],
            testimony: vec![],
            ownership_chain: vec![],
            stability: vec![],
            smaa: None,
            tornado_note: None,
            weights: vec![],
            params: vec![],
            sources: vec![],
            identity: vec![],
            batches: vec![],
            changes: None,
            charts: vec![],
        }
    }

    #[test]
    fn fixed_rounds_half_away_from_zero_like_typst() {
        assert_eq!(fixed(12.25, 1), "12.3");
        assert_eq!(fixed(0.125, 2), "0.13");
        assert_eq!(fixed(15.0, 1), "15.0");
        assert_eq!(fixed(55.59999, 1), "55.6");
        assert_eq!(fixed(-0.01, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "—");
        assert_eq!(trimmed(0.6, 2), "0.6");
        assert_eq!(trimmed(0.55, 2), "0.55");
        assert_eq!(trimmed(1.0, 2), "1");
    }

    #[test]
    fn headline_prohibition_and_contributions() {
        let s = vendor_summary(&brief());
        assert_eq!(s[0], "Kaspersky Lab scores 55.6 of 100 (high) and ranks 2 of 9 under the default scenario as of 2026-11-27.");
        assert_eq!(s[1], "It is prohibited: it is designated on US-BOD-17-01, US-FCC-COVERED and US-NDAA-1634.");
        assert_eq!(s[2], "The largest contributions are designations (15.0 points), privilege (10.0) and install base (9.6).");
        assert_eq!(s[3], "No data was found for market; it carries the missing-data value 0.50.");
        assert_eq!(s.len(), 4, "no control, tie or testimony sentence without data: {s:?}");
    }

    #[test]
    fn never_says_controlled_by_without_controllers() {
        let mut b = brief();
        b.ownership_chain = vec!["Eugene Kaspersky → Kaspersky Lab (chairman and CEO)".into()];
        let all = vendor_summary(&b).join(" ");
        assert!(!all.to_lowercase().contains("control"), "{all}");
        b.controllers =
            vec![Controller { name: "Holding A".into(), path: vec!["Holding A".into(), "Sub B".into(), "Kaspersky Lab".into()] }];
        let all = vendor_summary(&b).join(" ");
        assert!(all.contains("It is controlled by Holding A (control path: Holding A → Sub B → Kaspersky Lab)."), "{all}");
    }

    #[test]
    fn alleged_ties_are_called_alleged() {
        let mut b = brief();
        b.ties = vec![
            TieLine {
                other: "FSB".into(),
                kind: "joint projects".into(),
                alleged: true,
                strength: 0.6,
                confidence: 0.5,
                source: "Bloomberg Businessweek".into(),
            },
            TieLine {
                other: "Ministry X".into(),
                kind: "".into(),
                alleged: false,
                strength: 0.2,
                confidence: 0.9,
                source: "Annual report".into(),
            },
        ];
        let s = vendor_summary(&b);
        assert!(
            s.contains(
                &"The data records an alleged tie to FSB (joint projects; strength 0.6, confidence 0.5; source: Bloomberg Businessweek)."
                    .to_string()
            ),
            "{s:?}"
        );
        assert!(
            s.contains(&"The data records a tie to Ministry X (strength 0.2, confidence 0.9; source: Annual report).".to_string()),
            "{s:?}"
        );
        // The alleged tie is never stated as a plain tie.
        assert!(!s.iter().any(|x| x.contains("a tie to FSB")));
    }

    #[test]
    fn testimony_is_quoted_with_source_and_grade() {
        let mut b = brief();
        let ex = |date: &str, stance: &str, quote: Option<&str>| Excerpt {
            date: date.into(),
            speaker: "Adm. Mike Rogers".into(),
            venue: Some("Senate Select Committee on Intelligence".into()),
            stance: stance.into(),
            grade: "B2".into(),
            summary: "He was monitoring the company.".into(),
            quote: quote.map(Into::into),
            source: "Daily Caller News Foundation report, 2017 (Russ Read)".into(),
        };
        b.testimony = vec![
            ex("2017-05-11", "concern", Some("personally involved")),
            ex("2017-05-12", "concern", None),
            ex("2017-07-01", "exculpatory", None),
        ];
        let s = vendor_summary(&b);
        assert!(s.contains(&"On 2017-05-11 at Senate Select Committee on Intelligence, Adm. Mike Rogers said “personally involved” (Daily Caller News Foundation report, 2017 (Russ Read), graded B2).".to_string()), "{s:?}");
        assert!(s.iter().any(|x| x.starts_with("On 2017-07-01")
            && x.contains("summarised as “He was monitoring the company.”")
            && x.contains("graded B2")));
        assert!(s.contains(&"1 further testimony excerpt is listed in the testimony section.".to_string()), "{s:?}");
    }

    #[test]
    fn mitigation_and_other_methods() {
        let mut b = brief();
        b.vendor.mitigation = 0.1;
        b.vendor.score = 50.04;
        let s = vendor_summary(&b);
        assert!(
            s.contains(&"A recorded mitigation of 10% is applied to the score; without it the score would be 55.6.".to_string()),
            "{s:?}"
        );
        b.meta.method = "topsis".into();
        for f in &mut b.factors {
            f.contribution = None;
        }
        let s = vendor_summary(&b);
        assert!(s.contains(&"The topsis method gives no per-factor contributions; the highest factor values are designations (1.00), privilege (1.00) and install base (0.96).".to_string()), "{s:?}");
    }

    #[test]
    fn isolate_confines_bidi_controls() {
        assert_eq!(isolate("plain"), "plain");
        assert_eq!(isolate("a\u{202E}b"), "\u{2068}a\u{202E}b\u{2069}");
        // A stray pop-isolate cannot close the wrapper, and inner isolates are closed.
        assert_eq!(isolate("\u{2069}x\u{2067}y"), "\u{2068}x\u{2067}y\u{2069}\u{2069}");
        let s = score_sentence(&head("Evil\u{202E}Corp", 1.0, 9), "default", "2026-01-01");
        assert!(s.starts_with("\u{2068}Evil\u{202E}Corp\u{2069} scores"));
    }

    #[test]
    fn labels_lowercase_but_acronyms_stay() {
        assert_eq!(in_sentence("Install base"), "install base");
        assert_eq!(in_sentence("US ties"), "US ties");
        assert_eq!(in_sentence("privilege"), "privilege");
    }

    #[test]
    fn comparison_names_highest_and_differences() {
        let mut a = head("Kaspersky Lab", 55.6, 2);
        a.prohibited = true;
        let b = head("Norvale Systems", 21.4, 7);
        let mut c = head("Quillon Secure", 33.0, 5);
        c.mitigation = 0.05;
        let cmp = ComparisonBrief {
            meta: brief().meta,
            vendors: vec![(b, vec![]), (a, vec![factor("Market", 0.5, 0.05, true)]), (c, vec![])],
            differences: vec![
                Difference { factor_label: "Ties".into(), spread: 0.3, highest: "Kaspersky Lab".into(), lowest: "Norvale Systems".into() },
                Difference {
                    factor_label: "Designations".into(),
                    spread: 1.0,
                    highest: "Kaspersky Lab".into(),
                    lowest: "Norvale Systems".into(),
                },
                Difference { factor_label: "Privilege".into(), spread: 0.0, highest: "x".into(), lowest: "y".into() },
            ],
            weights: vec![],
            params: vec![],
            sources: vec![],
            batches: vec![],
            changes: None,
            charts: vec![],
        };
        let s = comparison_summary(&cmp);
        assert_eq!(s[0], "This brief compares 3 vendors under the default scenario as of 2026-11-27.");
        assert_eq!(s[1], "Kaspersky Lab ranks highest: it scores 55.6 of 100 (high), rank 2 of 9.");
        assert_eq!(s[2], "Norvale Systems ranks lowest of those compared: 21.4 of 100 (moderate), rank 7 of 9.");
        assert_eq!(s[3], "In order of score: Kaspersky Lab (55.6), Quillon Secure (33.0), Norvale Systems (21.4).");
        assert_eq!(s[4], "Kaspersky Lab is prohibited: it is designated on the evaluation date.");
        assert_eq!(
            s[5],
            "They differ most on designations (spread 1.00: highest Kaspersky Lab, lowest Norvale Systems) and ties (spread 0.30: highest Kaspersky Lab, lowest Norvale Systems)."
        );
        assert_eq!(s[6], "A recorded mitigation is applied to the score of Quillon Secure (5%).");
        assert_eq!(s[7], "Some factors had no data and carry the missing-data value: market for Kaspersky Lab.");
    }
}
