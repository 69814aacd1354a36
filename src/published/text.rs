//! The cell rules every published format shares (open-formats.md, "What every open-format import
//! promises"): namespaced ids, countries, dates and text repair. Pure functions; the formats call
//! them and turn a returned note into a report line at their own location.

use sha2::{Digest, Sha256};

use crate::ingest::cells;
use crate::model;

/// A report line a rule asks for: a stable code and a message.
pub type Remark = (&'static str, String);

/// `<prefix>:<raw>` when that is a valid id, else `<prefix>:h<first 16 hex of SHA-256 of raw>`
/// (the second value says so; the original goes to `identifiers`).
pub fn namespaced_id(prefix: &str, raw: &str) -> (String, bool) {
    let id = format!("{prefix}:{raw}");
    if !raw.is_empty() && cells::id(&id).is_ok() {
        (id, false)
    } else {
        let digest = Sha256::digest(raw.as_bytes());
        (format!("{prefix}:h{}", &crate::ingest::hex(&digest)[..16]), true)
    }
}

/// A country as the tables hold it: an officially assigned ISO 3166-1 alpha-2 code (any case in the
/// source, upper case here); a subdivision code (`US-WA`) keeps its country; a country's name (ISO
/// short name, or the forms US lists use) is looked up. Anything else is `XRW` with a remark;
/// nothing is guessed from a company's name.
pub fn country(raw: &str) -> (String, Option<Remark>) {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return ("XRW".into(), Some(("no-country", "no country given; XRW (rest of world)".into())));
    }
    let upper = trimmed.to_ascii_uppercase();
    let code = match upper.as_bytes() {
        [_, _] => Some(upper.clone()),
        // A subdivision: `US-WA`, `CN-11`.
        [a, b, b'-', rest @ ..] if !rest.is_empty() && rest.len() <= 3 && rest.iter().all(u8::is_ascii_alphanumeric) => {
            Some(String::from_utf8(vec![*a, *b]).unwrap_or_default())
        }
        _ => None,
    };
    if let Some(code) = code {
        if model::is_iso_country(&code) {
            return (code, None);
        }
        return (
            "XRW".into(),
            Some(("unknown-country", format!("{} is not an officially assigned country code; XRW", cells::quoted(trimmed)))),
        );
    }
    if let Some(code) = country_by_name(trimmed) {
        return (code.to_string(), None);
    }
    ("XRW".into(), Some(("unknown-country", format!("{} is not a country this importer knows; XRW", cells::quoted(trimmed)))))
}

/// The alpha-2 code of a country's name: ISO 3166 short names (through `isocountry`), then the
/// names US lists write differently ("Russia", "Korea, North", "Burma", …).
pub fn country_by_name(name: &str) -> Option<&'static str> {
    let folded = fold_name(name);
    if let Some(&(_, code)) = US_LIST_NAMES.iter().find(|(n, _)| fold_name(n) == folded) {
        return Some(code);
    }
    isocountry::CountryCode::as_array()
        .iter()
        .find(|c| fold_name(c.name()) == folded)
        .map(|c| c.alpha2())
        .filter(|code| model::is_iso_country(code))
}

fn fold_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Country names as OFAC and the Consolidated Screening List write them, where they differ from the
/// ISO short name. Domain data, kept short: the ISO names are found by `isocountry`.
const US_LIST_NAMES: &[(&str, &str)] = &[
    ("Russia", "RU"),
    ("Iran", "IR"),
    ("Syria", "SY"),
    ("Korea, North", "KP"),
    ("North Korea", "KP"),
    ("Korea, South", "KR"),
    ("South Korea", "KR"),
    ("Burma", "MM"),
    ("Venezuela", "VE"),
    ("Bolivia", "BO"),
    ("Tanzania", "TZ"),
    ("Moldova", "MD"),
    ("Laos", "LA"),
    ("Vietnam", "VN"),
    ("Taiwan", "TW"),
    ("China", "CN"),
    ("Hong Kong", "HK"),
    ("Macau", "MO"),
    ("United Kingdom", "GB"),
    ("United States", "US"),
    ("Czech Republic", "CZ"),
    ("Turkey", "TR"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Congo, Republic of the", "CG"),
    ("Cote d Ivoire", "CI"),
    ("Brunei", "BN"),
    ("Palestinian", "PS"),
    ("West Bank", "PS"),
    ("Gaza", "PS"),
    ("Micronesia, Federated States of", "FM"),
    ("Bahamas, The", "BS"),
    ("Gambia, The", "GM"),
    ("Curacao", "CW"),
    ("Netherlands Antilles", "CW"),
    ("Kyrgyzstan", "KG"),
    ("Belarus", "BY"),
    ("Ukraine", "UA"),
    ("Crimea", "UA"),
    ("Region: Crimea", "UA"),
    ("Macedonia", "MK"),
    ("North Macedonia", "MK"),
    ("Eswatini", "SZ"),
    ("Cabo Verde", "CV"),
    ("Timor-Leste", "TL"),
    ("Vatican City", "VA"),
    ("Holy See", "VA"),
];

/// Which end of a period a date gives: a partial date takes its first day for a start and its last
/// day for an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Start,
    End,
}

