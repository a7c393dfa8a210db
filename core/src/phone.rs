//! Phone numbers as people type them, split into country calling code and national number.
//!
//! The rules are the contract's (`docs/contract.md`, "Input rules", `phone_number` and the
//! `country` parameter); the calling codes come from `shared/calling-codes.json` through the
//! generated [`crate::calling_codes`] table.

use std::fmt;

use crate::calling_codes::CALLING_CODES;

/// At most this many digits in all (country calling code and national number), as E.164 says.
const MAX_DIGITS: usize = 15;
/// At least this many digits after the country calling code.
const MIN_NATIONAL_DIGITS: usize = 4;
/// How many digits [`PhoneNumber::parse`] keeps while scanning: enough for the longest
/// number plus everything that may be dropped before it (`00`, a `(0)` or a trunk prefix).
/// Further digits are only counted, so a huge input costs no memory.
const KEPT_DIGITS: usize = MAX_DIGITS + 5;

/// Regions whose numbering plan has no trunk prefix and whose ordinary (fixed-line or mobile)
/// numbers may begin with 0, which is part of the number: Italy and the plans sharing its
/// ranges (Vatican City, San Marino), and Burkina Faso, Benin, Congo, Côte d'Ivoire, Gabon
/// and Tajikistan (from libphonenumber's metadata). A leading 0 is kept for them, and so is
/// a `(0)` after their calling code.
const SUBSCRIBER_NUMBERS_BEGIN_WITH_ZERO: &[&str] = &["IT", "VA", "SM", "BF", "BJ", "CG", "CI", "GA", "TJ"];

/// Regions without a trunk prefix where only service numbers (toll-free `0800`, UAN and the
/// like) begin with 0: a leading 0 of a national number is kept for them too, but a `(0)`
/// after their calling code is still the trunk prefix people type out of habit.
const SERVICE_NUMBERS_BEGIN_WITH_ZERO: &[&str] =
    &["AC", "BW", "BZ", "FJ", "MO", "NC", "NE", "NO", "PA", "QA", "SJ", "SZ", "TO"];

/// The country calling code of a region (ISO 3166 alpha-2, any letter case): `"GB"` → `"44"`.
///
/// `None` for anything that is not two ASCII letters naming a region of the table (so the
/// `001` of non-geographic codes is not a region here).
pub(crate) fn region_calling_code(region: &str) -> Option<&'static str> {
    if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    CALLING_CODES
        .iter()
        .find(|(_, regions)| regions.iter().any(|r| r.eq_ignore_ascii_case(region)))
        .map(|(code, _)| *code)
}

/// Whether `code` (digits only, no `+`) is an assigned country calling code.
pub(crate) fn is_assigned(code: &str) -> bool {
    CALLING_CODES.binary_search_by(|(c, _)| (*c).cmp(code)).is_ok()
}

/// The regions of an assigned calling code (empty for an unassigned one).
fn code_regions(code: &str) -> &'static [&'static str] {
    CALLING_CODES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .and_then(|i| CALLING_CODES.get(i))
        .map_or(&[], |(_, regions)| *regions)
}

fn listed(list: &[&str], region: &str) -> bool {
    list.iter().any(|r| r.eq_ignore_ascii_case(region))
}

/// A phone number split into its country calling code and national number.
///
/// Made by [`PhoneNumber::parse`]; both parts are ASCII digits, the calling code is an
/// assigned one, there are at most 15 digits in all and at least 4 national digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    country_code: String,
    national_number: String,
}

