//! Conditions: typing comparisons, resolving named conditions, and lowering to [`Cond`].
//!
//! Each named condition is checked and lowered exactly once (memoized), whether it is used by
//! a message, by another condition, or not at all, so its diagnostics appear once. Cycles are
//! found while lowering: reaching a condition that is still being lowered is `E0307`.

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Code, Diagnostic, Fix, Severity};
use crate::languages::{self, LANGUAGES};
use crate::model::{Cond, Test};
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Compare, ConditionDef, Expr, ExprKind, Name, Op, Text, Value};
use crate::truth::{self, ConstantValues};

/// The objects conditions compare, with their fields.
pub const OBJECTS: &[(&str, &[&str])] = &[
    ("visitor", &["page_url", "page_title", "visit_history"]),
    ("device", &["language"]),
];

/// The operators a field accepts.
pub fn operators_of(field: &str) -> &'static [Op] {
    match field {
        "page_url" | "page_title" => &[Op::Is, Op::IsNot, Op::Contains, Op::NotContains],
        _ => &[Op::Is, Op::IsNot],
    }
}

/// The values of `visitor.visit_history`.
pub const VISIT_HISTORY_VALUES: &[&str] = &["new", "returning"];

enum State {
    InProgress,
    Done(Option<Cond>),
}

/// Named conditions of a bundle and their lowered forms.
pub struct Conditions<'a> {
    definitions: HashMap<&'a str, &'a ConditionDef>,
    states: HashMap<&'a str, State>,
    uses: HashMap<&'a str, usize>,
    constants: ConstantValues,
}

