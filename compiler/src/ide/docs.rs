//! What the words of the language mean, as short Markdown texts for hover and completion.
//!
//! The lists of accepted words live in the checker (`check::conditions`, `check::messages`,
//! `model::Event`); this module only explains them, and a test fails when a word is added to the
//! checker without an explanation here.

/// Message clauses: keyword, meaning, and the snippet completion inserts.
pub const CLAUSES: &[(&str, &str, &str)] = &[
    (
        "brand",
        "The brand the message speaks for. Required when the account has several brands.",
        "brand \"$1\"",
    ),
    (
        "channel",
        "The mobile SDK channel (`ios`, `android` or `unity`) that shows the message. Required.",
        "channel \"$1\"",
    ),
    (
        "say",
        "The message text shown to the customer. Required.",
        "say \"$1\"",
    ),
    (
        "respond",
        "Who takes over when the customer answers: `respond agent { … }` (a live agent) or \
         `respond ai_agent \"A\" answer \"B\"`. Required, exactly one.",
        "respond ${1|agent,ai_agent|}",
    ),
    (
        "when",
        "The conditions that must hold at the check, before `after EVENT`.",
        "when $1\n    after ${2:screen_open}",
    ),
    (
        "after",
        "The event that starts a check and, optionally, how long it must last (`after screen_open \
         30s`). Required.",
        "after ${1:screen_open}",
    ),
    (
        "tags",
        "Tags copied onto tickets created from the conversation.",
        "tags \"$1\"",
    ),
    (
        "send",
        "When the message may be sent: `anytime` (the default), or `during` / `outside` a \
         business-hours schedule.",
        "send ${1|anytime,during,outside|}",
    ),
    (
        "frequency",
        "How often one device may see the message. Required.",
        "frequency ${1|once_per_visit,once_per_device,every_time|}",
    ),
    (
        "priority",
        "Tie-break between messages deliverable at the same instant: the highest wins (default \
         0).",
        "priority ${1:0}",
    ),
    (
        "status",
        "`published` (the default) or `paused`: a paused message is never shown.",
        "status ${1|published,paused|}",
    ),
];

/// Clauses of `respond agent { … }`: keyword, meaning, snippet.
pub const AGENT_CLAUSES: &[(&str, &str, &str)] = &[
    (
        "follow_up",
        "Text shown when the hand-over to a live agent starts. Required.",
        "follow_up \"$1\"",
    ),
    (
        "collect",
        "What to ask the customer before the hand-over: `name`, `email`, `name, email` (the \
         default) or `none`.",
        "collect ${1:name, email}",
    ),
];

/// The objects of conditions.
pub const OBJECTS: &[(&str, &str)] = &[
    (
        "visitor",
        "The customer in the app: the current screen and the visit history.",
    ),
    ("device", "The customer's device: its language setting."),
];

/// The fields of conditions.
pub const FIELDS: &[(&str, &str)] = &[
    (
        "page_url",
        "The URL or screen name of the current screen, as the SDK reports it with `screen_open`; \
         the empty string when missing. Compared ignoring case.",
    ),
    (
        "page_title",
        "The title of the current screen; the empty string when missing. Compared ignoring case.",
    ),
    (
        "visit_history",
        "`new` on the first visit of the device, `returning` afterwards.",
    ),
    (
        "language",
        "The device's language setting, compared with a supported language tag such as `\"fr\"` \
         (`\"fr\"` also matches `fr-ca`).",
    ),
];

/// The comparison operators.
pub const OPERATORS: &[(&str, &str)] = &[
    (
        "is",
        "Holds when the whole value equals the right-hand side (ignoring case).",
    ),
    ("is not", "Exactly `not (… is X)`."),
    (
        "contains",
        "Holds when the right-hand side appears anywhere in the value; with a list, when at \
         least one item does.",
    ),
    (
        "not contains",
        "Exactly `not (… contains X)`: with a list, holds when no item appears.",
    ),
];

/// Words of clauses and conditions that are values.
pub const VALUES: &[(&str, &str)] = &[
    ("new", "The device's first visit."),
    ("returning", "Any visit after the device's first."),
    (
        "once_per_device",
        "Never again on this device after it was shown once (the SDK persists this).",
    ),
    (
        "once_per_visit",
        "At most once per visit (from app launch to app quit).",
    ),
    (
        "every_time",
        "At every check where everything else allows it.",
    ),
    (
        "published",
        "The message is delivered when its rules allow (the default).",
    ),
    (
        "paused",
        "The message is compiled and checked but never shown.",
    ),
    (
        "anytime",
        "The message may be sent at any instant (the default).",
    ),
    ("during", "Only while the business-hours schedule is open."),
    (
        "outside",
        "Only while the business-hours schedule is closed (holidays and days not listed included).",
    ),
    (
        "business_hours",
        "A business-hours schedule of the message's channel, from `account.toml`.",
    ),
    (
        "agent",
        "A live agent takes over: `respond agent { follow_up \"…\" }`.",
    ),
    (
        "ai_agent",
        "An AI agent of the channel takes over: `respond ai_agent \"A\" answer \"B\"`.",
    ),
    ("name", "Ask the customer's name before the hand-over."),
    (
        "email",
        "Ask the customer's e-mail address before the hand-over.",
    ),
    ("none", "Ask nothing before the hand-over."),
];

/// The explanation of `word` in `table`.
pub fn lookup(table: &[(&'static str, &'static str)], word: &str) -> Option<&'static str> {
    table.iter().find(|(w, _)| *w == word).map(|(_, doc)| *doc)
}

/// The explanation of a clause keyword (message or agent clause).
pub fn clause(word: &str) -> Option<&'static str> {
    CLAUSES
        .iter()
        .chain(AGENT_CLAUSES)
        .find(|(w, _, _)| *w == word)
        .map(|(_, doc, _)| *doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::conditions::{self, VISIT_HISTORY_VALUES, operators_of};
    use crate::check::messages::{
        COLLECT_FIELDS, FREQUENCIES, RESPONSE_KINDS, SEND_MODES, STATUSES,
    };

    #[test]
    fn every_word_the_checker_accepts_is_explained() {
        for (object, fields) in conditions::OBJECTS {
            assert!(lookup(OBJECTS, object).is_some(), "{object}");
            for field in *fields {
                assert!(lookup(FIELDS, field).is_some(), "{field}");
                for op in operators_of(field) {
                    assert!(lookup(OPERATORS, op.as_str()).is_some(), "{op:?}");
                }
            }
        }
        let values = [
            VISIT_HISTORY_VALUES,
            FREQUENCIES,
            STATUSES,
            SEND_MODES,
            RESPONSE_KINDS,
            COLLECT_FIELDS,
        ];
        for word in values.iter().flat_map(|v| v.iter()) {
            assert!(lookup(VALUES, word).is_some(), "{word}");
        }
    }
}