impl PhoneNumber {
    /// Reads what a person types. `region` (ISO 3166 alpha-2, any case) says how to read a
    /// number written without `+`/`00`.
    ///
    /// Accepted characters are ASCII digits, spaces, `-`, `.`, balanced parentheses and one
    /// `+` before everything else. A leading `00` means `+`. After `+`/`00` (or in a bare
    /// digit string when no region is given) the country calling code comes first, found
    /// among the assigned codes; a `(0)` right after it is a trunk prefix people type and
    /// is dropped, every other digit is kept (Italy keeps its leading 0). With a region, a
    /// number without `+`/`00` is national to it and its trunk prefix is dropped: a single
    /// `0` in most regions; nothing in Italy and the other regions that have no trunk
    /// prefix but numbers beginning with 0; the `1` of an 11-digit number in the North
    /// American plan; `8` in Russia, Kazakhstan, Turkmenistan, Belarus and Lithuania (when
    /// the length says it is one), `06` in Hungary.
    ///
    /// ```
    /// use waonboard::PhoneNumber;
    ///
    /// let n = PhoneNumber::parse("+44 (0)20 7946 0958", None)?;
    /// assert_eq!(n.country_code(), "44");
    /// assert_eq!(n.national_number(), "2079460958");
    /// assert_eq!(n.e164(), "+442079460958");
    ///
    /// let n = PhoneNumber::parse("(415) 555-0100", Some("us"))?;
    /// assert_eq!(n.digits(), "14155550100");
    ///
    /// assert!(PhoneNumber::parse("+999 1234 5678", None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`InvalidPhoneNumber`], with a reason naming what is wrong: an empty input, another
    /// character, a misplaced `+`, unbalanced parentheses, an unknown region, an unassigned
    /// calling code, more than 15 digits or fewer than 4 national digits.
    pub fn parse(input: &str, region: Option<&str>) -> Result<PhoneNumber, InvalidPhoneNumber> {
        let region = match region {
            None => None,
            Some(r) => match region_calling_code(r) {
                Some(code) => Some((r, code)),
                None => return Err(unknown_region(r)),
            },
        };
        if input.trim().is_empty() {
            return Err(InvalidPhoneNumber::new("is empty"));
        }
        let scan = Scan::of(input)?;
        if scan.count == 0 {
            return Err(InvalidPhoneNumber::new("has no digits"));
        }
        let first = scan.digit(0);
        let second = scan.digit(1);
        match region {
            _ if scan.plus => international(&scan, 0, "+"),
            _ if first == Some(b'0') && second == Some(b'0') => international(&scan, 2, "00"),
            Some((region, code)) => national(&scan, region, code),
            None if first == Some(b'0') => Err(InvalidPhoneNumber::new(
                "starts with 0 but no country was given: write it with '+' and the country \
                 calling code, or give the country",
            )),
            None => international(&scan, 0, ""),
        }
    }

    /// The country calling code, digits without `+`: `"44"`.
    #[must_use]
    pub fn country_code(&self) -> &str {
        &self.country_code
    }

    /// The national number, digits only (no trunk prefix, Italy's leading 0 kept):
    /// `"7700900000"`.
    #[must_use]
    pub fn national_number(&self) -> &str {
        &self.national_number
    }

    /// Country calling code and national number as one digit string, without `+`:
    /// `"447700900000"` (99digital's `whatsapp`, Meta's E.164 without `+`).
    #[must_use]
    pub fn digits(&self) -> String {
        format!("{}{}", self.country_code, self.national_number)
    }

    /// The E.164 form: `"+447700900000"`.
    #[must_use]
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country_code, self.national_number)
    }
}

impl fmt::Display for PhoneNumber {
    /// Writes the E.164 form, `+447700900000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}{}", self.country_code, self.national_number)
    }
}

/// Why a phone number was refused: a short English sentence for the error message.
///
/// The reason reads after the name of the field, e.g. "contains 'x', which is not a digit,
/// space, '+', '-', '.', '(' or ')'" or "+999 is not an assigned country calling code". It
/// never repeats more than one character of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPhoneNumber {
    reason: String,
}

impl InvalidPhoneNumber {
    fn new(reason: impl Into<String>) -> Self {
        InvalidPhoneNumber { reason: reason.into() }
    }

    /// The reason, without the field name: `"has 16 digits; at most 15 are allowed"`.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidPhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid phone number: {}", self.reason)
    }
}

impl std::error::Error for InvalidPhoneNumber {}

/// A digit of the input, with the parenthesised group it was written in, if any.
#[derive(Clone, Copy)]
struct Digit {
    value: u8,
    group: Option<usize>,
}

/// The input checked character by character.
struct Scan {
    /// A `+` came first.
    plus: bool,
    /// The first [`KEPT_DIGITS`] digits.
    digits: Vec<Digit>,
    /// How many digits there are in all.
    count: usize,
}

impl Scan {
    fn of(input: &str) -> Result<Scan, InvalidPhoneNumber> {
        let mut scan = Scan { plus: false, digits: Vec::with_capacity(KEPT_DIGITS), count: 0 };
        let mut started = false; // a character other than a space came before
        let mut groups = 0usize; // parenthesised groups opened so far
        let mut open: Option<usize> = None; // the group we are in
        for c in input.chars() {
            match c {
                ' ' => continue,
                '0'..='9' => {
                    if scan.digits.len() < KEPT_DIGITS {
                        // `c` is an ASCII digit, so it fits in a u8.
                        let value = u8::try_from(c).unwrap_or(b'0');
                        scan.digits.push(Digit { value, group: open });
                    }
                    scan.count = scan.count.saturating_add(1);
                }
                '+' if !started => scan.plus = true,
                '+' => return Err(InvalidPhoneNumber::new("has a '+' after the start; '+' may only come first")),
                '-' | '.' => {}
                '(' if open.is_some() => return Err(InvalidPhoneNumber::new("has nested parentheses")),
                '(' => {
                    open = Some(groups);
                    groups = groups.saturating_add(1);
                }
                ')' if open.is_none() => return Err(InvalidPhoneNumber::new("has a ')' without a matching '('")),
                ')' => open = None,
                other => return Err(InvalidPhoneNumber::new(not_allowed(other))),
            }
            started = true;
        }
        if open.is_some() {
            return Err(InvalidPhoneNumber::new("has a '(' without a matching ')'"));
        }
        Ok(scan)
    }

