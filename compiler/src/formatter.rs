//! The formatter: the canonical layout of `.pm` files, printed from the syntax tree.
//!
//! Layout: one item after the other with one blank line between them; clauses one per line,
//! indented four spaces, in the order written, keeping at most one blank line where the author
//! left one; `respond agent { … }` as an indented block; a long `when` condition broken before
//! each top-level `and` / `or`, aligned under `when`; strings re-escaped; durations written in
//! their shortest form (`30s`, `2m`, `1m30s`). Every comment is kept: a comment that ended a line
//! stays at the end of that line, others stay on their own line before what followed them. A
//! condition holding a comment between the operands of an `and`/`or` is broken before each of
//! them, and a list holding a comment is written one item per line, so that the comment stays
//! where it was written; a comment anywhere else inside a condition ends the line it is in.
//! Formatting is idempotent, and only files without syntax errors are formatted. A byte order
//! mark at the start of the file is kept.

use crate::source::{FileId, Span};
use crate::syntax::ast::{
    AgentClause, AgentClauseKind, Clause, ClauseKind, Compare, Expr, ExprKind, File, Item, Message,
    Response, Text, Trigger, Value,
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
        line_has_comment: false,
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
    /// Whether the last line printed ends with a comment (another one goes on its own line).
    line_has_comment: bool,
}

/// One line of output: its indentation and text, and the source it prints.
struct Line {
    indent: String,
    text: String,
    /// Where its source starts (a blank line the author left before it is kept).
    start: u32,
    /// The comments that start before this offset are printed before the line.
    flush_before: u32,
    /// Where its source ends.
    end: u32,
    /// The indentation of comments printed on their own lines before it.
    comment_indent: String,
    /// Whether a blank line the author left before it is kept (not at a list's brackets).
    keep_blank: bool,
}

impl Line {
    fn new(indent: &str, text: String, start: u32, end: u32) -> Line {
        Line {
            indent: indent.to_string(),
            text,
            start,
            flush_before: start,
            end,
            comment_indent: indent.to_string(),
            keep_blank: true,
        }
    }
}

