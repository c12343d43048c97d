//! Evaluation of a message's condition code against a [`Context`].
//!
//! The code was verified when the bundle was loaded, so the loop below trusts it: every
//! operand is in range, every jump lands on an instruction further on, and the last
//! instruction is `RET`. Decoding still goes through [`Instr::decode`] and safe indexing, so a
//! bug here would end evaluation with `false`, never with a panic. Evaluation allocates
//! nothing (`tests/alloc.rs` counts).

use crate::bundle::Bundle;
use crate::opcode::{Instr, SetId};

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
}

/// Replaces the contents of `buf` with `s.to_lowercase()`, reusing `buf`'s allocation.
fn set_lowercase(buf: &mut String, s: &str) {
    buf.clear();
    if s.is_ascii() {
        // The common case (URLs, screen names): byte-wise, no per-character decoding.
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else if s.contains('Σ') {
        // The only context-dependent mapping of `str::to_lowercase` (final sigma): defer to it.
        buf.push_str(&s.to_lowercase());
    } else {
        buf.extend(s.chars().flat_map(char::to_lowercase));
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
    }

    /// Sets the page title (lower-cased).
    pub fn set_title(&mut self, title: &str) {
        set_lowercase(&mut self.title, title);
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
}

/// RFC 4647 basic filtering of a normalized language by a normalized tag.
fn language_matches(language: &str, tag: &str) -> bool {
    match language.strip_prefix(tag) {
        Some(rest) => rest.is_empty() || rest.starts_with('-'),
        None => false,
    }
}

/// The deciding test of an evaluation, for "why didn't it fire".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The condition's value.
    pub result: bool,
    /// The last test instruction executed (its offset in the message's code and the
    /// instruction), whose value, possibly negated by `NOT`s, is the result. `None` only for
    /// code without tests, which the compiler does not emit.
    pub deciding: Option<(usize, Instr)>,
    /// The value that test produced.
    pub test_value: bool,
}

impl Bundle {
    fn has_any(&self, haystack: &str, set: SetId) -> bool {
        let haystack = haystack.as_bytes();
        self.set_finders(set)
            .iter()
            .any(|finder| finder.find(haystack).is_some())
    }

    /// Runs message `message`'s code and calls `on_test(pc, instr, value)` after each test.
    fn run(
        &self,
        message: usize,
        ctx: &Context,
        mut on_test: impl FnMut(usize, Instr, bool),
    ) -> bool {
        let code = self.code(message);
        let mut acc = false;
        let mut pc = 0;
        while let Ok((instr, next)) = Instr::decode(code, pc) {
            pc = next;
            let test = match instr {
                Instr::UrlIs { s } => ctx.url == self.str(s),
                Instr::TitleIs { s } => ctx.title == self.str(s),
                Instr::UrlHasAny { k } => self.has_any(&ctx.url, k),
                Instr::TitleHasAny { k } => self.has_any(&ctx.title, k),
                Instr::LangIs { s } => language_matches(&ctx.language, self.str(s)),
                Instr::VisitReturning => ctx.returning,
                Instr::Const { b } => b,
                Instr::Not => {
                    acc = !acc;
                    continue;
                }
                Instr::JumpIfFalse { rel } => {
                    if !acc {
                        pc += usize::from(rel);
                    }
                    continue;
                }
                Instr::JumpIfTrue { rel } => {
                    if acc {
                        pc += usize::from(rel);
                    }
                    continue;
                }
                Instr::Ret => return acc,
            };
            acc = test;
            on_test(pc - instr.opcode().size(), instr, test);
        }
        // Unreachable for verified code (it ends in RET and jumps stay inside).
        false
    }

    /// Evaluates message `message`'s condition against `ctx`. Allocates nothing.
    ///
    /// Returns `false` for an out-of-range message index.
    pub fn eval(&self, message: usize, ctx: &Context) -> bool {
        self.run(message, ctx, |_, _, _| {})
    }

    /// Evaluates message `message`'s condition and reports the deciding test.
    pub fn explain(&self, message: usize, ctx: &Context) -> Explanation {
        let mut deciding = None;
        let mut test_value = false;
        let result = self.run(message, ctx, |pc, instr, value| {
            deciding = Some((pc, instr));
            test_value = value;
        });
        Explanation {
            result,
            deciding,
            test_value,
        }
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
                language_matches(ctx.language(), tag),
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