    fn digit(&self, i: usize) -> Option<u8> {
        self.digits.get(i).map(|d| d.value)
    }

    fn group(&self, i: usize) -> Option<usize> {
        self.digits.get(i).and_then(|d| d.group)
    }

    /// The kept digits from `start` on, as a string.
    fn text(&self, start: usize) -> String {
        self.digits.iter().skip(start).map(|d| char::from(d.value)).collect()
    }

    /// Whether digit `i` is a lone `0` in its own parentheses: `(0)`.
    fn is_parenthesised_zero(&self, i: usize) -> bool {
        let Some(group) = self.group(i) else {
            return false;
        };
        let before = i.checked_sub(1).and_then(|j| self.group(j));
        let after = i.checked_add(1).and_then(|j| self.group(j));
        self.digit(i) == Some(b'0') && before != Some(group) && after != Some(group)
    }
}

/// A number written with `+` or `00`, or a bare digit string without a region: the calling
/// code comes first. `start` is where it begins among the digits (2 after `00`).
fn international(scan: &Scan, start: usize, prefix: &str) -> Result<PhoneNumber, InvalidPhoneNumber> {
    if scan.count <= start {
        return Err(InvalidPhoneNumber::new(format!("has no digits after '{prefix}'")));
    }
    // The first three digits are all a calling code can take (kept digits are ASCII).
    let head: String = scan.digits.iter().skip(start).take(3).map(|d| char::from(d.value)).collect();
    // Calling codes are prefix-free, so the first assigned prefix is the only one.
    let code = (1..=3).filter_map(|len| head.get(..len)).find(|candidate| is_assigned(candidate)).map(str::to_owned);
    let Some(code) = code else {
        return Err(InvalidPhoneNumber::new(format!("+{head} is not an assigned country calling code")));
    };
    let mut national_start = start.saturating_add(code.len());
    if scan.is_parenthesised_zero(national_start)
        && !code_regions(&code).iter().any(|r| listed(SUBSCRIBER_NUMBERS_BEGIN_WITH_ZERO, r))
    {
        national_start = national_start.saturating_add(1);
    }
    finish(scan, code, national_start)
}

/// A number written without `+`/`00` for a given region: drop its trunk prefix.
fn national(scan: &Scan, region: &str, code: &'static str) -> Result<PhoneNumber, InvalidPhoneNumber> {
    let upper = region.to_ascii_uppercase();
    let first = scan.digit(0);
    let second = scan.digit(1);
    let n = scan.count;
    let trunk = match upper.as_str() {
        _ if listed(SUBSCRIBER_NUMBERS_BEGIN_WITH_ZERO, &upper) || listed(SERVICE_NUMBERS_BEGIN_WITH_ZERO, &upper) => 0,
        // The North American plan: 1 + 10 digits, the 1 being the country code or trunk.
        _ if code == "1" => usize::from(n == 11 && first == Some(b'1')),
        // 8 + 10 digits; a 7 in its place is the country code typed without '+'.
        "RU" | "KZ" => usize::from(n == 11 && matches!(first, Some(b'7' | b'8'))),
        "TM" => usize::from(n == 9 && first == Some(b'8')),
        "LT" if n == 9 && first == Some(b'8') => 1,
        // 8 or 80 before 9 or 10 digits (0 alone is the default below).
        "BY" if (n == 11 || n == 12) && first == Some(b'8') && second == Some(b'0') => 2,
        "BY" if n == 11 && first == Some(b'8') => 1,
        "HU" if first == Some(b'0') && second == Some(b'6') => 2,
        _ => usize::from(first == Some(b'0')),
    };
    finish(scan, code.to_owned(), trunk)
}

/// Checks the lengths and builds the number from the digits after `national_start`.
fn finish(scan: &Scan, code: String, national_start: usize) -> Result<PhoneNumber, InvalidPhoneNumber> {
    let national_len = scan.count.saturating_sub(national_start);
    let total = code.len().saturating_add(national_len);
    if total > MAX_DIGITS {
        return Err(InvalidPhoneNumber::new(format!("has {total} digits; at most {MAX_DIGITS} are allowed")));
    }
    if national_len < MIN_NATIONAL_DIGITS {
        let has = match national_len {
            0 => "no digits".to_owned(),
            1 => "only 1 digit".to_owned(),
            n => format!("only {n} digits"),
        };
        return Err(InvalidPhoneNumber::new(format!(
            "has {has} after the country calling code +{code}; \
             at least {MIN_NATIONAL_DIGITS} are needed"
        )));
    }
    Ok(PhoneNumber { country_code: code, national_number: scan.text(national_start) })
}

