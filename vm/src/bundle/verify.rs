//! The code verifier: every message's condition code is decoded, its operands checked
//! against the tables and its jumps against instruction starts, before anything runs it; then
//! the verified code is lowered into decision graphs ([`crate::decision`]) whose tests refer
//! to prepared needles and string ranges, so that evaluation needs no further checks.

use std::collections::HashMap;

use super::Bundle;
use crate::decision::{GraphBuilder, Test};
use crate::error::{CodeError, LoadError};
use crate::format::limits;
use crate::language::LanguageTag;
use crate::needle::Needle;
use crate::opcode::{Instr, SetId, StrId};
use crate::version::Version;

impl Bundle {
    /// Verifies every message's code and lowers it into the bundle's decision graphs, with
    /// the string sets' needles prepared once. The tables must have been read.
    pub(super) fn verify_conditions(&mut self) -> Result<(), LoadError> {
        self.prepare_needles();
        let mut graphs = GraphBuilder::default();
        for message in 0..self.messages.len() {
            let instrs = self.verify_code(message)?;
            let entry = graphs.lower(&instrs, |instr, tests| self.resolve_test(instr, tests));
            self.messages[message].entry = entry;
        }
        self.nodes = graphs.finish();
        Ok(())
    }

    /// Prepares each distinct needle of the string sets once.
    fn prepare_needles(&mut self) {
        let mut by_id = HashMap::new();
        let mut needles = Vec::new();
        self.item_needles = self
            .set_items
            .iter()
            .map(|&id| {
                *by_id.entry(id).or_insert_with(|| {
                    let needle = self.str(id).as_bytes();
                    needles.push(Needle::new(needle));
                    needles.len() as u32 - 1
                })
            })
            .collect();
        self.needles = needles;
    }

    /// Verifies message `message`'s code; returns its instructions with their offsets.
    fn verify_code(&self, message: usize) -> Result<Vec<(usize, Instr)>, LoadError> {
        let err = |pc: usize, reason: CodeError| LoadError::Code {
            message,
            pc,
            reason,
        };
        let (offset, len) = self.messages[message].code;
        let (offset, len) = (offset as usize, len as usize);
        if offset
            .checked_add(len)
            .is_none_or(|end| end > self.code.len())
        {
            return Err(err(0, CodeError::OutOfSection));
        }
        if len == 0 {
            return Err(err(0, CodeError::Empty));
        }
        if len > limits::MAX_CODE_BYTES {
            return Err(err(0, CodeError::TooLong));
        }
        let code = &self.code[offset..offset + len];
        // starts[i]: an instruction starts at offset i. Jump targets are checked after the
        // walk, once every start is known.
        let mut starts = vec![false; len];
        let mut jumps = Vec::new();
        let mut instrs = Vec::new();
        let mut pc = 0;
        let mut last = Instr::Ret;
        while pc < len {
            starts[pc] = true;
            let (instr, next) =
                Instr::decode(code, pc).map_err(|e| err(pc, CodeError::Decode(e)))?;
            instrs.push((pc, instr));
            match instr {
                Instr::UrlIs { s }
                | Instr::TitleIs { s }
                | Instr::LangIs { s }
                | Instr::AppVersionCmp { s, .. }
                    if usize::from(s.0) >= self.strings.len() =>
                {
                    return Err(err(pc, CodeError::StringOutOfRange(s.0)));
                }
                Instr::AppVersionCmp { s, .. } if Version::parse(self.str(s)).is_err() => {
                    return Err(err(pc, CodeError::BadVersion(s.0)));
                }
                Instr::UrlHasAny { k }
                | Instr::TitleHasAny { k }
                | Instr::UrlStartsAny { k }
                | Instr::UrlEndsAny { k }
                | Instr::TitleStartsAny { k }
                | Instr::TitleEndsAny { k }
                    if usize::from(k.0) >= self.sets.len() =>
                {
                    return Err(err(pc, CodeError::SetOutOfRange(k.0)));
                }
                Instr::UrlMatches { a } | Instr::TitleMatches { a }
                    if usize::from(a.0) >= self.automata.len() =>
                {
                    return Err(err(pc, CodeError::AutomatonOutOfRange(a.0)));
                }
                Instr::JumpIfFalse { rel } | Instr::JumpIfTrue { rel } => {
                    jumps.push((pc, next + usize::from(rel)));
                }
                _ => {}
            }
            last = instr;
            pc = next;
        }
        for (pc, target) in jumps {
            if target >= len {
                return Err(err(pc, CodeError::JumpOutOfBounds { target }));
            }
            if !starts[target] {
                return Err(err(pc, CodeError::JumpIntoInstruction { target }));
            }
        }
        if last != Instr::Ret {
            return Err(err(len, CodeError::NoFinalRet));
        }
        Ok(instrs)
    }

