//! The checked model: what a bundle means once every name is resolved and every rule holds.
//!
//! The checker produces a [`CheckedBundle`] only when there are no errors, so everything here is
//! valid by construction: indices point into the account, texts are non-empty where required,
//! and conditions are [`Cond`] trees with needles case-folded. Named conditions are **shared**,
//! not copied: each is lowered once into the bundle's [`NamedConditions`], and every use is a
//! [`Cond::Named`] reference to it ([`SharedCond`]), so a condition that uses another twice is
//! twice a reference, never twice a copy. The lint and the code generator read conditions
//! expanded ([`NamedConditions::expand`]), within a bound on their size that the checker
//! enforces. [`Cond::eval`] and [`NamedConditions::eval`] are the reference semantics the VM is
//! tested against.

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;

use crate::account::Account;
use crate::source::Span;
use pm_vm::automaton::Automaton;
use pm_vm::language::LanguageTag;
use pm_vm::version::{Order, Version};

/// A condition with every name resolved. Needles and `is` strings are lower-cased (URL and
/// title comparisons are case-insensitive); language tags are normalized.
///
/// `R` is what a use of a named condition is: a [`ConditionId`] in the checked model
/// ([`SharedCond`]); nothing at all (the default, [`Infallible`]) in an expanded condition, where
/// every use is replaced by the condition it names. Tests are shared ([`Arc`]) so that
/// expanding a condition never copies its strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond<R = Infallible> {
    /// Holds always (a trigger without `when`).
    True,
    /// All operands hold (at least two).
    And(Vec<Cond<R>>),
    /// At least one operand holds (at least two).
    Or(Vec<Cond<R>>),
    /// The operand does not hold.
    Not(Box<Cond<R>>),
    /// A comparison with the context.
    Test(Arc<Test>),
    /// The named condition `R` (only in a [`SharedCond`]).
    Named(R),
}

/// A condition of the checked model: uses of named conditions are references into the
/// bundle's [`NamedConditions`].
pub type SharedCond = Cond<ConditionId>;

/// A named condition: an index into [`NamedConditions`], valid only in the table that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConditionId(usize);

/// How large a condition is once its named conditions are expanded: the number of nodes
/// (saturating) and the nesting depth (a test alone is 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Size {
    /// Nodes of the expanded tree (`and`, `or`, `not`, tests), saturating at `u64::MAX`.
    pub nodes: u64,
    /// Levels of the expanded tree, saturating at `u32::MAX`.
    pub depth: u32,
}

/// Deepest nesting an expanded condition may have: the lint and the code generator recurse
/// once per level, so this bounds their stack whatever named conditions are chained.
pub const MAX_EXPANDED_DEPTH: u32 = 256;

/// The named conditions of a bundle, each lowered once, with the size each has expanded.
///
/// Invariant: a body refers only to conditions added before it, so the table has no cycle and
/// any pass over it in index order meets a condition's references before the condition (which
/// is how [`NamedConditions::eval`] and the size computation avoid recursing along chains of
/// references); and no body is a bare reference (an alias takes the id of what it names).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NamedConditions {
    bodies: Vec<SharedCond>,
    sizes: Vec<Size>,
}

impl NamedConditions {
    /// Adds a named condition and returns its id: the id of `body`'s target when `body` is a
    /// bare reference, a new id otherwise.
    ///
    /// # Panics
    /// When `body` refers to an id that is not in this table (a use before its definition is
    /// added). The checker adds definitions after everything they use.
    pub fn add(&mut self, body: SharedCond) -> ConditionId {
        if let Cond::Named(target) = body {
            return target;
        }
        let size = self.size(&body);
        self.bodies.push(body);
        self.sizes.push(size);
        ConditionId(self.bodies.len() - 1)
    }

    /// The body of a named condition.
    pub fn body(&self, id: ConditionId) -> &SharedCond {
        &self.bodies[id.0]
    }

