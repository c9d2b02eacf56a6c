//! Random identifiers: resource id suffixes, RAM UUIDs and request ids, from a SplitMix64
//! generator seeded by the standard library's per-process random hasher keys.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

/// A small, fast, non-cryptographic generator of identifiers.
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    state: u64,
}

impl IdGen {
    /// A generator seeded from the process's random hasher keys and the clock.
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        hasher.write_u128(nanos);
        Self {
            state: hasher.finish(),
        }
    }

    /// The next 64 random bits (SplitMix64).
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` random lower-case hexadecimal digits.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(n);
        while out.len() < n {
            let mut bits = self.next_u64();
            for _ in 0..16 {
                if out.len() == n {
                    break;
                }
                out.push(DIGITS[(bits & 0xf) as usize] as char);
                bits >>= 4;
            }
        }
        out
    }

    /// A 17-character id suffix of `[0-9a-f]`, as real VPC Lattice ids look.
    pub(crate) fn id_suffix(&mut self) -> String {
        self.hex(17)
    }

    /// A 17-character id suffix of `[0-9a-z]`, the whole alphabet the id patterns allow (the
    /// `ids-beyond-hex` choice); its last character is always a letter past `f`.
    pub(crate) fn id_suffix_base36(&mut self) -> String {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut out: String = (0..16)
            .map(|_| DIGITS[(self.next_u64() % 36) as usize] as char)
            .collect();
        out.push(DIGITS[16 + (self.next_u64() % 20) as usize] as char);
        out
    }

    /// A version-4 UUID, lower-case with hyphens.
    pub(crate) fn uuid(&mut self) -> String {
        let h = self.hex(32);
        let variant = ['8', '9', 'a', 'b'][(self.next_u64() % 4) as usize];
        format!(
            "{}-{}-4{}-{variant}{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_suffixes_are_seventeen_lower_case_hex_digits() {
        let mut ids = IdGen::new();
        for _ in 0..100 {
            let s = ids.id_suffix();
            assert_eq!(s.len(), 17);
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        let u = ids.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
