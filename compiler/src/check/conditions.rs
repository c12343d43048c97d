//! Conditions: typing comparisons, resolving named conditions, and lowering to [`Cond`].
//!
//! Each named condition is checked and lowered exactly once (memoized), whether it is used by
//! a message, by another condition, or not at all, so its diagnostics appear once; every use
//! is then a reference to it ([`Cond::Named`]), never a copy. Definitions are resolved with an
//! explicit stack, not by recursion, so a chain of any length is fine; reaching a condition
//! that is still being resolved closes a cycle: `E0307`.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::limits::{self, grouped};
use super::report::{
    backticked, duplicate, or_list, quote_word, report_duplicate_items, unexpected_number,
    unknown_keyword,
};
use super::{app, language};
use crate::codegen::Layout;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::model::{Cond, ConditionId, NamedConditions, SharedCond, Test};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{Compare, ConditionDef, Expr, ExprKind, Name, Op, Value};
use crate::truth::{self, ConstantValues};
use crate::vocabulary::{self, FIELDS, OBJECTS, VISIT_HISTORY};

/// Most names of a cycle an `E0307` note spells out; longer cycles show their ends.
const CYCLE_NAMES_SHOWN: usize = 6;

enum State {
    /// Being resolved, at this position of [`Conditions::resolving`].
    InProgress(usize),
    /// Resolved: its id, or `None` when it (or a condition it uses) has errors.
    Done(Option<ConditionId>),
}

/// Named conditions of a bundle and their lowered forms.
pub struct Conditions<'a> {
    definitions: HashMap<&'a str, &'a ConditionDef>,
    states: HashMap<&'a str, State>,
    /// The definitions being resolved, outermost first (the stack of [`Conditions::resolve`]).
    resolving: Vec<&'a ConditionDef>,
    used: HashSet<&'a str>,
    table: NamedConditions,
    constants: ConstantValues,
}

impl<'a> Conditions<'a> {
    /// Collects the definitions (`E0308` for a name defined twice; the first one counts).
    /// Conditions are decided through `constants`, which may remember earlier checks
    /// ([`Conditions::into_parts`] gives it back).
    pub fn new(
        definitions: impl Iterator<Item = &'a ConditionDef>,
        constants: ConstantValues,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut map: HashMap<&'a str, &'a ConditionDef> = HashMap::new();
        for def in definitions {
            if let Some(first) = map.get(def.name.text.as_str()) {
                diagnostics.push(
                    duplicate(
                        Code::E0308,
                        def.name.span,
                        format!("the condition `{}` is defined more than once", def.name.text),
                        "defined again here",
                        first.name.span,
                        "first defined here",
                    )
                    .with_help("rename one of them; named conditions are shared by every file of the bundle"),
                );
            } else {
                map.insert(def.name.text.as_str(), def);
            }
        }
        Conditions {
            definitions: map,
            states: HashMap::new(),
            resolving: Vec::new(),
            used: HashSet::new(),
            table: NamedConditions::default(),
            constants,
        }
    }

