//! Evaluation of a message's condition against a [`Context`]: [`Bundle::eval`],
//! [`Bundle::explain`], and [`Evaluation`] for many messages against one context.
//!
//! Conditions are evaluated by walking their decision graphs ([`crate::decision`]), built
//! from the verified code at load: one dispatch per test run, no decoding. Every index the
//! graph holds was checked at load; lookups still go through safe indexing, so a bug here
//! would end evaluation with `false`, never with a panic. Evaluation allocates nothing
//! (`tests/alloc.rs` counts). [`Evaluation`] evaluates many messages against one context and
//! runs each distinct test once.

use super::Bundle;
use crate::context::Context;
use crate::decision::{Next, Node, Range, Test};
use crate::needle::Needle;
use crate::opcode::Instr;

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

/// The deciding node of a walk and the value its test produced.
type Deciding<'b> = Option<(&'b Node, bool)>;

impl Bundle {
    /// The bytes of the string data at byte range `range` (empty if out of range; ranges
    /// built at load never are). Bytes, not `str`: evaluation compares bytes and needs no
    /// character-boundary checks.
    fn bytes_at(&self, (start, end): Range) -> &[u8] {
        self.text
            .as_bytes()
            .get(start as usize..end as usize)
            .unwrap_or(&[])
    }

    /// Prepared needle `index` (`None` if out of range; indexes built at load never are).
    fn needle(&self, index: u32) -> Option<&Needle> {
        self.needles.get(index as usize)
    }

    /// Node `index` of the decision graphs.
    fn node(&self, index: u32) -> Option<&Node> {
        self.nodes.get(index as usize)
    }

    /// Where message `message`'s decision graph starts (`false` for an unknown message).
    fn entry(&self, message: usize) -> Next {
        self.messages
            .get(message)
            .map_or(Next::Done(false), |m| m.entry)
    }

    /// Runs one test against `ctx`.
    fn test(&self, test: Test, ctx: &Context) -> bool {
        match test {
            Test::UrlIs(s) => ctx.url_is(self.bytes_at(s)),
            Test::TitleIs(s) => ctx.title_is(self.bytes_at(s)),
            Test::LangIs(tag) => ctx.language_is(&tag),
            Test::UrlContains(k) => ctx.url_contains(self.needle(k)),
            Test::TitleContains(k) => ctx.title_contains(self.needle(k)),
            Test::Affix { title, end, text } => {
                let value = if title { ctx.title() } else { ctx.url() }.as_bytes();
                let affix = self.bytes_at(text);
                if end {
                    value.ends_with(affix)
                } else {
                    value.starts_with(affix)
                }
            }
            Test::AppVersion {
                order,
                version,
                text,
            } => ctx.app_version_holds(order, &version, self.bytes_at(text)),
            Test::AppBuild { order, build } => ctx.app_build_holds(order, build),
            Test::Matches { title, automaton } => {
                let value = if title { ctx.title() } else { ctx.url() };
                self.automata
                    .get(usize::from(automaton))
                    .is_some_and(|(_, a)| a.matches(value.as_bytes()))
            }
            Test::Returning => ctx.returning(),
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
            memo: Memo::default(),
        }
    }

    /// Evaluates message `message`'s condition against `ctx`, as [`Bundle::eval`] does, taking
    /// the values of tests already run from `memo` and remembering the others there. `memo`
    /// must hold only values of tests run against `ctx` as it is now.
    pub(crate) fn eval_remembering(&self, message: usize, ctx: &Context, memo: &mut Memo) -> bool {
        self.walk(message, |node| memo.value(self, ctx, node)).0
    }

    /// Evaluates message `message`'s condition and reports the deciding test, as
    /// [`Bundle::explain`] does, with `memo` as in [`Bundle::eval_remembering`].
    pub(crate) fn explain_remembering(
        &self,
        message: usize,
        ctx: &Context,
        memo: &mut Memo,
    ) -> Explanation {
        let walk = self.walk(message, |node| memo.value(self, ctx, node));
        self.explanation(message, walk)
    }
}

/// Words of the test-result memo: the first `64 * MEMO_WORDS` distinct tests of a bundle are
/// remembered, the others (rare: that is more than the tests of 140 typical messages) run
/// every time.
const MEMO_WORDS: usize = 16;

/// The values of the tests already run against one context, by slot ([`Node::slot`]): what
/// lets many messages share their tests. Plain bits, no allocation; whoever changes the context
/// clears it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Memo {
    /// Bit `slot` set: the value of test `slot` is known.
    known: [u64; MEMO_WORDS],
    /// Bit `slot`: the value of test `slot`, when known (clear otherwise).
    values: [u64; MEMO_WORDS],
}

impl Memo {
    /// Forgets every value (the context changed).
    pub(crate) fn clear(&mut self) {
        *self = Memo::default();
    }

    /// The value of `node`'s test against `ctx`, remembered or run now and remembered.
    #[inline]
    fn value(&mut self, bundle: &Bundle, ctx: &Context, node: &Node) -> bool {
        let (word, bit) = (node.slot as usize / 64, 1u64 << (node.slot % 64));
        let Some(known) = self.known.get_mut(word) else {
            return bundle.test(node.test, ctx);
        };
        if *known & bit != 0 {
            return self.values[word] & bit != 0;
        }
        let value = bundle.test(node.test, ctx);
        *known |= bit;
        if value {
            self.values[word] |= bit;
        }
        value
    }
}

/// Evaluation of many messages of one bundle against one context, remembering the value of
/// every test already run: messages that share a test (the same needles in the URL, the same
/// language) run it once. Borrowing the context keeps it from changing meanwhile. Lives on
/// the stack; allocates nothing.
#[derive(Clone, Debug)]
pub struct Evaluation<'a> {
    bundle: &'a Bundle,
    ctx: &'a Context,
    memo: Memo,
}

impl Evaluation<'_> {
    /// Evaluates message `message`'s condition, as [`Bundle::eval`] does.
    pub fn eval(&mut self, message: usize) -> bool {
        self.bundle
            .eval_remembering(message, self.ctx, &mut self.memo)
    }

    /// Evaluates message `message`'s condition and reports the deciding test, as
    /// [`Bundle::explain`] does.
    pub fn explain(&mut self, message: usize) -> Explanation {
        self.bundle
            .explain_remembering(message, self.ctx, &mut self.memo)
    }
}
