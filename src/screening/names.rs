//! Names as screening compares them: folded to lower-case ASCII words, legal-form words set aside,
//! and a similarity in [0, 1] that tolerates word order and typos.
//!
//! Folding: Unicode compatibility normalisation (NFKC, so full-width letters and ligatures become
//! plain ones), lower case, then transliteration to ASCII by `any_ascii` (diacritics dropped,
//! Cyrillic romanised, each Chinese character its own pinyin syllable). Dots and apostrophes are
//! deleted (`S.A.` → `sa`, `O'Brien` → `obrien`); every other non-alphanumeric character separates
//! words. Legal forms are written here in their own script and folded the same way, so `ООО` and
//! `OOO`, `有限公司` and `you xian gong si` are one phrase.

use std::sync::LazyLock;

use smallvec::SmallVec;
use unicode_normalization::UnicodeNormalization;

/// A name ready to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// The significant words, in order.
    pub tokens: Vec<String>,
    /// The words run together, for names written with and without spaces (`Hik Vision`, pinyin).
    pub joined: String,
    /// The legal-form words set aside, in order (for the reasons).
    pub set_aside: Vec<String>,
    /// The kinds of legal person those words say, sorted.
    pub forms: Vec<Form>,
    /// Each word's letter counts, then the joined form's (for the typo budget's quick test).
    profiles: Vec<Profile>,
}

/// How often each letter occurs in a folded word, and whether it holds a digit.
#[derive(Debug, Clone, PartialEq)]
struct Profile {
    counts: [u8; 32],
    digits: bool,
}

impl Profile {
    fn of(word: &str) -> Profile {
        let mut counts = [0u8; 32];
        let mut digits = false;
        for c in word.bytes() {
            if c.is_ascii_lowercase() {
                counts[(c - b'a') as usize] = counts[(c - b'a') as usize].saturating_add(1);
            } else {
                digits = true;
            }
        }
        Profile { counts, digits }
    }

    /// Whether two words may be within `budget` edits, judged by their letter counts: an edit
    /// changes at most two counts by one each, so half the summed difference of the counts is a
    /// lower bound on the edits. Much cheaper than the edit distance, computed only after.
    fn within(&self, other: &Profile, budget: usize) -> bool {
        let gap: u32 = self.counts.iter().zip(&other.counts).map(|(a, b)| a.abs_diff(*b) as u32).sum();
        (gap as usize).div_ceil(2) <= budget
    }
}

impl Name {
    pub fn new(text: &str) -> Name {
        let words = fold(text);
        let (tokens, set_aside, forms) = LEGAL_FORMS.set_aside(words);
        let joined = tokens.concat();
        let profiles = tokens.iter().chain([&joined]).map(|w| Profile::of(w)).collect();
        Name { tokens, joined, set_aside, forms, profiles }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// The words of `text`, folded (see the module's documentation).
pub fn fold(text: &str) -> Vec<String> {
    // NFKC leaves ASCII as it is: most published names skip the normaliser's buffering.
    if text.is_ascii() { fold_chars(text.chars()) } else { fold_chars(text.nfkc()) }
}

fn fold_chars(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in chars {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if matches!(c, '.' | '\'' | '\u{2019}' | '\u{02BC}' | '\u{00B7}') {
            // Deleted, not a break: `S.A.` is `sa`, `L'Oréal` is `loreal`.
        } else if c.is_ascii() || c.is_whitespace() {
            flush(&mut word, &mut words);
        } else {
            for lower in c.to_lowercase() {
                let ascii = any_ascii::any_ascii_char(lower);
                // A syllabic script's character (Chinese, Japanese) is a word of its own: where its
                // words end is not written, so the joined form compares them.
                let own_word = is_syllabic(lower);
                if own_word {
                    flush(&mut word, &mut words);
                }
                for a in ascii.chars() {
                    if a.is_ascii_alphanumeric() {
                        word.push(a.to_ascii_lowercase());
                    } else if !matches!(a, '\'' | '.') {
                        flush(&mut word, &mut words);
                    }
                }
                if own_word {
                    flush(&mut word, &mut words);
                }
            }
        }
    }
    flush(&mut word, &mut words);
    words
}

/// CJK ideographs, kana and Hangul syllables: scripts whose romanisation is one syllable a character.
fn is_syllabic(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // CJK Extensions B–F, compatibility supplement
}

/// What kind of legal person a legal form says, coarsely: two names whose forms say different
/// kinds (`AO …` and `… Inc.`) are more likely two companies of one group than one company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// LLC, OOO, GmbH, SARL, s.r.o. …
    LimitedLiability,
    /// Ltd, Limited, PLC, Pte, Pty, 有限公司 …
    Limited,
    /// JSC, AO, PAO, AG, SA, SpA, NV, 株式会社 …
    JointStock,
    /// Inc., Corp., Corporation, Company, Co.
    Corporation,
    /// LP, LLP, KG.
    Partnership,
}

impl Form {
    pub fn label(self) -> &'static str {
        match self {
            Form::LimitedLiability => "limited liability company",
            Form::Limited => "limited company",
            Form::JointStock => "joint-stock company",
            Form::Corporation => "corporation",
            Form::Partnership => "partnership",
        }
    }
}

