//! Conditions as written: every comparison of a checked bundle's conditions with its place in
//! the source, and the evaluation of a message's condition in source order that records which
//! comparisons a check reached and what each gave.
//!
//! The VM runs simplified, reordered bytecode, so its own account of an evaluation (the deciding
//! test) says little about the source. Rule tests need the source's view: coverage counts, per
//! comparison as written, whether some check found it true and some false; a failure names the
//! comparison that made a condition false. [`Comparisons`] gives that view: conditions are
//! evaluated the way the language guide reads them, `and` and `or` from left to right, each
//! stopping at the first operand that decides it, on the context the VM reports for the check.
//! A comparison of a named condition is one comparison, wherever the condition is used.
//!
//! Comparisons are lowered with the checker's own lowering ([`Conditions::lower`]) and
//! evaluated with the reference semantics ([`Test::eval_folded`]), which the VM is tested
//! against; `tests/ruletest.rs` checks that each traced condition agrees with the VM's result.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::check::conditions::Conditions;
use crate::model::{self, Cond, Facts, FoldedFacts, Test};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, ClauseKind, Expr, ExprKind, Item};
use crate::truth::ConstantValues;

/// One comparison as written (`visitor.page_url contains ["pricing", "plans"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Where it is written.
    pub span: Span,
    /// Its text, with runs of white space shown as one space.
    pub text: String,
    /// The tests it makes on the context (shared with the checked model): one, or several of
    /// one field for `device.language is [LIST]`, which holds when any does.
    tests: Vec<Arc<Test>>,
    /// Whether the test's value is negated (`is not`, `not contains`, `is new`).
    negated: bool,
}

impl Comparison {
    /// The comparison's value on `facts`.
    pub fn eval(&self, facts: &FoldedFacts) -> bool {
        self.tests.iter().any(|test| test.eval_folded(facts)) != self.negated
    }

    /// The field the comparison reads and its value in `facts`, as a reason shows it:
    /// `visitor.page_url "https://acme.com/home"`, `visitor.visit_history new`.
    pub fn subject(&self, facts: &FoldedFacts) -> String {
        // Every test of one comparison reads the same field.
        let Some(test) = self.tests.first() else {
            return String::new();
        };
        match &**test {
            Test::UrlIs(_)
            | Test::UrlContainsAny(_)
            | Test::UrlStartsAny(_)
            | Test::UrlEndsAny(_)
            | Test::UrlMatches(_) => format!("visitor.page_url {:?}", facts.url),
            Test::TitleIs(_)
            | Test::TitleContainsAny(_)
            | Test::TitleStartsAny(_)
            | Test::TitleEndsAny(_)
            | Test::TitleMatches(_) => {
                format!("visitor.page_title {:?}", facts.title)
            }
            Test::LanguageIs(_) => format!("device.language {:?}", facts.language.to_string()),
            Test::Returning => format!(
                "visitor.visit_history {}",
                if facts.returning { "returning" } else { "new" }
            ),
            Test::AppVersion(..) => match &facts.app_version {
                Some(version) if pm_vm::version::Version::parse(version).is_ok() => {
                    format!("app.version {version:?}")
                }
                Some(version) => format!("app.version {version:?} (not a version)"),
                None => "app.version unset".to_string(),
            },
            Test::AppBuild(..) => match facts.app_build {
                Some(build) => format!("app.build {build}"),
                None => "app.build unset".to_string(),
            },
        }
    }
}

/// A condition as written, with named conditions kept as references.
#[derive(Debug, Clone)]
enum Node {
    /// No `when` clause: always holds, compares nothing.
    True,
    /// `a and b …`.
    All(Vec<Node>),
    /// `a or b …`.
    Any(Vec<Node>),
    /// `not a`.
    Not(Box<Node>),
    /// The comparison with this index.
    Compare(usize),
    /// The named condition with this index.
    Ref(usize),
}

/// The comparisons of a checked bundle and the condition of each message, as written.
#[derive(Debug, Clone)]
pub struct Comparisons {
    /// Every comparison used by a message (directly or through named conditions), in source
    /// order: files in bundle order, then position.
    comparisons: Vec<Comparison>,
    /// Each message's condition, in bundle order; `None` when its source was not found (which
    /// a checked bundle does not allow).
    messages: Vec<Option<Node>>,
    /// The named conditions that messages use, by index.
    definitions: Vec<Node>,
}

/// The deciding step of an evaluation: the last comparison reached and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deciding {
    /// The comparison's index.
    pub comparison: usize,
    /// Its value.
    pub value: bool,
}

/// The context a check saw, as the reference evaluator reads it.
pub fn facts_of(context: &pm_vm::Context) -> FoldedFacts {
    Facts {
        url: context.url().to_string(),
        title: context.title().to_string(),
        language: context.language().to_string(),
        returning: context.returning(),
        app_version: context.app_version().map(str::to_string),
        app_build: context.app_build(),
    }
    .fold()
}

struct Builder<'a> {
    conditions: Conditions<'a>,
    sources: &'a SourceMap,
    comparisons: Vec<Comparison>,
    by_span: HashMap<Span, usize>,
    definitions: Vec<Option<Node>>,
    definition_index: HashMap<&'a str, usize>,
}