/// A date as the tables hold it (`YYYY-MM-DD`), from a published value: a date, a date-time (a
/// UTC time at or after 12:00 is a local midnight east of Greenwich written in UTC, so it moves to
/// the next day: `date-shifted`), or a partial date (`2021`, `2021-03`: `partial-date`). `None` when
/// the text is not a date.
pub fn date(raw: &str, bound: Bound) -> Option<(String, Option<Remark>)> {
    let raw = raw.trim();
    let (day, time) = match raw.find(['T', ' ']) {
        Some(at) => (&raw[..at], Some(&raw[at + 1..])),
        None => (raw, None),
    };
    let parts: Vec<&str> = day.split('-').collect();
    let number = |s: &str, len: usize| (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten();
    match parts[..] {
        [y, m, d] => {
            let date = chrono::NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?)?;
            if y == "0000" {
                return None;
            }
            let Some(time) = time else { return Some((date.format("%Y-%m-%d").to_string(), None)) };
            let utc = time.ends_with('Z') || time.ends_with("+00:00") || time.ends_with("+0000");
            let hour = time.get(..2).and_then(|h| number(h, 2))?;
            if utc && hour >= 12 {
                let next = date.succ_opt()?;
                let remark = format!("{raw} is local midnight written in UTC; read as {}", next.format("%Y-%m-%d"));
                Some((next.format("%Y-%m-%d").to_string(), Some(("date-shifted", remark))))
            } else {
                Some((date.format("%Y-%m-%d").to_string(), None))
            }
        }
        [y, m] if time.is_none() => {
            let (year, month) = (number(y, 4)? as i32, number(m, 2)?);
            let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
            let chosen = match bound {
                Bound::Start => first,
                Bound::End => first.checked_add_months(chrono::Months::new(1))?.pred_opt()?,
            };
            partial(raw, chosen, year)
        }
        [y] if time.is_none() => {
            let year = number(y, 4)? as i32;
            let chosen = match bound {
                Bound::Start => chrono::NaiveDate::from_ymd_opt(year, 1, 1)?,
                Bound::End => chrono::NaiveDate::from_ymd_opt(year, 12, 31)?,
            };
            partial(raw, chosen, year)
        }
        _ => None,
    }
}

fn partial(raw: &str, chosen: chrono::NaiveDate, year: i32) -> Option<(String, Option<Remark>)> {
    if year == 0 {
        return None;
    }
    let text = chosen.format("%Y-%m-%d").to_string();
    let remark = format!("{raw} is a partial date; read as {text}");
    Some((text, Some(("partial-date", remark))))
}

