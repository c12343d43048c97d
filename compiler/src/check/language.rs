//! `device.language` comparisons: checking their tags against the supported list (`E0305`),
//! lowering `is "TAG"` and `is [LIST]` (any item), and the lint `W0108` for a tag that an
//! `or` (or a list) already covers with a wider one.
//!
//! Whether one tag is inside another is the VM's own matching
//! ([`LanguageTag::is_inside`]), so the lint says exactly what devices will do.

use foldhash::{HashSet, HashSetExt};
use pm_vm::language::LanguageTag;

use super::report::{quote_word, report_duplicate_items, unexpected_number};
use crate::diagnostic::{Code, Diagnostic, Edit, Fix, Severity};
use crate::languages::{self, LANGUAGES};
use crate::model::{Cond, SharedCond, Test};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Expr, ExprKind, Op, Text, Value};

/// Lowers the value of `device.language is …`: one tag, or a list holding when any item
/// matches. `None` after reporting an error.
pub fn language_cond(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<SharedCond> {
    match value {
        Value::Text(text) => Some(Cond::test(language_test(text, diagnostics)?)),
        Value::List(items, _) => {
            report_duplicate_items(items, diagnostics);
            let mut seen = HashSet::with_capacity(items.len());
            let tests: Vec<Option<SharedCond>> = items
                .iter()
                .filter(|item| seen.insert(languages::normalize(&item.value)))
                .map(|item| language_test(item, diagnostics).map(Cond::test))
                .collect();
            let mut tests: Vec<SharedCond> = tests.into_iter().collect::<Option<_>>()?;
            // Each item is a group of its own: any two are compared.
            let spans: Vec<Span> = items.iter().map(|item| item.span).collect();
            let tags = items.iter().enumerate().map(|(i, text)| Tag {
                text,
                group: i,
                removal: removal(&spans, i),
            });
            report_tags_inside_others(tags.collect(), diagnostics);
            Some(if tests.len() == 1 {
                tests.remove(0)
            } else {
                Cond::Or(tests)
            })
        }
        Value::Word(word) => {
            diagnostics.push(quote_word(word, "a language tag in quotes"));
            None
        }
        Value::Integer(number) => {
            diagnostics.push(unexpected_number(number, "a language tag in quotes"));
            None
        }
        Value::Error(_) => None,
    }
}

/// `is "TAG"` for a supported tag; `E0305` with the closest tag (or the language of a
/// regional tag) for any other.
fn language_test(text: &Text, diagnostics: &mut Vec<Diagnostic>) -> Option<Test> {
    let tag = languages::normalize(&text.value);
    if languages::name_of(&tag).is_some() {
        return Some(Test::LanguageIs(tag));
    }
    // A misspelt tag, or a language written by name ("japanese" → "ja").
    let by_name = || {
        did_you_mean(&text.value, LANGUAGES.iter().map(|(_, name)| *name))
            .and_then(|name| LANGUAGES.iter().find(|(_, n)| *n == name))
            .map(|(tag, _)| *tag)
    };
    let suggestion = did_you_mean(&tag, LANGUAGES.iter().map(|(t, _)| *t)).or_else(by_name);
    let base = tag.split('-').next().unwrap_or("");
    let diagnostic = Diagnostic::new(
        Code::E0305,
        text.span,
        format!("\"{}\" is not a supported language tag", text.value),
    )
    .with_label("unknown language tag");
    diagnostics.push(match (languages::name_of(base), suggestion) {
        (Some(name), _) if base != tag => diagnostic
            .with_help(format!(
                "use \"{base}\" ({name}), which also matches its regional variants"
            ))
            .with_fix(Fix::replace(text.span, format!("\"{base}\""))),
        (_, Some(s)) => diagnostic.with_string_suggestion(text.span, Some(s)),
        _ => {
            diagnostic.with_note("`pmc explain E0305` and docs/language.md list the supported tags")
        }
    });
    None
}

/// `W0108` for each tag of the operands of one `or` (`device.language is "…"`, possibly in
/// parentheses, or the items of `is [...]`) that a tag of another operand covers.
pub fn lint_or(operands: &[Expr], diagnostics: &mut Vec<Diagnostic>) {
    let spans: Vec<Span> = operands.iter().map(|o| o.span).collect();
    let mut found = Vec::new();
    for (group, operand) in operands.iter().enumerate() {
        let mut expr = operand;
        while let ExprKind::Paren(inner) = &expr.kind {
            expr = inner;
        }
        let ExprKind::Compare(compare) = &expr.kind else {
            continue;
        };
        if compare.object.text != "device"
            || compare.field.text != "language"
            || compare.op != Op::Is
        {
            continue;
        }
        match &compare.value {
            Value::Text(text) => found.push(Tag {
                text,
                group,
                removal: removal(&spans, group),
            }),
            Value::List(items, _) => found.extend(list_tags(items, group)),
            _ => {}
        }
    }
    report_tags_inside_others(found, diagnostics);
}

/// A tag the lint compares: its literal, which operand of the `or` (or item of the list) it
/// belongs to, and what removing it takes out.
struct Tag<'t> {
    text: &'t Text,
    group: usize,
    removal: Span,
}