impl<'a> Conditions<'a> {
    /// Collects the definitions (`E0308` for a name defined twice; the first one counts).
    pub fn new(
        definitions: impl Iterator<Item = &'a ConditionDef>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut map: HashMap<&'a str, &'a ConditionDef> = HashMap::new();
        for def in definitions {
            if let Some(first) = map.get(def.name.text.as_str()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0308,
                        def.name.span,
                        format!("the condition `{}` is defined more than once", def.name.text),
                    )
                    .with_label("defined again here")
                    .with_secondary(first.name.span, "first defined here")
                    .with_help("rename one of them; named conditions are shared by every file of the bundle"),
                );
            } else {
                map.insert(def.name.text.as_str(), def);
            }
        }
        Conditions {
            definitions: map,
            states: HashMap::new(),
            uses: HashMap::new(),
            constants: ConstantValues::default(),
        }
    }

    /// The definition of a named condition.
    pub fn definition(&self, name: &str) -> Option<&'a ConditionDef> {
        self.definitions.get(name).copied()
    }

    /// Lowers an expression; `None` when it (or a condition it uses) has errors, which are
    /// reported to `diagnostics`.
    pub fn lower(&mut self, expr: &'a Expr, diagnostics: &mut Vec<Diagnostic>) -> Option<Cond> {
        match &expr.kind {
            ExprKind::Or(operands) => self.lower_all(operands, diagnostics).map(Cond::Or),
            ExprKind::And(operands) => self.lower_all(operands, diagnostics).map(Cond::And),
            ExprKind::Not(operand) => self
                .lower(operand, diagnostics)
                .map(|c| Cond::Not(Box::new(c))),
            ExprKind::Paren(inner) => self.lower(inner, diagnostics),
            ExprKind::Ref(name) => self.lower_reference(name, diagnostics),
            ExprKind::Compare(compare) => lower_compare(compare, diagnostics),
            ExprKind::Error => None,
        }
    }

    fn lower_all(
        &mut self,
        operands: &'a [Expr],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Cond>> {
        let lowered: Vec<Option<Cond>> = operands
            .iter()
            .map(|o| self.lower(o, diagnostics))
            .collect();
        lowered.into_iter().collect()
    }

    fn lower_reference(
        &mut self,
        name: &'a Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Cond> {
        let Some(def) = self.definitions.get(name.text.as_str()).copied() else {
            diagnostics.push(unknown_reference(name, self.definitions.keys().copied()));
            return None;
        };
        *self.uses.entry(def.name.text.as_str()).or_default() += 1;
        self.lower_definition(def, Some(name), diagnostics)
    }

    fn lower_definition(
        &mut self,
        def: &'a ConditionDef,
        reference: Option<&Name>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Cond> {
        let key = def.name.text.as_str();
        match self.states.get(key) {
            Some(State::Done(cond)) => return cond.clone(),
            Some(State::InProgress) => {
                if let Some(reference) = reference {
                    diagnostics.push(
                        Diagnostic::new(Code::E0307, reference.span, format!("the condition `{key}` refers to itself"))
                            .with_label("this use closes a cycle")
                            .with_secondary(def.name.span, format!("`{key}` is defined here"))
                            .with_help("a named condition may not use itself, directly or through other conditions"),
                    );
                }
                return None;
            }
            None => {}
        }
        self.states.insert(key, State::InProgress);
        let cond = self.lower(&def.expr, diagnostics);
        self.states.insert(key, State::Done(cond.clone()));
        cond
    }

    /// Checks every definition once (also those no message uses), then reports unused ones
    /// (`W0101`) and constant ones (`W0103`/`W0104`). Call after every message was lowered.
    pub fn finish(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let mut definitions: Vec<&'a ConditionDef> = self.definitions.values().copied().collect();
        definitions.sort_by_key(|d| (d.name.span.file, d.name.span.start));
        let lowered: Vec<Option<Cond>> = definitions
            .iter()
            .map(|def| self.lower_definition(def, None, diagnostics))
            .collect();
        for (def, cond) in definitions.into_iter().zip(lowered) {
            if !self.uses.contains_key(def.name.text.as_str()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::W0101,
                        def.name.span,
                        format!("the condition `{}` is never used", def.name.text),
                    )
                    .with_label("defined here but used by no message or condition")
                    .with_help("use it in a `when` clause, or remove it"),
                );
            }
            if let Some(cond) = cond {
                self.lint_constant(&def.expr, &cond, diagnostics);
            }
        }
    }

    /// Reports the largest sub-expressions of `expr` that never or always hold; `cond` is what
    /// `expr` lowered to, and its parts are what the parts of `expr` lower to. The parts are
    /// decided in the contexts built for the whole (see [`truth::with_parts`]). Returns what
    /// `cond` is ([`truth::constant_value`]).
    pub fn lint_constant(
        &mut self,
        expr: &Expr,
        cond: &Cond,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<bool> {
        if matches!(expr.kind, ExprKind::Ref(_) | ExprKind::Error) {
            // A named condition is linted where it is defined; messages share its value.
            return self.constants.of(cond);
        }
        let decided = truth::with_parts(cond, |decide| {
            let value = decide(cond);
            lint_parts(expr, cond, value, decide, diagnostics);
            value
        });
        if decided.is_none() {
            // Too many contexts for the whole: each part is decided on its own.
            let constants = &mut self.constants;
            lint_parts(
                expr,
                cond,
                None,
                &mut |part| constants.of(part),
                diagnostics,
            );
        }
        decided.flatten()
    }
}