impl<'a> Builder<'a> {
    fn node(&mut self, expr: &'a Expr) -> Option<Node> {
        Some(match &expr.kind {
            ExprKind::And(operands) => Node::All(self.nodes(operands)?),
            ExprKind::Or(operands) => Node::Any(self.nodes(operands)?),
            ExprKind::Not(operand) => Node::Not(Box::new(self.node(operand)?)),
            ExprKind::Paren(inner) => self.node(inner)?,
            ExprKind::Ref(name) => Node::Ref(self.definition(&name.text)?),
            ExprKind::Compare(_) => Node::Compare(self.comparison(expr)?),
            ExprKind::Error => return None,
        })
    }

    fn nodes(&mut self, exprs: &'a [Expr]) -> Option<Vec<Node>> {
        exprs.iter().map(|e| self.node(e)).collect()
    }

    /// The index of the named condition `name`, built the first time it is used.
    fn definition(&mut self, name: &str) -> Option<usize> {
        if let Some(&index) = self.definition_index.get(name) {
            return Some(index);
        }
        let def = self.conditions.definition(name)?;
        let index = self.definitions.len();
        self.definitions.push(None);
        self.definition_index.insert(def.name.text.as_str(), index);
        let node = self.node(&def.expr)?;
        self.definitions[index] = Some(node);
        Some(index)
    }

