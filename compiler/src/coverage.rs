//! Rule-test coverage: which messages some test delivered, and which comparisons some check of
//! a test found true and some found false; rendered as a summary for people, as LCOV for
//! coverage tools (genhtml, Codecov-style uploaders, editor gutters) and as JSON.
//!
//! *Outcomes* are what is counted: one per message (delivered by some test) and two per
//! comparison (true at some check, false at some check); the percentage is covered outcomes
//! over all outcomes. A comparison counts as evaluated only where evaluation in source order
//! reaches it ([`crate::trace`]): in `a and b`, a check where `a` is false says nothing about
//! `b`. A comparison of a named condition is counted once, at its definition, whichever
//! messages use it. Paused messages are never delivered and their conditions never evaluated:
//! they are left out, and so are the comparisons only they use (the summary names them).

use std::fmt::Write as _;

use foldhash::{HashMap, HashMapExt};

use crate::model;
use crate::ruletest::place;
use crate::scenario::Report;
use crate::source::{SourceMap, Span};
use crate::trace::{self, Comparisons};

/// Coverage of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageCoverage {
    /// The message's name.
    pub name: String,
    /// Where its name is written.
    pub span: Span,
    /// How many deliveries of it the tests made.
    pub deliveries: u64,
}

/// Coverage of one comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonCoverage {
    /// Its index in [`Comparisons::all`].
    pub index: usize,
    /// How many checks found it true.
    pub true_count: u64,
    /// How many checks found it false.
    pub false_count: u64,
}

/// Coverage of a bundle by its rule tests, accumulated test by test with [`Coverage::record`].
#[derive(Debug, Clone)]
pub struct Coverage<'a> {
    comparisons: &'a Comparisons,
    /// Published messages, in bundle order.
    messages: Vec<MessageCoverage>,
    /// Comparisons that some published message uses, in source order.
    counted: Vec<ComparisonCoverage>,
    /// Where each comparison is in `counted`.
    slot: Vec<Option<usize>>,
    /// Model message index by name, for published messages (index into `messages` too).
    by_name: HashMap<String, (usize, usize)>,
    /// Names of the paused messages, which are not counted.
    paused: Vec<String>,
}

/// One outcome no test covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Where: the message's name, or the comparison.
    pub span: Span,
    /// What is missing, in words.
    pub what: String,
}

impl<'a> Coverage<'a> {
    /// Nothing covered yet, for `bundle` and its `comparisons`.
    pub fn new(bundle: &model::CheckedBundle, comparisons: &'a Comparisons) -> Coverage<'a> {
        let mut messages = Vec::new();
        let mut by_name = HashMap::new();
        let mut paused = Vec::new();
        let mut used = vec![false; comparisons.all().len()];
        for (index, message) in bundle.messages.iter().enumerate() {
            if message.paused {
                paused.push(message.name.clone());
                continue;
            }
            for comparison in comparisons.of_message(index) {
                used[comparison] = true;
            }
            by_name.insert(message.name.clone(), (index, messages.len()));
            messages.push(MessageCoverage {
                name: message.name.clone(),
                span: message.name_span,
                deliveries: 0,
            });
        }
        let mut slot = vec![None; used.len()];
        let mut counted = Vec::new();
        for (index, _) in used.iter().enumerate().filter(|(_, used)| **used) {
            slot[index] = Some(counted.len());
            counted.push(ComparisonCoverage {
                index,
                true_count: 0,
                false_count: 0,
            });
        }
        Coverage {
            comparisons,
            messages,
            counted,
            slot,
            by_name,
            paused,
        }
    }

    /// Adds what one test did: its deliveries, and the comparisons each check reached.
    pub fn record(&mut self, report: &Report) {
        for delivery in &report.deliveries {
            if let Some(&(_, slot)) = self.by_name.get(&delivery.message) {
                self.messages[slot].deliveries += 1;
            }
        }
        for check in &report.checks {
            let facts = trace::facts_of(&check.context);
            for outcome in &check.outcomes {
                let Some(&(model_index, _)) = self.by_name.get(&outcome.message) else {
                    continue;
                };
                if outcome.condition().is_none() {
                    continue;
                }
                let (counted, slot) = (&mut self.counted, &self.slot);
                self.comparisons
                    .trace(model_index, &facts, &mut |comparison, value| {
                        if let Some(Some(at)) = slot.get(comparison) {
                            let entry = &mut counted[*at];
                            if value {
                                entry.true_count += 1;
                            } else {
                                entry.false_count += 1;
                            }
                        }
                    });
            }
        }
    }

    /// The published messages' coverage, in bundle order.
    pub fn messages(&self) -> &[MessageCoverage] {
        &self.messages
    }

    /// The counted comparisons' coverage, in source order.
    pub fn comparisons(&self) -> &[ComparisonCoverage] {
        &self.counted
    }

    /// The paused messages, which are not counted.
    pub fn paused(&self) -> &[String] {
        &self.paused
    }

    /// Covered outcomes and all outcomes.
    pub fn outcomes(&self) -> (usize, usize) {
        let delivered = self.messages.iter().filter(|m| m.deliveries > 0).count();
        let sides: usize = self
            .counted
            .iter()
            .map(|c| usize::from(c.true_count > 0) + usize::from(c.false_count > 0))
            .sum();
        (
            delivered + sides,
            self.messages.len() + 2 * self.counted.len(),
        )
    }

    /// Covered outcomes over all outcomes, in percent (100 when there is nothing to cover).
    pub fn percent(&self) -> f64 {
        match self.outcomes() {
            (_, 0) => 100.0,
            (covered, total) => covered as f64 * 100.0 / total as f64,
        }
    }

    /// Every outcome not covered, messages first, each in source order.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = self
            .messages
            .iter()
            .filter(|m| m.deliveries == 0)
            .map(|m| Gap {
                span: m.span,
                what: format!("{:?} is never delivered", m.name),
            })
            .collect();
        for entry in &self.counted {
            let comparison = &self.comparisons.all()[entry.index];
            let never = match (entry.true_count > 0, entry.false_count > 0) {
                (true, true) => continue,
                (false, false) => "never evaluated",
                (false, true) => "never true",
                (true, false) => "never false",
            };
            gaps.push(Gap {
                span: comparison.span,
                what: format!("`{}` is {never}", comparison.text),
            });
        }
        gaps
    }

