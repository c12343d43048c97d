//! Generators of sources built to stress the checker, for the source targets: long chains and
//! cycles of named conditions, conditions that use the previous one twice (exponential when
//! written out), long `contains` lists, tags, and an account with many intervals and holidays
//! — each around the limits the checker enforces.
//!
//! An input whose first byte is [`MARKER`] (0xFF, never in UTF-8 text, so no text input is
//! read this way) is a short program: records of four bytes `kind, flags, high, low` (with
//! `n = high × 256 + low`), then, after a text record, free text. libFuzzer mutates the numbers
//! as easily as text, so the sizes it explores are those of the structures, not of the input.
//! Any other input is read as text, as before.
//!
//! The records of one program share a budget: 20,001 chain links and 4,096 list items in all,
//! so that a program of eight records is as large as its largest record can be, not eight
//! times larger (the targets bound the time per input; the checker's own bounds are tested
//! one structure at a time, and at their limits).
//!
//! | kind (mod 6) | record |
//! |---|---|
//! | 0 | a chain of `n` (≤ 20,000) conditions, each `flags % 4`: a reference, `not`, `and` a comparison, `or` a comparison; closed into a cycle when `flags & 0x80` |
//! | 1 | `n % 64` conditions, each using the previous one twice (`or` when `flags & 1`) |
//! | 2 | a `contains` list of `n % 4,097` items, every `flags % 8`-th a repeat in upper case |
//! | 3 | `n % 70` tags on the message |
//! | 4 | `flags % 60` intervals on Monday and `n % 1,100` holidays in the account |
//! | 5 | the rest of the input, as text appended to the source |

use std::borrow::Cow;

/// The first byte of a generator program.
pub const MARKER: u8 = 0xFF;

/// The text a source target reads from `data`: the generated `account.toml`, a NUL and the
/// `.pm` text for a generator program; the UTF-8 text itself otherwise (`None` when it is not
/// UTF-8).
pub fn text_of(data: &[u8]) -> Option<Cow<'_, str>> {
    match data.split_first() {
        Some((&MARKER, program)) => Some(Cow::Owned(generate(program))),
        _ => std::str::from_utf8(data).ok().map(Cow::Borrowed),
    }
}

/// Most records of one program.
const MAX_RECORDS: usize = 8;

/// Chain links of all the records of one program together.
const CHAIN_BUDGET: usize = 20_001;

/// `contains` list items of all the records of one program together.
const LIST_BUDGET: usize = 4_096;

/// Runs a generator program (see the module documentation).
pub fn generate(program: &[u8]) -> String {
    let mut source = Source::default();
    let (mut links, mut list_items) = (CHAIN_BUDGET, LIST_BUDGET);
    let take = |budget: &mut usize, wanted: usize| {
        let granted = wanted.min(*budget);
        *budget -= granted;
        granted
    };
    let mut rest = program;
    for _ in 0..MAX_RECORDS {
        let Some((&[kind, flags, high, low], after)) = rest.split_first_chunk::<4>() else {
            break;
        };
        rest = after;
        let n = usize::from(high) << 8 | usize::from(low);
        match kind % 6 {
            0 => source.chain(take(&mut links, n % 20_001), flags % 4, flags & 0x80 != 0),
            1 => source.doubling(n % 64, flags & 1 != 0),
            2 => source.list(take(&mut list_items, n % 4_097), usize::from(flags % 8)),
            3 => source.tags = n % 70,
            4 => {
                source.intervals = usize::from(flags % 60);
                source.holidays = n % 1_100;
            }
            _ => {
                source.tail = String::from_utf8_lossy(rest).into_owned();
                break;
            }
        }
    }
    source.text()
}

/// A source being generated: definitions, the parts of the message's condition, and the rest.
#[derive(Default)]
struct Source {
    definitions: String,
    uses: Vec<String>,
    tags: usize,
    intervals: usize,
    holidays: usize,
    tail: String,
}

impl Source {
    /// A fresh prefix for the names of one record's conditions.
    fn prefix(&self) -> String {
        format!("r{}_", self.uses.len())
    }

