//! What a condition is evaluated against: [`Context`], the current page and the device,
//! normalized once when set, and the tests of one context value against a bundle's operands.
//!
//! The setters lower-case exactly as the writer lower-cases needles, so that evaluation
//! compares plain bytes; setting a value reuses the context's buffers (no allocation once they
//! are large enough).

use crate::needle::{ByteSet, Needle};

/// What a condition is evaluated against: the current page and the device.
///
/// The setters normalize once, into buffers that are reused, so that evaluation compares
/// plain strings: the URL and title are lower-cased exactly like `str::to_lowercase` (the
/// compiler lower-cases needles the same way), the language is lower-cased with `_` read as
/// `-`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    url: String,
    title: String,
    language: String,
    returning: bool,
    /// The bytes occurring in `url`, so that a needle with a byte the URL lacks is ruled out
    /// without a search.
    url_bytes: ByteSet,
    /// The bytes occurring in `title`.
    title_bytes: ByteSet,
}

/// Replaces the contents of `buf` with `s.to_lowercase()`, reusing `buf`'s allocation.
fn set_lowercase(buf: &mut String, s: &str) {
    buf.clear();
    // The ASCII prefix (all of most URLs and screen names) byte-wise, with no per-character
    // decoding; then character by character, ASCII ones still without a table lookup.
    let ascii = if s.is_ascii() {
        s.len()
    } else {
        s.bytes().position(|b| !b.is_ascii()).unwrap_or(s.len())
    };
    let (head, tail) = s.split_at(ascii);
    buf.push_str(head);
    buf.make_ascii_lowercase();
    if tail.contains('Σ') {
        // The only context-dependent mapping of `str::to_lowercase` (final sigma): defer to it.
        buf.clear();
        buf.push_str(&s.to_lowercase());
        return;
    }
    for c in tail.chars() {
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

impl Context {
    /// An empty context: empty URL, title and language, a new visit.
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets the page URL (lower-cased).
    pub fn set_url(&mut self, url: &str) {
        set_lowercase(&mut self.url, url);
        self.url_bytes = ByteSet::of(self.url.as_bytes());
    }

    /// Sets the page title (lower-cased).
    pub fn set_title(&mut self, title: &str) {
        set_lowercase(&mut self.title, title);
        self.title_bytes = ByteSet::of(self.title.as_bytes());
    }

    /// Sets the device language tag (lower-cased, `_` read as `-`).
    pub fn set_language(&mut self, language: &str) {
        set_lowercase(&mut self.language, language);
        // `_` → `-` in place: both are one ASCII byte, so the text stays UTF-8 and the buffer
        // is reused (no allocation).
        let mut bytes = std::mem::take(&mut self.language).into_bytes();
        bytes
            .iter_mut()
            .filter(|b| **b == b'_')
            .for_each(|b| *b = b'-');
        self.language = String::from_utf8(bytes).unwrap_or_default();
    }

    /// Sets whether the visit is a returning one.
    pub fn set_returning(&mut self, returning: bool) {
        self.returning = returning;
    }

    /// The normalized page URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The normalized page title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The normalized device language.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Whether the visit is a returning one.
    pub fn returning(&self) -> bool {
        self.returning
    }

    /// Whether the URL is exactly `text` (normalized as the writer stores needles).
    #[inline]
    pub(crate) fn url_is(&self, text: &[u8]) -> bool {
        self.url.as_bytes() == text
    }

    /// Whether the title is exactly `text`.
    #[inline]
    pub(crate) fn title_is(&self, text: &[u8]) -> bool {
        self.title.as_bytes() == text
    }

    /// Whether the URL contains `needle` (`false` for no needle).
    #[inline]
    pub(crate) fn url_contains(&self, needle: Option<&Needle>) -> bool {
        needle.is_some_and(|needle| needle.is_in(self.url.as_bytes(), &self.url_bytes))
    }

    /// Whether the title contains `needle` (`false` for no needle).
    #[inline]
    pub(crate) fn title_contains(&self, needle: Option<&Needle>) -> bool {
        needle.is_some_and(|needle| needle.is_in(self.title.as_bytes(), &self.title_bytes))
    }

    /// Whether the device language matches language tag `tag` (normalized as the writer
    /// stores tags) by RFC 4647 basic filtering.
    #[inline]
    pub(crate) fn language_is(&self, tag: &[u8]) -> bool {
        language_matches(self.language.as_bytes(), tag)
    }
}

/// RFC 4647 basic filtering of a normalized language by a normalized tag.
fn language_matches(language: &[u8], tag: &[u8]) -> bool {
    match language.strip_prefix(tag) {
        Some(rest) => rest.first().is_none_or(|&b| b == b'-'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn language_filtering_follows_rfc_4647_basic_filtering() {
        let mut ctx = Context::new();
        let cases = [
            ("fr", "fr", true),
            ("fr-CA", "fr", true),
            ("fr_FR", "fr", true),
            ("fra", "fr", false),
            ("fr", "fr-ca", false),
            ("fr-fr", "fr-ca", false),
            ("FR_ca", "fr-ca", true),
            ("fr-ca-x-y", "fr-ca", true),
            ("", "fr", false),
        ];
        for (language, tag, expected) in cases {
            ctx.set_language(language);
            assert_eq!(
                language_matches(ctx.language().as_bytes(), tag.as_bytes()),
                expected,
                "{language} {tag}"
            );
        }
    }

    #[test]
    fn final_sigma_is_lower_cased_like_str_to_lowercase() {
        let mut ctx = Context::new();
        ctx.set_title("ΟΔΟΣ ΣΑΣ");
        assert_eq!(ctx.title(), "ΟΔΟΣ ΣΑΣ".to_lowercase());
        assert!(ctx.title().contains('ς'));
    }

    proptest! {
        #[test]
        fn setters_match_str_to_lowercase(s in "\\PC{0,24}", t in "[A-Za-zΣσİ_ -]{0,12}") {
            let mut ctx = Context::new();
            ctx.set_url(&s);
            prop_assert_eq!(ctx.url(), s.to_lowercase());
            ctx.set_title(&t);
            prop_assert_eq!(ctx.title(), t.to_lowercase());
            ctx.set_language(&t);
            prop_assert_eq!(ctx.language(), t.to_lowercase().replace('_', "-"));
        }
    }
}