use Form::{Corporation as Corp, JointStock as Joint, Limited as Ltd, LimitedLiability as Llc, Partnership as Lp};

/// Legal forms set aside wherever they stand, written as published (folded by [`fold`] when first
/// used), with the kind each says.
const ANYWHERE: &[(&str, Form)] = &[
    // English
    ("LLC", Llc),
    ("L.L.C.", Llc),
    ("Limited Liability Company", Llc),
    ("FZ-LLC", Llc),
    ("Ltd", Ltd),
    ("Limited", Ltd),
    ("PLC", Ltd),
    ("Public Limited Company", Ltd),
    ("Pte", Ltd),
    ("Pty", Ltd),
    ("FZCO", Ltd),
    ("FZE", Ltd),
    ("Inc", Corp),
    ("Incorporated", Corp),
    ("Corp", Corp),
    ("Corporation", Corp),
    ("Company", Corp),
    ("LLP", Lp),
    ("Limited Liability Partnership", Lp),
    ("Joint Stock Company", Joint),
    ("Public Joint Stock Company", Joint),
    ("Closed Joint Stock Company", Joint),
    ("Open Joint Stock Company", Joint),
    ("JSC", Joint),
    ("PJSC", Joint),
    ("CJSC", Joint),
    ("OJSC", Joint),
    // Russian (Latin and Cyrillic), Ukrainian
    ("OOO", Llc),
    ("ООО", Llc),
    ("Общество с ограниченной ответственностью", Llc),
    ("ТОВ", Llc),
    ("Товариство з обмеженою відповідальністю", Llc),
    ("ZAO", Joint),
    ("OAO", Joint),
    ("PAO", Joint),
    ("ЗАО", Joint),
    ("ОАО", Joint),
    ("ПАО", Joint),
    ("ПрАТ", Joint),
    ("Акционерное общество", Joint),
    ("Публичное акционерное общество", Joint),
    ("Закрытое акционерное общество", Joint),
    ("Открытое акционерное общество", Joint),
    // German, French, Italian, Spanish, Portuguese, Dutch, Central Europe
    ("GmbH", Llc),
    ("Gesellschaft mit beschränkter Haftung", Llc),
    ("SARL", Llc),
    ("S.à r.l.", Llc),
    ("SRL", Llc),
    ("Ltda", Llc),
    ("Sp. z o.o.", Llc),
    ("s.r.o.", Llc),
    ("Kft", Llc),
    ("d.o.o.", Llc),
    ("B.V.", Llc),
    ("GmbH & Co. KG", Lp),
    ("Aktiengesellschaft", Joint),
    ("S.p.A.", Joint),
    ("Société anonyme", Joint),
    ("Sociedad Anónima", Joint),
    ("Sociedade Anónima", Joint),
    ("N.V.", Joint),
    // Chinese, Japanese, Malaysian
    ("有限公司", Ltd),
    ("有限责任公司", Llc),
    // A joint-stock limited company, published in English as "Co., Ltd." as often as not.
    ("股份有限公司", Ltd),
    ("株式会社", Joint),
    ("Sdn Bhd", Ltd),
    ("Bhd", Ltd),
];

