//! Condition code lowered, once at load, into the decision graph that evaluation walks.
//!
//! Verified code is a sequence of tests, `NOT`s and forward jumps over one accumulator. After a
//! test, everything up to the next test (or `RET`) depends only on the value that test
//! produced, so each test becomes a [`Node`] with two successors — one per value — each either
//! another node or the condition's result. A `contains` test of several needles becomes one
//! node per needle, chained on `false`, and so does a `starts_with` or `ends_with` test of
//! several strings. Evaluation then costs one dispatch per test run,
//! however many `NOT`s and jumps the code has, and never decodes a byte.
//!
//! Every node carries the slot of what it tests; nodes of any message that test the same thing
//! (the same needle in the URL, the same language) share it, which lets one
//! [`Evaluation`](crate::Evaluation) of many messages run each test once.
//!
//! Lowering walks the code backwards (jumps only go forward), so it is linear in the code's
//! length whatever its shape. Its input has passed [`Bundle::load`](crate::Bundle::load)'s
//! verifier; should an invariant still not hold, the affected path ends with `false` instead
//! of panicking.

use std::collections::HashMap;

use crate::language::LanguageTag;
use crate::opcode::Instr;
use crate::version::{Order, Version};

/// A byte range into the bundle's string data.
pub(crate) type Range = (u32, u32);

/// What one node tests, with operands resolved to what evaluation reads directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Test {
    /// The URL equals the string at this text range.
    UrlIs(Range),
    /// The title equals the string at this text range.
    TitleIs(Range),
    /// The language matches this rule tag, parsed at load (SPEC §2, step 3).
    LangIs(LanguageTag),
    /// The URL contains this prepared needle.
    UrlContains(u32),
    /// The title contains this prepared needle.
    TitleContains(u32),
    /// The URL (`title` false) or the title starts (`end` false) or ends with the string at
    /// this text range. One variant for the four tests keeps evaluation to one comparison
    /// routine (the web binding's size budget counts every copy).
    Affix {
        /// The title rather than the URL.
        title: bool,
        /// The end rather than the start.
        end: bool,
        /// The string.
        text: Range,
    },
    /// The app version compares with a version of the bundle as `order` says.
    AppVersion {
        /// How the device's version must compare.
        order: Order,
        /// The bundle's version, parsed at load.
        version: Version,
        /// The text it was parsed from (its pre-release is read there).
        text: Range,
    },
    /// The app build number compares with `build` as `order` says.
    AppBuild {
        /// How the device's build must compare.
        order: Order,
        /// The bundle's build number.
        build: i64,
    },
    /// The automaton with this index matches the whole URL (`title` false) or title.
    Matches {
        /// The title rather than the URL.
        title: bool,
        /// The automaton's index.
        automaton: u16,
    },
    /// The visit is a returning one.
    Returning,
    /// A constant.
    Const(bool),
}

/// Where evaluation goes after a test: to another node, or to the condition's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Index of the next node in the bundle's node table.
    Node(u32),
    /// The condition's value.
    Done(bool),
}

/// One test of a message's condition and its two successors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    /// What is tested.
    pub test: Test,
    /// Index of the test among the bundle's distinct tests, shared by every node that tests
    /// the same thing.
    pub slot: u32,
    /// Offset of the test instruction in the message's code (for explanations).
    pub pc: u16,
    /// The successor when the test is false (`[0]`) and when it is true (`[1]`).
    pub next: [Next; 2],
}

/// The decision graphs of all messages of a bundle, built one message at a time.
#[derive(Debug, Default)]
pub(crate) struct GraphBuilder {
    nodes: Vec<Node>,
    slots: HashMap<Test, u32>,
}