    /// Pushes the evaluation-ready tests that test instruction `instr` stands for: one per
    /// needle for a `contains` test and one per string for a prefix or suffix test (`false`
    /// for an empty set), none for the other instructions. Operands must have been verified.
    fn resolve_test(&self, instr: Instr, tests: &mut Vec<Test>) {
        let text = |id: StrId| {
            self.strings
                .get(usize::from(id.0))
                .copied()
                .unwrap_or((0, 0))
        };
        let needles = |k: SetId, tests: &mut Vec<Test>, test: fn(u32) -> Test| {
            let (start, end) = self.sets.get(usize::from(k.0)).copied().unwrap_or((0, 0));
            let needles = self
                .item_needles
                .get(start as usize..end as usize)
                .unwrap_or(&[]);
            if needles.is_empty() {
                tests.push(Test::Const(false));
            }
            tests.extend(needles.iter().map(|&needle| test(needle)));
        };
        // A prefix or suffix test compares bytes: one test per string of the set, on its text.
        let affixes = |k: SetId, tests: &mut Vec<Test>, title: bool, at_end: bool| {
            let (start, end) = self.sets.get(usize::from(k.0)).copied().unwrap_or((0, 0));
            let items = self
                .set_items
                .get(start as usize..end as usize)
                .unwrap_or(&[]);
            if items.is_empty() {
                tests.push(Test::Const(false));
            }
            tests.extend(items.iter().map(|&item| Test::Affix {
                title,
                end: at_end,
                text: text(item),
            }));
        };
        match instr {
            Instr::UrlIs { s } => tests.push(Test::UrlIs(text(s))),
            Instr::TitleIs { s } => tests.push(Test::TitleIs(text(s))),
            // The rule's tag parsed here, once, not at every evaluation.
            Instr::LangIs { s } => tests.push(Test::LangIs(LanguageTag::rule(self.str(s)))),
            Instr::UrlHasAny { k } => needles(k, tests, Test::UrlContains),
            Instr::TitleHasAny { k } => needles(k, tests, Test::TitleContains),
            Instr::UrlStartsAny { k } => affixes(k, tests, false, false),
            Instr::UrlEndsAny { k } => affixes(k, tests, false, true),
            Instr::TitleStartsAny { k } => affixes(k, tests, true, false),
            Instr::TitleEndsAny { k } => affixes(k, tests, true, true),
            // The rule's version parsed here, once (the verifier checked that it parses; were
            // it not so, the test would be `false`).
            Instr::AppVersionCmp { c, s } => tests.push(match Version::parse(self.str(s)) {
                Ok(version) => Test::AppVersion {
                    order: c,
                    version,
                    text: text(s),
                },
                Err(_) => Test::Const(false),
            }),
            Instr::AppBuildCmp { c, n } => tests.push(Test::AppBuild { order: c, build: n }),
            Instr::UrlMatches { a } => tests.push(Test::Matches {
                title: false,
                automaton: a.0,
            }),
            Instr::TitleMatches { a } => tests.push(Test::Matches {
                title: true,
                automaton: a.0,
            }),
            Instr::VisitReturning => tests.push(Test::Returning),
            Instr::Const { b } => tests.push(Test::Const(b)),
            Instr::Not | Instr::JumpIfFalse { .. } | Instr::JumpIfTrue { .. } | Instr::Ret => {}
        }
    }
}