/// Short or ambiguous forms (`Co`, `AO`, `SA`, `AS`…), set aside only at the start or end of a
/// name; `None` for words that are no form (`The`).
const EDGE: &[(&str, Option<Form>)] = &[
    ("Co", Some(Corp)),
    ("公司", Some(Corp)),
    ("AO", Some(Joint)),
    ("АО", Some(Joint)),
    ("SA", Some(Joint)),
    ("S.A.", Some(Joint)),
    ("AG", Some(Joint)),
    ("AB", Some(Joint)),
    ("AS", Some(Joint)),
    ("A/S", Some(Joint)),
    ("ASA", Some(Joint)),
    ("NV", Some(Joint)),
    ("SpA", Some(Joint)),
    ("SE", Some(Joint)),
    ("KK", Some(Joint)),
    ("Kabushiki Kaisha", Some(Joint)),
    ("Oy", Some(Joint)),
    ("Oyj", Some(Joint)),
    ("BV", Some(Llc)),
    ("SAS", Some(Llc)),
    ("TOV", Some(Llc)),
    ("LP", Some(Lp)),
    ("KG", Some(Lp)),
    ("The", None),
];

/// Words that carry no meaning in a company name, dropped wherever they stand.
const STOP: &[&str] = &["and", "und"];

/// Legal-form phrases, folded, longest first.
struct LegalForms {
    anywhere: Vec<(Vec<String>, Option<Form>)>,
    /// The `anywhere` phrases by their first word (indexes, longest first): a word is tried only
    /// against the phrases it can begin.
    anywhere_from: rustc_hash::FxHashMap<String, Vec<usize>>,
    edge: Vec<(Vec<String>, Option<Form>)>,
}

static LEGAL_FORMS: LazyLock<LegalForms> = LazyLock::new(|| {
    fn phrases(list: impl Iterator<Item = (&'static str, Option<Form>)>) -> Vec<(Vec<String>, Option<Form>)> {
        let mut phrases: Vec<(Vec<String>, Option<Form>)> = list.map(|(p, form)| (fold(p), form)).filter(|(p, _)| !p.is_empty()).collect();
        phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        phrases.dedup_by(|a, b| a.0 == b.0);
        phrases
    }
    let anywhere = phrases(ANYWHERE.iter().map(|&(p, f)| (p, Some(f))));
    let mut anywhere_from: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
    for (at, (phrase, _)) in anywhere.iter().enumerate() {
        anywhere_from.entry(phrase[0].clone()).or_default().push(at);
    }
    LegalForms { anywhere, anywhere_from, edge: phrases(EDGE.iter().copied()) }
});

impl LegalForms {
    /// The words of a name with legal forms and stop words set aside, and the forms' kinds; a name
    /// that is nothing but such words keeps them all (`Limited` may be a name).
    fn set_aside(&self, words: Vec<String>) -> (Vec<String>, Vec<String>, Vec<Form>) {
        let mut kept: Vec<String> = Vec::with_capacity(words.len());
        let mut aside = Vec::new();
        let mut forms = Vec::new();
        let mut i = 0;
        'words: while i < words.len() {
            for &at in self.anywhere_from.get(words[i].as_str()).map_or(&[][..], Vec::as_slice) {
                let (phrase, form) = &self.anywhere[at];
                if words[i..].starts_with(phrase) {
                    aside.extend(phrase.iter().cloned());
                    forms.extend(*form);
                    i += phrase.len();
                    continue 'words;
                }
            }
            if STOP.contains(&words[i].as_str()) && words.len() > 1 {
                i += 1;
                continue;
            }
            kept.push(words[i].clone());
            i += 1;
        }
        // Edge forms, from both ends, until none is left there.
        loop {
            let before = kept.len();
            for (phrase, form) in &self.edge {
                if kept.len() > phrase.len() && kept.starts_with(phrase) {
                    aside.extend(kept.drain(..phrase.len()));
                    forms.extend(*form);
                }
                if kept.len() > phrase.len() && kept.ends_with(phrase) {
                    let at = kept.len() - phrase.len();
                    aside.extend(kept.drain(at..));
                    forms.extend(*form);
                }
            }
            if kept.len() == before {
                break;
            }
        }
        if kept.is_empty() {
            return (words, Vec::new(), Vec::new());
        }
        forms.sort_unstable();
        forms.dedup();
        (kept, aside, forms)
    }
}

/// Whether two sets of legal forms (a name's, or every name's of a party) say different kinds of
/// legal person: both give a form, and no kind is common to both (`Co., Ltd.` and `Company Limited`
/// agree; `AO` and `Inc.` do not).
pub fn forms_differ(a: &[Form], b: &[Form]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|f| b.contains(f))
}

/// How alike two words are: 1 when equal; `1 − edits / length` within a typo budget (one edit in
/// words of 4–6 letters, two from 7); 0 otherwise, and always 0 for differing words with digits
/// (numbers are not typos).
pub fn word_similarity(a: &str, b: &str) -> f64 {
    similarity(a, &Profile::of(a), b, &Profile::of(b))
}

