//! The checker's reporters: the shapes of diagnostic that many checks share, written once.
//!
//! "Unknown X, did you mean …" for a word of the language ([`unknown_keyword`]) and for a name
//! of the account ([`unknown_name`]); "X again, first given here" ([`duplicate`], and
//! [`report_duplicate_items`] for list items); and the lists that notes and labels spell out
//! (`` `a`, `b` or `c` ``, `"a", "b"`); "expected a string, found the word" ([`quote_word`]).
//! The account loader uses them too.

use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Code, Diagnostic, Fix, Severity, quoted};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Integer, Name, Text};
use crate::vocabulary::{self, Word};

/// `E0310` for a word outside `known`, with the closest one: "`x` is not {what}", labelled
/// "expected `a`, `b` or `c`".
pub fn unknown_keyword(word: &Name, known: &[Word], what: &str) -> Diagnostic {
    let known = vocabulary::names(known);
    let suggestion = did_you_mean(&word.text, known.iter().copied());
    Diagnostic::new(
        Code::E0310,
        word.span,
        format!("`{}` is not {what}", word.text),
    )
    .with_label(format!("expected {}", or_list(&known)))
    .with_suggestion(word.span, suggestion)
}

/// `message` at `span` for a name (a string literal) that names nothing, labelled "unknown
/// {what}", suggesting the closest candidate of the first tier that has one: the likeliest
/// names first (a brand's own channels), then all of them.
pub fn unknown_name(
    code: Code,
    span: Span,
    message: String,
    what: &str,
    name: &str,
    tiers: &[&[&str]],
) -> Diagnostic {
    let suggestion = tiers
        .iter()
        .find_map(|tier| did_you_mean(name, tier.iter().copied()));
    Diagnostic::new(code, span, message)
        .with_label(format!("unknown {what}"))
        .with_string_suggestion(span, suggestion)
}

/// `message` at `second`, something given again, labelled `label`, with `first` shown as
/// `first_label` ("first defined here").
pub fn duplicate(
    code: Code,
    second: Span,
    message: String,
    label: &str,
    first: Span,
    first_label: &str,
) -> Diagnostic {
    Diagnostic::new(code, second, message)
        .with_label(label)
        .with_secondary(first, first_label)
}

/// How many duplicates of one list get a `W0105` each; the others are counted in one more.
/// Each report shows the item's line, so a list of thousands of items on one line with
/// thousands of duplicates would otherwise print that line thousands of times.
pub const MAX_DUPLICATE_ITEMS_REPORTED: usize = 16;

/// `W0105` for each item that repeats an earlier one (compared as the runtime does): one per
/// duplicate for the first [`MAX_DUPLICATE_ITEMS_REPORTED`], then one at the next duplicate
/// that counts it and all after it.
pub fn report_duplicate_items(items: &[Text], diagnostics: &mut Vec<Diagnostic>) {
    let mut first_of: HashMap<String, &Text> = HashMap::with_capacity(items.len());
    let mut duplicates = Vec::new();
    for item in items {
        match first_of.entry(item.value.to_lowercase()) {
            Entry::Occupied(first) => {
                duplicates.push((item, *first.get()));
            }
            Entry::Vacant(slot) => {
                slot.insert(item);
            }
        }
    }
    let (each, rest) = duplicates.split_at(duplicates.len().min(MAX_DUPLICATE_ITEMS_REPORTED));
    for &(item, first) in each {
        diagnostics.push(
            duplicate(
                Code::W0105,
                item.span,
                format!("\"{}\" is already in this list", item.value),
                "duplicate item",
                first.span,
                "first listed here",
            )
            .with_severity(Severity::Warning),
        );
    }
    if let [(item, first), ..] = rest {
        diagnostics.push(
            duplicate(
                Code::W0105,
                item.span,
                format!(
                    "{} more items repeat earlier ones of this list, from \"{}\" on",
                    rest.len(),
                    item.value
                ),
                "the first of them",
                first.span,
                "first listed here",
            )
            .with_note(format!(
                "the first {MAX_DUPLICATE_ITEMS_REPORTED} duplicates of a list are reported one \
                 by one, the others together"
            ))
            .with_severity(Severity::Warning),
        );
    }
}

