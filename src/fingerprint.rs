//! Fingerprints: 128-bit hashes (xxh3) of bytes and of the values a page
//! is rendered from, so the incremental engine knows what changed without
//! comparing, or even producing, what it would write.
//!
//! A page's fingerprint is the hash of its template set and of its whole
//! context, serialized: the page's bytes are a function of exactly those,
//! so an unchanged fingerprint means unchanged bytes, whatever the edit.
//! Large bodies are hashed once when rendered; while fingerprinting, a body
//! stands for its HTML by that hash (see [`is_fingerprinting`]).

mod encode;

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A 128-bit fingerprint.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Fingerprint(pub u128);

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// The 32 hex digits (as `{:032x}` writes them), without the formatter's
/// padding machinery: a build writes one for every page in the manifest
/// and for every listed entry of every page it fingerprints.
impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (i, digit) in hex.iter_mut().enumerate() {
            *digit = DIGITS[((self.0 >> (124 - 4 * i)) & 0xf) as usize];
        }
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl Fingerprint {
    /// 32 hex digits, as [`Display`](fmt::Display) writes them (a build
    /// reads two for every line of the manifest).
    pub fn parse(hex: &str) -> Option<Fingerprint> {
        let bytes = hex.as_bytes();
        if bytes.len() != 32 {
            return None;
        }
        let mut n: u128 = 0;
        for &b in bytes {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return None,
            };
            n = (n << 4) | u128::from(digit);
        }
        Some(Fingerprint(n))
    }
}

pub fn of_bytes(bytes: &[u8]) -> Fingerprint {
    Fingerprint(xxh3_128(bytes))
}

/// [`of_bytes`] of what `reader` gives, read in pieces: a file's hash
/// without holding the file (xxh3's streaming digest is the one-shot one).
pub fn of_reader(mut reader: impl std::io::Read) -> std::io::Result<Fingerprint> {
    let mut hash = Xxh3::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Ok(Fingerprint(hash.digest128())),
            Ok(n) => hash.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A running hash, for fingerprints made of several parts.
#[derive(Default, Clone)]
pub struct Hasher(Xxh3);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher(Xxh3::new())
    }

    /// Adds a part, length first, so `("ab", "c")` and `("a", "bc")` differ.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn fingerprint(&mut self, f: Fingerprint) -> &mut Hasher {
        self.0.update(&f.0.to_le_bytes());
        self
    }

    pub fn finish(&self) -> Fingerprint {
        Fingerprint(self.0.digest128())
    }
}

thread_local! {
    static FINGERPRINTING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the value being serialized on this thread is being fingerprinted
/// (not rendered): a [`Body`] then writes its hash instead of its HTML.
pub fn is_fingerprinting() -> bool {
    FINGERPRINTING.with(Cell::get)
}

/// The fingerprint of a value, as serialized by serde into the hash (see
/// [`encode`]: every value tagged, nothing escaped or formatted).
pub fn of<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            FINGERPRINTING.with(|f| f.set(false));
        }
    }
    FINGERPRINTING.with(|f| f.set(true));
    let _reset = Reset;
    let mut hasher = Hasher::new();
    let mut encoder = encode::Encoder::new(&mut hasher.0);
    let written = value.serialize(&mut encoder);
    encoder.finish();
    if written.is_err() {
        // Never a fingerprint a page could match: it is rendered again.
        static FAILURES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        hasher.part(b"\0unserializable");
        hasher.0.update(&std::process::id().to_le_bytes());
        hasher.0.update(&n.to_le_bytes());
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_shows_as_32_hex_digits() {
        for n in [0, 1, 0xabc, u128::from(u64::MAX), u128::MAX - 5, u128::MAX] {
            let f = Fingerprint(n);
            assert_eq!(f.to_string(), format!("{n:032x}"));
            assert_eq!(Fingerprint::parse(&f.to_string()), Some(f));
            assert_eq!(Fingerprint::parse(&f.to_string().to_uppercase()), Some(f));
        }
        for bad in [
            "",
            "0",
            &"0".repeat(31),
            &"0".repeat(33),
            &format!("{}g", "0".repeat(31)),
        ] {
            assert_eq!(Fingerprint::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn parts_are_delimited() {
        let a = Hasher::new().part(b"ab").part(b"c").finish();
        let b = Hasher::new().part(b"a").part(b"bc").finish();
        assert_ne!(a, b);
        assert_eq!(Fingerprint::parse(&a.to_string()), Some(a));
    }

    #[test]
    fn different_values_never_share_their_bytes() {
        #[derive(Serialize)]
        struct Skips {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<u8>,
        }
        let skips = |a, b| of(&Skips { a, b });
        assert_ne!(skips(Some(1), None), skips(None, Some(1)));
        assert_ne!(skips(None, None), of(&()));
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_ne!(of(&vec![vec![1], vec![]]), of(&vec![vec![], vec![1]]));
        let map = |k: &str, v: &str| of(&std::collections::BTreeMap::from([(k, v)]));
        assert_ne!(map("a", ""), map("", "a"));
        assert_ne!(of(&Some(None::<u8>)), of(&None::<u8>));
        assert_ne!(of(&1u64), of(&1i64));
        assert_ne!(of(&1.0f64), of(&1u64));
        assert_ne!(of(&"1"), of(&1u64));
        assert_ne!(of(&(1u8, 2u8)), of(&(2u8, 1u8)));
        let long = "x".repeat(40_000);
        assert_ne!(of(&[long.as_str(), "y"]), of(&[&long[1..], "xy"]));
        // The same value, the same fingerprint, whatever its length.
        assert_eq!(
            of(&[long.as_str(), "y"]),
            of(&vec![long.clone(), "y".into()])
        );
        assert_eq!(
            of(&serde_json::json!({"a": [1, "b", null]})),
            of(&serde_json::json!({"a": [1, "b", null]}))
        );
    }

    #[test]
    fn values_know_they_are_being_fingerprinted() {
        struct Probe;
        impl Serialize for Probe {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bool(is_fingerprinting())
            }
        }
        assert_eq!(serde_json::to_string(&Probe).unwrap(), "false");
        assert_eq!(of(&Probe), of(&true));
        assert!(!is_fingerprinting());
    }
}