fn similarity(a: &str, pa: &Profile, b: &str, pb: &Profile) -> f64 {
    if a == b {
        return 1.0;
    }
    let longest = a.len().max(b.len());
    let budget = typo_budget(longest);
    if budget == 0 || a.len().abs_diff(b.len()) > budget || pa.digits || pb.digits || !pa.within(pb, budget) {
        return 0.0;
    }
    let edits = strsim::osa_distance(a, b);
    if edits > budget { 0.0 } else { 1.0 - edits as f64 / longest as f64 }
}

fn typo_budget(length: usize) -> usize {
    match length {
        0..=3 => 0,
        4..=6 => 1,
        7..=12 => 2,
        _ => 3,
    }
}

/// How alike two names are, in [0, 1], and whether the words were compared one by one (`false`:
/// the names agree only when run together).
///
/// Words are paired best first, each used once (so word order does not matter); each pair counts
/// its similarity times both words' lengths, over the length of all words of both names with the
/// words left without a partner counted twice — an extra word (`China Telecom` and `China Telecom
/// (Americas)`) is what tells a parent from its subsidiary, so it weighs more than a typo. When both names keep a
/// word the other lacks (`Kaspersky Group` and `Kaspersky Lab`) they name different things, and the
/// score is multiplied by [`CONFLICT`]. The names are also compared run together, as one word
/// with a budget of a typo in six letters (`Hik Vision` and `Hikvision`; a long word with three
/// typos); the better counts.
pub fn name_similarity(a: &Name, b: &Name) -> (f64, bool) {
    let words = words_similarity(a, b);
    let joined = if words < 1.0 { joined_similarity(a, b) } else { 0.0 };
    if joined > words { (joined, false) } else { (words, true) }
}

/// The factor applied when each name has a word the other lacks.
pub const CONFLICT: f64 = 0.8;

fn words_similarity(na: &Name, nb: &Name) -> f64 {
    let (a, b) = (&na.tokens, &nb.tokens);
    let total: usize = a.iter().chain(b.iter()).map(String::len).sum();
    if total == 0 {
        return 0.0;
    }
    // Every pair that is alike at all, best first; ties keep the earlier words together.
    let mut pairs: SmallVec<[(f64, usize, usize); 16]> = SmallVec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let s = similarity(x, &na.profiles[i], y, &nb.profiles[j]);
            if s > 0.0 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut used_a, mut used_b) = (0u64, 0u64);
    let mut matched = 0.0;
    for (s, i, j) in pairs {
        // Names of more than 64 words compare their first 64 one by one.
        if i >= 64 || j >= 64 || used_a & (1 << i) != 0 || used_b & (1 << j) != 0 {
            continue;
        }
        used_a |= 1 << i;
        used_b |= 1 << j;
        matched += s * (a[i].len() + b[j].len()) as f64;
    }
    // Letters of words left without a partner (names of more than 64 words: of the first 64).
    let unpaired =
        |words: &[String], used: u64| -> usize { (0..words.len().min(64)).filter(|&i| used & (1 << i) == 0).map(|i| words[i].len()).sum() };
    let (left_a, left_b) = (unpaired(a, used_a), unpaired(b, used_b));
    let mut score = matched / (total + left_a + left_b) as f64;
    if left_a > 0 && left_b > 0 {
        score *= CONFLICT;
    }
    score
}

