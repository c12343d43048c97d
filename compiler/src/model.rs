//! The checked model: what a bundle means once every name is resolved and every rule holds.
//!
//! The checker produces a [`Bundle`] only when there are no errors, so everything here is
//! valid by construction: indices point into the account, texts are non-empty where required,
//! and conditions are [`Cond`] trees with named conditions inlined and needles case-folded.
//! The code generator reads this model; [`Cond::eval`] is the reference semantics the VM is
//! tested against.

use std::borrow::Cow;

use crate::account::Account;
use crate::languages;
use crate::source::Span;

/// A condition with every name resolved. Needles and `is` strings are lower-cased (URL and
/// title comparisons are case-insensitive); language tags are normalized.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond {
    /// Holds always (a trigger without `when`).
    True,
    /// All operands hold (at least two).
    And(Vec<Cond>),
    /// At least one operand holds (at least two).
    Or(Vec<Cond>),
    /// The operand does not hold.
    Not(Box<Cond>),
    /// A comparison with the context.
    Test(Test),
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
    /// The device language matches the tag (RFC 4647 basic filtering).
    LanguageIs(String),
    /// The visit is a returning visit.
    Returning,
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
}

/// [`Facts`] as tests compare them: the URL and title lower-cased, the language normalized.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FoldedFacts {
    /// The lower-cased page URL.
    pub url: String,
    /// The lower-cased page title.
    pub title: String,
    /// The normalized device language tag.
    pub language: String,
    /// Whether the visit is a returning one.
    pub returning: bool,
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
            language: languages::normalize(&self.language),
            returning: self.returning,
        }
    }
}

impl Cond {
    /// The reference semantics of the language guide, written as plainly as possible.
    pub fn eval(&self, facts: &Facts) -> bool {
        self.eval_folded(&facts.fold())
    }

    fn eval_folded(&self, facts: &FoldedFacts) -> bool {
        match self {
            Cond::True => true,
            Cond::And(operands) => operands.iter().all(|c| c.eval_folded(facts)),
            Cond::Or(operands) => operands.iter().any(|c| c.eval_folded(facts)),
            Cond::Not(operand) => !operand.eval_folded(facts),
            Cond::Test(test) => test.eval_folded(facts),
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
            Test::LanguageIs(tag) => {
                languages::matches_normalized(&languages::normalized(tag), &facts.language)
            }
            Test::Returning => facts.returning,
        }
    }
}

/// The event that starts a message's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The customer opens a screen of the app.
    ScreenOpen,
}

impl Event {
    /// Every event, in the order of the bundle format's event table.
    pub const ALL: &'static [(Event, &'static str, &'static str)] = &[(
        Event::ScreenOpen,
        "screen_open",
        "the customer opens a screen (page) of the app; with a duration, the check happens when the \
         customer has stayed that long on the screen",
    )];

    /// The event's keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Event::ScreenOpen => "screen_open",
        }
    }
}

/// How often one device may see a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Never again on this device once shown.
    OncePerDevice,
    /// At most once per visit.
    OncePerVisit,
    /// At every check where everything else holds.
    EveryTime,
}

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
    /// The condition, named conditions inlined.
    pub condition: Cond,
}

/// A checked bundle: the account and its messages in bundle order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The account.
    pub account: Account,
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
        };
        let cond = Cond::And(vec![
            Cond::Test(Test::UrlContainsAny(vec!["plans".into(), "pricing".into()])),
            Cond::Test(Test::LanguageIs("fr".into())),
            Cond::Not(Box::new(Cond::Test(Test::TitleContainsAny(vec![
                "checkout".into(),
            ])))),
            Cond::Test(Test::Returning),
        ]);
        assert!(cond.eval(&facts));
        assert!(!Cond::Test(Test::LanguageIs("fr-fr".into())).eval(&facts));
        assert!(Cond::Test(Test::TitleIs(String::new())).eval(&facts));
    }
}