impl GraphBuilder {
    /// Lowers one message's verified code, given as its instructions with their offsets, and
    /// appends its nodes; returns where evaluation starts. `resolve` pushes the tests an
    /// instruction stands for (several for a `contains` test of several needles, none for
    /// `NOT`, jumps and `RET`).
    ///
    /// The code must have passed the verifier: every jump lands on an instruction further on
    /// and the last instruction is `RET`. Were that not so, the affected path would end with
    /// `false` rather than panic.
    pub fn lower(
        &mut self,
        instrs: &[(usize, Instr)],
        resolve: impl Fn(Instr, &mut Vec<Test>),
    ) -> Next {
        let code_len = instrs
            .last()
            .map_or(0, |&(pc, instr)| pc + instr.opcode().size());
        // index[pc]: the position in `instrs` of the instruction starting at `pc`.
        let mut index = vec![usize::MAX; code_len];
        // nodes_of[i]: the range of nodes instruction `i` became (empty if not a test).
        let mut nodes_of = Vec::with_capacity(instrs.len());
        let mut tests = Vec::new();
        for (i, &(pc, instr)) in instrs.iter().enumerate() {
            index[pc] = i;
            tests.clear();
            resolve(instr, &mut tests);
            let first = self.nodes.len() as u32;
            for &test in &tests {
                let slot = self.slot(test);
                self.nodes.push(Node {
                    test,
                    slot,
                    pc: pc as u16,
                    next: [Next::Done(false); 2],
                });
            }
            nodes_of.push(first..self.nodes.len() as u32);
        }
        // outcome[i][acc]: where evaluation goes on reaching instruction `i` with accumulator
        // `acc`. Jumps go forward, so walking backwards finds every target already computed.
        let mut outcome = vec![[Next::Done(false); 2]; instrs.len() + 1];
        for (i, &(pc, instr)) in instrs.iter().enumerate().rev() {
            let following = outcome[i + 1];
            let jump = |rel: u16| {
                let target = pc + instr.opcode().size() + usize::from(rel);
                match index.get(target) {
                    Some(&j) if j > i && j < instrs.len() => outcome[j],
                    _ => [Next::Done(false); 2],
                }
            };
            let nodes = nodes_of[i].clone();
            outcome[i] = if !nodes.is_empty() {
                // Needles in order: a hit decides `true`, a miss tries the next needle.
                for node in nodes.clone() {
                    let on_false = if node + 1 < nodes.end {
                        Next::Node(node + 1)
                    } else {
                        following[0]
                    };
                    self.nodes[node as usize].next = [on_false, following[1]];
                }
                [Next::Node(nodes.start); 2]
            } else {
                match instr {
                    Instr::Not => [following[1], following[0]],
                    Instr::JumpIfFalse { rel } => [jump(rel)[0], following[1]],
                    Instr::JumpIfTrue { rel } => [following[0], jump(rel)[1]],
                    // RET.
                    _ => [Next::Done(false), Next::Done(true)],
                }
            };
        }
        outcome[0][0]
    }

    /// The slot of `test`, shared by every node testing the same thing.
    fn slot(&mut self, test: Test) -> u32 {
        let count = self.slots.len() as u32;
        *self.slots.entry(test).or_insert(count)
    }