    /// How many named conditions the table holds.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    /// The size of `cond` expanded. Recurses only within `cond` (a reference's size is
    /// known), so as deep as one expression nests.
    pub fn size(&self, cond: &SharedCond) -> Size {
        let leaf = Size { nodes: 1, depth: 1 };
        match cond {
            Cond::True | Cond::Test(_) => leaf,
            Cond::Named(id) => self.sizes[id.0],
            Cond::Not(operand) => leaf.around([self.size(operand)]),
            Cond::And(operands) | Cond::Or(operands) => {
                leaf.around(operands.iter().map(|c| self.size(c)))
            }
        }
    }

    /// `cond` with every named condition replaced by its expansion, or `Err` with its size
    /// when that has more than `max_nodes` nodes or is deeper than [`MAX_EXPANDED_DEPTH`].
    /// Takes time and memory proportional to the result (tests are shared, not copied).
    ///
    /// # Errors
    /// The expanded size, when it is over either bound.
    pub fn expand(&self, cond: &SharedCond, max_nodes: u64) -> Result<Cond, Size> {
        let size = self.size(cond);
        if size.nodes > max_nodes || size.depth > MAX_EXPANDED_DEPTH {
            return Err(size);
        }
        // At most `MAX_EXPANDED_DEPTH` levels, and a reference is never a bare reference
        // again: the recursion is bounded.
        Ok(self.expand_within(cond))
    }

    fn expand_within(&self, cond: &SharedCond) -> Cond {
        match cond {
            Cond::True => Cond::True,
            Cond::And(operands) => {
                Cond::And(operands.iter().map(|c| self.expand_within(c)).collect())
            }
            Cond::Or(operands) => {
                Cond::Or(operands.iter().map(|c| self.expand_within(c)).collect())
            }
            Cond::Not(operand) => Cond::Not(Box::new(self.expand_within(operand))),
            Cond::Test(test) => Cond::Test(test.clone()),
            Cond::Named(id) => self.expand_within(&self.bodies[id.0]),
        }
    }

    /// The reference semantics of a shared condition: every named condition is evaluated
    /// once, in index order, then `cond` with their values.
    pub fn eval(&self, cond: &SharedCond, facts: &Facts) -> bool {
        let facts = facts.fold();
        let mut values: Vec<bool> = Vec::with_capacity(self.bodies.len());
        for body in &self.bodies {
            let value = body.eval_with(&facts, &|id: &ConditionId| values[id.0]);
            values.push(value);
        }
        cond.eval_with(&facts, &|id: &ConditionId| values[id.0])
    }
}

impl Size {
    /// The size of a node whose operands have the sizes `operands`.
    fn around(self, operands: impl IntoIterator<Item = Size>) -> Size {
        operands.into_iter().fold(self, |size, operand| Size {
            nodes: size.nodes.saturating_add(operand.nodes),
            depth: size.depth.max(operand.depth.saturating_add(1)),
        })
    }
}

/// A comparison of one context field with constants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Test {
    /// The lower-cased page URL equals the string.
    UrlIs(String),
    /// The lower-cased page URL contains at least one of the strings.
    UrlContainsAny(Vec<String>),
    /// The lower-cased page title equals the string.
    TitleIs(String),
    /// The lower-cased page title contains at least one of the strings.
    TitleContainsAny(Vec<String>),
    /// The lower-cased page URL starts with at least one of the strings.
    UrlStartsAny(Vec<String>),
    /// The lower-cased page URL ends with at least one of the strings.
    UrlEndsAny(Vec<String>),
    /// The lower-cased page title starts with at least one of the strings.
    TitleStartsAny(Vec<String>),
    /// The lower-cased page title ends with at least one of the strings.
    TitleEndsAny(Vec<String>),
    /// The pattern matches the whole lower-cased page URL.
    UrlMatches(Pattern),
    /// The pattern matches the whole lower-cased page title.
    TitleMatches(Pattern),
    /// The device language matches the tag (SPEC §2: canonical device tag, likely scripts,
    /// region `419`).
    LanguageIs(String),
    /// The app version is set, parses, and compares with the version (a literal that parses,
    /// build metadata removed) as the order says (semver precedence, missing components 0).
    AppVersion(Order, String),
    /// The app build number is set and compares with the number as the order says.
    AppBuild(Order, i64),
    /// The visit is a returning visit.
    Returning,
}

