//! Cell rules of data-formats.md: ids, countries, dates, years, integers, decimals and enumerations.
//! Each parser takes a trimmed, non-empty cell and returns the value or the message of the error.

use crate::model;

pub type CellResult<T> = Result<T, String>;

/// `[A-Za-z0-9][A-Za-z0-9._:-]{0,127}`
pub fn id(cell: &str) -> CellResult<&str> {
    let bytes = cell.as_bytes();
    let valid = !bytes.is_empty()
        && bytes.len() <= 128
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if valid {
        Ok(cell)
    } else {
        Err(format!("{} is not a valid id (letters, digits and . _ : - only, at most 128, starting with a letter or digit)", quoted(cell)))
    }
}

/// An identifier scheme: `[A-Z][A-Z0-9-]{1,31}` (`LEI`, `OFAC`, `RU-INN`, …).
pub fn scheme(cell: &str) -> CellResult<&str> {
    let b = cell.as_bytes();
    let valid = (2..=32).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1..].iter().all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'-');
    if valid {
        Ok(cell)
    } else {
        Err(format!(
            "{} is not an identifier scheme (an upper-case code such as LEI or RU-INN: A–Z, 0–9 and -, 2 to 32 characters)",
            quoted(cell)
        ))
    }
}

/// An ISO 17442 Legal Entity Identifier: 18 characters `[A-Z0-9]` and two check digits, the whole
/// value read as a number (letters A = 10 … Z = 35) equal to 1 mod 97 (ISO 7064 MOD 97-10).
pub fn lei(cell: &str) -> CellResult<&str> {
    let b = cell.as_bytes();
    if b.len() != 20 || !b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return Err(format!("{} is not an LEI (20 characters, A–Z and 0–9, upper case)", quoted(cell)));
    }
    if !b[18..].iter().all(u8::is_ascii_digit) {
        return Err(format!("{} is not an LEI: its last two characters are check digits", quoted(cell)));
    }
    let remainder = b.iter().fold(0u32, |r, &c| {
        let value = if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
        if value >= 10 { (r * 100 + value) % 97 } else { (r * 10 + value) % 97 }
    });
    if remainder == 1 { Ok(cell) } else { Err(format!("{} is not a valid LEI: its check digits do not match (ISO 17442)", quoted(cell))) }
}

pub fn country(cell: &str) -> CellResult<&str> {
    if model::is_country_or_region(cell) {
        Ok(cell)
    } else {
        Err(format!("{} is not an ISO 3166-1 alpha-2 country code or a region code", quoted(cell)))
    }
}

/// `YYYY-MM-DD`, a real calendar date; returned as the same text (it sorts as a date).
pub fn date(cell: &str) -> CellResult<&str> {
    let b = cell.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if shape && chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok() && &cell[..4] != "0000" {
        Ok(cell)
    } else {
        Err(format!("{} is not a calendar date YYYY-MM-DD", quoted(cell)))
    }
}

pub fn year(cell: &str) -> CellResult<i64> {
    match integer(cell) {
        Ok(year) if (1..=9999).contains(&year) => Ok(year),
        _ => Err(format!("{} is not a year from 1 to 9999", quoted(cell))),
    }
}

/// Digits only, at most 2^63 − 1.
pub fn integer(cell: &str) -> CellResult<i64> {
    if cell.is_empty() || !cell.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{} is not an integer (digits only)", quoted(cell)));
    }
    cell.parse::<i64>().map_err(|_| format!("{cell} is above the largest integer 9223372036854775807"))
}

/// `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`, finite as an IEEE-754 double.
pub fn decimal(cell: &str) -> CellResult<f64> {
    if !is_decimal_syntax(cell.as_bytes()) {
        return Err(format!("{} is not a decimal number", quoted(cell)));
    }
    match cell.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!("{cell} is not finite as a double")),
    }
}

fn is_decimal_syntax(b: &[u8]) -> bool {
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == b.len()
}

pub fn decimal_in(cell: &str, min: f64, max: f64) -> CellResult<f64> {
    within(cell, decimal(cell)?, min, max)
}

pub fn integer_in(cell: &str, min: i64, max: i64) -> CellResult<i64> {
    within(cell, integer(cell)?, min, max)
}

fn within<T: PartialOrd + std::fmt::Display>(cell: &str, value: T, min: T, max: T) -> CellResult<T> {
    if value < min {
        Err(format!("{cell} is below {min}"))
    } else if value > max {
        Err(format!("{cell} is above {max}"))
    } else {
        Ok(value)
    }
}

pub fn word<'a>(cell: &'a str, words: &[&str]) -> CellResult<&'a str> {
    if words.contains(&cell) { Ok(cell) } else { Err(format!("{} is not one of {}", quoted(cell), words.join(", "))) }
}

/// Free text: any valid UTF-8 up to 1 MiB.
pub fn text(cell: &str) -> CellResult<&str> {
    if cell.len() <= 1 << 20 { Ok(cell) } else { Err(format!("text of {} bytes is longer than 1 MiB", cell.len())) }
}

/// Quotes a cell for an error message, shortened and with control characters escaped, so that a
/// hostile cell cannot forge lines of the report.
pub fn quoted(cell: &str) -> String {
    let mut shown: String = cell.chars().take(60).collect();
    if shown.len() < cell.len() {
        shown.push('…');
    }
    format!("{:?}", shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_spec_grammar() {
        for good in ["0", "1.", ".5", "-2.5e3", "+7E-2", "0.000", "1e308"] {
            assert!(decimal(good).is_ok(), "{good} is a decimal");
        }
        for bad in ["", ".", "1,000", "5%", "NaN", "inf", "1e", "e5", "--1", "1.2.3", "0x10", "1e400"] {
            assert!(decimal(bad).is_err(), "{bad} is not a decimal");
        }
    }

    #[test]
    fn dates_must_be_real_calendar_dates() {
        assert!(date("2024-02-29").is_ok());
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024/01/01", "0000-01-01", "2024-01-01T00"] {
            assert!(date(bad).is_err(), "{bad} is not a date");
        }
    }

    #[test]
    fn ids_and_integers() {
        assert!(id("kaspersky").is_ok() && id("a.b_c:d-1").is_ok() && id(&"a".repeat(128)).is_ok());
        assert!(id("-a").is_err() && id("a b").is_err() && id(&"a".repeat(129)).is_err() && id("é").is_err());
        assert_eq!(integer("9223372036854775807"), Ok(i64::MAX));
        assert!(integer("9223372036854775808").is_err() && integer("-1").is_err() && integer("1.0").is_err());
        assert!(year("0").is_err() && year("10000").is_err() && year("2016") == Ok(2016));
    }
}