fn joined_similarity(na: &Name, nb: &Name) -> f64 {
    let (a, b) = (&na.joined, &nb.joined);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let longest = a.len().max(b.len());
    let budget = longest / 6;
    let (pa, pb) = (na.profiles.last().expect("the joined profile"), nb.profiles.last().expect("the joined profile"));
    if budget == 0 || a.len().abs_diff(b.len()) > budget || longest > 96 || !pa.within(pb, budget) {
        return 0.0;
    }
    let edits = strsim::osa_distance(a, b);
    if edits > budget { 0.0 } else { 1.0 - edits as f64 / longest as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        Name::new(text).tokens
    }

    #[test]
    fn folds_case_diacritics_scripts_and_compatibility_forms() {
        assert_eq!(fold("Société Générale"), ["societe", "generale"]);
        assert_eq!(fold("ＫＡＳＰＥＲＳＫＹ"), ["kaspersky"]);
        assert_eq!(fold("Straße"), ["strasse"]);
        assert_eq!(fold("Лаборатория Касперского"), ["laboratoriya", "kasperskogo"]);
        assert_eq!(fold("中兴通讯"), ["zhong", "xing", "tong", "xun"]);
        assert_eq!(fold("S.A. O'Brien & Sons, Inc."), ["sa", "obrien", "sons", "inc"]);
        assert_eq!(fold("«Ромашка»"), ["romashka"]);
    }

    #[test]
    fn sets_legal_forms_aside() {
        assert_eq!(tokens("AO Kaspersky Lab"), ["kaspersky", "lab"]);
        assert_eq!(tokens("Kaspersky Lab, JSC"), ["kaspersky", "lab"]);
        assert_eq!(tokens("Hangzhou Hikvision Digital Technology Co., Ltd."), ["hangzhou", "hikvision", "digital", "technology"]);
        assert_eq!(tokens("Hangzhou Hikvision Digital Technology Company Limited"), ["hangzhou", "hikvision", "digital", "technology"]);
        assert_eq!(tokens("ООО «Лаборатория Касперского»"), ["laboratoriya", "kasperskogo"]);
        assert_eq!(tokens("Общество с ограниченной ответственностью Ромашка"), ["romashka"]);
        assert_eq!(tokens("中兴通讯股份有限公司"), ["zhong", "xing", "tong", "xun"]);
        assert_eq!(tokens("Siemens Aktiengesellschaft"), ["siemens"]);
        assert_eq!(tokens("Volkswagen AG"), ["volkswagen"]);
        // Short forms count only at an edge; a name of nothing but forms keeps them.
        assert_eq!(tokens("Sa Re Ga"), ["re", "ga"]);
        assert_eq!(tokens("Co Op Bank Co"), ["op", "bank"]);
        assert_eq!(tokens("Limited"), ["limited"]);
        assert_eq!(Name::new("Kaspersky Labs Limited").set_aside, ["limited"]);
    }

    #[test]
    fn legal_forms_say_a_kind_of_legal_person() {
        let differ = |a: &str, b: &str| forms_differ(&Name::new(a).forms, &Name::new(b).forms);
        assert_eq!(Name::new("ZAO Kaspersky Lab").forms, [Form::JointStock]);
        assert_eq!(Name::new("Huawei Technologies Co., Ltd.").forms, [Form::Limited, Form::Corporation]);
        assert!(differ("AO Kaspersky Lab", "Kaspersky Lab, Inc."));
        assert!(differ("OOO Kaspersky Group", "Kaspersky Group JSC"));
        assert!(!differ("Huawei Technologies Co., Ltd.", "Huawei Technologies Company Limited"));
        assert!(!differ("AO Kaspersky Lab", "Акционерное общество Лаборатория Касперского"));
        assert!(!differ("Kaspersky Lab", "Kaspersky Lab, Inc."));
    }

    #[test]
    fn words_tolerate_typos_within_a_budget() {
        assert_eq!(word_similarity("kaspersky", "kaspersky"), 1.0);
        assert!((word_similarity("kaspersky", "kasperksy") - (1.0 - 1.0 / 9.0)).abs() < 1e-12);
        assert!(word_similarity("kasperskiy", "kaspersky") > 0.89);
        assert_eq!(word_similarity("lab", "lap"), 0.0);
        assert_eq!(word_similarity("group", "grape"), 0.0);
        assert_eq!(word_similarity("2024", "2025"), 0.0);
    }

    #[test]
    fn names_tolerate_order_and_punish_conflicting_words() {
        let s = |a: &str, b: &str| name_similarity(&Name::new(a), &Name::new(b)).0;
        assert_eq!(s("Kaspersky Lab", "Lab Kaspersky"), 1.0);
        assert_eq!(s("AO Kaspersky Lab", "Kaspersky Lab Limited"), 1.0);
        assert!(s("Kaspersky Lab", "Kasperksy Lab") > 0.9);
        assert!(s("Kaspersky Group", "Kaspersky Lab") < 0.6);
        assert!(s("Golden Bridge Technology", "Golden Bridge Trading") < 0.6);
        assert!(s("Kaspersky Lab", "Kaspersky Lab Switzerland") < 0.7);
        assert_eq!(s("Hik Vision", "Hikvision"), 1.0);
        assert_eq!(s("中兴通讯股份有限公司", "Zhongxing Tongxun"), 1.0);
        assert_eq!(s("", "Kaspersky"), 0.0);
    }
}