/// Repairs C1 characters (U+0080–U+009F) that are cp1252 bytes decoded as Latin-1 (mojibake):
/// each becomes its cp1252 meaning; the five bytes cp1252 leaves undefined stay as they are.
/// Returns `None` when there is nothing to repair.
pub fn repair_mojibake(text: &str) -> Option<String> {
    if !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return None;
    }
    let repaired: String = text
        .chars()
        .map(|c| {
            if ('\u{80}'..='\u{9f}').contains(&c) {
                let byte = [c as u32 as u8];
                let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                decoded.chars().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    (repaired != text).then_some(repaired)
}

/// A country's alpha-2 code when `raw` is one the lists write (a code, a subdivision or a name),
/// else `None`: [`country`] without its fallback to `XRW`, for choosing among candidates quietly.
pub fn known_country(raw: &str) -> Option<String> {
    match country(raw) {
        (code, None) => Some(code),
        _ => None,
    }
}

/// The identifier scheme of a document type as the US lists name it (OFAC remarks
/// `Tax ID No. 7707083893 (Russia)`, the Consolidated Screening List's `ids` column
/// `Tax ID No., 7707083893, RU`), given the issuing country's alpha-2 code when the list states
/// one. `None` for types that are no identifier of a company or person here (passports, e-mail,
/// telephone, gender, digital currency addresses, …), which are not imported.
///
/// Schemes match `[A-Z][A-Z0-9-]{1,31}`: `LEI`, `DUNS`, `BIC`; a Russian tax id is the INN
/// (`RU-INN`) and a Russian registration number of 13 or 15 digits the OGRN (`RU-OGRN`); a UK
/// company number is a Companies House number (`GB-COH`); otherwise `<CC>-TAX-ID`, `<CC>-REG`,
/// `<CC>-VAT` with the issuing country, or `TAX-ID`, `REG`, `VAT` when the list names none.
pub fn us_list_scheme(label: &str, country: Option<&str>, value: &str) -> Option<String> {
    let label = label.trim();
    let label = label.strip_prefix("alt. ").unwrap_or(label).trim();
    let with_country = |base: &str| match country {
        Some(code) => format!("{code}-{base}"),
        None => base.to_string(),
    };
    let digits = value.trim().bytes().all(|b| b.is_ascii_digit());
    let scheme = match label {
        "Legal Entity Number" | "LEI" => "LEI".to_string(),
        "D-U-N-S Number" | "DUNS Number" => "DUNS".to_string(),
        "SWIFT/BIC" => "BIC".to_string(),
        "UK Company Number" => "GB-COH".to_string(),
        "Tax ID No." | "Tax ID Number" => {
            if country == Some("RU") {
                "RU-INN".to_string()
            } else {
                with_country("TAX-ID")
            }
        }
        "Registration Number"
        | "Business Registration Number"
        | "Registration ID"
        | "Company Number"
        | "Public Registration Number"
        | "Business Number"
        | "Commercial Registry Number" => {
            if country == Some("RU") && digits && matches!(value.trim().len(), 13 | 15) {
                "RU-OGRN".to_string()
            } else {
                with_country("REG")
            }
        }
        "V.A.T. Number" | "VAT Number" => with_country("VAT"),
        _ => return None,
    };
    cells::scheme(&scheme).is_ok().then_some(scheme)
}

/// The labels [`us_list_scheme`] knows, longest first (so `Business Registration Number` is found
/// before `Registration Number` at the start of a remark).
pub const US_LIST_ID_LABELS: &[&str] = &[
    "Commercial Registry Number",
    "Business Registration Number",
    "Public Registration Number",
    "Legal Entity Number",
    "Registration Number",
    "UK Company Number",
    "D-U-N-S Number",
    "Registration ID",
    "Business Number",
    "Company Number",
    "Tax ID Number",
    "V.A.T. Number",
    "DUNS Number",
    "VAT Number",
    "Tax ID No.",
    "SWIFT/BIC",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_namespaced_and_hashed_when_they_break_the_pattern() {
        assert_eq!(namespaced_id("ofac", "24652"), ("ofac:24652".to_string(), false));
        let (id, hashed) = namespaced_id("os", "Q 12/ä");
        assert!(hashed && id.starts_with("os:h") && id.len() == 4 + 16, "{id}");
        assert_eq!(namespaced_id("os", "Q 12/ä").0, id, "the same raw id hashes the same");
        assert!(namespaced_id("bods", "").1, "an empty id is hashed, never `bods:`");
    }

    #[test]
    fn countries_codes_subdivisions_names_and_the_rest() {
        assert_eq!(country("ru").0, "RU");
        assert_eq!(country("US-WA").0, "US");
        assert_eq!(country("Russia").0, "RU");
        assert_eq!(country("Korea, North").0, "KP");
        assert_eq!(country("Germany").0, "DE");
        for odd in ["eu", "xk", "", "Atlantis", "zz"] {
            let (code, remark) = country(odd);
            assert_eq!(code, "XRW", "{odd}");
            assert!(remark.is_some(), "{odd} is reported");
        }
    }

    #[test]
    fn dates_times_and_partial_dates() {
        assert_eq!(date("2024-06-24", Bound::Start), Some(("2024-06-24".into(), None)));
        assert_eq!(date("2022-06-30T18:30:00Z", Bound::Start).unwrap().0, "2022-07-01");
        assert_eq!(date("2022-06-30T18:30:00Z", Bound::Start).unwrap().1.unwrap().0, "date-shifted");
        assert_eq!(date("2022-06-30T04:00:00Z", Bound::Start), Some(("2022-06-30".into(), None)));
        assert_eq!(date("2022-06-30T23:00:00+02:00", Bound::Start), Some(("2022-06-30".into(), None)));
        assert_eq!(date("2021-02", Bound::End).unwrap().0, "2021-02-28");
        assert_eq!(date("2021-02", Bound::Start).unwrap().0, "2021-02-01");
        assert_eq!(date("2020", Bound::End).unwrap().0, "2020-12-31");
        assert_eq!(date("2020", Bound::Start).unwrap().1.unwrap().0, "partial-date");
        for bad in ["", "2021-13-01", "0000-01-01", "March 2021", "2021-02-30", "20210101"] {
            assert_eq!(date(bad, Bound::Start), None, "{bad}");
        }
    }

    #[test]
    fn cp1252_mojibake_is_repaired_and_controls_are_kept() {
        assert_eq!(repair_mojibake("Caf\u{e9} \u{80}5 \u{93}quoted\u{94}").as_deref(), Some("Caf\u{e9} €5 “quoted”"));
        assert_eq!(repair_mojibake("plain\u{7} \u{202e}rtl"), None);
        assert_eq!(repair_mojibake("undefined \u{81}"), None, "a byte cp1252 leaves undefined stays");
    }
}