impl Printer<'_> {
    fn source_between(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// Whether the author left a blank line between `last_end` and `offset`: a line holding
    /// only white space (usually only white space lies between, but a comment printed early
    /// may have left words of a comparison there).
    fn blank_before(&self, offset: u32) -> bool {
        let lines: Vec<&str> = self
            .source_between(self.last_end, offset)
            .split('\n')
            .collect();
        self.last_end > 0
            && lines.len() >= 3
            && lines[1..lines.len() - 1]
                .iter()
                .any(|line| line.trim().is_empty())
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
    /// were written there (or inside what it printed, such as between the words of a
    /// comparison), else on their own lines at `indent`.
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
                && self.last_end > 0
                && !self.line_has_comment
                && !self
                    .source_between(self.last_end.min(comment.start), comment.start)
                    .contains('\n');
            if same_line {
                self.out.pop();
                self.out.push(' ');
            } else {
                if self.blank_before(comment.start) && !self.just_opened() {
                    self.blank_line();
                }
                self.out.push_str(indent);
            }
            self.out.push_str(&content);
            self.out.push('\n');
            self.line_has_comment = true;
            self.last_end = self.last_end.max(comment.end);
        }
    }

    /// Whether the output ends with a line that opens a block or a list.
    fn just_opened(&self) -> bool {
        self.out.ends_with("{\n") || self.out.ends_with("[\n")
    }

    /// Prints one line of `content` for the source range `start..end`.
    fn line(&mut self, indent: &str, content: &str, start: u32, end: u32) {
        self.print(Line::new(indent, content.to_string(), start, end));
    }

    fn print(&mut self, line: Line) {
        self.flush_comments(line.flush_before, &line.comment_indent);
        if line.keep_blank && self.blank_before(line.start) && !self.just_opened() {
            self.blank_line();
        }
        self.out.push_str(&line.indent);
        self.out.push_str(&line.text);
        self.out.push('\n');
        self.line_has_comment = false;
        self.last_end = self.last_end.max(line.end);
    }

    fn message(&mut self, message: &Message) {
        self.line(
            "",
            &format!("message {} {{", self.literal(&message.name)),
            message.span.start,
            message.body.start + 1,
        );
        for clause in &message.clauses {
            self.clause(clause);
        }
        self.close_block("", message.body);
    }

    /// Prints the `}` closing `body` at `indent`, after the comments before it (one level in).
    fn close_block(&mut self, indent: &str, body: Span) {
        let close = body.end.saturating_sub(1);
        self.print(Line {
            comment_indent: format!("{indent}{INDENT}"),
            keep_blank: false,
            ..Line::new(indent, "}".to_string(), close, body.end)
        });
    }

    fn clause(&mut self, clause: &Clause) {
        let keyword = clause.kind.keyword();
        let simple = match &clause.kind {
            ClauseKind::Brand(text) | ClauseKind::Channel(text) | ClauseKind::Say(text) => {
                Some(format!("{keyword} {}", self.literal(text)))
            }
            ClauseKind::Tags(tags) => Some(format!(
                "tags {}",
                tags.iter()
                    .map(|t| self.literal(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ClauseKind::Send(send) => Some(match &send.schedule {
                // An empty word (`send during "S"`, an error) stays absent.
                Some((word, schedule)) => {
                    let words = [send.mode.text.as_str(), word.text.as_str()];
                    let words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
                    format!("send {} {}", words.join(" "), self.literal(schedule))
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
                self.literal(agent),
                self.literal(answer)
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
                AgentClauseKind::FollowUp(text) => format!("follow_up {}", self.literal(text)),
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
        self.close_block(INDENT, body);
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

    /// Prints `head EXPR`, on one line when it fits and holds no comment that must stay inside
    /// it, else broken as [`Printer::layout`] says; `continuation` is the indentation of the
    /// top-level `and`/`or` lines (by default, the connective right-aligned under `head`).
    fn expression_lines(
        &mut self,
        indent: &str,
        head: &str,
        expr: &Expr,
        start: u32,
        continuation: Option<&str>,
    ) {
        let chain = matches!(expr.kind, ExprKind::And(_) | ExprKind::Or(_));
        let too_wide =
            chain && indent.len() + head.len() + 1 + self.expression(expr).len() > MAX_WIDTH;
        let column = indent.len() + head.len() + 1;
        let mut lines = self.layout(expr, column, indent, too_wide, continuation);
        let first = &mut lines[0];
        first.indent = indent.to_string();
        first.comment_indent = indent.to_string();
        first.text = format!("{head} {}", first.text);
        first.start = start;
        for line in lines {
            self.print(line);
        }
    }

    /// The lines of `expr`, printed from `column` on a line indented by `block`; the first line
    /// is the part that goes after what precedes `expr` on its line. An expression is broken
    /// over several lines when `force` says so (the top level of a condition too long for one
    /// line) or when a comment lies where only a line break can keep it: between the operands
    /// of an `and`/`or` (one operand per line, the connective first, right-aligned under the
    /// first operand or at `continuation`) or inside a list (one item per line, indented one
    /// level from `block`). A comment inside anything else ends the line it is printed on.
    fn layout(
        &self,
        expr: &Expr,
        column: usize,
        block: &str,
        force: bool,
        continuation: Option<&str>,
    ) -> Vec<Line> {
        if !force && !self.must_break(expr) {
            return vec![Line::new(
                "",
                self.expression(expr),
                expr.span.start,
                expr.span.end,
            )];
        }
        match &expr.kind {
            ExprKind::And(operands) | ExprKind::Or(operands) => {
                let connective = if matches!(expr.kind, ExprKind::And(_)) {
                    "and"
                } else {
                    "or"
                };
                let indent = continuation.map_or_else(
                    || " ".repeat(column.saturating_sub(connective.len() + 1)),
                    str::to_string,
                );
                let (first, rest) = operands
                    .split_first()
                    .expect("and/or have at least two operands");
                let mut lines = self.layout(first, column, block, false, None);
                for operand in rest {
                    let start = indent.len() + connective.len() + 1;
                    let mut operand_lines = self.layout(operand, start, &indent, false, None);
                    let head = &mut operand_lines[0];
                    head.indent.clone_from(&indent);
                    head.comment_indent.clone_from(&indent);
                    head.text = format!("{connective} {}", head.text);
                    lines.extend(operand_lines);
                }
                lines
            }
            ExprKind::Paren(inner) => {
                let mut lines = self.layout(inner, column + 1, block, false, None);
                lines[0].text.insert(0, '(');
                lines[0].start = expr.span.start;
                let last = lines.last_mut().expect("a layout has lines");
                last.text.push(')');
                last.end = expr.span.end;
                lines
            }
            ExprKind::Not(inner) => {
                let mut lines = self.layout(inner, column + 4, block, false, None);
                lines[0].text.insert_str(0, "not ");
                lines[0].start = expr.span.start;
                lines
            }
            ExprKind::Compare(
                compare @ Compare {
                    value: Value::List(items, list),
                    ..
                },
            ) => {
                let head = format!(
                    "{}.{} {} [",
                    compare.object.text,
                    compare.field.text,
                    compare.op.as_str()
                );
                let item_indent = format!("{block}{INDENT}");
                // A comment before the `[` goes before the line: after it, it would be in the list.
                let mut lines = vec![Line {
                    flush_before: list.start,
                    ..Line::new("", head, expr.span.start, list.start + 1)
                }];
                for (i, item) in items.iter().enumerate() {
                    lines.push(Line {
                        keep_blank: i > 0,
                        ..Line::new(
                            &item_indent,
                            format!("{},", self.literal(item)),
                            item.span.start,
                            item.span.end,
                        )
                    });
                }
                lines.push(Line {
                    comment_indent: item_indent,
                    keep_blank: false,
                    ..Line::new(block, "]".to_string(), list.end.saturating_sub(1), list.end)
                });
                lines
            }
            _ => vec![Line::new(
                "",
                self.expression(expr),
                expr.span.start,
                expr.span.end,
            )],
        }
    }

    /// Whether `expr` holds a comment that only a line break inside it can keep in place (see
    /// [`Printer::layout`]).
    fn must_break(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::And(operands) | ExprKind::Or(operands) => {
                let (first, last) = (&operands[0], &operands[operands.len() - 1]);
                self.has_comment(first.span.start, last.span.start)
                    || operands.iter().any(|operand| self.must_break(operand))
            }
            ExprKind::Paren(inner) | ExprKind::Not(inner) => self.must_break(inner),
            ExprKind::Compare(Compare {
                value: Value::List(_, list),
                ..
            }) => self.has_comment(list.start, list.end),
            _ => false,
        }
    }

    /// Whether a comment starts in `start..end`.
    fn has_comment(&self, start: u32, end: u32) -> bool {
        let first = self.comments.partition_point(|c| c.start < start);
        self.comments.get(first).is_some_and(|c| c.start < end)
    }

    /// An expression on one line.
    fn expression(&self, expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Or(operands) => operands
                .iter()
                .map(|operand| self.expression(operand))
                .collect::<Vec<_>>()
                .join(" or "),
            ExprKind::And(operands) => operands
                .iter()
                .map(|operand| self.expression(operand))
                .collect::<Vec<_>>()
                .join(" and "),
            ExprKind::Not(inner) => format!("not {}", self.expression(inner)),
            ExprKind::Paren(inner) => format!("({})", self.expression(inner)),
            ExprKind::Ref(name) => name.text.clone(),
            ExprKind::Compare(Compare {
                object,
                field,
                op,
                value,
                ..
            }) => {
                let value = match value {
                    Value::Text(text) => self.literal(text),
                    Value::List(items, _) => {
                        format!(
                            "[{}]",
                            items
                                .iter()
                                .map(|t| self.literal(t))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                    Value::Word(word) => word.text.clone(),
                    Value::Integer(number) => number.value.to_string(),
                    Value::Error(_) => String::new(),
                };
                format!("{}.{} {} {value}", object.text, field.text, op.as_str())
            }
            ExprKind::Error => String::new(),
        }
    }

    /// The string literal for `text`, as [`quote`] writes it except that each text-direction
    /// character the author wrote as it is stays so: formatting adds and removes no W0107.
    fn literal(&self, text: &Text) -> String {
        let written = self.source_between(text.span.start, text.span.end);
        if !written
            .chars()
            .any(|c| lexer::text_direction_name(c).is_some())
        {
            return quote(&text.value);
        }
        let escaped = escaped_chars(written);
        quote_keeping(&text.value, |i| !escaped.get(i).copied().unwrap_or(true))
    }
}

/// A string literal for `value`, escaping what the lexer requires, control characters and
/// the text-direction characters (which would otherwise be invisible in the file).
pub fn quote(value: &str) -> String {
    quote_keeping(value, |_| false)
}

/// [`quote`], except that the text-direction characters at the indices (in characters) for
/// which `keep_raw` holds are written as they are.
fn quote_keeping(value: &str, keep_raw: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if lexer::text_direction_name(c).is_some() && keep_raw(i) => out.push(c),
            c if c.is_control() || lexer::text_direction_name(c).is_some() => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// For each character of the value of the well-formed string literal `written` (quotes
/// included), whether it was written as an escape.
fn escaped_chars(written: &str) -> Vec<bool> {
    let body = written.strip_prefix('"').unwrap_or(written);
    let body = body.strip_suffix('"').unwrap_or(body);
    let mut escaped = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.next() == Some('u') {
                chars.by_ref().find(|&c| c == '}');
            }
            escaped.push(true);
        } else {
            escaped.push(false);
        }
    }
    escaped
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
    fn comments_inside_lists_and_between_operands_stay_in_place() {
        let source = "condition pricing = visitor.page_url contains [\n    \"pricing\", // the main page\n    // plans too\n    \"plans\"\n]\n\nmessage \"M\" {\n    when pricing\n    // on iOS\n    and device.language is \"fr\"\n    after screen_open 30s\n    frequency every_time\n}\n";
        let formatted = format_source(source).unwrap();
        assert_eq!(
            formatted,
            "condition pricing = visitor.page_url contains [\n    \"pricing\", // the main page\n    // plans too\n    \"plans\",\n]\n\nmessage \"M\" {\n    when pricing\n     // on iOS\n     and device.language is \"fr\"\n    after screen_open 30s\n    frequency every_time\n}\n"
        );
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
    fn text_direction_characters_in_strings_keep_their_spelling() {
        // `quote` has no source: it escapes them.
        assert_eq!(quote("a\u{202e}b\u{2069}"), "\"a\\u{202e}b\\u{2069}\"");
        // From source, an escape stays an escape and a raw character stays raw (W0107 says so
        // and offers the escape), so formatting neither hides nor adds a warning.
        let source = "condition c = visitor.page_title is \"\\u{202e}x\u{202e}\\n\\u{41}\"\n";
        assert_eq!(
            format_source(source).as_deref(),
            Some("condition c = visitor.page_title is \"\\u{202e}x\u{202e}\\nA\"\n")
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