/// The regular expression of a `matches` test: its text as written (decoded) and the automaton
/// it compiles to ([`crate::pattern::compile`]), which the bundle stores and the reference
/// evaluator runs. Two patterns are equal when their texts and automata are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written, escapes decoded.
    pub source: String,
    /// Its automaton: whole-value, case-insensitive.
    pub automaton: Arc<Automaton>,
}

impl std::hash::Hash for Pattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The automaton is a function of the text (or equal texts come with equal tables).
        self.source.hash(state);
    }
}

impl Pattern {
    /// Whether the pattern matches the whole of `value`, which is lower-cased already.
    pub fn matches(&self, value: &str) -> bool {
        self.automaton.matches(value.as_bytes())
    }
}

/// The facts a condition is evaluated against, as the reference evaluator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// The page URL (any case; empty when missing).
    pub url: String,
    /// The page title (any case; empty when missing).
    pub title: String,
    /// The device language tag (any case, `_` or `-`).
    pub language: String,
    /// Whether the visit is a returning one.
    pub returning: bool,
    /// The app version as the host set it (`None`: unset).
    pub app_version: Option<String>,
    /// The app build number (`None`: unset).
    pub app_build: Option<i64>,
}

/// [`Facts`] as tests compare them: the URL and title lower-cased, the language canonical.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FoldedFacts {
    /// The lower-cased page URL.
    pub url: String,
    /// The lower-cased page title.
    pub title: String,
    /// The canonical device language tag.
    pub language: LanguageTag,
    /// Whether the visit is a returning one.
    pub returning: bool,
    /// The app version as the host set it (`None`: unset); one that does not parse fails
    /// every comparison.
    pub app_version: Option<String>,
    /// The app build number (`None`: unset).
    pub app_build: Option<i64>,
}

/// A URL or title as tests compare it: lower-cased (borrowed when it already is).
pub fn fold_text(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
    {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl Facts {
    /// The facts folded once, for evaluating many tests on them.
    pub fn fold(&self) -> FoldedFacts {
        FoldedFacts {
            url: fold_text(&self.url).into_owned(),
            title: fold_text(&self.title).into_owned(),
            language: LanguageTag::device(&self.language),
            returning: self.returning,
            app_version: self.app_version.clone(),
            app_build: self.app_build,
        }
    }
}

impl Cond {
    /// The reference semantics of the language guide, written as plainly as possible.
    pub fn eval(&self, facts: &Facts) -> bool {
        self.eval_with(&facts.fold(), &|never: &Infallible| match *never {})
    }
}

impl<R> Cond<R> {
    /// A condition of one test.
    pub fn test(test: Test) -> Cond<R> {
        Cond::Test(Arc::new(test))
    }

    /// The value on `facts`, where a named condition's value is `named` of it.
    fn eval_with(&self, facts: &FoldedFacts, named: &dyn Fn(&R) -> bool) -> bool {
        match self {
            Cond::True => true,
            Cond::And(operands) => operands.iter().all(|c| c.eval_with(facts, named)),
            Cond::Or(operands) => operands.iter().any(|c| c.eval_with(facts, named)),
            Cond::Not(operand) => !operand.eval_with(facts, named),
            Cond::Test(test) => test.eval_folded(facts),
            Cond::Named(reference) => named(reference),
        }
    }
}

impl Test {
    /// Whether the test holds on `facts`.
    pub fn eval(&self, facts: &Facts) -> bool {
        self.eval_folded(&facts.fold())
    }

    /// Whether the test holds on facts folded by [`Facts::fold`].
    pub fn eval_folded(&self, facts: &FoldedFacts) -> bool {
        match self {
            Test::UrlIs(value) => facts.url == *value,
            Test::TitleIs(value) => facts.title == *value,
            Test::UrlContainsAny(needles) => needles.iter().any(|n| facts.url.contains(n.as_str())),
            Test::TitleContainsAny(needles) => {
                needles.iter().any(|n| facts.title.contains(n.as_str()))
            }
            Test::UrlStartsAny(starts) => starts.iter().any(|s| facts.url.starts_with(s.as_str())),
            Test::UrlEndsAny(ends) => ends.iter().any(|s| facts.url.ends_with(s.as_str())),
            Test::TitleStartsAny(starts) => {
                starts.iter().any(|s| facts.title.starts_with(s.as_str()))
            }
            Test::TitleEndsAny(ends) => ends.iter().any(|s| facts.title.ends_with(s.as_str())),
            Test::UrlMatches(pattern) => pattern.matches(&facts.url),
            Test::TitleMatches(pattern) => pattern.matches(&facts.title),
            Test::LanguageIs(tag) => LanguageTag::rule(tag).matches(&facts.language),
            Test::AppVersion(order, version) => facts
                .app_version
                .as_deref()
                .is_some_and(|own| compare_versions(own, version).is_some_and(|o| order.holds(o))),
            Test::AppBuild(order, build) => facts
                .app_build
                .is_some_and(|own| order.holds(own.cmp(build))),
            Test::Returning => facts.returning,
        }
    }
}

/// How version `a` compares with version `b` (semver precedence, missing components 0,
/// build metadata ignored); `None` when either does not parse.
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (va, vb) = (Version::parse(a).ok()?, Version::parse(b).ok()?);
    Some(va.compare(a.as_bytes(), &vb, b.as_bytes()))
}

/// The event that starts a message's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The customer opens a screen of the app.
    ScreenOpen,
}