/// Reports `expr` when `value` (what `cond`, its lowered form, is: see [`crate::truth`]) says it
/// never or always holds, and otherwise its largest parts that do, deciding them with `decide`.
fn lint_parts(
    expr: &Expr,
    cond: &Cond,
    value: Option<bool>,
    decide: &mut dyn FnMut(&Cond) -> Option<bool>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut part = |expr: &Expr, cond: &Cond, diagnostics: &mut Vec<Diagnostic>| {
        if !matches!(expr.kind, ExprKind::Ref(_) | ExprKind::Error) {
            let value = decide(cond);
            lint_parts(expr, cond, value, decide, diagnostics);
        }
    };
    match value {
        Some(false) => diagnostics.push(
            Diagnostic::new(Code::W0103, expr.span, "this condition can never hold")
                .with_label("false for every visitor and device")
                .with_note("comparisons of the same field contradict each other"),
        ),
        Some(true) => diagnostics.push(
            Diagnostic::new(Code::W0104, expr.span, "this condition always holds")
                .with_label("true for every visitor and device")
                .with_help("remove it, or compare with what you meant"),
        ),
        None => match (&expr.kind, cond) {
            (ExprKind::Or(operands), Cond::Or(conds))
            | (ExprKind::And(operands), Cond::And(conds)) => {
                for (operand, cond) in operands.iter().zip(conds) {
                    part(operand, cond, diagnostics);
                }
            }
            (ExprKind::Not(inner), Cond::Not(cond)) => part(inner, cond, diagnostics),
            // The same condition, undecided too.
            (ExprKind::Paren(inner), _) => lint_parts(inner, cond, None, decide, diagnostics),
            _ => {}
        },
    }
}

fn unknown_reference<'n>(name: &Name, known: impl Iterator<Item = &'n str>) -> Diagnostic {
    let known: Vec<&str> = known.collect();
    let object = OBJECTS
        .iter()
        .map(|(o, _)| *o)
        .find(|o| strsim::damerau_levenshtein(o, &name.text) <= 2);
    let diagnostic = Diagnostic::new(
        Code::E0306,
        name.span,
        format!("there is no condition named `{}`", name.text),
    )
    .with_label("not a named condition");
    match (did_you_mean(&name.text, known.iter().copied()), object) {
        (Some(suggestion), _) => diagnostic.with_suggestion(name.span, Some(suggestion)),
        (None, Some(object)) => diagnostic.with_help(format!(
            "to compare a field, write `{object}.FIELD OPERATOR VALUE`"
        )),
        (None, None) => {
            diagnostic.with_help("define it with `condition NAME = …` in any file of the bundle")
        }
    }
}

/// Types a comparison and lowers it; reports `E0301`–`E0305`, `E0310` and `W0105`.
fn lower_compare(compare: &Compare, diagnostics: &mut Vec<Diagnostic>) -> Option<Cond> {
    let Compare {
        object,
        field,
        op,
        op_span,
        value,
    } = compare;
    let Some((_, fields)) = OBJECTS.iter().find(|(o, _)| *o == object.text) else {
        let suggestion = did_you_mean(&object.text, OBJECTS.iter().map(|(o, _)| *o));
        let diagnostic = Diagnostic::new(
            Code::E0301,
            object.span,
            format!("there is no object named `{}`", object.text),
        )
        .with_label("unknown object")
        .with_note("conditions compare fields of `visitor` and `device`");
        // `user.language`: the field names the object meant.
        let owner = OBJECTS
            .iter()
            .find(|(_, f)| f.contains(&field.text.as_str()))
            .map(|(o, _)| *o);
        diagnostics.push(match (suggestion, owner) {
            (Some(suggestion), _) => diagnostic.with_suggestion(object.span, Some(suggestion)),
            (None, Some(owner)) => diagnostic
                .with_help(format!("`{}` is a field of `{owner}`", field.text))
                .with_fix(Fix::replace(object.span, owner)),
            (None, None) => diagnostic,
        });
        return None;
    };
    if !fields.contains(&field.text.as_str()) {
        let suggestion = did_you_mean(&field.text, fields.iter().copied());
        let other = OBJECTS
            .iter()
            .find(|(o, f)| *o != object.text && f.contains(&field.text.as_str()));
        let mut diagnostic = Diagnostic::new(
            Code::E0302,
            field.span,
            format!("`{}` has no field named `{}`", object.text, field.text),
        )
        .with_label("unknown field")
        .with_note(format!(
            "the fields of `{}` are {}",
            object.text,
            backticked(fields)
        ));
        diagnostic = match other {
            Some((owner, _)) => diagnostic
                .with_help(format!("`{}` is a field of `{owner}`", field.text))
                .with_fix(Fix::replace(object.span, *owner)),
            None => diagnostic.with_suggestion(field.span, suggestion),
        };
        diagnostics.push(diagnostic);
        return None;
    }
    let field_name = field.text.as_str();
    if !operators_of(field_name).contains(op) {
        let valid: Vec<&str> = operators_of(field_name)
            .iter()
            .map(|o| o.as_str())
            .collect();
        let replacement = if op.is_negated() { "is not" } else { "is" };
        diagnostics.push(
            Diagnostic::new(
                Code::E0303,
                *op_span,
                format!(
                    "`{}` cannot be used with `{}.{}`",
                    op.as_str(),
                    object.text,
                    field_name
                ),
            )
            .with_label("operator not valid here")
            .with_note(format!(
                "`{}.{}` takes {}",
                object.text,
                field_name,
                backticked(&valid)
            ))
            .with_help(format!("did you mean `{replacement}`?"))
            .with_fix(Fix::replace(*op_span, replacement)),
        );
        return None;
    }
    let cond = match field_name {
        "page_url" | "page_title" => Cond::Test(text_test(field_name, *op, value, diagnostics)?),
        "visit_history" => visit_history_cond(value, diagnostics)?,
        _ => Cond::Test(language_test(value, diagnostics)?),
    };
    Some(if op.is_negated() {
        Cond::Not(Box::new(cond))
    } else {
        cond
    })
}

