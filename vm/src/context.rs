//! What a condition is evaluated against: [`Context`], the current page and the device,
//! normalized once when set, and the tests of one context value against a bundle's operands.
//!
//! The setters lower-case exactly as the writer lower-cases needles, so that evaluation
//! compares plain bytes, and canonicalize the device language once ([`LanguageTag::device`]);
//! setting a value reuses the context's buffers (no allocation once they are large enough).

use crate::language::LanguageTag;
use crate::needle::{ByteSet, Needle};
use crate::version::{Order, Version};

/// What a condition is evaluated against: the current page and the device.
///
/// The setters normalize once, into buffers that are reused, so that evaluation compares
/// plain strings: the URL and title are lower-cased exactly like `str::to_lowercase` (the
/// compiler lower-cases needles the same way), the language is canonicalized (SPEC §2:
/// `zh_TW_#Hant` is `zh-Hant-TW`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    url: String,
    title: String,
    /// The canonical form of `language_tag`, for explanations and hosts.
    language: String,
    language_tag: LanguageTag,
    returning: bool,
    /// The bytes occurring in `url`, so that a needle with a byte the URL lacks is ruled out
    /// without a search.
    url_bytes: ByteSet,
    /// The bytes occurring in `title`.
    title_bytes: ByteSet,
    /// The app version as the host set it (`None`: unset).
    app_version_text: Option<String>,
    /// `app_version_text` parsed, once when set (`None`: unset or not a version).
    app_version: Option<Version>,
    /// The app build number (`None`: unset).
    app_build: Option<i64>,
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

    /// Sets the device language tag, in any form a platform reports it (canonicalized once,
    /// here: [`LanguageTag::device`]).
    pub fn set_language(&mut self, language: &str) {
        self.language_tag = LanguageTag::device(language);
        self.language_tag.write_to(&mut self.language);
    }

    /// Sets whether the visit is a returning one.
    pub fn set_returning(&mut self, returning: bool) {
        self.returning = returning;
    }

    /// Sets the app version (`None` unsets it), parsed once here. A version that does not
    /// parse is kept for explanations but fails every comparison, as an unset one does.
    pub fn set_app_version(&mut self, version: Option<&str>) {
        match version {
            Some(text) => {
                self.app_version = Version::parse(text).ok();
                let buffer = self.app_version_text.get_or_insert_with(String::new);
                buffer.clear();
                buffer.push_str(text);
            }
            None => {
                self.app_version = None;
                self.app_version_text = None;
            }
        }
    }

    /// Sets the app build number (`None` unsets it).
    pub fn set_app_build(&mut self, build: Option<i64>) {
        self.app_build = build;
    }

    /// The app version as the host set it, parsed or not (`None` when unset).
    pub fn app_version(&self) -> Option<&str> {
        self.app_version_text.as_deref()
    }

    /// Whether the app version is set and parses as a version.
    pub fn app_version_parses(&self) -> bool {
        self.app_version.is_some()
    }

    /// The app build number (`None` when unset).
    pub fn app_build(&self) -> Option<i64> {
        self.app_build
    }

    /// Whether the app version compares with `version` (parsed from `text`) as `order` says;
    /// `false` when the app version is unset or does not parse.
    #[inline]
    pub(crate) fn app_version_holds(&self, order: Order, version: &Version, text: &[u8]) -> bool {
        match (&self.app_version, &self.app_version_text) {
            (Some(own), Some(own_text)) => {
                order.holds(own.compare(own_text.as_bytes(), version, text))
            }
            _ => false,
        }
    }

    /// Whether the app build compares with `build` as `order` says; `false` when unset.
    #[inline]
    pub(crate) fn app_build_holds(&self, order: Order, build: i64) -> bool {
        self.app_build
            .is_some_and(|own| order.holds(own.cmp(&build)))
    }

    /// The normalized page URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The normalized page title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The device language in canonical form (`zh-Hant-TW`; empty when the host's tag was
    /// not a language tag).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The canonical device language tag.
    pub fn language_tag(&self) -> LanguageTag {
        self.language_tag
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

    /// Whether the device language matches rule tag `tag` (SPEC §2, step 3).
    #[inline]
    pub(crate) fn language_is(&self, tag: &LanguageTag) -> bool {
        tag.matches(&self.language_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_language_is_canonicalized_once_when_set() {
        let mut ctx = Context::new();
        ctx.set_language("zh_TW_#Hant");
        assert_eq!(ctx.language(), "zh-Hant-TW");
        assert!(ctx.language_is(&LanguageTag::rule("zh-tw")));
        assert!(!ctx.language_is(&LanguageTag::rule("zh-hk")));
        ctx.set_language("FR_ca");
        assert_eq!(ctx.language(), "fr-CA");
        assert!(ctx.language_is(&LanguageTag::rule("fr")));
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
            prop_assert_eq!(ctx.language_tag(), LanguageTag::device(&t));
        }
    }
}