    fn comparison(&mut self, expr: &'a Expr) -> Option<usize> {
        if let Some(&index) = self.by_span.get(&expr.span) {
            return Some(index);
        }
        let mut ignored = Vec::new();
        let mut cond = self.conditions.lower(expr, &mut ignored)?;
        let mut negated = false;
        let tests = loop {
            match cond {
                Cond::Not(inner) => {
                    negated = !negated;
                    cond = *inner;
                }
                Cond::Test(test) => break vec![test],
                Cond::Or(operands) => {
                    break operands
                        .into_iter()
                        .map(|operand| match operand {
                            Cond::Test(test) => Some(test),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()?;
                }
                _ => return None,
            }
        };
        let text = self
            .sources
            .get(expr.span.file)
            .slice(expr.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let index = self.comparisons.len();
        self.comparisons.push(Comparison {
            span: expr.span,
            text,
            tests,
            negated,
        });
        self.by_span.insert(expr.span, index);
        Some(index)
    }
}

impl Comparisons {
    /// The comparisons of `bundle`, whose sources are `files` (in bundle order) in `sources`.
    pub fn new(
        sources: &SourceMap,
        files: &[ast::File],
        bundle: &model::CheckedBundle,
    ) -> Comparisons {
        let items = || files.iter().flat_map(|f| &f.items);
        let mut ignored = Vec::new();
        let definitions = items().filter_map(|item| match item {
            Item::Condition(def) => Some(def),
            Item::Message(_) => None,
        });
        let mut builder = Builder {
            conditions: Conditions::new(definitions, ConstantValues::default(), &mut ignored),
            sources,
            comparisons: Vec::new(),
            by_span: HashMap::new(),
            definitions: Vec::new(),
            definition_index: HashMap::new(),
        };
        let by_name: HashMap<Span, &ast::Message> = items()
            .filter_map(|item| match item {
                Item::Message(message) => Some((message.name.span, message)),
                Item::Condition(_) => None,
            })
            .collect();
        let messages = bundle
            .messages
            .iter()
            .map(|message| {
                let source = by_name.get(&message.name_span)?;
                let when = source
                    .clauses
                    .iter()
                    .find_map(|clause| match &clause.kind {
                        ClauseKind::Trigger(trigger) => Some(trigger.when.as_ref()),
                        _ => None,
                    })?;
                match when {
                    Some(expr) => builder.node(expr),
                    None => Some(Node::True),
                }
            })
            .collect();
        let mut comparisons = Comparisons {
            comparisons: builder.comparisons,
            messages,
            definitions: builder
                .definitions
                .into_iter()
                .map(|d| d.unwrap_or(Node::True))
                .collect(),
        };
        comparisons.sort();
        comparisons
    }

    /// Puts the comparisons in source order and renumbers the nodes.
    fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.comparisons.len()).collect();
        order.sort_by_key(|&i| {
            (
                self.comparisons[i].span.file,
                self.comparisons[i].span.start,
            )
        });
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut sorted: Vec<Option<Comparison>> = std::mem::take(&mut self.comparisons)
            .into_iter()
            .map(Some)
            .collect();
        self.comparisons = order.iter().filter_map(|&i| sorted[i].take()).collect();
        fn renumber(node: &mut Node, new_index: &[usize]) {
            match node {
                Node::All(nodes) | Node::Any(nodes) => {
                    nodes.iter_mut().for_each(|n| renumber(n, new_index));
                }
                Node::Not(inner) => renumber(inner, new_index),
                Node::Compare(index) => *index = new_index[*index],
                Node::True | Node::Ref(_) => {}
            }
        }
        for node in self
            .messages
            .iter_mut()
            .flatten()
            .chain(&mut self.definitions)
        {
            renumber(node, &new_index);
        }
    }

    /// Every comparison, in source order.
    pub fn all(&self) -> &[Comparison] {
        &self.comparisons
    }

    /// The comparisons message `message`'s condition can reach (named conditions included),
    /// as sorted indices.
    pub fn of_message(&self, message: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let mut seen_definitions = vec![false; self.definitions.len()];
        let mut pending: Vec<&Node> = self.messages.get(message).into_iter().flatten().collect();
        while let Some(node) = pending.pop() {
            match node {
                Node::True => {}
                Node::All(nodes) | Node::Any(nodes) => pending.extend(nodes),
                Node::Not(inner) => pending.push(inner),
                Node::Compare(index) => found.push(*index),
                Node::Ref(index) => {
                    if !std::mem::replace(&mut seen_definitions[*index], true) {
                        pending.push(&self.definitions[*index]);
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Evaluates message `message`'s condition on `facts` in source order, calling `reached`
    /// with each comparison evaluated and its value. Returns the condition's value and the
    /// comparison that decided it (`None` for a message without `when`, or out of range).
    pub fn trace(
        &self,
        message: usize,
        facts: &FoldedFacts,
        reached: &mut dyn FnMut(usize, bool),
    ) -> (bool, Option<Deciding>) {
        let Some(Some(node)) = self.messages.get(message) else {
            return (false, None);
        };
        let mut deciding = None;
        let value = self.eval(node, facts, &mut |comparison, value| {
            deciding = Some(Deciding { comparison, value });
            reached(comparison, value);
        });
        (value, deciding)
    }

    fn eval(&self, node: &Node, facts: &FoldedFacts, reached: &mut dyn FnMut(usize, bool)) -> bool {
        match node {
            Node::True => true,
            Node::All(nodes) => nodes.iter().all(|n| self.eval(n, facts, reached)),
            Node::Any(nodes) => nodes.iter().any(|n| self.eval(n, facts, reached)),
            Node::Not(inner) => !self.eval(inner, facts, reached),
            Node::Compare(index) => {
                let value = self.comparisons[*index].eval(facts);
                reached(*index, value);
                value
            }
            Node::Ref(index) => self.eval(&self.definitions[*index], facts, reached),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    const ACCOUNT: &str = r#"
[[brands]]
name = "B"
[[channels]]
name = "C"
brand = "B"
platform = "ios"
conversation_control = "release"
schedules = []
"#;

    const SOURCE: &str = r#"condition fr = device.language is "fr"
message "M" {
    brand "B"
    channel "C"
    say "Hi"
    respond agent { follow_up "x" }
    when fr and (visitor.page_url contains
        ["pricing", "plans"] or not visitor.visit_history is new)
    after screen_open
    frequency every_time
}
message "N" {
    brand "B"
    channel "C"
    say "Hi"
    respond agent { follow_up "x" }
    when visitor.page_title is not "Checkout" and fr
    after screen_open
    frequency every_time
}
"#;

    fn comparisons() -> Comparisons {
        let mut sources = SourceMap::new();
        let account = sources.add("account.toml", ACCOUNT);
        let file = sources.add("a.pm", SOURCE);
        let analysis = analyze(&sources, Some(account), &[file]);
        assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
        Comparisons::new(&sources, &analysis.files, analysis.bundle.as_ref().unwrap())
    }

    fn facts(url: &str, title: &str, language: &str, returning: bool) -> FoldedFacts {
        Facts {
            url: url.into(),
            title: title.into(),
            language: language.into(),
            returning,
            ..Facts::default()
        }
        .fold()
    }

    #[test]
    fn comparisons_are_listed_once_in_source_order_as_written() {
        let comparisons = comparisons();
        let texts: Vec<&str> = comparisons.all().iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "device.language is \"fr\"",
                "visitor.page_url contains [\"pricing\", \"plans\"]",
                "visitor.visit_history is new",
                "visitor.page_title is not \"Checkout\"",
            ]
        );
        assert_eq!(comparisons.of_message(0), [0, 1, 2]);
        assert_eq!(comparisons.of_message(1), [0, 3]);
    }

    #[test]
    fn evaluation_stops_at_the_operand_that_decides() {
        let comparisons = comparisons();
        let run = |message, facts: &FoldedFacts| {
            let mut reached = Vec::new();
            let (value, deciding) =
                comparisons.trace(message, facts, &mut |i, v| reached.push((i, v)));
            (value, reached, deciding.map(|d| d.comparison))
        };
        assert_eq!(
            run(0, &facts("/home", "", "de", true)),
            (false, vec![(0, false)], Some(0))
        );
        assert_eq!(
            run(0, &facts("/Pricing", "", "fr-CA", false)),
            (true, vec![(0, true), (1, true)], Some(1))
        );
        assert_eq!(
            run(0, &facts("/home", "", "fr", true)),
            (true, vec![(0, true), (1, false), (2, false)], Some(2))
        );
        assert_eq!(
            run(1, &facts("/", "CHECKOUT", "fr", true)),
            (false, vec![(3, false)], Some(3))
        );
    }
}
