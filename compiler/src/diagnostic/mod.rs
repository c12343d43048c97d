//! The one diagnostic type of the compiler core, and its renderers at the edges.
//!
//! Every phase (lexer, parser, account loader, checker, lints) reports [`Diagnostic`]s: a stable
//! [`Code`], a [`Severity`], a message written as a plain sentence, a primary [`Label`], any
//! secondary labels, notes, a help line, and, where the compiler knows exactly what to write,
//! a machine-applicable [`Fix`]. Nothing in the core renders: [`render`] turns diagnostics into
//! terminal reports (ariadne), JSON, SARIF 2.1.0 or GitHub workflow annotations, and the language
//! server converts them in its own single conversion module.

mod codes;
mod excerpt;
pub mod render;

pub use codes::Code;

use crate::source::Span;

/// How serious a diagnostic is. Only errors make `pmc` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is wrong; no bundle is built.
    Error,
    /// The input compiles but is very likely not what the author meant.
    Warning,
    /// Information worth knowing; nothing is wrong.
    Note,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A span with an explanation of what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there, as a short phrase (may be empty for the primary label).
    pub message: String,
}

/// One text replacement of a [`Fix`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes to replace (empty to insert).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// A machine-applicable change that resolves a diagnostic: editors offer it as a quick fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What applying it does, e.g. "replace with `page_title`".
    pub title: String,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that replaces `span` with `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Fix {
        let replacement = replacement.into();
        let title = if span.start == span.end {
            format!("insert `{}`", replacement.trim())
        } else {
            format!("replace with `{replacement}`")
        };
        Fix {
            title,
            edits: vec![Edit { span, replacement }],
        }
    }

    /// A fix with an explicit title.
    pub fn titled(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
        }
    }
}

/// A problem (or note) found in the input, with everything needed to explain and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, see [`Code`].
    pub code: Code,
    /// Usually the code's default severity.
    pub severity: Severity,
    /// The problem as one plain sentence, without a trailing period.
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Other places that explain it (the first definition of a duplicate, …).
    pub secondary: Vec<Label>,
    /// Extra facts, each a sentence.
    pub notes: Vec<String>,
    /// What to do about it, e.g. "did you mean `page_title`?".
    pub help: Option<String>,
    /// The exact edit that resolves it, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with `code`'s default severity, reported at `span`.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the fix.
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    /// Sets the help to "did you mean `X`?" and the fix to replacing `span` with `X`, when a
    /// suggestion exists.
    pub fn with_suggestion(self, span: Span, suggestion: Option<&str>) -> Diagnostic {
        match suggestion {
            Some(word) => self
                .with_help(format!("did you mean `{word}`?"))
                .with_fix(Fix::replace(span, word)),
            None => self,
        }
    }

    /// Like [`Diagnostic::with_suggestion`] for a string literal: the help and the fix write the
    /// suggestion in quotes (`did you mean "Acme iOS"?`).
    pub fn with_string_suggestion(self, span: Span, suggestion: Option<&str>) -> Diagnostic {
        let literal = suggestion.map(quoted);
        self.with_suggestion(span, literal.as_deref())
    }

    /// Changes the severity.
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A name as a string literal: `"Acme iOS"`.
pub fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// Sorts diagnostics into reading order: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            a.primary.span.file,
            a.primary.span.start,
            a.code,
            &a.message,
        )
            .cmp(&(
                b.primary.span.file,
                b.primary.span.start,
                b.code,
                &b.message,
            ))
    });
}
