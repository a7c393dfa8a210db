//! A tiny xorshift64* generator: OTPs, ids and tokens only need to look random and
//! differ between runs, not to be secure, so no `rand` dependency.

pub(crate) struct Rng(u64);

impl Rng {
    /// Seeds from `seed`: the configured one, or entropy the host passed in (the engine
    /// reads no clock, so that it runs unchanged in wasm32).
    pub(crate) fn new(seed: u64) -> Rng {
        // xorshift must never hold 0.
        Rng(splitmix(seed) | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// `n` random decimal digits (leading zeros kept).
    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }

    /// `n` random characters of `alphabet`.
    pub(crate) fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = self.below(alphabet.len() as u64) as usize;
                char::from(alphabet.get(i).copied().unwrap_or(b'x'))
            })
            .collect()
    }

    pub(crate) fn alnum(&mut self, n: usize) -> String {
        self.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n)
    }

    pub(crate) fn hex(&mut self, n: usize) -> String {
        self.pick(b"0123456789abcdef", n)
    }

    /// A version-4 UUID string.
    pub(crate) fn uuid(&mut self) -> String {
        let variant = self.pick(b"89ab", 1);
        format!("{}-{}-4{}-{}{}-{}", self.hex(8), self.hex(4), self.hex(3), variant, self.hex(3), self.hex(12))
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