/// `` `a`, `b` and `c` ``.
pub fn backticked(items: &[&str]) -> String {
    listed(items, |i| format!("`{i}`"), " and ")
}

/// `` `a`, `b` or `c` ``.
pub fn or_list(items: &[&str]) -> String {
    listed(items, |i| format!("`{i}`"), " or ")
}

/// Names as string literals, comma-separated: `"Acme", "Acme Travel"`.
pub fn quoted_list(names: &[&str]) -> String {
    listed(names, quoted, ", ")
}

/// Names as string literals, the last after "or": `"release" or "keep"`.
pub fn quoted_or_list(names: &[&str]) -> String {
    listed(names, quoted, " or ")
}

/// `items`, each written by `write`, comma-separated, the last after `last`.
fn listed(items: &[&str], write: impl Fn(&str) -> String, last: &str) -> String {
    let words: Vec<String> = items.iter().map(|i| write(i)).collect();
    match words.as_slice() {
        [init @ .., final_word] if !init.is_empty() => {
            format!("{}{last}{final_word}", init.join(", "))
        }
        _ => words.concat(),
    }
}

/// `E0304` for a bare word where a string is expected, with a fix adding the quotes.
pub fn quote_word(word: &Name, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        word.span,
        format!("expected {expected}, found the word `{}`", word.text),
    )
    .with_label("not a string")
    .with_help(format!("write it in quotes: \"{}\"", word.text))
    .with_fix(Fix::replace(word.span, format!("\"{}\"", word.text)))
}

/// `E0304` for a number where `expected` (a string, a word) belongs.
pub fn unexpected_number(number: &Integer, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        number.span,
        format!("expected {expected}, found the number `{}`", number.value),
    )
    .with_label("a number")
}

#[cfg(test)]
mod tests {
    use super::{
        MAX_DUPLICATE_ITEMS_REPORTED, backticked, or_list, quoted_list, quoted_or_list,
        report_duplicate_items,
    };
    use crate::diagnostic::Code;
    use crate::source::{FileId, Span};
    use crate::syntax::ast::Text;

    #[test]
    fn a_list_of_many_duplicates_gets_a_bounded_number_of_reports() {
        // "a0", "A0", "a1", "A1", …: 100 duplicates, compared without case.
        let items: Vec<Text> = (0..200usize)
            .map(|i| Text {
                value: if i % 2 == 0 {
                    format!("a{}", i / 2)
                } else {
                    format!("A{}", i / 2)
                },
                span: Span::new(FileId(0), i * 10..i * 10 + 4),
                source: None,
            })
            .collect();
        let mut diagnostics = Vec::new();
        report_duplicate_items(&items, &mut diagnostics);
        assert_eq!(diagnostics.len(), MAX_DUPLICATE_ITEMS_REPORTED + 1);
        assert!(diagnostics.iter().all(|d| d.code == Code::W0105));
        assert_eq!(diagnostics[0].message, "\"A0\" is already in this list");
        let last = diagnostics.last().unwrap();
        assert_eq!(
            last.message,
            "84 more items repeat earlier ones of this list, from \"A16\" on"
        );
        assert_eq!(last.primary.span, items[33].span);
        assert_eq!(last.secondary[0].span, items[32].span);
        // Up to the bound, one report per duplicate and no summary.
        diagnostics.clear();
        report_duplicate_items(&items[..2 * MAX_DUPLICATE_ITEMS_REPORTED], &mut diagnostics);
        assert_eq!(diagnostics.len(), MAX_DUPLICATE_ITEMS_REPORTED);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(backticked(&[]), "");
        assert_eq!(backticked(&["a"]), "`a`");
        assert_eq!(backticked(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(or_list(&["a", "b"]), "`a` or `b`");
        assert_eq!(
            quoted_list(&["Acme", "Acme Travel"]),
            "\"Acme\", \"Acme Travel\""
        );
        assert_eq!(quoted_list(&[]), "");
        assert_eq!(
            quoted_or_list(&["release", "keep"]),
            "\"release\" or \"keep\""
        );
    }
}