    /// The summary for people: the percentage, then every gap at its place (files named by
    /// `names`, as [`crate::diagnostic::render::Paths`] names them).
    pub fn summary(&self, sources: &SourceMap, names: &[String]) -> String {
        let (covered, total) = self.outcomes();
        let delivered = self.messages.iter().filter(|m| m.deliveries > 0).count();
        let both = self
            .counted
            .iter()
            .filter(|c| c.true_count > 0 && c.false_count > 0)
            .count();
        let mut out = format!(
            "coverage: {} ({covered} of {total} outcomes): {delivered} of {} messages delivered, {both} of {} comparisons both true and false\n",
            percent_text(self.percent()),
            self.messages.len(),
            self.counted.len()
        );
        for gap in self.gaps() {
            let _ = writeln!(out, "  {}: {}", place(sources, names, gap.span), gap.what);
        }
        for name in &self.paused {
            let _ = writeln!(out, "  note: {name:?} is paused: it is not counted");
        }
        out
    }

    /// LCOV tracefile: per source file, a function record per message (`FN`/`FNDA`, hit count
    /// = deliveries), a branch pair per comparison (`BRDA`, branch 0 true, branch 1 false,
    /// taken = checks; `-` when never evaluated), and line records (`DA`) for both. `names`
    /// gives each file's path as written in `SF` (absolute paths, as LCOV expects).
    pub fn lcov(&self, sources: &SourceMap, names: &[String]) -> String {
        #[derive(Default)]
        struct FileRecords {
            functions: Vec<(u32, String, u64)>,
            branches: Vec<(u32, u64, u64)>,
            lines: Vec<(u32, u64)>,
        }
        let line_of = |span: Span| {
            let file = sources.get(span.file);
            file.lines.line_col(span.start).line + 1
        };
        let mut files: std::collections::BTreeMap<String, FileRecords> = Default::default();
        let name_of = |span: Span| {
            names
                .get(span.file.0 as usize)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| sources.get(span.file).path.clone())
        };
        for message in &self.messages {
            let records = files.entry(name_of(message.span)).or_default();
            let line = line_of(message.span);
            records
                .functions
                .push((line, lcov_name(&message.name), message.deliveries));
            records.lines.push((line, message.deliveries));
        }
        for entry in &self.counted {
            let span = self.comparisons.all()[entry.index].span;
            let records = files.entry(name_of(span)).or_default();
            let line = line_of(span);
            records
                .branches
                .push((line, entry.true_count, entry.false_count));
            records
                .lines
                .push((line, entry.true_count + entry.false_count));
        }
        let mut out = String::new();
        for (name, mut records) in files {
            let _ = writeln!(out, "TN:\nSF:{name}");
            for (line, function, _) in &records.functions {
                let _ = writeln!(out, "FN:{line},{function}");
            }
            for (_, function, hits) in &records.functions {
                let _ = writeln!(out, "FNDA:{hits},{function}");
            }
            let hit = records.functions.iter().filter(|f| f.2 > 0).count();
            let _ = writeln!(out, "FNF:{}\nFNH:{hit}", records.functions.len());
            let mut taken = 0;
            for (block, (line, true_count, false_count)) in records.branches.iter().enumerate() {
                let evaluated = true_count + false_count > 0;
                for (branch, count) in [(0, true_count), (1, false_count)] {
                    let shown = if evaluated {
                        count.to_string()
                    } else {
                        "-".to_string()
                    };
                    taken += usize::from(*count > 0);
                    let _ = writeln!(out, "BRDA:{line},{block},{branch},{shown}");
                }
            }
            let _ = writeln!(out, "BRF:{}\nBRH:{taken}", 2 * records.branches.len());
            // One record per line: a line is hit only when everything on it is.
            records.lines.sort_by_key(|(line, _)| *line);
            let mut lines: Vec<(u32, u64)> = Vec::new();
            for (line, hits) in records.lines {
                match lines.last_mut() {
                    Some((last, total)) if *last == line => {
                        *total = if *total == 0 || hits == 0 {
                            0
                        } else {
                            *total + hits
                        };
                    }
                    _ => lines.push((line, hits)),
                }
            }
            for (line, hits) in &lines {
                let _ = writeln!(out, "DA:{line},{hits}");
            }
            let hit_lines = lines.iter().filter(|(_, hits)| *hits > 0).count();
            let _ = writeln!(out, "LF:{}\nLH:{hit_lines}\nend_of_record", lines.len());
        }
        out
    }

    /// The coverage as JSON: the percentage, each message and comparison with its place and
    /// counts, the paused messages left out. Files are named by `names`.
    pub fn to_json(&self, sources: &SourceMap, names: &[String]) -> serde_json::Value {
        let at = |span: Span| {
            let file = sources.get(span.file);
            let position = file.lines.to_chars(&file.text, span.start);
            let name = names
                .get(span.file.0 as usize)
                .filter(|n| !n.is_empty())
                .map_or(file.path.as_str(), String::as_str);
            (name.to_string(), position.line + 1, position.column + 1)
        };
        let (covered, total) = self.outcomes();
        let messages: Vec<serde_json::Value> = self
            .messages
            .iter()
            .map(|m| {
                let (file, line, column) = at(m.span);
                serde_json::json!({
                    "name": m.name, "file": file, "line": line, "column": column,
                    "deliveries": m.deliveries,
                })
            })
            .collect();
        let comparisons: Vec<serde_json::Value> = self
            .counted
            .iter()
            .map(|c| {
                let comparison = &self.comparisons.all()[c.index];
                let (file, line, column) = at(comparison.span);
                serde_json::json!({
                    "text": comparison.text, "file": file, "line": line, "column": column,
                    "true": c.true_count, "false": c.false_count,
                })
            })
            .collect();
        serde_json::json!({
            // Two decimals, rounded down like the summary: never a full pass that is not one.
            "percent": (self.percent() * 100.0).floor() / 100.0,
            "covered": covered,
            "total": total,
            "messages": messages,
            "comparisons": comparisons,
            "paused": self.paused,
        })
    }
}

/// `87.5%`, `100%`: one decimal, none when whole; never rounded up to 100.
pub fn percent_text(percent: f64) -> String {
    let tenths = (percent * 10.0).floor() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// A message name as an LCOV function name: commas end a name in LCOV, and records end at a
/// line break, so both become spaces (as does every other control character).
fn lcov_name(name: &str) -> String {
    name.chars()
        .map(|c| if c == ',' || c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_never_rounded_up_to_a_full_pass() {
        assert_eq!(percent_text(100.0), "100%");
        assert_eq!(percent_text(99.99), "99.9%");
        assert_eq!(percent_text(87.5), "87.5%");
        assert_eq!(percent_text(0.0), "0%");
    }

    #[test]
    fn lcov_names_have_no_commas_or_line_breaks() {
        assert_eq!(lcov_name("Hi, there\nyou"), "Hi  there you");
    }
}
