//! The behaviour diff of a changed condition: concrete contexts in which the old and the new
//! condition disagree, found among the representative contexts of the never/always-holds lint
//! ([`crate::truth::representative_contexts`]) and each confirmed by evaluating both compiled
//! bundles through the VM.
//!
//! The representative contexts of `old and new` represent every context for any combination of
//! the two (they compare only those constants), so when no representative context flips the
//! outcome, none does: the conditions are equivalent. When there are too many contexts to try,
//! the answer is "unknown", never a guess.

use pm_vm::{Bundle, Context};
use serde::Serialize;

use crate::formatter::quote;
use crate::model::{Cond, Facts, Test};
use crate::truth::representative_contexts;

/// Most example contexts kept for each direction of a flip.
pub const MAX_EXAMPLES: usize = 3;

/// How a message's condition behaves after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Behaviour {
    /// The same outcome in every context: the condition is only written differently.
    Same,
    /// Contexts in which the outcome flips, the simplest first.
    Differs {
        /// Contexts in which the new condition holds and the old one did not.
        now_true: Vec<Example>,
        /// How many distinct examples flip that way (at least `now_true.len()`).
        now_true_count: usize,
        /// Contexts in which the old condition held and the new one does not.
        now_false: Vec<Example>,
        /// How many distinct examples flip that way.
        now_false_count: usize,
    },
    /// Too many contexts to decide (or a condition too large to read back).
    Unknown,
}

/// One context, as the fields either condition reads and their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The fields, in the order URL, title, language, visit.
    pub fields: Vec<Field>,
    /// The context itself, as the VM was given it.
    #[serde(skip)]
    pub facts: Facts,
}

/// One field of an [`Example`]: `visitor.page_url` `pricing`, `visitor.visit_history`
/// `returning`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Field {
    /// The field's name in the language.
    pub field: &'static str,
    /// Its value: the text, or `new` / `returning` for the visit.
    pub value: String,
}

impl Field {
    /// The field and its value as a condition writes them: `visitor.page_url "pricing"`,
    /// `visitor.visit_history returning`.
    pub fn shown(&self) -> String {
        match self.field {
            VISIT => format!("{VISIT} {}", self.value),
            field => format!("{field} {}", quote(&self.value)),
        }
    }
}

/// The visit field's name.
const VISIT: &str = "visitor.visit_history";

/// What changes between message `old_index` of `old` (condition `old_cond`, read back from its
/// code) and message `new_index` of `new`. Every example was evaluated through both bundles'
/// VM and flips there.
pub fn compare(
    (old, old_index, old_cond): (&Bundle, usize, Option<&Cond>),
    (new, new_index, new_cond): (&Bundle, usize, Option<&Cond>),
) -> Behaviour {
    let (Some(old_cond), Some(new_cond)) = (old_cond, new_cond) else {
        return Behaviour::Unknown;
    };
    let both = Cond::And(vec![old_cond.clone(), new_cond.clone()]);
    let Some(contexts) = representative_contexts(&both) else {
        return Behaviour::Unknown;
    };
    let reads = fields_read(&both);
    let (mut now_true, mut now_false) = (Vec::new(), Vec::new());
    for facts in contexts {
        let context = vm_context(&facts);
        match (old.eval(old_index, &context), new.eval(new_index, &context)) {
            (false, true) => now_true.push(example(facts, reads)),
            (true, false) => now_false.push(example(facts, reads)),
            _ => {}
        }
    }
    if now_true.is_empty() && now_false.is_empty() {
        return Behaviour::Same;
    }
    let (mut now_true, mut now_false) = (distinct(now_true), distinct(now_false));
    let (now_true_count, now_false_count) = (now_true.len(), now_false.len());
    now_true.truncate(MAX_EXAMPLES);
    now_false.truncate(MAX_EXAMPLES);
    Behaviour::Differs {
        now_true,
        now_true_count,
        now_false,
        now_false_count,
    }
}

/// Whether some context makes both conditions hold (message `a` of `bundle` with condition
/// `a_cond`, and `b`); `true` when that cannot be decided.
pub fn can_both_hold(
    bundle: &Bundle,
    (a, a_cond): (usize, Option<&Cond>),
    (b, b_cond): (usize, Option<&Cond>),
) -> bool {
    let (Some(a_cond), Some(b_cond)) = (a_cond, b_cond) else {
        return true;
    };
    let both = Cond::And(vec![a_cond.clone(), b_cond.clone()]);
    representative_contexts(&both).is_none_or(|contexts| {
        contexts.iter().any(|facts| {
            let context = vm_context(facts);
            bundle.eval(a, &context) && bundle.eval(b, &context)
        })
    })
}

/// The VM's context for `facts`.
pub fn vm_context(facts: &Facts) -> Context {
    let mut context = Context::new();
    context.set_url(&facts.url);
    context.set_title(&facts.title);
    context.set_language(&facts.language);
    context.set_returning(facts.returning);
    context.set_app_version(facts.app_version.as_deref());
    context.set_app_build(facts.app_build);
    context
}

/// The fields a condition reads, as `[url, title, language, visit, app version, app build]`.
type Reads = [bool; 6];

fn fields_read(cond: &Cond) -> Reads {
    let mut reads = [false; 6];
    let mut stack = vec![cond];
    while let Some(cond) = stack.pop() {
        match cond {
            Cond::True => {}
            Cond::Not(operand) => stack.push(operand),
            Cond::And(operands) | Cond::Or(operands) => stack.extend(operands),
            Cond::Test(test) => {
                let field = match **test {
                    Test::UrlIs(_)
                    | Test::UrlContainsAny(_)
                    | Test::UrlStartsAny(_)
                    | Test::UrlEndsAny(_)
                    | Test::UrlMatches(_) => 0,
                    Test::TitleIs(_)
                    | Test::TitleContainsAny(_)
                    | Test::TitleStartsAny(_)
                    | Test::TitleEndsAny(_)
                    | Test::TitleMatches(_) => 1,
                    Test::LanguageIs(_) => 2,
                    Test::Returning => 3,
                    Test::AppVersion(..) => 4,
                    Test::AppBuild(..) => 5,
                };
                reads[field] = true;
            }
            Cond::Named(never) => match *never {},
        }
    }
    reads
}

/// A value as an example shows it: `unset` when the host has not set it.
fn unset_or(value: Option<String>) -> String {
    value.unwrap_or_else(|| "unset".to_string())
}

fn example(facts: Facts, reads: Reads) -> Example {
    let values = [
        ("visitor.page_url", facts.url.clone()),
        ("visitor.page_title", facts.title.clone()),
        ("device.language", facts.language.clone()),
        (
            VISIT,
            if facts.returning { "returning" } else { "new" }.to_string(),
        ),
        ("app.version", unset_or(facts.app_version.clone())),
        (
            "app.build",
            unset_or(facts.app_build.map(|b| b.to_string())),
        ),
    ];
    let fields = values
        .into_iter()
        .zip(reads)
        .filter(|(_, read)| *read)
        .map(|((field, value), _)| Field { field, value })
        .collect();
    Example { fields, facts }
}

/// Examples that differ in the fields shown (the first of each), simplest first: shortest
/// values, ties in context order.
fn distinct(examples: Vec<Example>) -> Vec<Example> {
    let mut seen = std::collections::HashSet::new();
    let mut examples: Vec<Example> = examples
        .into_iter()
        .filter(|e| seen.insert(e.fields.clone()))
        .collect();
    examples.sort_by_key(|e| e.fields.iter().map(|f| f.value.len()).sum::<usize>());
    examples
}