impl Event {
    /// Every event, in the order of the bundle format's event table.
    pub const ALL: &'static [Event] = &[Event::ScreenOpen];

    /// The event's keyword (its meaning is in [`vocabulary::EVENTS`](crate::vocabulary::EVENTS)).
    pub const fn keyword(self) -> &'static str {
        match self {
            Event::ScreenOpen => "screen_open",
        }
    }
}

/// How often one device may see a message: the VM's own values, so that a new one is added
/// in one place (the bundle format) and spelt by it.
pub use pm_vm::format::Frequency;

/// When a message may be sent, relative to a business-hours schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendWindow {
    /// At any time.
    Anytime,
    /// Only while the schedule (an index into the account's schedules) is open.
    During(usize),
    /// Only while the schedule is closed.
    Outside(usize),
}

/// What happens when the customer answers the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Hand-over to a live agent.
    Agent {
        /// The text sent when the customer replies (non-empty).
        follow_up: String,
        /// Whether the agent asks for the customer's name.
        collect_name: bool,
        /// Whether the agent asks for the customer's email.
        collect_email: bool,
    },
    /// An AI agent answers.
    AiAgent {
        /// Index into the account's AI agents; the agent is connected to the message's channel.
        agent: usize,
        /// One of the agent's answers.
        answer: String,
    },
}

/// One checked message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The unique name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The brand's name.
    pub brand: String,
    /// Index into the account's channels: a mobile SDK channel of the brand.
    pub channel: usize,
    /// The proactive text (non-empty).
    pub say: String,
    /// The response.
    pub response: Response,
    /// Tags (lower-case, no spaces, unique).
    pub tags: Vec<String>,
    /// The send window.
    pub send: SendWindow,
    /// The frequency.
    pub frequency: Frequency,
    /// The priority (default 0).
    pub priority: i32,
    /// Whether the message is paused (never shown).
    pub paused: bool,
    /// The trigger event.
    pub event: Event,
    /// The dwell duration in seconds (0: check when the event happens).
    pub dwell_seconds: u32,
    /// The condition; named conditions are references into [`CheckedBundle::conditions`].
    pub condition: SharedCond,
}