fn text_test(
    field: &str,
    op: Op,
    value: &Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Test> {
    let url = field == "page_url";
    match (op, value) {
        (Op::Is | Op::IsNot, Value::Text(text)) => {
            let value = text.value.to_lowercase();
            Some(if url {
                Test::UrlIs(value)
            } else {
                Test::TitleIs(value)
            })
        }
        (Op::Contains | Op::NotContains, Value::Text(text)) => {
            let needles = vec![text.value.to_lowercase()];
            Some(if url {
                Test::UrlContainsAny(needles)
            } else {
                Test::TitleContainsAny(needles)
            })
        }
        (Op::Contains | Op::NotContains, Value::List(items, _)) => {
            report_duplicate_items(items, diagnostics);
            let mut needles: Vec<String> = Vec::new();
            for item in items {
                let needle = item.value.to_lowercase();
                if !needles.contains(&needle) {
                    needles.push(needle);
                }
            }
            Some(if url {
                Test::UrlContainsAny(needles)
            } else {
                Test::TitleContainsAny(needles)
            })
        }
        (Op::Is | Op::IsNot, Value::List(_, span)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0304,
                    *span,
                    format!("`{}` compares with one string, not a list", op.as_str()),
                )
                .with_label("a list")
                .with_help("use `contains [...]` to test for any of several strings"),
            );
            None
        }
        (_, Value::Word(word)) => {
            diagnostics.push(quote_word(word, "a string"));
            None
        }
        (_, Value::Error(_)) => None,
    }
}

/// `is returning` tests the visit; `is new` is its negation.
fn visit_history_cond(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Cond> {
    match value {
        Value::Word(word) if word.text == "returning" => Some(Cond::Test(Test::Returning)),
        Value::Word(word) if word.text == "new" => {
            Some(Cond::Not(Box::new(Cond::Test(Test::Returning))))
        }
        Value::Word(word) => {
            diagnostics.push(unknown_keyword(
                word,
                VISIT_HISTORY_VALUES,
                "a visit history",
            ));
            None
        }
        Value::Text(text) if VISIT_HISTORY_VALUES.contains(&text.value.as_str()) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0304,
                    text.span,
                    format!("`{}` is a keyword, not a string", text.value),
                )
                .with_label("remove the quotes")
                .with_fix(Fix::replace(text.span, text.value.clone())),
            );
            None
        }
        other => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0304,
                    other.span(),
                    "`visitor.visit_history` is `new` or `returning`",
                )
                .with_label("expected `new` or `returning`"),
            );
            None
        }
    }
}

