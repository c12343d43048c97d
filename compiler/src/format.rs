//! The formatter: the canonical layout of `.pm` files, printed from the syntax tree.
//!
//! Layout: one item after the other with one blank line between them; clauses one per line,
//! indented four spaces, in the order written, keeping at most one blank line where the author
//! left one; `respond agent { … }` as an indented block; a long `when` condition broken before
//! each top-level `and` / `or`, aligned under `when`; strings re-escaped; durations written in
//! their shortest form (`30s`, `2m`, `1m30s`). Every comment is kept: a comment that ended a line
//! stays at the end of that line, others stay on their own line before what followed them.
//! Formatting is idempotent, and only files without syntax errors are formatted. A byte order
//! mark at the start of the file is kept.

use crate::source::{FileId, Span};
use crate::syntax::ast::{
    AgentClause, AgentClauseKind, Clause, ClauseKind, Compare, Expr, ExprKind, File, Item, Message,
    Response, Trigger, Value,
};
use crate::syntax::{lexer, parser};

/// Width beyond which a `when` condition is broken over several lines.
pub const MAX_WIDTH: usize = 80;

const INDENT: &str = "    ";

/// Formats a source text; `None` when it has lexical or syntax errors.
pub fn format_source(text: &str) -> Option<String> {
    let mut diagnostics = Vec::new();
    let file = parser::parse(
        FileId(0),
        text.len(),
        lexer::lex(FileId(0), text),
        &mut diagnostics,
    );
    if diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    Some(format_file(&file, text))
}

/// Formats a parsed file whose source is `text`.
pub fn format_file(file: &File, text: &str) -> String {
    let byte_order_mark = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let mut printer = Printer {
        text,
        comments: &file.comments,
        next_comment: 0,
        out: String::new(),
        last_end: 0,
    };
    for (i, item) in file.items.iter().enumerate() {
        if i > 0 {
            printer.flush_trailing_comment();
            printer.blank_line();
        }
        match item {
            Item::Condition(def) => {
                let head = format!("condition {} =", def.name.text);
                printer.expression_lines("", &head, &def.expr, def.name.span.start, Some(INDENT));
            }
            Item::Message(message) => printer.message(message),
        }
    }
    printer.flush_comments(u32::MAX, "");
    format!("{byte_order_mark}{}", printer.out)
}

/// A unified diff of `old` and `new` (for `pmc fmt --check`).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{path} (original)"),
            &format!("{path} (formatted)"),
        )
        .to_string()
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Span],
    next_comment: usize,
    out: String,
    /// Source offset of the end of the last thing printed.
    last_end: u32,
}

