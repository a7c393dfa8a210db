//! Phone numbers through the public API, with the examples of PROVIDERS.md and the contract.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use waonboard::PhoneNumber;

fn parts(input: &str, region: Option<&str>) -> (String, String) {
    match PhoneNumber::parse(input, region) {
        Ok(n) => (n.country_code().to_owned(), n.national_number().to_owned()),
        Err(e) => panic!("{input:?} with {region:?} was refused: {}", e.reason()),
    }
}

fn reason(input: &str, region: Option<&str>) -> String {
    match PhoneNumber::parse(input, region) {
        Ok(n) => panic!("{input:?} with {region:?} was accepted as {}", n.e164()),
        Err(e) => e.reason().to_owned(),
    }
}

fn p(code: &str, national: &str) -> (String, String) {
    (code.to_owned(), national.to_owned())
}

#[test]
fn providers_md_examples() {
    assert_eq!(parts("+44 7700 900000", None), p("44", "7700900000"));
    assert_eq!(parts("+972-50-123-4567", None), p("972", "501234567"));
    assert_eq!(parts("(415) 555-0100", Some("US")), p("1", "4155550100"));
    assert_eq!(parts("00972501234567", None), p("972", "501234567"));
    assert_eq!(parts("972501234567", None), p("972", "501234567"));
    assert_eq!(parts("+44 (0)20 7946 0958", None), p("44", "2079460958"));
    assert_eq!(parts("+39 06 6982 1234", None), p("39", "0669821234"));
    assert_eq!(parts("+1 (631) 555-1111", None), p("1", "6315551111"));
}

#[test]
fn provider_forms() {
    let n = PhoneNumber::parse("+972-50-123-4567", None).unwrap();
    // 99digital `whatsapp`
    assert_eq!(n.digits(), "972501234567");
    // Vonage `country_code` + `number`, Meta `cc` + `phone_number`
    assert_eq!(n.country_code(), "972");
    assert_eq!(n.national_number(), "501234567");
    assert_eq!(n.e164(), "+972501234567");

    let n = PhoneNumber::parse("+44 7700 900000", None).unwrap();
    assert_eq!(n.digits(), "447700900000");
    assert_eq!(n.e164(), "+447700900000");
}

#[test]
fn equal_numbers_whatever_the_spelling() {
    let spellings = [
        ("+44 7700 900000", None),
        ("+44-7700-900000", None),
        ("+44.7700.900000", None),
        ("0044 7700 900000", None),
        ("447700900000", None),
        ("+44 (0)7700 900000", None),
        ("07700 900000", Some("GB")),
        ("07700 900000", Some("gb")),
        ("7700 900000", Some("GB")),
        ("+44 7700 900000", Some("US")),
    ];
    let first = PhoneNumber::parse(spellings[0].0, spellings[0].1).unwrap();
    for (input, region) in spellings {
        assert_eq!(PhoneNumber::parse(input, region).unwrap(), first, "{input:?} {region:?}");
    }
}

#[test]
fn national_numbers_with_a_region() {
    assert_eq!(parts("1 415 555 0100", Some("US")), p("1", "4155550100"));
    assert_eq!(parts("415.555.0100", Some("us")), p("1", "4155550100"));
    assert_eq!(parts("050-123-4567", Some("IL")), p("972", "501234567"));
    assert_eq!(parts("(0)20 7946 0958", Some("GB")), p("44", "2079460958"));
    assert_eq!(parts("06 6982 1234", Some("IT")), p("39", "0669821234"));
    assert_eq!(parts("0044 7700 900000", Some("US")), p("44", "7700900000"));
}

#[test]
fn unknown_region() {
    assert_eq!(reason("(415) 555-0100", Some("ZZ")), "country 'ZZ' is not a known ISO 3166 region");
}

#[test]
fn lengths() {
    // 15 digits in all is the most.
    assert_eq!(parts("+44 1234 5678 90123", None), p("44", "1234567890123"));
    assert_eq!(reason("+44 1234 5678 901234", None), "has 16 digits; at most 15 are allowed");
    assert_eq!(parts("+1 234 567 8901 2345", None), p("1", "23456789012345"));
    assert_eq!(reason("+1 234 567 8901 23456", None), "has 16 digits; at most 15 are allowed");
    // At least 4 national digits.
    assert_eq!(parts("+972 1234", None), p("972", "1234"));
    assert_eq!(
        reason("+972 123", None),
        "has only 3 digits after the country calling code +972; at least 4 are needed"
    );
}

#[test]
fn unassigned_calling_code() {
    assert_eq!(reason("+999 1234 5678", None), "+999 is not an assigned country calling code");
    assert_eq!(reason("00999 1234 5678", None), "+999 is not an assigned country calling code");
}

#[test]
fn refused_characters_and_shapes() {
    let tail = "which is not a digit, space, '+', '-', '.', '(' or ')'";
    assert_eq!(reason("+44 77OO 900000", None), format!("contains 'O', {tail}"));
    assert_eq!(reason("+44 7700 900000 📞", None), format!("contains U+1F4DE, {tail}"));
    assert_eq!(reason("+", None), "has no digits");
    assert_eq!(reason("", None), "is empty");
    assert_eq!(reason("  ", None), "is empty");
    assert_eq!(reason("++44 7700 900000", None), "has a '+' after the start; '+' may only come first");
    assert_eq!(reason("+44+7700 900000", None), "has a '+' after the start; '+' may only come first");
    assert_eq!(reason("(415 555", Some("US")), "has a '(' without a matching ')'");
}

#[test]
fn huge_inputs_are_refused_without_echo() {
    let huge = format!("+44{}", "1".repeat(5_000_000));
    let r = reason(&huge, None);
    assert_eq!(r, "has 5000002 digits; at most 15 are allowed");
    let junk = format!("+44 {}", "abc".repeat(1_000_000));
    let r = reason(&junk, None);
    assert!(r.len() < 100, "{r}");
    let e = PhoneNumber::parse(&junk, None).unwrap_err();
    assert!(e.to_string().starts_with("invalid phone number: contains 'a'"));
}