fn language_test(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<Test> {
    match value {
        Value::Text(text) => {
            let tag = languages::normalize(&text.value);
            if languages::name_of(&tag).is_none() {
                // A misspelt tag, or a language written by name ("japanese" → "ja").
                let by_name = || {
                    did_you_mean(&text.value, LANGUAGES.iter().map(|(_, name)| *name))
                        .and_then(|name| LANGUAGES.iter().find(|(_, n)| *n == name))
                        .map(|(tag, _)| *tag)
                };
                let suggestion =
                    did_you_mean(&tag, LANGUAGES.iter().map(|(t, _)| *t)).or_else(by_name);
                let base = tag.split('-').next().unwrap_or("");
                let mut diagnostic = Diagnostic::new(
                    Code::E0305,
                    text.span,
                    format!("\"{}\" is not a supported language tag", text.value),
                )
                .with_label("unknown language tag");
                diagnostic = match (languages::name_of(base), suggestion) {
                    (Some(name), _) if base != tag => diagnostic
                        .with_help(format!(
                            "use \"{base}\" ({name}), which also matches its regional variants"
                        ))
                        .with_fix(Fix::replace(text.span, format!("\"{base}\""))),
                    (_, Some(s)) => diagnostic.with_string_suggestion(text.span, Some(s)),
                    _ => diagnostic.with_note(
                        "`pmc explain E0305` and docs/language.md list the supported tags",
                    ),
                };
                diagnostics.push(diagnostic);
                return None;
            }
            Some(Test::LanguageIs(tag))
        }
        Value::Word(word) => {
            diagnostics.push(quote_word(word, "a language tag in quotes"));
            None
        }
        Value::List(_, span) => {
            diagnostics.push(
                Diagnostic::new(Code::E0304, *span, "`device.language` compares with one tag, not a list")
                    .with_label("a list")
                    .with_help("combine comparisons with `or`: `device.language is \"fr\" or device.language is \"de\"`"),
            );
            None
        }
        Value::Error(_) => None,
    }
}

/// `E0304` for a bare word where a string is expected, with a fix adding the quotes.
fn quote_word(word: &Name, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0304,
        word.span,
        format!("expected {expected}, found the word `{}`", word.text),
    )
    .with_label("not a string")
    .with_help(format!("write it in quotes: \"{}\"", word.text))
    .with_fix(Fix::replace(word.span, format!("\"{}\"", word.text)))
}

/// `E0310` for a word outside `known`, with the closest one.
pub fn unknown_keyword(word: &Name, known: &[&str], what: &str) -> Diagnostic {
    let suggestion = did_you_mean(&word.text, known.iter().copied());
    Diagnostic::new(
        Code::E0310,
        word.span,
        format!("`{}` is not {what}", word.text),
    )
    .with_label(format!("expected {}", or_list(known)))
    .with_suggestion(word.span, suggestion)
}

/// `W0105` for every item that repeats an earlier one (compared as the runtime does).
pub fn report_duplicate_items(items: &[Text], diagnostics: &mut Vec<Diagnostic>) {
    let folded: Vec<String> = items.iter().map(|item| item.value.to_lowercase()).collect();
    for (i, item) in items.iter().enumerate() {
        if let Some(first) = (0..i)
            .find(|&earlier| folded[earlier] == folded[i])
            .map(|earlier| &items[earlier])
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::W0105,
                    item.span,
                    format!("\"{}\" is already in this list", item.value),
                )
                .with_label("duplicate item")
                .with_secondary(first.span, "first listed here")
                .with_severity(Severity::Warning),
            );
        }
    }
}

/// `a`, `b` and `c`.
pub fn backticked(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `a`, `b` or `c`.
pub fn or_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
