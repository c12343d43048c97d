//! `device.language` comparisons: checking their tags against the supported list (`E0305`),
//! lowering `is "TAG"` and `is [LIST]` (any item), and the lint `W0108` for a tag that an
//! `or` (or a list) already covers with a wider one.
//!
//! Whether one tag is inside another is the VM's own matching
//! ([`LanguageTag::is_inside`]), so the lint says exactly what devices will do.

use foldhash::{HashSet, HashSetExt};
use pm_vm::language::LanguageTag;

use super::report::{quote_word, report_duplicate_items};
use crate::diagnostic::{Code, Diagnostic, Fix, Severity};
use crate::languages::{self, LANGUAGES};
use crate::model::{Cond, SharedCond, Test};
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
            report_tags_inside_others(items.iter(), diagnostics);
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
/// parentheses, or the items of `is [...]`) that another of them covers.
pub fn lint_or(operands: &[Expr], diagnostics: &mut Vec<Diagnostic>) {
    fn tags<'e>(expr: &'e Expr, out: &mut Vec<&'e Text>) {
        match &expr.kind {
            ExprKind::Paren(inner) => tags(inner, out),
            ExprKind::Compare(compare)
                if compare.object.text == "device"
                    && compare.field.text == "language"
                    && compare.op == Op::Is =>
            {
                match &compare.value {
                    Value::Text(text) => out.push(text),
                    Value::List(items, _) => out.extend(items),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    operands.iter().for_each(|o| tags(o, &mut found));
    report_tags_inside_others(found.into_iter(), diagnostics);
}

/// `W0108` at each supported tag of `texts` inside another, different one of them (the
/// first such one), unless the two are equivalent.
fn report_tags_inside_others<'t>(
    texts: impl Iterator<Item = &'t Text>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Supported tags only (others are errors already), each once: at most the list's length.
    let mut seen = HashSet::new();
    let tags: Vec<(&Text, String, LanguageTag)> = texts
        .filter_map(|text| {
            let tag = languages::normalize(&text.value);
            (languages::name_of(&tag).is_some() && seen.insert(tag.clone())).then(|| {
                let parsed = LanguageTag::rule(&tag);
                (text, tag, parsed)
            })
        })
        .collect();
    for (inner, inner_tag, inner_parsed) in &tags {
        let outer = tags.iter().find(|(_, outer_tag, outer_parsed)| {
            outer_tag != inner_tag
                && inner_parsed.is_inside(outer_parsed)
                && !outer_parsed.is_inside(inner_parsed)
        });
        if let Some((outer, outer_tag, _)) = outer {
            diagnostics.push(
                Diagnostic::new(
                    Code::W0108,
                    inner.span,
                    format!(
                        "`{inner_tag}` is inside `{outer_tag}`: every device it matches also matches `{outer_tag}`"
                    ),
                )
                .with_label(format!("already matched by `{outer_tag}`"))
                .with_secondary(outer.span, format!("matches every `{inner_tag}` device"))
                .with_help(format!(
                    "remove \"{inner_tag}\", which changes nothing; if only `{inner_tag}` devices were meant, remove \"{outer_tag}\" instead"
                ))
                .with_severity(Severity::Warning),
            );
        }
    }
}