/// The reason for a character that is not allowed, showing it safely.
fn not_allowed(c: char) -> String {
    const ALLOWED: &str = "a digit, space, '+', '-', '.', '(' or ')'";
    if c.is_ascii_graphic() && c != '\'' {
        format!("contains '{c}', which is not {ALLOWED}")
    } else if c.is_ascii() {
        // Control characters and the quote come out escaped (`'\n'`, `'\u{7f}'`, `'\''`).
        format!("contains '{}', which is not {ALLOWED}", c.escape_default())
    } else if c.is_numeric() {
        format!("contains '{c}' (U+{:04X}); only the ASCII digits 0-9 are accepted", u32::from(c))
    } else if c.is_alphabetic() {
        format!("contains '{c}' (U+{:04X}), which is not {ALLOWED}", u32::from(c))
    } else {
        // Symbols, emoji, invisible and control characters: only the code point.
        format!("contains U+{:04X}, which is not {ALLOWED}", u32::from(c))
    }
}

fn unknown_region(region: &str) -> InvalidPhoneNumber {
    if !region.is_empty() && region.len() <= 3 && region.bytes().all(|b| b.is_ascii_alphanumeric()) {
        InvalidPhoneNumber::new(format!("country '{region}' is not a known ISO 3166 region"))
    } else {
        InvalidPhoneNumber::new("country is not a two-letter ISO 3166 region code")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str, region: Option<&str>) -> (String, String) {
        match PhoneNumber::parse(input, region) {
            Ok(n) => (n.country_code().to_owned(), n.national_number().to_owned()),
            Err(e) => panic!("{input:?} with {region:?} was refused: {}", e.reason()),
        }
    }

    fn err(input: &str, region: Option<&str>) -> String {
        match PhoneNumber::parse(input, region) {
            Ok(n) => panic!("{input:?} with {region:?} was accepted as {n:?}"),
            Err(e) => e.reason().to_owned(),
        }
    }

    fn pair(code: &str, national: &str) -> (String, String) {
        (code.to_owned(), national.to_owned())
    }

    // ---- the table and its lookups ----

    #[test]
    fn table_is_sorted_unique_and_prefix_free() {
        for w in CALLING_CODES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (a, _) in CALLING_CODES {
            assert!((1..=3).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_digit()), "{a}");
            assert!(!a.starts_with('0'), "{a}");
            for (b, _) in CALLING_CODES {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
    }

    #[test]
    fn region_lookup_is_case_insensitive() {
        assert_eq!(region_calling_code("GB"), Some("44"));
        assert_eq!(region_calling_code("gb"), Some("44"));
        assert_eq!(region_calling_code("Gb"), Some("44"));
        assert_eq!(region_calling_code("US"), Some("1"));
        assert_eq!(region_calling_code("ca"), Some("1"));
        assert_eq!(region_calling_code("IL"), Some("972"));
        assert_eq!(region_calling_code("va"), Some("39"));
        assert_eq!(region_calling_code("KZ"), Some("7"));
    }

    #[test]
    fn region_lookup_refuses_without_panicking() {
        for r in ["", "G", "GBR", "ZZ", "001", "00", "1", "é", "ü1", "G\u{0}", "日本", " GB"] {
            assert_eq!(region_calling_code(r), None, "{r:?}");
        }
    }

    #[test]
    fn assigned_codes() {
        for c in ["1", "7", "44", "39", "972", "800", "979", "383"] {
            assert!(is_assigned(c), "{c}");
        }
        for c in ["", "0", "2", "21", "999", "+44", "044", "4", "1234", "٤٤", "44 "] {
            assert!(!is_assigned(c), "{c:?}");
        }
    }

    #[test]
    fn leading_zero_regions_exist() {
        for r in SUBSCRIBER_NUMBERS_BEGIN_WITH_ZERO.iter().chain(SERVICE_NUMBERS_BEGIN_WITH_ZERO) {
            assert!(region_calling_code(r).is_some(), "{r}");
        }
    }

    /// `CALLING_CODES` is exactly `shared/calling-codes.json` (which CI keeps beside the repo).
    #[test]
    fn table_matches_shared_json() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/calling-codes.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("note: {} not found; skipping the comparison", path.display());
            return;
        };
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let codes = json["calling_codes"].as_object().unwrap();
        assert_eq!(codes.len(), CALLING_CODES.len(), "number of codes");
        for (code, regions) in CALLING_CODES {
            let expected: Vec<&str> = codes[*code]
                .as_array()
                .unwrap_or_else(|| panic!("{code} is not in the JSON"))
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            assert_eq!(*regions, expected.as_slice(), "regions of {code}");
        }
        let source = json["source"].as_str().unwrap();
        assert!(
            include_str!("calling_codes.rs").contains(source),
            "the header of calling_codes.rs names another source than {source:?}"
        );
    }

    // ---- international numbers ----

    #[test]
    fn plus_and_separators() {
        assert_eq!(ok("+44 7700 900000", None), pair("44", "7700900000"));
        assert_eq!(ok("+972-50-123-4567", None), pair("972", "501234567"));
        assert_eq!(ok("+1 (631) 555-1111", None), pair("1", "6315551111"));
        assert_eq!(ok("+1.631.555.1111", None), pair("1", "6315551111"));
        assert_eq!(ok("  +44 7700 900000  ", None), pair("44", "7700900000"));
        assert_eq!(ok("+ 44 7700 900000", None), pair("44", "7700900000"));
        assert_eq!(ok("+(44) 7700 900000", None), pair("44", "7700900000"));
        assert_eq!(ok("+7 495 123-45-67", None), pair("7", "4951234567"));
    }

    #[test]
    fn double_zero_means_plus() {
        assert_eq!(ok("00972501234567", None), pair("972", "501234567"));
        assert_eq!(ok("00 44 7700 900000", None), pair("44", "7700900000"));
        // With a region too: 00 is international whatever the region.
        assert_eq!(ok("0044 7700 900000", Some("US")), pair("44", "7700900000"));
        assert_eq!(ok("(00) 972 50 123 4567", Some("il")), pair("972", "501234567"));
    }

    #[test]
    fn bare_digits_are_international() {
        assert_eq!(ok("972501234567", None), pair("972", "501234567"));
        assert_eq!(ok("447700900000", None), pair("44", "7700900000"));
        assert_eq!(ok("14155550100", None), pair("1", "4155550100"));
        assert_eq!(ok("44 (0)20 7946 0958", None), pair("44", "2079460958"));
    }

    #[test]
    fn parenthesised_zero_after_the_code_is_dropped() {
        assert_eq!(ok("+44 (0)20 7946 0958", None), pair("44", "2079460958"));
        assert_eq!(ok("+44(0)2079460958", None), pair("44", "2079460958"));
        assert_eq!(ok("+49 (0) 30 123456", None), pair("49", "30123456"));
        assert_eq!(ok("0044 (0)20 7946 0958", None), pair("44", "2079460958"));
        assert_eq!(ok("+44 ( 0 ) 20 7946 0958", None), pair("44", "2079460958"));
    }

    #[test]
    fn other_zeros_are_kept() {
        // Only a lone (0) right after the code is a trunk prefix.
        assert_eq!(ok("+44 020 7946 0958", None), pair("44", "02079460958"));
        assert_eq!(ok("+44 (020) 7946 0958", None), pair("44", "02079460958"));
        assert_eq!(ok("+44 20 (0)7946 0958", None), pair("44", "20079460958"));
        assert_eq!(ok("+(440) 20 7946 0958", None), pair("44", "02079460958"));
    }

    #[test]
    fn italy_keeps_its_leading_zero() {
        assert_eq!(ok("+39 06 6982 1234", None), pair("39", "0669821234"));
        assert_eq!(ok("+39 (0)6 6982 1234", None), pair("39", "0669821234"));
        assert_eq!(ok("+39 347 123 4567", None), pair("39", "3471234567"));
        assert_eq!(ok("+378 0549 886377", None), pair("378", "0549886377"));
        assert_eq!(ok("+225 07 07 12 34 56", None), pair("225", "0707123456"));
    }

    #[test]
    fn calling_codes_by_longest_prefix() {
        assert_eq!(ok("+1 242 555 0100", None), pair("1", "2425550100"));
        assert_eq!(ok("+7 701 123 4567", None), pair("7", "7011234567"));
        assert_eq!(ok("+20 10 1234 5678", None), pair("20", "1012345678"));
        assert_eq!(ok("+212 6 12 34 56 78", None), pair("212", "612345678"));
        assert_eq!(ok("+800 1234 5678", None), pair("800", "12345678"));
        assert_eq!(ok("+383 44 123 456", None), pair("383", "44123456"));
    }

    #[test]
    fn unassigned_codes_are_refused() {
        assert_eq!(err("+999 1234 5678", None), "+999 is not an assigned country calling code");
        assert_eq!(err("+2 1", None), "+21 is not an assigned country calling code");
        assert_eq!(err("+0 44 7700 900000", None), "+044 is not an assigned country calling code");
        assert_eq!(err("+00 44 7700 900000", None), "+004 is not an assigned country calling code");
        assert_eq!(err("+28", None), "+28 is not an assigned country calling code");
        assert_eq!(err("999123456789", None), "+999 is not an assigned country calling code");
    }

    // ---- national numbers ----

    #[test]
    fn national_with_region() {
        assert_eq!(ok("(415) 555-0100", Some("US")), pair("1", "4155550100"));
        assert_eq!(ok("(415) 555-0100", Some("us")), pair("1", "4155550100"));
        assert_eq!(ok("1 415 555 0100", Some("US")), pair("1", "4155550100"));
        assert_eq!(ok("1 (415) 555-0100", Some("CA")), pair("1", "4155550100"));
        assert_eq!(ok("07700 900000", Some("GB")), pair("44", "7700900000"));
        assert_eq!(ok("(0)20 7946 0958", Some("gb")), pair("44", "2079460958"));
        assert_eq!(ok("050-123-4567", Some("IL")), pair("972", "501234567"));
        assert_eq!(ok("090-1234-5678", Some("JP")), pair("81", "9012345678"));
        assert_eq!(ok("7700 900000", Some("GB")), pair("44", "7700900000"));
        // '+' wins over the region.
        assert_eq!(ok("+44 7700 900000", Some("US")), pair("44", "7700900000"));
    }

    #[test]
    fn regions_that_keep_a_leading_zero() {
        assert_eq!(ok("06 6982 1234", Some("IT")), pair("39", "0669821234"));
        assert_eq!(ok("06 6982 1234", Some("va")), pair("39", "0669821234"));
        assert_eq!(ok("0549 886377", Some("SM")), pair("378", "0549886377"));
        assert_eq!(ok("347 123 4567", Some("IT")), pair("39", "3471234567"));
        assert_eq!(ok("07 07 12 34 56", Some("CI")), pair("225", "0707123456"));
        assert_eq!(ok("06 123 4567", Some("CG")), pair("242", "061234567"));
        // Service numbers in plans without a trunk prefix.
        assert_eq!(ok("0800 012 345", Some("BW")), pair("267", "0800012345"));
        assert_eq!(ok("02000", Some("no")), pair("47", "02000"));
        // ... whose (0) after the calling code is still dropped.
        assert_eq!(ok("+47 (0)22 12 34 56", None), pair("47", "22123456"));
    }

    #[test]
    fn other_trunk_prefixes() {
        // North America: a leading 1 only when there are 11 digits.
        assert_eq!(ok("415 555 0100", Some("US")), pair("1", "4155550100"));
        assert_eq!(ok("1 415 555 010", Some("US")), pair("1", "1415555010"));
        assert_eq!(ok("8 (916) 123-45-67", Some("RU")), pair("7", "9161234567"));
        assert_eq!(ok("7 916 123 45 67", Some("RU")), pair("7", "9161234567"));
        assert_eq!(ok("812 123 45 67", Some("RU")), pair("7", "8121234567"));
        assert_eq!(ok("8 701 123 4567", Some("KZ")), pair("7", "7011234567"));
        assert_eq!(ok("06 30 123 4567", Some("HU")), pair("36", "301234567"));
        assert_eq!(ok("8 029 123-45-67", Some("BY")), pair("375", "291234567"));
        assert_eq!(ok("029 123-45-67", Some("BY")), pair("375", "291234567"));
        assert_eq!(ok("8 801 123 4567", Some("BY")), pair("375", "8011234567"));
        assert_eq!(ok("8 0 800 123 4567", Some("BY")), pair("375", "8001234567"));
        assert_eq!(ok("801 123 4567", Some("BY")), pair("375", "8011234567"));
        assert_eq!(ok("06 1 234 5678", Some("HU")), pair("36", "12345678"));
        assert_eq!(ok("8 612 34567", Some("LT")), pair("370", "61234567"));
        assert_eq!(ok("8 800 12345", Some("LT")), pair("370", "80012345"));
        assert_eq!(ok("8 12 345678", Some("TM")), pair("993", "12345678"));
    }

    #[test]
    fn bare_zero_without_region() {
        let reason = err("07700 900000", None);
        assert!(reason.starts_with("starts with 0 but no country was given"), "{reason}");
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert_eq!(err("7700 900000", Some("ZZ")), "country 'ZZ' is not a known ISO 3166 region");
        assert_eq!(err("7700 900000", Some("GBR")), "country 'GBR' is not a known ISO 3166 region");
        assert_eq!(err("7700 900000", Some("001")), "country '001' is not a known ISO 3166 region");
        assert_eq!(err("7700 900000", Some("")), "country is not a two-letter ISO 3166 region code");
        let long = "Y".repeat(10_000);
        assert_eq!(err("7700 900000", Some(&long)), "country is not a two-letter ISO 3166 region code");
        assert_eq!(err("7700 900000", Some("ü")), "country is not a two-letter ISO 3166 region code");
        // Checked even when the number has '+'.
        assert!(PhoneNumber::parse("+44 7700 900000", Some("XX")).is_err());
    }

    // ---- lengths ----

    #[test]
    fn at_most_15_digits() {
        assert_eq!(ok("+44 1234 5678 90123", None), pair("44", "1234567890123"));
        assert_eq!(err("+44 1234 5678 901234", None), "has 16 digits; at most 15 are allowed");
        assert_eq!(ok("00 44 1234 5678 90123", None), pair("44", "1234567890123"));
        assert_eq!(ok("+44 (0) 1234 5678 90123", None), pair("44", "1234567890123"));
        assert_eq!(ok("01234 5678 90123", Some("GB")), pair("44", "1234567890123"));
        assert_eq!(err("1234 5678 901234", Some("GB")), "has 16 digits; at most 15 are allowed");
    }

    #[test]
    fn at_least_4_national_digits() {
        assert_eq!(ok("+44 1234", None), pair("44", "1234"));
        assert_eq!(err("+44 123", None), "has only 3 digits after the country calling code +44; at least 4 are needed");
        assert_eq!(err("+44", None), "has no digits after the country calling code +44; at least 4 are needed");
        assert_eq!(
            err("+44 (0) 1", None),
            "has only 1 digit after the country calling code +44; at least 4 are needed"
        );
        assert_eq!(
            err("0123", Some("GB")),
            "has only 3 digits after the country calling code +44; at least 4 are needed"
        );
        assert_eq!(
            err("1 41", Some("US")),
            "has only 3 digits after the country calling code +1; at least 4 are needed"
        );
        assert_eq!(ok("1 415", Some("US")), pair("1", "1415"));
    }

    #[test]
    fn huge_inputs() {
        let digits = "9".repeat(1_000_000);
        assert_eq!(err(&format!("+44{digits}"), None), "has 1000002 digits; at most 15 are allowed");
        let spaced = " 1".repeat(100_000);
        assert!(err(&format!("+44{spaced}"), None).starts_with("has 100002 digits"));
        let junk = format!("+44 7700 900000{}", "x".repeat(100_000));
        assert_eq!(err(&junk, None), "contains 'x', which is not a digit, space, '+', '-', '.', '(' or ')'");
        let parens = "(1)".repeat(100_000);
        assert!(err(&parens, None).starts_with("has 100000 digits"));
        for e in [err(&digits, None), err(&junk, None)] {
            assert!(e.len() < 120, "{e}");
        }
    }

    // ---- characters and shape ----

    #[test]
    fn empty_and_blank() {
        assert_eq!(err("", None), "is empty");
        assert_eq!(err("   ", None), "is empty");
        assert_eq!(err(" \t\n ", Some("GB")), "is empty");
        assert_eq!(err("+", None), "has no digits");
        assert_eq!(err(" + ", None), "has no digits");
        assert_eq!(err("()-. ", None), "has no digits");
        assert_eq!(err("00", None), "has no digits after '00'");
    }

    #[test]
    fn plus_only_first() {
        let reason = "has a '+' after the start; '+' may only come first";
        assert_eq!(err("++44 7700 900000", None), reason);
        assert_eq!(err("+44+7700 900000", None), reason);
        assert_eq!(err("+44 7700 900000+", None), reason);
        assert_eq!(err("(+44) 7700 900000", None), reason);
        assert_eq!(err("-+44 7700 900000", None), reason);
        assert_eq!(err("44 7700+900000", None), reason);
    }

    #[test]
    fn parentheses_must_balance() {
        assert_eq!(err("(415 555", Some("US")), "has a '(' without a matching ')'");
        assert_eq!(err("415) 555-0100", Some("US")), "has a ')' without a matching '('");
        assert_eq!(err("+1 (631)) 555-1111", None), "has a ')' without a matching '('");
        assert_eq!(err("+1 ((631)) 555-1111", None), "has nested parentheses");
        assert_eq!(err("+1 (631 555-1111", None), "has a '(' without a matching ')'");
    }

    #[test]
    fn other_characters_are_refused() {
        let tail = "which is not a digit, space, '+', '-', '.', '(' or ')'";
        assert_eq!(err("+44 7700 9000x0", None), format!("contains 'x', {tail}"));
        assert_eq!(err("+44 7700 900000 ext 1", None), format!("contains 'e', {tail}"));
        assert_eq!(err("+44/7700/900000", None), format!("contains '/', {tail}"));
        assert_eq!(err("+44 7700 900000#", None), format!("contains '#', {tail}"));
        assert_eq!(err("*44 7700 900000", None), format!("contains '*', {tail}"));
        assert_eq!(err("+44\t7700 900000", None), format!("contains '\\t', {tail}"));
        assert_eq!(err("+44 7700 900000\n", None), format!("contains '\\n', {tail}"));
        assert_eq!(err("+44\u{0}7700", None), format!("contains '\\u{{0}}', {tail}"));
        assert_eq!(err("+44 7700 900000\u{7f}", None), format!("contains '\\u{{7f}}', {tail}"));
        assert_eq!(err("+44 7700 9000😀0", None), format!("contains U+1F600, {tail}"));
        assert_eq!(err("+44\u{a0}7700 900000", None), format!("contains U+00A0, {tail}"));
        assert_eq!(err("+44\u{202e}7700", None), format!("contains U+202E, {tail}"));
        assert_eq!(err("+44 7700 90000é", None), format!("contains 'é' (U+00E9), {tail}"));
        assert_eq!(err("+٤٤ 7700 900000", None), "contains '٤' (U+0664); only the ASCII digits 0-9 are accepted");
        assert_eq!(err("+44 ７７００ 900000", None), "contains '７' (U+FF17); only the ASCII digits 0-9 are accepted");
        assert_eq!(err("+44 7700 900000,", None), format!("contains ',', {tail}"));
        assert_eq!(err("+44 7700 \"900000\"", None), format!("contains '\"', {tail}"));
        assert_eq!(err("+44 7700 900'000", None), format!("contains '\\'', {tail}"));
        assert_eq!(err("tel:+447700900000", None), format!("contains 't', {tail}"));
    }

    #[test]
    fn never_panics_on_odd_inputs() {
        let inputs = [
            "+",
            "0",
            "00",
            "000",
            "0000000",
            "1",
            "(",
            ")",
            "()",
            "(0)",
            "+(0)",
            "+(",
            "+)",
            "0(0)",
            "+1",
            "+12",
            "+123",
            "+1234",
            "00+",
            "+00",
            "(((",
            ")))",
            "\u{10ffff}",
            "\u{feff}+44",
            "é",
            "+44(0)",
            "+44(0",
            "+44 (0)(0)1234",
            "१२३४५६",
            "-",
            ".",
            "+-.",
            "0 0 0 0",
        ];
        for input in inputs {
            for region in [None, Some("GB"), Some("US"), Some("IT"), Some("RU"), Some("HU"), Some("BY"), Some("x")] {
                let _ = PhoneNumber::parse(input, region);
            }
        }
    }

    /// Many generated inputs: no panic, and every accepted number keeps the invariants and
    /// reads back the same from its E.164 form and from its digits.
    #[test]
    fn generated_inputs_keep_the_invariants() {
        const ALPHABET: &[char] = &[
            '0', '0', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '9', ' ', ' ', '+', '-', '.', '(', ')', 'x',
            'é', '٣', '\u{0}', '😀',
        ];
        let regions =
            [None, Some("US"), Some("gb"), Some("IT"), Some("RU"), Some("BY"), Some("HU"), Some("CI"), Some("NO")];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        for _ in 0..50_000 {
            let len = usize::try_from(next() % 24).unwrap();
            let mut input = String::new();
            for _ in 0..len {
                let i = usize::try_from(next() % ALPHABET.len() as u64).unwrap();
                input.push(ALPHABET[i]);
            }
            let region = regions[usize::try_from(next() % regions.len() as u64).unwrap()];
            let Ok(n) = PhoneNumber::parse(&input, region) else {
                continue;
            };
            accepted += 1;
            let (cc, nn) = (n.country_code(), n.national_number());
            assert!(is_assigned(cc), "{input:?}");
            assert!(nn.bytes().all(|b| b.is_ascii_digit()), "{input:?}");
            assert!(nn.len() >= MIN_NATIONAL_DIGITS, "{input:?}");
            assert!(cc.len() + nn.len() <= MAX_DIGITS, "{input:?}");
            // Without parentheses every digit after the code is kept, so both forms read back.
            assert_eq!(PhoneNumber::parse(&n.e164(), None).as_ref(), Ok(&n), "{input:?}");
            assert_eq!(PhoneNumber::parse(&n.digits(), None).as_ref(), Ok(&n), "{input:?}");
        }
        assert!(accepted > 500, "only {accepted} accepted");
    }

    #[test]
    fn forms() {
        let n = PhoneNumber::parse("+44 7700 900000", None).unwrap();
        assert_eq!(n.country_code(), "44");
        assert_eq!(n.national_number(), "7700900000");
        assert_eq!(n.digits(), "447700900000");
        assert_eq!(n.e164(), "+447700900000");
        assert_eq!(n.to_string(), "+447700900000");
        let e = PhoneNumber::parse("+999 1", None).unwrap_err();
        assert_eq!(e.to_string(), format!("invalid phone number: {}", e.reason()));
    }
}