    fn chain(&mut self, len: usize, step: u8, cycle: bool) {
        let prefix = self.prefix();
        for i in 0..len {
            let next = if cycle && i + 1 == len {
                format!("{prefix}0")
            } else {
                format!("{prefix}{}", i + 1)
            };
            let body = match step {
                0 => next,
                1 => format!("not {next}"),
                2 => format!("{next} and visitor.page_url contains \"/p{i}\""),
                _ => format!("({next} or visitor.visit_history is new)"),
            };
            self.definitions
                .push_str(&format!("condition {prefix}{i} = {body}\n"));
        }
        if !cycle || len == 0 {
            self.definitions.push_str(&format!(
                "condition {prefix}{len} = device.language is \"fr\"\n"
            ));
        }
        self.uses.push(format!("{prefix}0"));
    }

    fn doubling(&mut self, depth: usize, or: bool) {
        let prefix = self.prefix();
        let op = if or { "or" } else { "and" };
        self.definitions.push_str(&format!(
            "condition {prefix}0 = visitor.page_title contains \"a\"\n"
        ));
        for i in 1..=depth {
            self.definitions.push_str(&format!(
                "condition {prefix}{i} = {prefix}{} {op} {prefix}{}\n",
                i - 1,
                i - 1
            ));
        }
        self.uses.push(format!("{prefix}{depth}"));
    }

    fn list(&mut self, len: usize, repeat_every: usize) {
        let items: Vec<String> = (0..len)
            .map(|i| match repeat_every {
                0 => format!("\"/p{i}\""),
                every if i % every == 0 && i > 0 => format!("\"/P{}\"", i - 1),
                _ => format!("\"/p{i}\""),
            })
            .collect();
        if !items.is_empty() {
            self.uses
                .push(format!("visitor.page_url contains [{}]", items.join(", ")));
        }
    }

    /// `account.toml`, a NUL, and the `.pm` text.
    fn text(self) -> String {
        let hours: Vec<String> = (0..self.intervals)
            .map(|k| {
                let (start, end) = (k * 20, k * 20 + 10);
                format!(
                    "\"{:02}:{:02}-{:02}:{:02}\"",
                    start / 60,
                    start % 60,
                    end / 60,
                    end % 60
                )
            })
            .collect();
        let holidays: Vec<String> = (0..self.holidays)
            .map(|d| {
                format!(
                    "\"{}-{:02}-{:02}\"",
                    2000 + d / 336,
                    1 + d / 28 % 12,
                    1 + d % 28
                )
            })
            .collect();
        let account = format!(
            "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\nschedules = [\"S\"]\n[[schedules]]\nname = \"S\"\ntimezone = \"Europe/Paris\"\nholidays = [{}]\n[schedules.hours]\nmon = [{}]\n",
            holidays.join(", "),
            hours.join(", ")
        );
        let when = if self.uses.is_empty() {
            String::new()
        } else {
            format!(" when {}\n", self.uses.join(" and "))
        };
        let tags: Vec<String> = (0..self.tags).map(|t| format!("\"t{t}\"")).collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" tags {}\n", tags.join(", "))
        };
        format!(
            "{account}\0{}message \"M\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n{when} after screen_open\n{tags} send during business_hours \"S\"\n frequency every_time\n}}\n{}",
            self.definitions, self.tail
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_build_the_structures_they_describe() {
        // A chain of 10,000, 24 doublings, a list of 1,025 and 65 tags.
        let text = generate(&[0, 0, 0x27, 0x10, 1, 0, 0, 24, 2, 0, 0x04, 0x01, 3, 0, 0, 65]);
        let (account, pm) = text.split_once('\0').unwrap();
        assert!(account.contains("[[schedules]]"));
        assert!(pm.contains("condition r0_9999 = r0_10000\n"));
        assert!(pm.contains("condition r1_24 = r1_23 and r1_23\n"));
        assert!(pm.contains("\"/p1024\"]"));
        assert!(pm.contains("\"t64\""));
        assert!(pm.contains(" when r0_0 and r1_24 and visitor.page_url contains ["));
        // Two chains of 15,000 share the budget of 20,001 links: the second gets 5,001.
        let text = generate(&[0, 0, 0x3a, 0x98, 0, 0, 0x3a, 0x98]);
        assert!(text.contains("condition r0_15000 = device.language"));
        assert!(text.contains("condition r1_5001 = device.language"));
        assert!(!text.contains("condition r1_5002 "));
        // Not marked: text as it is.
        assert_eq!(text_of(b"message").as_deref(), Some("message"));
        assert_eq!(text_of(&[0xC3]), None);
    }
}