/// The tags of a list that is one operand (`group`) of an `or`.
fn list_tags(items: &[Text], group: usize) -> impl Iterator<Item = Tag<'_>> {
    let spans: Vec<Span> = items.iter().map(|item| item.span).collect();
    items.iter().enumerate().map(move |(i, text)| Tag {
        text,
        group,
        removal: removal(&spans, i),
    })
}

/// What removing element `i` of `spans` (in source order) takes out: the element and the
/// separator after it, or before it for the last one.
fn removal(spans: &[Span], i: usize) -> Span {
    let mut span = spans[i];
    match (
        spans.get(i + 1),
        i.checked_sub(1).and_then(|p| spans.get(p)),
    ) {
        (Some(next), _) => span.end = next.start,
        (None, Some(previous)) => span.start = previous.end,
        (None, None) => {}
    }
    span
}

/// `W0108` at each supported tag of `tags` inside another, different one of another group
/// (the first such one), unless the two are equivalent, with a fix removing it.
fn report_tags_inside_others(tags: Vec<Tag<'_>>, diagnostics: &mut Vec<Diagnostic>) {
    // Supported tags only (others are errors already), each once: at most the list's length.
    let mut seen = HashSet::new();
    let tags: Vec<(Tag, String, LanguageTag)> = tags
        .into_iter()
        .filter_map(|tag| {
            let text = languages::normalize(&tag.text.value);
            (languages::name_of(&text).is_some() && seen.insert(text.clone())).then(|| {
                let parsed = LanguageTag::rule(&text);
                (tag, text, parsed)
            })
        })
        .collect();
    for (inner, inner_tag, inner_parsed) in &tags {
        let outer = tags.iter().find(|(outer, outer_tag, outer_parsed)| {
            outer.group != inner.group
                && outer_tag != inner_tag
                && inner_parsed.is_inside(outer_parsed)
                && !outer_parsed.is_inside(inner_parsed)
        });
        if let Some((outer, outer_tag, _)) = outer {
            diagnostics.push(
                Diagnostic::new(
                    Code::W0108,
                    inner.text.span,
                    format!(
                        "`{inner_tag}` is inside `{outer_tag}`: every device it matches also matches `{outer_tag}`"
                    ),
                )
                .with_label(format!("already matched by `{outer_tag}`"))
                .with_secondary(outer.text.span, format!("matches every `{inner_tag}` device"))
                .with_help(format!(
                    "remove \"{inner_tag}\", which changes nothing; if only `{inner_tag}` devices were meant, remove \"{outer_tag}\" instead"
                ))
                .with_fix(Fix::titled(
                    format!("remove \"{inner_tag}\""),
                    vec![Edit {
                        span: inner.removal,
                        replacement: String::new(),
                    }],
                ))
                .with_severity(Severity::Warning),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::diagnostic::Code;
    use crate::source::SourceMap;

    /// Each `W0108` of `pm`: the tag it points at and what its fix removes.
    fn inside_warnings(pm: &str) -> Vec<(String, String)> {
        let mut sources = SourceMap::new();
        let account = sources.add(
            "account.toml",
            "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\n",
        );
        let file = sources.add("a.pm", pm);
        analyze(&sources, Some(account), &[file])
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::W0108)
            .map(|d| {
                let edit = &d.fix.as_ref().expect("a fix").edits[0];
                (
                    pm[d.primary.span.range()].to_string(),
                    pm[edit.span.range()].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_tag_inside_another_of_one_or_or_list_is_reported_once_with_its_removal() {
        let pm = r#"condition a = device.language is "zh-tw" or device.language is "zh-hant"
condition b = device.language is ["zh-tw", "fr"] or (device.language is "zh-hant")
condition c = device.language is ["es-419", "es-mx"] or device.language is "fr-ca"
condition d = device.language is "zh-hant" or device.language is "zh-hans"
condition e = device.language is "zh-tw" and device.language is "zh-hant"
"#;
        let quoted = |s: &str| format!("\"{s}\"");
        assert_eq!(
            inside_warnings(pm),
            [
                (
                    quoted("zh-tw"),
                    "device.language is \"zh-tw\" or ".to_string()
                ),
                (quoted("zh-tw"), "\"zh-tw\", ".to_string()),
                (quoted("es-mx"), ", \"es-mx\"".to_string()),
            ]
        );
    }
}