    /// The nodes of every message lowered so far.
    pub fn finish(self) -> Box<[Node]> {
        self.nodes.into_boxed_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opcode::{SetId, StrId};

    /// `instrs` laid out one after the other, with their offsets.
    fn layout(instrs: &[Instr]) -> Vec<(usize, Instr)> {
        let mut pc = 0;
        instrs
            .iter()
            .map(|&instr| {
                let at = pc;
                pc += instr.opcode().size();
                (at, instr)
            })
            .collect()
    }

    fn resolve(instr: Instr, tests: &mut Vec<Test>) {
        match instr {
            // Set k holds needles k and k + 1.
            Instr::UrlHasAny { k } => tests.extend([
                Test::UrlContains(k.0.into()),
                Test::UrlContains(u32::from(k.0) + 1),
            ]),
            // String k stands for a distinct language.
            Instr::LangIs { s } => tests.push(Test::LangIs(LanguageTag::rule(
                ["fr", "de", "it", "es"][usize::from(s.0) % 4],
            ))),
            Instr::VisitReturning => tests.push(Test::Returning),
            _ => {}
        }
    }

    #[test]
    fn nots_and_jumps_become_successors() {
        // not (url has set#0 or lang is s#1): URL_HAS_ANY; JIT +3; LANG_IS; NOT; RET.
        let lang = Instr::LangIs { s: StrId(1) };
        let code = layout(&[
            Instr::UrlHasAny { k: SetId(0) },
            Instr::JumpIfTrue {
                rel: lang.opcode().size() as u16,
            },
            lang,
            Instr::Not,
            Instr::Ret,
        ]);
        let mut graphs = GraphBuilder::default();
        assert_eq!(graphs.lower(&code, resolve), Next::Node(0));
        let nodes = graphs.finish();
        // Two needle nodes for the set (both at offset 0), one for the language.
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0].next, [Next::Node(1), Next::Done(false)]);
        assert_eq!(nodes[1].next, [Next::Node(2), Next::Done(false)]);
        assert_eq!(nodes[2].next, [Next::Done(true), Next::Done(false)]);
        let pcs: Vec<u16> = nodes.iter().map(|n| n.pc).collect();
        assert_eq!(pcs, [0, 0, 6]);
    }

    #[test]
    fn code_without_tests_is_its_result() {
        let mut graphs = GraphBuilder::default();
        assert_eq!(
            graphs.lower(&layout(&[Instr::Ret]), resolve),
            Next::Done(false)
        );
        let code = layout(&[Instr::Not, Instr::Not, Instr::Not, Instr::Ret]);
        assert_eq!(graphs.lower(&code, resolve), Next::Done(true));
        assert!(graphs.finish().is_empty());
    }

    #[test]
    fn the_same_test_in_two_messages_shares_a_slot() {
        let mut graphs = GraphBuilder::default();
        let first = layout(&[
            Instr::VisitReturning,
            Instr::JumpIfFalse { rel: 3 },
            Instr::UrlHasAny { k: SetId(4) },
            Instr::Ret,
        ]);
        let second = layout(&[
            Instr::UrlHasAny { k: SetId(3) },
            Instr::JumpIfFalse { rel: 1 },
            Instr::VisitReturning,
            Instr::Ret,
        ]);
        assert_eq!(graphs.lower(&first, resolve), Next::Node(0));
        assert_eq!(graphs.lower(&second, resolve), Next::Node(3));
        let nodes = graphs.finish();
        // Needle 4 is in both sets; `returning` in both messages.
        let slots: Vec<u32> = nodes.iter().map(|n| n.slot).collect();
        assert_eq!(slots, [0, 1, 2, 3, 1, 0]);
        assert_eq!(nodes[0].next, [Next::Done(false), Next::Node(1)]);
        assert_eq!(nodes[4].next, [Next::Done(false), Next::Node(5)]);
    }

    #[test]
    fn long_chains_lower_in_one_pass() {
        // Many tests jumping to one long chain of NOTs: each successor is computed once.
        let mut instrs = Vec::new();
        let chain = 10_000;
        let tests = 3_000;
        for i in 0..tests {
            instrs.push(Instr::VisitReturning);
            let rel = (tests - 1 - i) * 4;
            instrs.push(Instr::JumpIfFalse { rel: rel as u16 });
        }
        instrs.extend(std::iter::repeat_n(Instr::Not, chain));
        instrs.push(Instr::Ret);
        let code = layout(&instrs);
        let mut graphs = GraphBuilder::default();
        assert_eq!(graphs.lower(&code, resolve), Next::Node(0));
        let nodes = graphs.finish();
        assert_eq!(nodes.len(), tests);
        // An even number of NOTs: false stays false.
        assert_eq!(nodes[0].next[0], Next::Done(false));
        assert_eq!(nodes[tests - 1].next, [Next::Done(false), Next::Done(true)]);
    }
}
