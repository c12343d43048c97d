//! The disassembler: a readable listing of a loaded bundle (header, strings, string sets,
//! account facts, messages and their code with decoded operands). `pmc disasm` prints it.

use std::fmt::Write;

use crate::bundle::{Bundle, Response};
use crate::format::{SendMode, Trigger, WEEKDAYS};
use crate::opcode::{Instr, StrId};

fn minutes(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Formats the instruction `instr` found at offset `pc` of a message's code, with its operands
/// decoded against `bundle`: strings quoted, sets listed, jump targets as absolute offsets.
/// Explain-mode output uses it to show the deciding test.
pub fn format_instr(bundle: &Bundle, pc: usize, instr: Instr) -> String {
    let next = pc + instr.opcode().size();
    let q = |id: StrId| format!("#{} {:?}", id.0, bundle.str(id));
    let mnemonic = instr.opcode().mnemonic();
    match instr {
        Instr::UrlIs { s } | Instr::TitleIs { s } | Instr::LangIs { s } => {
            format!("{mnemonic} {}", q(s))
        }
        Instr::UrlHasAny { k }
        | Instr::TitleHasAny { k }
        | Instr::UrlStartsAny { k }
        | Instr::UrlEndsAny { k }
        | Instr::TitleStartsAny { k }
        | Instr::TitleEndsAny { k } => {
            let items: Vec<String> = bundle
                .string_set(k)
                .iter()
                .map(|&id| format!("{:?}", bundle.str(id)))
                .collect();
            format!("{mnemonic} set#{} [{}]", k.0, items.join(", "))
        }
        Instr::AppVersionCmp { c, s } => format!("{mnemonic} {} {}", c.as_str(), q(s)),
        Instr::AppBuildCmp { c, n } => format!("{mnemonic} {} {n}", c.as_str()),
        Instr::UrlMatches { a } | Instr::TitleMatches { a } => {
            match bundle.automata().get(usize::from(a.0)) {
                Some(&(pattern, _)) => format!("{mnemonic} re#{} {:?}", a.0, bundle.str(pattern)),
                None => format!("{mnemonic} re#{}", a.0),
            }
        }
        Instr::Const { b } => format!("{mnemonic} {b}"),
        Instr::JumpIfFalse { rel } | Instr::JumpIfTrue { rel } => {
            format!("{mnemonic} +{rel} -> {:04}", next + usize::from(rel))
        }
        Instr::VisitReturning | Instr::Not | Instr::Ret => mnemonic.to_owned(),
    }
}

/// Lists a message's code, one instruction per line, each prefixed with `indent`.
fn code_listing(bundle: &Bundle, message: usize, indent: &str) -> String {
    let code = bundle.code(message);
    let mut out = String::new();
    let mut pc = 0;
    while let Ok((decoded, next)) = Instr::decode(code, pc) {
        let _ = writeln!(
            out,
            "{indent}{pc:04}  {}",
            format_instr(bundle, pc, decoded)
        );
        pc = next;
    }
    out
}

/// A human-readable listing of `bundle`. Deterministic: the same bundle gives the same text.
pub fn disasm(bundle: &Bundle) -> String {
    let mut o = String::new();
    let (major, minor) = bundle.version();
    let _ = writeln!(
        o,
        "pm bundle format {major}.{minor}, {} bytes, crc32 0x{:08x}",
        bundle.byte_len(),
        bundle.checksum()
    );
    let _ = writeln!(o, "\nsections:");
    for section in bundle.sections() {
        let _ = writeln!(
            o,
            "  {:<12} {:<8} {:>7} bytes, {:>7} decoded",
            section.id.name(),
            section.encoding.as_str(),
            section.stored_len,
            section.decoded_len
        );
    }
    let _ = writeln!(o, "\nstrings ({}):", bundle.string_count());
    for i in 0..bundle.string_count() {
        let id = StrId(i as u16);
        let _ = writeln!(o, "  #{i} {:?}", bundle.str(id));
    }
    let _ = writeln!(o, "\nstring sets ({}):", bundle.string_set_count());
    for i in 0..bundle.string_set_count() {
        let items: Vec<String> = bundle
            .string_set(crate::SetId(i as u16))
            .iter()
            .map(|&id| format!("#{} {:?}", id.0, bundle.str(id)))
            .collect();
        let _ = writeln!(o, "  set#{i} [{}]", items.join(", "));
    }
    if !bundle.automata().is_empty() {
        let _ = writeln!(o, "\nautomata ({}):", bundle.automata().len());
        for (i, (pattern, a)) in bundle.automata().iter().enumerate() {
            let accepting = (0..a.state_count())
                .filter(|&state| a.is_accepting(state as u16))
                .count();
            let _ = writeln!(
                o,
                "  re#{i} #{} {:?}: {} states ({accepting} accepting), {} byte classes, start {}, {} bytes",
                pattern.0,
                bundle.str(*pattern),
                a.state_count(),
                a.class_count(),
                a.start(),
                a.encoded_len()
            );
        }
    }
    let _ = writeln!(o, "\nchannels ({}):", bundle.channels().len());
    for (i, c) in bundle.channels().iter().enumerate() {
        let _ = write!(
            o,
            "  ch#{i} {:?} platform={} conversation_control={}",
            bundle.str(c.name),
            c.platform.as_str(),
            c.conversation_control.as_str()
        );
        // Only the limits the channel has, so a channel without any reads as before them.
        if let Some(seconds) = c.limits.min_interval_s {
            let _ = write!(o, " min_interval={seconds}s");
        }
        if let Some(n) = c.limits.max_per_visit {
            let _ = write!(o, " max_per_visit={n}");
        }
        if let Some(n) = c.limits.max_per_day {
            let _ = write!(o, " max_per_day={n}");
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "\nschedules ({}):", bundle.schedules().len());
    for (i, s) in bundle.schedules().iter().enumerate() {
        let _ = writeln!(
            o,
            "  sch#{i} {:?} zone={:?} (TZif {} bytes)",
            bundle.str(s.name),
            bundle.str(s.zone),
            s.tzif_len
        );
        for (day, intervals) in WEEKDAYS.iter().zip(&s.weekly) {
            if !intervals.is_empty() {
                let list: Vec<String> = intervals
                    .iter()
                    .map(|i| format!("{}-{}", minutes(i.start), minutes(i.end)))
                    .collect();
                let _ = writeln!(o, "    {day} {}", list.join(" "));
            }
        }
        if !s.holidays.is_empty() {
            let list: Vec<String> = s
                .holidays
                .iter()
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
                .collect();
            let _ = writeln!(o, "    holidays {}", list.join(" "));
        }
    }
    let _ = writeln!(o, "\nAI agents ({}):", bundle.ai_agents().len());
    for (i, a) in bundle.ai_agents().iter().enumerate() {
        let answers: Vec<String> = a
            .answers
            .iter()
            .map(|&id| format!("{:?}", bundle.str(id)))
            .collect();
        let _ = writeln!(
            o,
            "  ai#{i} {:?}{} answers [{}]",
            bundle.str(a.name),
            if a.generative { " generative" } else { "" },
            answers.join(", ")
        );
    }
    let _ = writeln!(o, "\nmessages ({}):", bundle.messages().len());
    for (i, m) in bundle.messages().iter().enumerate() {
        let _ = writeln!(o, "  msg#{i} {:?}", bundle.str(m.name));
        let channel = bundle.channels()[usize::from(m.channel)].name;
        let _ = writeln!(
            o,
            "    channel ch#{} {:?}, brand {:?}",
            m.channel,
            bundle.str(channel),
            bundle.str(m.brand)
        );
        let _ = writeln!(o, "    say {:?}", bundle.str(m.say));
        match m.response {
            Response::Agent { follow_up, collect } => {
                let fields = match (collect.name, collect.email) {
                    (true, true) => "name, email",
                    (true, false) => "name",
                    (false, true) => "email",
                    (false, false) => "none",
                };
                let _ = writeln!(
                    o,
                    "    respond agent follow_up {:?} collect {fields}",
                    bundle.str(follow_up)
                );
            }
            Response::AiAgent { agent, answer } => {
                let name = bundle.ai_agents()[usize::from(agent)].name;
                let _ = writeln!(
                    o,
                    "    respond ai_agent ai#{agent} {:?} answer {:?}",
                    bundle.str(name),
                    bundle.str(answer)
                );
            }
        }
        if !m.tags.is_empty() {
            let tags: Vec<String> = m
                .tags
                .iter()
                .map(|&t| format!("{:?}", bundle.str(t)))
                .collect();
            let _ = writeln!(o, "    tags {}", tags.join(", "));
        }
        let trigger = match m.trigger {
            Trigger::ScreenOpen => "screen_open".to_owned(),
            Trigger::Other(code) => format!("event#{code} (unknown to this VM; never fires)"),
        };
        let _ = writeln!(o, "    after {trigger} {} ms", m.dwell_ms);
        let send = match m.send {
            SendMode::Anytime => "anytime".to_owned(),
            SendMode::During(s) => format!(
                "during sch#{s} {:?}",
                bundle.str(bundle.schedules()[usize::from(s)].name)
            ),
            SendMode::Outside(s) => format!(
                "outside sch#{s} {:?}",
                bundle.str(bundle.schedules()[usize::from(s)].name)
            ),
        };
        let _ = writeln!(
            o,
            "    send {send}, frequency {}, priority {}, status {}",
            m.frequency.as_str(),
            m.priority,
            m.status.as_str()
        );
        let _ = writeln!(o, "    code ({} bytes):", bundle.code(i).len());
        o.push_str(&code_listing(bundle, i, "      "));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::sample;

    #[test]
    fn the_listing_shows_header_tables_messages_and_decoded_code() {
        let bytes = sample();
        let bundle = Bundle::load(&bytes).unwrap();
        let text = disasm(&bundle);
        assert!(text.starts_with(&format!(
            "pm bundle format {}.{}, {} bytes, crc32 0x{:08x}\n",
            crate::format::FORMAT_MAJOR,
            crate::format::FORMAT_MINOR,
            bytes.len(),
            bundle.checksum()
        )));
        for expected in [
            "\nsections:\n  strings      deflate ",
            "  string sets  deflate ",
            "  ch#0 \"iOS\" platform=ios conversation_control=release",
            "  sch#0 \"Paris hours\" zone=\"Europe/Paris\"",
            "    mon 09:00-12:00 13:00-17:30",
            "    holidays 2026-12-25",
            "  ai#0 \"Gen\" generative answers [\"Order status\"]",
            "  msg#0 \"Pricing help\"",
            "    respond agent follow_up \"Connecting you.\" collect name, email",
            "    after screen_open 30000 ms",
            "    send during sch#0 \"Paris hours\", frequency once_per_visit, priority 0, status published",
            "      0000  URL_HAS_ANY set#0 [\"pricing\", \"plans\"]",
            "      0003  JUMP_IF_FALSE +",
            "    respond ai_agent ai#0 \"Gen\" answer \"Order status\"",
            "      0000  CONST false",
            "      0000  URL_STARTS_ANY set#",
            "URL_ENDS_ANY set#",
            "TITLE_STARTS_ANY set#",
            "TITLE_ENDS_ANY set#",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        // Every jump's printed target is an instruction offset printed in the same listing.
        for line in text.lines().filter(|l| l.contains("JUMP_IF_")) {
            let target = line.rsplit("-> ").next().unwrap();
            assert!(text.contains(&format!("      {target}  ")), "{line}");
        }
        assert_eq!(disasm(&bundle), text);
    }
}
