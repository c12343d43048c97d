//! Evaluation of a message's condition against a [`Context`].
//!
//! Conditions are evaluated by walking their decision graphs ([`crate::decision`]), built
//! from the verified code at load: one dispatch per test run, no decoding. Every index the
//! graph holds was checked at load; lookups still go through safe indexing, so a bug here
//! would end evaluation with `false`, never with a panic. Evaluation allocates nothing
//! (`tests/alloc.rs` counts). [`Evaluation`] evaluates many messages against one context and
//! runs each distinct test once.

use crate::bundle::{Bundle, Needle};
use crate::decision::{Next, Node, Test};
use crate::opcode::Instr;

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
    pub(crate) fn of(text: &[u8]) -> ByteSet {
        // One table load, shift and OR per byte, into a register-held accumulator.
        ByteSet(
            text.iter()
                .fold(0, |set, &b| set | 1 << BYTE_BIT[usize::from(b)]),
        )
    }

    /// Whether every byte of `other` is in `self`.
    fn has_all(&self, other: &ByteSet) -> bool {
        other.0 & !self.0 == 0
    }
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
}

/// RFC 4647 basic filtering of a normalized language by a normalized tag.
fn language_matches(language: &[u8], tag: &[u8]) -> bool {
    match language.strip_prefix(tag) {
        Some(rest) => rest.first().is_none_or(|&b| b == b'-'),
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

/// Whether `haystack`, whose bytes are `haystack_bytes`, contains the needle of `needle`.
fn contains(haystack: &str, haystack_bytes: &ByteSet, needle: Option<&Needle>) -> bool {
    needle.is_some_and(|needle| {
        haystack_bytes.has_all(&needle.bytes) && needle.finder.find(haystack.as_bytes()).is_some()
    })
}

/// The deciding node of a walk and the value its test produced.
type Deciding<'b> = Option<(&'b Node, bool)>;

impl Bundle {
    /// Runs one test against `ctx`.
    fn test(&self, test: Test, ctx: &Context) -> bool {
        match test {
            Test::UrlIs(s) => ctx.url.as_bytes() == self.bytes_at(s),
            Test::TitleIs(s) => ctx.title.as_bytes() == self.bytes_at(s),
            Test::LangIs(s) => language_matches(ctx.language.as_bytes(), self.bytes_at(s)),
            Test::UrlContains(k) => contains(&ctx.url, &ctx.url_bytes, self.needle(k)),
            Test::TitleContains(k) => contains(&ctx.title, &ctx.title_bytes, self.needle(k)),
            Test::Returning => ctx.returning,
            Test::Const(b) => b,
        }
    }

    /// Walks message `message`'s decision graph, taking each node's test value from
    /// `value`; returns the condition's value and the last node run with its value.
    ///
    /// Successors always lie further on in the node table, so the walk ends.
    fn walk(&self, message: usize, mut value: impl FnMut(&Node) -> bool) -> (bool, Deciding<'_>) {
        let mut next = self.entry(message);
        let mut deciding = None;
        loop {
            match next {
                Next::Done(result) => return (result, deciding),
                Next::Node(index) => {
                    let Some(node) = self.node(index) else {
                        return (false, deciding);
                    };
                    let test_value = value(node);
                    deciding = Some((node, test_value));
                    next = node.next[usize::from(test_value)];
                }
            }
        }
    }

    /// The explanation of a walk's outcome for message `message`.
    fn explanation(&self, message: usize, (result, deciding): (bool, Deciding<'_>)) -> Explanation {
        let code = self.code(message);
        Explanation {
            result,
            deciding: deciding.and_then(|(node, _)| {
                let pc = usize::from(node.pc);
                Instr::decode(code, pc).ok().map(|(instr, _)| (pc, instr))
            }),
            test_value: deciding.is_some_and(|(_, value)| value),
        }
    }

    /// Evaluates message `message`'s condition against `ctx`. Allocates nothing.
    ///
    /// Returns `false` for an out-of-range message index.
    pub fn eval(&self, message: usize, ctx: &Context) -> bool {
        self.walk(message, |node| self.test(node.test, ctx)).0
    }

    /// Evaluates message `message`'s condition and reports the deciding test.
    pub fn explain(&self, message: usize, ctx: &Context) -> Explanation {
        let walk = self.walk(message, |node| self.test(node.test, ctx));
        self.explanation(message, walk)
    }

    /// Starts an evaluation of any number of this bundle's messages against `ctx`, in which
    /// each distinct test runs at most once (what a screen change needs).
    pub fn evaluation<'a>(&'a self, ctx: &'a Context) -> Evaluation<'a> {
        Evaluation {
            bundle: self,
            ctx,
            known: [0; MEMO_WORDS],
            values: [0; MEMO_WORDS],
        }
    }
}

/// Words of the test-result memo: the first `64 * MEMO_WORDS` distinct tests of a bundle are
/// remembered, the others (rare: that is more than the tests of 140 typical messages) run
/// every time.
const MEMO_WORDS: usize = 16;

/// Evaluation of many messages of one bundle against one context, remembering the value of
/// every test already run: messages that share a test (the same needles in the URL, the same
/// language) run it once. Borrowing the context keeps it from changing meanwhile. Lives on
/// the stack; allocates nothing.
#[derive(Clone, Debug)]
pub struct Evaluation<'a> {
    bundle: &'a Bundle,
    ctx: &'a Context,
    /// Bit `slot` set: the value of test `slot` is known.
    known: [u64; MEMO_WORDS],
    /// Bit `slot`: the value of test `slot`, when known.
    values: [u64; MEMO_WORDS],
}

impl Evaluation<'_> {
    /// The value of `node`'s test, from the memo or run now and remembered.
    fn value(&mut self, node: &Node) -> bool {
        let (word, bit) = (node.slot as usize / 64, 1u64 << (node.slot % 64));
        let Some(known) = self.known.get_mut(word) else {
            return self.bundle.test(node.test, self.ctx);
        };
        if *known & bit != 0 {
            return self.values[word] & bit != 0;
        }
        let value = self.bundle.test(node.test, self.ctx);
        *known |= bit;
        if value {
            self.values[word] |= bit;
        }
        value
    }

    /// Evaluates message `message`'s condition, as [`Bundle::eval`] does.
    pub fn eval(&mut self, message: usize) -> bool {
        let bundle = self.bundle;
        bundle.walk(message, |node| self.value(node)).0
    }

    /// Evaluates message `message`'s condition and reports the deciding test, as
    /// [`Bundle::explain`] does.
    pub fn explain(&mut self, message: usize) -> Explanation {
        let bundle = self.bundle;
        let walk = bundle.walk(message, |node| self.value(node));
        bundle.explanation(message, walk)
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
    fn the_byte_filter_rules_out_needles_with_a_missing_byte() {
        let url = ByteSet::of(b"https://acme.com/blog/post-42");
        assert!(!url.has_all(&ByteSet::of(b"pricing")));
        assert!(url.has_all(&ByteSet::of(b"blog")));
        assert!(url.has_all(&ByteSet::of(b"")));
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
        fn a_text_has_every_byte_of_its_substrings(s in "\\PC{0,40}", a in 0usize..40, n in 0usize..12) {
            let bytes = s.as_bytes();
            let start = a.min(bytes.len());
            let end = (start + n).min(bytes.len());
            prop_assert!(ByteSet::of(bytes).has_all(&ByteSet::of(&bytes[start..end])));
        }

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
