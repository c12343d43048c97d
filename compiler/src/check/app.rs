//! `app.version` and `app.build`: typing their values and lowering them to
//! [`Test::AppVersion`] and [`Test::AppBuild`]. A version literal must parse as the VM parses
//! versions (`E0316`, pointing at the first bad character inside the string); a build number is
//! an integer (`E0304` otherwise).

use pm_vm::version::{Order, Version, VersionProblem};

use super::report::{quote_word, unexpected_number};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::model::Test;
use crate::source::Span;
use crate::syntax::ast::{Op, Text, Value};

/// What versions look like, for help texts.
const VERSION_FORM: &str = "a version is one to four numbers separated by dots (\"5\", \"5.2\", \
                            \"5.2.1\"), optionally followed by a pre-release (\"5.2.0-beta.1\") \
                            and build metadata (\"5.2.0+5210\", ignored)";

/// The order a checked operator of `app.version` or `app.build` compares with (`is not` is
/// `not` of `is`, which the caller applies).
fn order_of(op: Op) -> Order {
    match op {
        Op::Lt => Order::Lt,
        Op::Le => Order::Le,
        Op::Gt => Order::Gt,
        Op::Ge => Order::Ge,
        _ => Order::Is,
    }
}

/// Lowers `app.version OP value`; `None` after reporting an error.
pub fn version_test(op: Op, value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Test> {
    match value {
        Value::Text(text) => match Version::parse(&text.value) {
            Ok(_) => {
                // The build metadata is ignored: the bundle holds the version without it.
                let canonical = text.value.split('+').next().unwrap_or_default();
                Some(Test::AppVersion(order_of(op), canonical.to_owned()))
            }
            Err(error) => {
                diagnostics.push(bad_version(text, error.at, error.problem));
                None
            }
        },
        Value::Integer(number) => {
            diagnostics.push(
                unexpected_number(number, "a version in quotes")
                    .with_help(format!("versions are strings: write \"{}\"", number.value))
                    .with_fix(Fix::replace(number.span, format!("\"{}\"", number.value))),
            );
            None
        }
        Value::Word(word) => {
            diagnostics.push(quote_word(word, "a version in quotes"));
            None
        }
        Value::List(_, span) => {
            diagnostics.push(one_value_not_a_list(*span, op, "one version"));
            None
        }
        Value::Error(_) => None,
    }
}

/// Lowers `app.build OP value`; `None` after reporting an error.
pub fn build_test(op: Op, value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Test> {
    match value {
        Value::Integer(number) => Some(Test::AppBuild(order_of(op), number.value)),
        Value::Text(text) => {
            let diagnostic = Diagnostic::new(
                Code::E0304,
                text.span,
                "`app.build` compares with a whole number, not a string",
            )
            .with_label("a string");
            diagnostics.push(match text.value.trim().parse::<i64>() {
                Ok(number) => diagnostic
                    .with_help(format!("remove the quotes: {number}"))
                    .with_fix(Fix::replace(text.span, number.to_string())),
                Err(_) => diagnostic.with_help(
                    "write the build number without quotes, such as `app.build >= 5210`; \
                     to compare versions, use `app.version`",
                ),
            });
            None
        }
        Value::Word(word) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0304,
                    word.span,
                    format!("expected a whole number, found the word `{}`", word.text),
                )
                .with_label("not a number")
                .with_help("write the build number, such as `app.build >= 5210`"),
            );
            None
        }
        Value::List(_, span) => {
            diagnostics.push(one_value_not_a_list(*span, op, "one build number"));
            None
        }
        Value::Error(_) => None,
    }
}

/// `E0304` for a list where one value belongs.
fn one_value_not_a_list(span: Span, op: Op, one: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        span,
        format!("`{}` compares with {one}, not a list", op.as_str()),
    )
    .with_label("a list")
    .with_help("combine comparisons with `or` to accept any of several values")
}

/// `E0316` at the first bad character of the version literal `text` (byte `at` of its value).
fn bad_version(text: &Text, at: usize, problem: VersionProblem) -> Diagnostic {
    let span = inside(text, at);
    let hint = match problem {
        VersionProblem::Empty | VersionProblem::ExpectedDigit => {
            "each part of a version before `-` or `+` is a number".to_string()
        }
        VersionProblem::TooManyComponents => {
            "compare with at most four numbers; missing ones count as 0".to_string()
        }
        VersionProblem::ComponentTooLarge => "each number is at most 4294967295".to_string(),
        VersionProblem::EmptyIdentifier => {
            "each part after `-` or `+` is letters, digits or `-`, separated by dots".to_string()
        }
        VersionProblem::UnexpectedCharacter => VERSION_FORM.to_string(),
        VersionProblem::TooLong => "a version is at most 255 bytes long".to_string(),
    };
    Diagnostic::new(
        Code::E0316,
        span,
        format!("{:?} is not a version", text.value),
    )
    .with_label(problem.to_string())
    .with_help(hint)
    .with_note(VERSION_FORM)
}

/// The span of the character at byte `at` of `text`'s value inside its literal (its closing
/// quote when `at` is the end). A literal with escapes is longer than its value, and then the
/// whole literal is the span: offsets of the value are not offsets of the source.
fn inside(text: &Text, at: usize) -> Span {
    let literal = text.span.range();
    if literal.len() != text.value.len() + 2 {
        return text.span;
    }
    let start = literal.start + 1 + at;
    let width = text
        .value
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8);
    Span::new(text.span.file, start..start + width)
}