    /// The definition of a named condition.
    pub fn definition(&self, name: &str) -> Option<&'a ConditionDef> {
        self.definitions.get(name).copied()
    }

    /// The named conditions lowered so far: every reference [`Conditions::lower`] returned
    /// is to one of them.
    pub fn table(&self) -> &NamedConditions {
        &self.table
    }

    /// The named conditions, once every message was lowered and [`Conditions::finish`] ran,
    /// and what was decided of conditions, for the next check.
    pub fn into_parts(self) -> (NamedConditions, ConstantValues) {
        (self.table, self.constants)
    }

    /// Lowers an expression; `None` when it (or a condition it uses) has errors, which are
    /// reported to `diagnostics`. Recurses as deep as the expression nests, not along the
    /// named conditions it uses.
    pub fn lower(
        &mut self,
        expr: &'a Expr,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<SharedCond> {
        match &expr.kind {
            ExprKind::Or(operands) => {
                language::lint_or(operands, diagnostics);
                self.lower_all(operands, diagnostics).map(Cond::Or)
            }
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
    ) -> Option<Vec<SharedCond>> {
        let lowered: Vec<Option<SharedCond>> = operands
            .iter()
            .map(|o| self.lower(o, diagnostics))
            .collect();
        lowered.into_iter().collect()
    }

    fn lower_reference(
        &mut self,
        name: &'a Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<SharedCond> {
        let Some(def) = self.definitions.get(name.text.as_str()).copied() else {
            diagnostics.push(unknown_reference(name, self.definitions.keys().copied()));
            return None;
        };
        let key = def.name.text.as_str();
        self.used.insert(key);
        let id = match self.states.get(key) {
            Some(State::Done(id)) => *id,
            Some(&State::InProgress(at)) => {
                diagnostics.push(self.cycle(name, def, at));
                None
            }
            // Only from a message's condition: a definition's references are resolved before
            // its body is lowered.
            None => self.resolve(def, diagnostics),
        };
        id.map(Cond::Named)
    }

    /// `E0307` at `reference`, which uses `def` (at position `at` of the definitions being
    /// resolved) from the innermost definition being resolved.
    fn cycle(&self, reference: &Name, def: &ConditionDef, at: usize) -> Diagnostic {
        let key = def.name.text.as_str();
        let names: Vec<&str> = self.resolving[at..]
            .iter()
            .map(|d| d.name.text.as_str())
            .chain([key])
            .collect();
        let shown = if names.len() <= CYCLE_NAMES_SHOWN {
            names.join("` → `")
        } else {
            let (head, tail) = (&names[..CYCLE_NAMES_SHOWN - 2], &names[names.len() - 2..]);
            format!(
                "{}` → … {} more … → `{}",
                head.join("` → `"),
                grouped((names.len() - CYCLE_NAMES_SHOWN) as u64),
                tail.join("` → `")
            )
        };
        let diagnostic = Diagnostic::new(
            Code::E0307,
            reference.span,
            format!("the condition `{key}` refers to itself"),
        )
        .with_label("this use closes a cycle")
        .with_secondary(def.name.span, format!("`{key}` is defined here"))
        .with_help("a named condition may not use itself, directly or through other conditions");
        if names.len() > 2 {
            diagnostic.with_note(format!(
                "the cycle ({} conditions, each using the next): `{shown}`",
                grouped(names.len() as u64 - 1)
            ))
        } else {
            diagnostic
        }
    }

    /// Resolves `root` and every definition it depends on, depth first with an explicit stack:
    /// a definition's references are resolved before its body is lowered (so lowering it only
    /// looks them up), in the order a recursive descent would meet them.
    fn resolve(
        &mut self,
        root: &'a ConditionDef,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<ConditionId> {
        // Per definition on the stack: its references, and how many were visited.
        let mut stack: Vec<(Vec<&'a Name>, usize)> = Vec::new();
        self.enter(root, &mut stack);
        while let Some((references, visited)) = stack.last_mut() {
            if let Some(&name) = references.get(*visited) {
                *visited += 1;
                if let Some(target) = self.definitions.get(name.text.as_str()).copied()
                    && !self.states.contains_key(target.name.text.as_str())
                {
                    self.enter(target, &mut stack);
                }
                continue;
            }
            stack.pop();
            let def = *self
                .resolving
                .last()
                .expect("one definition per stack entry");
            // Still on `resolving` while its body is lowered: a use of it there is a cycle.
            let id = self
                .lower(&def.expr, diagnostics)
                .map(|body| self.table.add(body));
            self.resolving.pop();
            self.states.insert(def.name.text.as_str(), State::Done(id));
        }
        match self.states.get(root.name.text.as_str()) {
            Some(State::Done(id)) => *id,
            _ => None,
        }
    }

    fn enter(&mut self, def: &'a ConditionDef, stack: &mut Vec<(Vec<&'a Name>, usize)>) {
        self.states.insert(
            def.name.text.as_str(),
            State::InProgress(self.resolving.len()),
        );
        self.resolving.push(def);
        let mut references = Vec::new();
        references_in(&def.expr, &mut references);
        stack.push((references, 0));
    }

    /// Checks every definition once (also those no message uses), then reports unused ones
    /// (`W0101`) and constant ones (`W0103`/`W0104`). Call after every message was lowered.
    pub fn finish(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let mut definitions: Vec<&'a ConditionDef> = self.definitions.values().copied().collect();
        definitions.sort_by_key(|d| (d.name.span.file, d.name.span.start));
        for def in &definitions {
            if !self.states.contains_key(def.name.text.as_str()) {
                self.resolve(def, diagnostics);
            }
        }
        for def in definitions {
            let key = def.name.text.as_str();
            if !self.used.contains(key) {
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
            if let Some(&State::Done(Some(id))) = self.states.get(key) {
                // The body, not a reference to it: its parts are those of the expression.
                let body = self.table.body(id).clone();
                self.lint_constant(&def.expr, &body, diagnostics);
            }
        }
    }

    /// Reports the largest sub-expressions of `expr` that never or always hold; `cond` is what
    /// `expr` lowered to, and its parts are what the parts of `expr` lower to. The parts are
    /// decided in the contexts built for the whole (see [`truth::with_parts`]), expanded up to
    /// [`truth::MAX_NODES`] nodes; a larger whole is decided part by part. Returns what `cond`
    /// is ([`truth::constant_value`]).
    pub fn lint_constant(
        &mut self,
        expr: &Expr,
        cond: &SharedCond,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<bool> {
        if matches!(expr.kind, ExprKind::Ref(_) | ExprKind::Error) {
            // A named condition is linted where it is defined; messages share its value.
            return self.value_of(cond);
        }
        let Ok(expanded) = self.table.expand(cond, truth::MAX_NODES) else {
            lint_parts(
                expr,
                cond,
                None,
                &mut |part| self.value_of(part),
                diagnostics,
            );
            return None;
        };
        let constants = &mut self.constants;
        if let Some(value) = constants.get(&expanded) {
            // Decided before (the same condition in another message, or a named condition's
            // body): so were its parts, unless the whole had too many contexts.
            lint_parts(
                expr,
                &expanded,
                value,
                &mut |part| constants.of(part),
                diagnostics,
            );
            return value;
        }
        let decided = truth::with_parts(&expanded, |decide| {
            let mut remembered = |part: &Cond| {
                let value = decide(part);
                constants.record(part, value);
                value
            };
            let value = remembered(&expanded);
            lint_parts(expr, &expanded, value, &mut remembered, diagnostics);
            value
        });
        if decided.is_none() {
            // Too many contexts for the whole: each part is decided on its own.
            constants.record(&expanded, None);
            lint_parts(
                expr,
                &expanded,
                None,
                &mut |part| constants.of(part),
                diagnostics,
            );
        }
        decided.flatten()
    }

    /// Lays out a message's condition as the code generator will ([`limits::layout`]), deciding
    /// it with what the lint found.
    pub fn layout(
        &mut self,
        cond: &SharedCond,
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Layout> {
        limits::layout(cond, &self.table, &mut self.constants, span, diagnostics)
    }

    /// [`truth::constant_value`] of `cond` expanded, or `None` when it is too large to decide.
    fn value_of(&mut self, cond: &SharedCond) -> Option<bool> {
        let expanded = self.table.expand(cond, truth::MAX_NODES).ok()?;
        self.constants.of(&expanded)
    }
}

/// Appends the uses of named conditions in `expr`, in the order a recursive lowering meets
/// them.
fn references_in<'a>(expr: &'a Expr, out: &mut Vec<&'a Name>) {
    match &expr.kind {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            operands.iter().for_each(|o| references_in(o, out))
        }
        ExprKind::Not(inner) | ExprKind::Paren(inner) => references_in(inner, out),
        ExprKind::Ref(name) => out.push(name),
        ExprKind::Compare(_) | ExprKind::Error => {}
    }
}

/// Reports `expr` when `value` (what `cond`, its lowered form, is: see [`crate::truth`]) says it
/// never or always holds, and otherwise its largest parts that do, deciding them with `decide`.
fn lint_parts<R>(
    expr: &Expr,
    cond: &Cond<R>,
    value: Option<bool>,
    decide: &mut dyn FnMut(&Cond<R>) -> Option<bool>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut part = |expr: &Expr, cond: &Cond<R>, diagnostics: &mut Vec<Diagnostic>| {
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
        .map(|o| o.text)
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
fn lower_compare(compare: &Compare, diagnostics: &mut Vec<Diagnostic>) -> Option<SharedCond> {
    let Compare {
        object,
        field,
        op,
        op_span,
        value,
    } = compare;
    if vocabulary::find(&OBJECTS, &object.text).is_none() {
        let suggestion = did_you_mean(&object.text, OBJECTS.iter().map(|o| o.text));
        let diagnostic = Diagnostic::new(
            Code::E0301,
            object.span,
            format!("there is no object named `{}`", object.text),
        )
        .with_label("unknown object")
        .with_note("conditions compare fields of `visitor`, `device` and `app`");
        // `user.language`: the field names the object meant.
        let owner = FIELDS
            .iter()
            .find(|f| f.word.text == field.text)
            .map(|f| f.object);
        diagnostics.push(match (suggestion, owner) {
            (Some(suggestion), _) => diagnostic.with_suggestion(object.span, Some(suggestion)),
            (None, Some(owner)) => diagnostic
                .with_help(format!("`{}` is a field of `{owner}`", field.text))
                .with_fix(Fix::replace(object.span, owner)),
            (None, None) => diagnostic,
        });
        return None;
    }
    let Some(known) = vocabulary::field(&object.text, &field.text) else {
        let fields: Vec<&str> = vocabulary::fields_of(&object.text)
            .iter()
            .map(|f| f.word.text)
            .collect();
        let suggestion = did_you_mean(&field.text, fields.iter().copied());
        let other = FIELDS
            .iter()
            .find(|f| f.object != object.text && f.word.text == field.text);
        let mut diagnostic = Diagnostic::new(
            Code::E0302,
            field.span,
            format!("`{}` has no field named `{}`", object.text, field.text),
        )
        .with_label("unknown field")
        .with_note(format!(
            "the fields of `{}` are {}",
            object.text,
            backticked(&fields)
        ));
        diagnostic = match other {
            Some(other) => diagnostic
                .with_help(format!("`{}` is a field of `{}`", field.text, other.object))
                .with_fix(Fix::replace(object.span, other.object)),
            None => diagnostic.with_suggestion(field.span, suggestion),
        };
        diagnostics.push(diagnostic);
        return None;
    };
    let field_name = field.text.as_str();
    if !known.operators.contains(op) {
        let valid: Vec<&str> = known.operators.iter().map(|o| o.as_str()).collect();
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
        "page_url" | "page_title" => Cond::test(text_test(field_name, *op, value, diagnostics)?),
        "visit_history" => visit_history_cond(value, diagnostics)?,
        "version" => Cond::test(app::version_test(*op, value, diagnostics)?),
        "build" => Cond::test(app::build_test(*op, value, diagnostics)?),
        _ => language::language_cond(value, diagnostics)?,
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
        (Op::Matches | Op::NotMatches, Value::Text(text)) => {
            let pattern = crate::check::patterns::pattern(text, diagnostics)?;
            Some(if url {
                Test::UrlMatches(pattern)
            } else {
                Test::TitleMatches(pattern)
            })
        }
        (Op::Matches | Op::NotMatches, Value::List(_, span)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0304,
                    *span,
                    format!("`{}` takes one pattern, not a list", op.as_str()),
                )
                .with_label("a list")
                .with_help("join the alternatives in one pattern with `|`: `\"a|b\"`"),
            );
            None
        }
        (Op::Is | Op::IsNot, Value::Text(text)) => {
            let value = text.value.to_lowercase();
            if !limits::text_fits(&value, text.span, "string", diagnostics) {
                return None;
            }
            Some(if url {
                Test::UrlIs(value)
            } else {
                Test::TitleIs(value)
            })
        }
        (_, Value::Text(text)) => {
            let needle = text.value.to_lowercase();
            if !limits::text_fits(&needle, text.span, "string", diagnostics) {
                return None;
            }
            Some(any_test(url, op, vec![needle]))
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
        (_, Value::List(items, span)) => {
            report_duplicate_items(items, diagnostics);
            // The different needles, in order (compared as the runtime does).
            let mut needles: Vec<String> = Vec::new();
            let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
            let mut fits = true;
            let mut first_over = None;
            for item in items {
                let needle = item.value.to_lowercase();
                fits &= limits::text_fits(&needle, item.span, "string", diagnostics);
                if seen.insert(needle.clone()) {
                    needles.push(needle);
                    if needles.len() == pm_vm::format::limits::MAX_SET_ITEMS + 1 {
                        first_over = Some(item.span);
                    }
                }
            }
            if let Some(first_over) = first_over {
                fits &= limits::list_fits(needles.len(), *span, first_over, diagnostics);
            }
            fits.then(|| any_test(url, op, needles))
        }
        (_, Value::Word(word)) => {
            diagnostics.push(quote_word(word, "a string"));
            None
        }
        (_, Value::Integer(number)) => {
            diagnostics.push(unexpected_number(number, "a string"));
            None
        }
        (_, Value::Error(_)) => None,
    }
}

/// The test of the URL (`url`) or the title by `op` (`contains`, `starts_with`, `ends_with` or
/// a negation, which the caller applies) with any of `needles`, lower-cased.
fn any_test(url: bool, op: Op, needles: Vec<String>) -> Test {
    match (op, url) {
        (Op::StartsWith | Op::NotStartsWith, true) => Test::UrlStartsAny(needles),
        (Op::StartsWith | Op::NotStartsWith, false) => Test::TitleStartsAny(needles),
        (Op::EndsWith | Op::NotEndsWith, true) => Test::UrlEndsAny(needles),
        (Op::EndsWith | Op::NotEndsWith, false) => Test::TitleEndsAny(needles),
        (_, true) => Test::UrlContainsAny(needles),
        (_, false) => Test::TitleContainsAny(needles),
    }
}

/// `is returning` tests the visit; `is new` is its negation.
fn visit_history_cond(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<SharedCond> {
    match value {
        Value::Word(word) if word.text == "returning" => Some(Cond::test(Test::Returning)),
        Value::Word(word) if word.text == "new" => {
            Some(Cond::Not(Box::new(Cond::test(Test::Returning))))
        }
        Value::Word(word) => {
            diagnostics.push(unknown_keyword(word, &VISIT_HISTORY, "a visit history"));
            None
        }
        Value::Text(text) if vocabulary::find(&VISIT_HISTORY, &text.value).is_some() => {
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
                    format!(
                        "`visitor.visit_history` is {}",
                        or_list(&vocabulary::names(&VISIT_HISTORY))
                    ),
                )
                .with_label(format!(
                    "expected {}",
                    or_list(&vocabulary::names(&VISIT_HISTORY))
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::diagnostic::Code;
    use crate::source::SourceMap;

    const ACCOUNT: &str =
        "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\n";

    /// The codes of `pm`'s diagnostics, and the text each points at.
    fn diagnostics(pm: &str) -> Vec<(Code, String)> {
        let mut sources = SourceMap::new();
        let account = sources.add("account.toml", ACCOUNT);
        let file = sources.add("a.pm", pm);
        analyze(&sources, Some(account), &[file])
            .diagnostics
            .iter()
            .map(|d| (d.code, pm[d.primary.span.range()].to_string()))
            .collect()
    }

    #[test]
    fn parts_of_a_condition_too_large_to_decide_whole_are_still_linted() {
        // `d12` written out has 8,191 parts, more than the lint decides at once; the
        // contradiction beside it is still found, in a definition and in a message.
        let mut pm = String::from("condition d0 = visitor.visit_history is new\n");
        for i in 1..=12 {
            pm.push_str(&format!("condition d{i} = d{} and d{}\n", i - 1, i - 1));
        }
        let contradiction = "(visitor.page_url is \"a\" and visitor.page_url is \"b\")";
        pm.push_str(&format!("condition big = d12 and {contradiction}\n"));
        pm.push_str(&format!(
            "message \"M\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when big or d12 and {contradiction}\n after screen_open\n frequency every_time\n}}\n"
        ));
        let never: Vec<String> = diagnostics(&pm)
            .into_iter()
            .filter(|(code, _)| *code == Code::W0103)
            .map(|(_, at)| at)
            .collect();
        assert_eq!(never, [contradiction, contradiction]);
    }

    #[test]
    fn a_long_cycle_is_named_by_its_ends() {
        let mut pm: String = (0..10)
            .map(|i| format!("condition c{i} = c{}\n", (i + 1) % 10))
            .collect();
        pm.push_str("message \"M\" {\n channel \"C\"\n say \"s\"\n respond agent { follow_up \"f\" }\n when c0\n after screen_open\n frequency every_time\n}\n");
        let mut sources = SourceMap::new();
        let account = sources.add("account.toml", ACCOUNT);
        let file = sources.add("a.pm", pm);
        let analysis = analyze(&sources, Some(account), &[file]);
        let cycles: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E0307)
            .collect();
        assert_eq!(cycles.len(), 1);
        assert_eq!(
            cycles[0].notes,
            [
                "the cycle (10 conditions, each using the next): `c0` → `c1` → `c2` → `c3` → … 5 more … → `c9` → `c0`"
            ]
        );
    }
}
