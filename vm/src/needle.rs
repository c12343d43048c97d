//! Needles of `contains` tests, prepared once at load: a substring searcher per distinct
//! needle and the set of the needle's bytes, which rules out most texts without searching.

/// A needle of `contains` tests, prepared for searching.
#[derive(Clone, Debug)]
pub(crate) struct Needle {
    /// The substring searcher, built once so that tests do not rebuild one at every
    /// evaluation.
    finder: memchr::memmem::Finder<'static>,
    /// The needle's bytes, to rule out texts lacking one of them without searching.
    bytes: ByteSet,
}

impl Needle {
    /// Prepares `needle` for searching.
    pub(crate) fn new(needle: &[u8]) -> Needle {
        Needle {
            finder: memchr::memmem::Finder::new(needle).into_owned(),
            bytes: ByteSet::of(needle),
        }
    }

    /// Whether `text`, whose bytes are `text_bytes` ([`ByteSet::of`] `text`), contains the
    /// needle.
    #[inline]
    pub(crate) fn is_in(&self, text: &[u8], text_bytes: &ByteSet) -> bool {
        text_bytes.has_all(&self.bytes) && self.finder.find(text).is_some()
    }
}

/// Which kinds of byte a text holds, as a 64-bit set: one bit per lower-case letter and per
/// digit, the other bytes shared among the remaining bits. A cheap filter that rules out most
/// needles absent from a text: a needle can only occur in a text that has every one of its
/// bytes, and mapping bytes to bits keeps that true.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ByteSet(u64);

/// The bit of each byte value in a [`ByteSet`]: `a`–`z` 0–25, `0`–`9` 26–35, and every other
/// byte one of bits 36–63 (upper-case letters share with punctuation: texts and needles are
/// lower-cased before they meet).
const BYTE_BIT: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            c @ b'a'..=b'z' => c - b'a',
            c @ b'0'..=b'9' => 26 + c - b'0',
            c => 36 + c % 28,
        };
        b += 1;
    }
    table
};

impl ByteSet {
    /// The bytes of `text`.
    #[inline]
    pub(crate) fn of(text: &[u8]) -> ByteSet {
        // One table load, shift and OR per byte, into a register-held accumulator.
        ByteSet(
            text.iter()
                .fold(0, |set, &b| set | 1 << BYTE_BIT[usize::from(b)]),
        )
    }

    /// Whether every byte of `other` is in `self`.
    #[inline]
    pub(crate) fn has_all(&self, other: &ByteSet) -> bool {
        other.0 & !self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_byte_filter_rules_out_needles_with_a_missing_byte() {
        let url = ByteSet::of(b"https://acme.com/blog/post-42");
        assert!(!url.has_all(&ByteSet::of(b"pricing")));
        assert!(url.has_all(&ByteSet::of(b"blog")));
        assert!(url.has_all(&ByteSet::of(b"")));
    }

    #[test]
    fn a_needle_is_found_only_where_it_occurs() {
        let text = b"https://acme.com/pricing";
        let bytes = ByteSet::of(text);
        assert!(Needle::new(b"pricing").is_in(text, &bytes));
        assert!(Needle::new(b"").is_in(text, &bytes));
        // Every byte present, the substring absent: the searcher decides.
        assert!(!Needle::new(b"gnicirp").is_in(text, &bytes));
    }

    proptest! {
        #[test]
        fn a_text_has_every_byte_of_its_substrings(s in "\\PC{0,40}", a in 0usize..40, n in 0usize..12) {
            let bytes = s.as_bytes();
            let start = a.min(bytes.len());
            let end = (start + n).min(bytes.len());
            prop_assert!(ByteSet::of(bytes).has_all(&ByteSet::of(&bytes[start..end])));
        }
    }
}