impl Printer<'_> {
    fn source_between(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// Whether the author left a blank line between `last_end` and `offset`.
    fn blank_before(&self, offset: u32) -> bool {
        // Only whitespace lies between (comments were printed first): two line breaks or more
        // mean an empty line.
        self.last_end > 0
            && self
                .source_between(self.last_end, offset)
                .matches('\n')
                .count()
                >= 2
    }

    fn blank_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Prints a comment written at the end of the last printed line, if there is one.
    fn flush_trailing_comment(&mut self) {
        if let Some(&comment) = self.comments.get(self.next_comment)
            && !self
                .source_between(self.last_end, comment.start)
                .contains('\n')
        {
            self.flush_comments(comment.start + 1, "");
        }
    }

    /// Prints the comments that start before `offset`: at the end of the current line when they
    /// were written there, else on their own lines at `indent`.
    fn flush_comments(&mut self, offset: u32, indent: &str) {
        while let Some(&comment) = self.comments.get(self.next_comment) {
            if comment.start >= offset {
                break;
            }
            self.next_comment += 1;
            let content = self
                .source_between(comment.start, comment.end)
                .trim_end()
                .to_string();
            let same_line = self.out.ends_with('\n')
                && !self
                    .source_between(self.last_end, comment.start)
                    .contains('\n')
                && self.last_end > 0;
            if same_line {
                self.out.pop();
                self.out.push(' ');
            } else {
                if self.blank_before(comment.start) && !self.out.ends_with("{\n") {
                    self.blank_line();
                }
                self.out.push_str(indent);
            }
            self.out.push_str(&content);
            self.out.push('\n');
            self.last_end = comment.end;
        }
    }

    /// Prints one line of `content` for the source range `start..end`.
    fn line(&mut self, indent: &str, content: &str, start: u32, end: u32) {
        self.flush_comments(start, indent);
        if self.blank_before(start) && !self.out.ends_with("{\n") {
            self.blank_line();
        }
        self.out.push_str(indent);
        self.out.push_str(content);
        self.out.push('\n');
        self.last_end = end;
    }

    fn message(&mut self, message: &Message) {
        self.line(
            "",
            &format!("message {} {{", quote(&message.name.value)),
            message.span.start,
            message.body.start + 1,
        );
        for clause in &message.clauses {
            self.clause(clause);
        }
        let close = message.body.end.saturating_sub(1);
        self.flush_comments(close, INDENT);
        self.out.push_str("}\n");
        self.last_end = message.body.end;
    }

    fn clause(&mut self, clause: &Clause) {
        let keyword = clause.kind.keyword();
        let simple = match &clause.kind {
            ClauseKind::Brand(text) | ClauseKind::Channel(text) | ClauseKind::Say(text) => {
                Some(format!("{keyword} {}", quote(&text.value)))
            }
            ClauseKind::Tags(tags) => Some(format!(
                "tags {}",
                tags.iter()
                    .map(|t| quote(&t.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ClauseKind::Send(send) => Some(match &send.schedule {
                // An empty word (`send during "S"`, an error) stays absent.
                Some((word, schedule)) => {
                    let words = [send.mode.text.as_str(), word.text.as_str()];
                    let words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
                    format!("send {} {}", words.join(" "), quote(&schedule.value))
                }
                None => format!("send {}", send.mode.text),
            }),
            ClauseKind::Frequency(word) | ClauseKind::Status(word) => {
                Some(format!("{keyword} {}", word.text))
            }
            ClauseKind::Priority(number) => Some(format!("priority {}", number.value)),
            ClauseKind::Respond(Response::AiAgent {
                kind,
                agent,
                answer,
                ..
            }) => Some(format!(
                "respond {} {} answer {}",
                kind.text,
                quote(&agent.value),
                quote(&answer.value)
            )),
            ClauseKind::Respond(Response::Agent {
                kind,
                clauses,
                body,
            }) => {
                self.agent_block(&kind.text, clauses, clause.span.start, *body);
                None
            }
            ClauseKind::Trigger(trigger) => {
                self.trigger(trigger, clause.span);
                None
            }
            ClauseKind::Unknown(_) => None,
        };
        if let Some(content) = simple {
            self.line(INDENT, &content, clause.span.start, clause.span.end);
        }
    }

    fn agent_block(&mut self, kind: &str, clauses: &[AgentClause], start: u32, body: Span) {
        let inner = format!("{INDENT}{INDENT}");
        self.line(INDENT, &format!("respond {kind} {{"), start, body.start + 1);
        for clause in clauses {
            let content = match &clause.kind {
                AgentClauseKind::FollowUp(text) => format!("follow_up {}", quote(&text.value)),
                AgentClauseKind::Collect(fields) => {
                    format!(
                        "collect {}",
                        fields
                            .iter()
                            .map(|f| f.text.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                AgentClauseKind::Unknown => continue,
            };
            self.line(&inner, &content, clause.span.start, clause.span.end);
        }
        let close = body.end.saturating_sub(1);
        self.flush_comments(close, &inner);
        self.out.push_str(INDENT);
        self.out.push_str("}\n");
        self.last_end = body.end;
    }

    fn trigger(&mut self, trigger: &Trigger, span: Span) {
        let after = match trigger.duration {
            Some(duration) => format!(
                "after {} {}",
                trigger.event.text,
                format_duration(duration.seconds)
            ),
            None => format!("after {}", trigger.event.text),
        };
        match &trigger.when {
            Some(expr) => {
                self.expression_lines(INDENT, "when", expr, span.start, None);
                self.line(INDENT, &after, trigger.after.start, span.end);
            }
            None => self.line(INDENT, &after, span.start, span.end),
        }
    }

    /// Prints `head EXPR` on one line when it fits, else one top-level operand per line,
    /// continuation lines starting at `continuation` or, by default, with the connective
    /// right-aligned under `head`.
    fn expression_lines(
        &mut self,
        indent: &str,
        head: &str,
        expr: &Expr,
        start: u32,
        continuation: Option<&str>,
    ) {
        let one_line = format!("{head} {}", expression(expr));
        let (operands, connective) = match &expr.kind {
            ExprKind::And(operands) => (operands, "and"),
            ExprKind::Or(operands) => (operands, "or"),
            _ => {
                self.line(indent, &one_line, start, expr.span.end);
                return;
            }
        };
        if indent.len() + one_line.len() <= MAX_WIDTH {
            self.line(indent, &one_line, start, expr.span.end);
            return;
        }
        let (first, rest) = operands
            .split_first()
            .expect("and/or have at least two operands");
        let continuation = continuation.map_or_else(
            || {
                format!(
                    "{indent}{}",
                    " ".repeat(head.len().saturating_sub(connective.len()))
                )
            },
            str::to_string,
        );
        self.line(
            indent,
            &format!("{head} {}", expression(first)),
            start,
            first.span.end,
        );
        for operand in rest {
            self.line(
                &continuation,
                &format!("{connective} {}", expression(operand)),
                operand.span.start,
                operand.span.end,
            );
        }
    }
}

/// An expression on one line.
fn expression(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Or(operands) => operands
            .iter()
            .map(expression)
            .collect::<Vec<_>>()
            .join(" or "),
        ExprKind::And(operands) => operands
            .iter()
            .map(expression)
            .collect::<Vec<_>>()
            .join(" and "),
        ExprKind::Not(inner) => format!("not {}", expression(inner)),
        ExprKind::Paren(inner) => format!("({})", expression(inner)),
        ExprKind::Ref(name) => name.text.clone(),
        ExprKind::Compare(Compare {
            object,
            field,
            op,
            value,
            ..
        }) => {
            let value = match value {
                Value::Text(text) => quote(&text.value),
                Value::List(items, _) => {
                    format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|t| quote(&t.value))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                Value::Word(word) => word.text.clone(),
                Value::Error(_) => String::new(),
            };
            format!("{}.{} {} {value}", object.text, field.text, op.as_str())
        }
        ExprKind::Error => String::new(),
    }
}

/// A string literal for `value`, escaping what the lexer requires, control characters and
/// the text-direction characters (which would otherwise be invisible in the file).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || lexer::text_direction_name(c).is_some() => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `30s`, `2m` or `1m30s`.
pub fn format_duration(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_layout_keeps_comments() {
        let source = "// head\ncondition   a=visitor.page_url contains [\"x\",\"y\"] // tail\nmessage \"M\"{channel \"C\"\n\n\n  // about say\n say \"hi\\n\"   after screen_open 0m30s\nfrequency every_time}";
        let formatted = format_source(source).unwrap();
        assert_eq!(
            formatted,
            "// head\ncondition a = visitor.page_url contains [\"x\", \"y\"] // tail\n\nmessage \"M\" {\n    channel \"C\"\n\n    // about say\n    say \"hi\\n\"\n    after screen_open 30s\n    frequency every_time\n}\n"
        );
        assert_eq!(
            format_source(&formatted).as_deref(),
            Some(formatted.as_str())
        );
    }

    #[test]
    fn long_conditions_break_before_connectives() {
        let source = "message \"M\" { when visitor.page_url contains [\"pricing\", \"plans\"] and (device.language is \"fr\" or device.language is \"de\") and visitor.visit_history is returning after screen_open 30s }";
        let formatted = format_source(source).unwrap();
        assert!(formatted.contains("    when visitor.page_url contains [\"pricing\", \"plans\"]\n     and (device.language"), "{formatted}");
        assert_eq!(
            format_source(&formatted).as_deref(),
            Some(formatted.as_str())
        );
    }

    #[test]
    fn refuses_files_with_syntax_errors() {
        assert_eq!(format_source("message {"), None);
    }

    #[test]
    fn durations_and_escapes() {
        assert_eq!(format_duration(90), "1m30s");
        assert_eq!(format_duration(120), "2m");
        assert_eq!(quote("a\"b\\\u{1}"), "\"a\\\"b\\\\\\u{1}\"");
    }

    #[test]
    fn text_direction_characters_in_strings_are_written_as_escapes() {
        assert_eq!(quote("a\u{202e}b\u{2069}"), "\"a\\u{202e}b\\u{2069}\"");
        // The escape stays an escape, and a raw character becomes one.
        let source = "condition c = visitor.page_title is \"\\u{202e}x\u{2066}\"\n";
        assert_eq!(
            format_source(source).as_deref(),
            Some("condition c = visitor.page_title is \"\\u{202e}x\\u{2066}\"\n")
        );
    }

    #[test]
    fn a_byte_order_mark_is_kept() {
        let source = "\u{feff}condition   c = visitor.page_url is \"a\"\n";
        assert_eq!(
            format_source(source).as_deref(),
            Some("\u{feff}condition c = visitor.page_url is \"a\"\n")
        );
    }
}