/// A checked bundle: the account and its messages in bundle order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBundle {
    /// The account.
    pub account: Account,
    /// The named conditions the messages' conditions refer to.
    pub conditions: NamedConditions,
    /// Messages, files sorted by path, then order within the file.
    pub messages: Vec<Message>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_semantics() {
        let facts = Facts {
            url: "https://Acme.com/Pricing".into(),
            title: String::new(),
            language: "fr_CA".into(),
            returning: true,
            app_version: Some("5.2.0-beta.1".into()),
            app_build: None,
        };
        let cond: Cond = Cond::And(vec![
            Cond::test(Test::UrlContainsAny(vec!["plans".into(), "pricing".into()])),
            Cond::test(Test::LanguageIs("fr".into())),
            Cond::Not(Box::new(Cond::test(Test::TitleContainsAny(vec![
                "checkout".into(),
            ])))),
            Cond::test(Test::Returning),
        ]);
        assert!(cond.eval(&facts));
        assert!(!Cond::<Infallible>::test(Test::LanguageIs("fr-fr".into())).eval(&facts));
        assert!(Cond::<Infallible>::test(Test::TitleIs(String::new())).eval(&facts));
        let version = |order, v: &str| Cond::<Infallible>::test(Test::AppVersion(order, v.into()));
        assert!(version(Order::Lt, "5.2").eval(&facts));
        assert!(!version(Order::Ge, "5.2.0").eval(&facts));
        assert!(version(Order::Is, "5.2-beta.1").eval(&facts));
        // An unset build, or a version that does not parse, fails every order.
        for order in Order::ALL {
            assert!(!Cond::<Infallible>::test(Test::AppBuild(order, 0)).eval(&facts));
            let unparsed = Facts {
                app_version: Some("5.x".into()),
                ..facts.clone()
            };
            assert!(!version(order, "5").eval(&unparsed));
        }
    }

    /// `c0 = returning`, then `depth` conditions `cN = not cN-1 and cN-1`.
    fn doubling(depth: usize) -> (NamedConditions, ConditionId) {
        let mut table = NamedConditions::default();
        let mut last = table.add(Cond::test(Test::Returning));
        for _ in 0..depth {
            last = table.add(Cond::And(vec![
                Cond::Not(Box::new(Cond::Named(last))),
                Cond::Named(last),
            ]));
        }
        (table, last)
    }

    #[test]
    fn sizes_are_computed_without_expanding() {
        let (table, last) = doubling(70);
        assert_eq!(table.len(), 71);
        let size = table.size(&Cond::Named(last));
        // 4 nodes per level: `and`, `not` and two copies below; saturated long before 70.
        assert_eq!(size.nodes, u64::MAX);
        assert_eq!(size.depth, 1 + 70 * 2);
        assert_eq!(table.expand(&Cond::Named(last), 1 << 20), Err(size));
        let (small, last) = doubling(3);
        let expanded = small.expand(&Cond::Named(last), 100).unwrap();
        // n(k) = 2 + 2 n(k-1), n(0) = 1.
        assert_eq!(small.size(&Cond::Named(last)).nodes, 22);
        let facts = Facts::default();
        assert_eq!(
            expanded.eval(&facts),
            small.eval(&Cond::Named(last), &facts)
        );
    }

    #[test]
    fn a_reference_to_a_reference_is_the_same_condition() {
        let mut table = NamedConditions::default();
        let base = table.add(Cond::test(Test::Returning));
        let alias = table.add(Cond::Named(base));
        assert_eq!((alias, table.len()), (base, 1));
    }

    #[test]
    fn long_chains_evaluate_and_refuse_to_expand_without_recursing() {
        // 100,000 conditions each the negation of the one before: far deeper than any stack.
        let mut table = NamedConditions::default();
        let mut last = table.add(Cond::test(Test::Returning));
        for _ in 0..100_000 {
            last = table.add(Cond::Not(Box::new(Cond::Named(last))));
        }
        let facts = Facts {
            returning: true,
            ..Facts::default()
        };
        assert!(table.eval(&Cond::Named(last), &facts));
        let size = table.expand(&Cond::Named(last), u64::MAX).unwrap_err();
        assert_eq!(size.depth, 100_001);
    }
}
