//! No input makes the core panic: random params and configs into `prepare`, random bytes
//! and random JSON into `parse`, for every operation. The generator is seeded, so a
//! failure repeats.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use serde_json::{json, Map, Value};
use waonboard::{ErrorKind, Operation};

/// xorshift64*: small, seeded, good enough to wander the input space.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names the providers and the contract use, so random objects hit real code paths.
const KEYS: &[&str] = &[
    "phone_number_id",
    "waba_id",
    "code",
    "pin",
    "code_method",
    "language",
    "phone_number",
    "country",
    "method",
    "deployment_id",
    "stickerpack_id",
    "sticker_index",
    "image_data_id",
    "emojis",
    "fields",
    "filtering",
    "sort",
    "limit",
    "after",
    "before",
    "about",
    "websites",
    "vertical",
    "email",
    "image_url",
    "client_id",
    "client_secret",
    "comment",
    "verified_name",
    "vname_certificate",
    "namespace",
    "publisher",
    "name",
    "error",
    "message",
    "type",
    "status",
    "reason",
    "list",
    "data",
    "paging",
    "cursors",
    "success",
    "id",
    "current_state",
    "title",
    "deployments",
    "stickers",
    "stickerpacks",
    "access_token",
    "expiration_time",
    "expiration",
    "isOnline",
    "apiKey",
    "invalid_parameters",
    "error_subcode",
    "whatsapp",
    "field",
    "operator",
    "value",
];

const STRINGS: &[&str] = &[
    "",
    "0",
    "123456",
    "123-456",
    "+44 7700 900000",
    "00972501234567",
    "sms",
    "VOICE",
    "en_US",
    "../..",
    "a/b?c#d",
    "https://example.com/a.png",
    "ש",
    "🍞🍞",
    "FAIL",
    "OK",
    "3",
    "26",
    "READY",
    "\u{0}",
    "\r\n",
    "1e400",
    "https://developer.nexmo.com/api-errors#throttled",
    "9007199254740993",
    "-1",
    "x@y.z",
];

fn value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.next() % 2 == 0),
        2 => json!(rng.next() as i64 >> rng.below(64)),
        3 => json!((rng.next() % 2_000_000) as f64 / 7.0 - 1000.0),
        4 | 5 => json!(rng.pick(STRINGS).repeat(1 + rng.below(3))),
        6 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
        _ => object(rng, depth - 1),
    }
}

fn object(rng: &mut Rng, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.below(6) {
        map.insert(rng.pick(KEYS).to_string(), value(rng, depth));
    }
    Value::Object(map)
}

#[test]
fn random_params_and_configs_never_panic() {
    let mut rng = Rng(0x5EED_0001);
    let mut refused = 0;
    for round in 0..100_000 {
        let op = rng.pick(Operation::ALL).as_str();
        let params = if round % 10 == 0 { value(&mut rng, 2) } else { object(&mut rng, 2) };
        let config = match rng.below(3) {
            0 => json!({"access_token": "t"}),
            1 => json!({"access_token": value(&mut rng, 0), "base_url": rng.pick(STRINGS)}),
            _ => object(&mut rng, 1),
        };
        if let Err(e) = waonboard::prepare(op, &params, &config) {
            assert_eq!(e.kind(), ErrorKind::Validation, "{op}: {e}");
            refused += 1;
        }
    }
    assert!(refused > 75_000, "random input is mostly refused: {refused}");
}

#[test]
fn random_answers_never_panic() {
    let mut rng = Rng(0x5EED_0002);
    let statuses = [0, 100, 200, 201, 202, 204, 299, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 599, 65535];
    for round in 0..150_000 {
        let op = rng.pick(Operation::ALL).as_str();
        let status = *rng.pick(&statuses);
        let body = match round % 3 {
            0 => (0..rng.below(48)).map(|_| rng.next() as u8).collect(),
            1 => serde_json::to_vec(&object(&mut rng, 3)).unwrap(),
            _ => {
                let text = serde_json::to_string(&value(&mut rng, 3)).unwrap();
                let cut = rng.below(text.len() + 1);
                text.as_bytes()[..cut].to_vec()
            }
        };
        let headers = vec![("Retry-After".to_owned(), rng.pick(STRINGS).to_string())];
        if let Err(e) = waonboard::parse(op, status, &headers, &body) {
            assert_ne!(e.kind(), ErrorKind::Validation, "{op}: parsing never blames the caller's input");
        }
    }
}
