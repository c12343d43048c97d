//! The language's vocabulary: every word of `.pm` files and of `account.toml`'s fixed values,
//! each written once with its kind, its one-line meaning and what completion inserts.
//!
//! The parser's keyword lists, the checker's accepted words and suggestions, completion, hover
//! and the language guide's tables (`docs/language.md`, held to this file by a test) all read
//! these tables. Words the runtime also knows are spelt by the VM (`as_str`, `WEEKDAYS`), so
//! the two can never drift apart: a new frequency is a variant of [`Frequency`] in the VM's
//! format and a row of [`FREQUENCIES`] here, and a test fails while either is missing.

use pm_vm::format::{ConversationControl, Frequency, Platform, Status};

use crate::syntax::ast::Op;

pub use pm_vm::format::WEEKDAYS;

/// What part a word plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word that starts a message clause (`brand`, `frequency`, …).
    Clause,
    /// A word of the trigger clause: `when`, `after`.
    Trigger,
    /// A word that starts a clause of `respond agent { … }`.
    AgentClause,
    /// An object of conditions (`visitor`).
    Object,
    /// A field of an object (`page_url`).
    Field,
    /// A comparison operator (`is not`).
    Operator,
    /// An event that starts a check (`screen_open`).
    Event,
    /// A value of `frequency`.
    Frequency,
    /// A value of `status`.
    Status,
    /// A mode of `send`.
    SendMode,
    /// The kind of schedule after `send during` / `send outside`.
    ScheduleKind,
    /// What `respond` hands over to.
    ResponseKind,
    /// A field of `collect`.
    CollectField,
    /// A value of `visitor.visit_history`.
    VisitHistory,
    /// A channel's platform in `account.toml`.
    Platform,
    /// A channel's `conversation_control` in `account.toml`.
    ConversationControl,
}

/// One word of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// The word as written.
    pub text: &'static str,
    /// What part it plays.
    pub kind: Kind,
    /// What it means, one sentence of Markdown (hover, completion, the guide's tables).
    pub meaning: &'static str,
    /// What completion inserts (an LSP snippet for clauses; the word itself for values).
    pub snippet: &'static str,
}

/// A field of conditions and the operators it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name and meaning.
    pub word: Word,
    /// The object it belongs to.
    pub object: &'static str,
    /// The operators it accepts, in the guide's order.
    pub operators: &'static [Op],
}

const fn word(text: &'static str, kind: Kind, meaning: &'static str) -> Word {
    Word {
        text,
        kind,
        meaning,
        snippet: text,
    }
}

const fn clause(
    text: &'static str,
    kind: Kind,
    meaning: &'static str,
    snippet: &'static str,
) -> Word {
    Word {
        text,
        kind,
        meaning,
        snippet,
    }
}

/// Message clauses, in the guide's order: the soft keywords ([`Kind::Clause`]) and the trigger's
/// `when` and `after` ([`Kind::Trigger`]).
pub const CLAUSES: [Word; 11] = [
    clause(
        "brand",
        Kind::Clause,
        "The brand the message speaks for. Required when the account has several brands.",
        "brand \"$1\"",
    ),
    clause(
        "channel",
        Kind::Clause,
        "The mobile SDK channel (`ios`, `android` or `unity`) that shows the message. Required.",
        "channel \"$1\"",
    ),
    clause(
        "say",
        Kind::Clause,
        "The message text shown to the customer. Required.",
        "say \"$1\"",
    ),
    clause(
        "respond",
        Kind::Clause,
        "Who takes over when the customer answers: `respond agent { … }` (a live agent) or \
         `respond ai_agent \"A\" answer \"B\"`. Required, exactly one.",
        "respond ${1|agent,ai_agent|}",
    ),
    clause(
        "when",
        Kind::Trigger,
        "The conditions that must hold at the check, before `after EVENT`.",
        "when $1\n    after ${2:screen_open}",
    ),
    clause(
        "after",
        Kind::Trigger,
        "The event that starts a check and, optionally, how long it must last (`after screen_open \
         30s`). Required.",
        "after ${1:screen_open}",
    ),
    clause(
        "tags",
        Kind::Clause,
        "Tags copied onto tickets created from the conversation.",
        "tags \"$1\"",
    ),
    clause(
        "send",
        Kind::Clause,
        "When the message may be sent: `anytime` (the default), or `during` / `outside` a \
         business-hours schedule.",
        "send ${1|anytime,during,outside|}",
    ),
    clause(
        "frequency",
        Kind::Clause,
        "How often one device may see the message. Required.",
        "frequency ${1|once_per_visit,once_per_device,every_time|}",
    ),
    clause(
        "priority",
        Kind::Clause,
        "Tie-break between messages deliverable at the same instant: the highest wins (default \
         0).",
        "priority ${1:0}",
    ),
    clause(
        "status",
        Kind::Clause,
        "`published` (the default) or `paused`: a paused message is never shown.",
        "status ${1|published,paused|}",
    ),
];

/// The words that start a message clause (the parser's soft keywords); `when` and `after` are
/// hard keywords and start the trigger clause.
pub const CLAUSE_KEYWORDS: [&str; 9] = texts_of_kind(&CLAUSES, Kind::Clause);

/// The trigger's words, `when` and `after`: hard keywords.
pub const TRIGGER_KEYWORDS: [&str; 2] = texts_of_kind(&CLAUSES, Kind::Trigger);

/// Clauses of `respond agent { … }`.
pub const AGENT_CLAUSES: [Word; 2] = [
    clause(
        "follow_up",
        Kind::AgentClause,
        "Text shown when the hand-over to a live agent starts. Required.",
        "follow_up \"$1\"",
    ),
    clause(
        "collect",
        Kind::AgentClause,
        "What to ask the customer before the hand-over: `name`, `email`, `name, email` (the \
         default) or `none`.",
        "collect ${1:name, email}",
    ),
];

/// The words that start a clause inside `respond agent { … }`.
pub const AGENT_CLAUSE_KEYWORDS: [&str; 2] = texts_of_kind(&AGENT_CLAUSES, Kind::AgentClause);

/// The objects of conditions.
pub const OBJECTS: [Word; 3] = [
    word(
        "visitor",
        Kind::Object,
        "The customer in the app: the current screen and the visit history.",
    ),
    word(
        "device",
        Kind::Object,
        "The customer's device: its language setting.",
    ),
    word(
        "app",
        Kind::Object,
        "The host app: its version and build number, as the SDK sets them.",
    ),
];

const TEXT_OPERATORS: &[Op] = &[
    Op::Is,
    Op::IsNot,
    Op::Contains,
    Op::NotContains,
    Op::StartsWith,
    Op::NotStartsWith,
    Op::EndsWith,
    Op::NotEndsWith,
    Op::Matches,
    Op::NotMatches,
];
const EQUALITY: &[Op] = &[Op::Is, Op::IsNot];
const ORDER: &[Op] = &[Op::Is, Op::IsNot, Op::Lt, Op::Le, Op::Gt, Op::Ge];

/// The fields of conditions, object by object.
pub const FIELDS: [Field; 6] = [
    Field {
        word: word(
            "page_url",
            Kind::Field,
            "The URL or screen name of the current screen, as the SDK reports it with \
             `screen_open`; the empty string when missing. Compared ignoring case.",
        ),
        object: "visitor",
        operators: TEXT_OPERATORS,
    },
    Field {
        word: word(
            "page_title",
            Kind::Field,
            "The title of the current screen; the empty string when missing. Compared ignoring \
             case.",
        ),
        object: "visitor",
        operators: TEXT_OPERATORS,
    },
    Field {
        word: word(
            "visit_history",
            Kind::Field,
            "`new` on the first visit of the device, `returning` afterwards.",
        ),
        object: "visitor",
        operators: EQUALITY,
    },
    Field {
        word: word(
            "language",
            Kind::Field,
            "The device's language setting, compared with a supported language tag such as \
             `\"fr\"` (`\"fr\"` also matches `fr-ca`).",
        ),
        object: "device",
        operators: EQUALITY,
    },
    Field {
        word: word(
            "version",
            Kind::Field,
            "The app's version, compared as a dotted version (`\"5.2\"` equals `\"5.2.0\"`, \
             `\"5.2.0-beta.1\"` is below `\"5.2.0\"`); unset, only `is not` holds.",
        ),
        object: "app",
        operators: ORDER,
    },
    Field {
        word: word(
            "build",
            Kind::Field,
            "The app's integer build number; unset, only `is not` holds.",
        ),
        object: "app",
        operators: ORDER,
    },
];

/// The comparison operators.
pub const OPERATORS: [Word; 14] = [
    word(
        Op::Is.as_str(),
        Kind::Operator,
        "Holds when the whole value equals the right-hand side (ignoring case).",
    ),
    word(
        Op::IsNot.as_str(),
        Kind::Operator,
        "Exactly `not (… is X)`.",
    ),
    word(
        Op::Contains.as_str(),
        Kind::Operator,
        "Holds when the right-hand side appears anywhere in the value; with a list, when at \
         least one item does.",
    ),
    word(
        Op::NotContains.as_str(),
        Kind::Operator,
        "Exactly `not (… contains X)`: with a list, holds when no item appears.",
    ),
    word(
        Op::StartsWith.as_str(),
        Kind::Operator,
        "Holds when the value starts with the right-hand side; with a list, when it starts \
         with at least one item.",
    ),
    word(
        Op::NotStartsWith.as_str(),
        Kind::Operator,
        "Exactly `not (… starts_with X)`: with a list, holds when the value starts with no item.",
    ),
    word(
        Op::EndsWith.as_str(),
        Kind::Operator,
        "Holds when the value ends with the right-hand side; with a list, when it ends with at \
         least one item.",
    ),
    word(
        Op::NotEndsWith.as_str(),
        Kind::Operator,
        "Exactly `not (… ends_with X)`: with a list, holds when the value ends with no item.",
    ),
    word(
        Op::Lt.as_str(),
        Kind::Operator,
        "Holds when the value is set and lower than the right-hand side.",
    ),
    word(
        Op::Le.as_str(),
        Kind::Operator,
        "Holds when the value is set and lower than or equal to the right-hand side.",
    ),
    word(
        Op::Gt.as_str(),
        Kind::Operator,
        "Holds when the value is set and higher than the right-hand side.",
    ),
    word(
        Op::Ge.as_str(),
        Kind::Operator,
        "Holds when the value is set and higher than or equal to the right-hand side.",
    ),
    word(
        Op::Matches.as_str(),
        Kind::Operator,
        "Holds when the regular expression matches the whole value (ignoring case), as if \
         written `^(?:PATTERN)$`; Rust `regex` syntax, without look-around or backreferences.",
    ),
    word(
        Op::NotMatches.as_str(),
        Kind::Operator,
        "Exactly `not (… matches X)`.",
    ),
];

/// The events that start a check, in the order of the bundle format's event table.
pub const EVENTS: [Word; 1] = [word(
    "screen_open",
    Kind::Event,
    "The customer opens a screen (page) of the app; with a duration, the check happens when the \
     customer has stayed that long on the screen.",
)];

/// The values of `frequency`, spelt by the VM.
pub const FREQUENCIES: [Word; 3] = [
    word(
        Frequency::OncePerDevice.as_str(),
        Kind::Frequency,
        "Never again on this device after it was shown once (the SDK persists this).",
    ),
    word(
        Frequency::OncePerVisit.as_str(),
        Kind::Frequency,
        "At most once per visit (from app launch to app quit).",
    ),
    word(
        Frequency::EveryTime.as_str(),
        Kind::Frequency,
        "At every check where everything else allows it.",
    ),
];

/// The values of `status`, spelt by the VM.
pub const STATUSES: [Word; 2] = [
    word(
        Status::Published.as_str(),
        Kind::Status,
        "The message is delivered when its rules allow (the default).",
    ),
    word(
        Status::Paused.as_str(),
        Kind::Status,
        "The message is compiled and checked but never shown.",
    ),
];

/// The modes of `send`.
pub const SEND_MODES: [Word; 3] = [
    word(
        "anytime",
        Kind::SendMode,
        "The message may be sent at any instant (the default).",
    ),
    word(
        "during",
        Kind::SendMode,
        "Only while the business-hours schedule is open.",
    ),
    word(
        "outside",
        Kind::SendMode,
        "Only while the business-hours schedule is closed (holidays and days not listed \
         included).",
    ),
];

/// The kinds of schedule `send during` and `send outside` name.
pub const SCHEDULE_KINDS: [Word; 1] = [word(
    "business_hours",
    Kind::ScheduleKind,
    "A business-hours schedule of the message's channel, from `account.toml`.",
)];

/// What `respond` hands over to.
pub const RESPONSE_KINDS: [Word; 2] = [
    word(
        "agent",
        Kind::ResponseKind,
        "A live agent takes over: `respond agent { follow_up \"…\" }`.",
    ),
    word(
        "ai_agent",
        Kind::ResponseKind,
        "An AI agent of the channel takes over: `respond ai_agent \"A\" answer \"B\"`.",
    ),
];

/// The fields of `collect`.
pub const COLLECT_FIELDS: [Word; 3] = [
    word(
        "name",
        Kind::CollectField,
        "Ask the customer's name before the hand-over.",
    ),
    word(
        "email",
        Kind::CollectField,
        "Ask the customer's e-mail address before the hand-over.",
    ),
    word(
        "none",
        Kind::CollectField,
        "Ask nothing before the hand-over.",
    ),
];

/// The values of `visitor.visit_history`.
pub const VISIT_HISTORY: [Word; 2] = [
    word("new", Kind::VisitHistory, "The device's first visit."),
    word(
        "returning",
        Kind::VisitHistory,
        "Any visit after the device's first.",
    ),
];

/// The platforms a channel may have in `account.toml`: the VM's mobile SDK platforms first
/// (the only ones proactive messages target), then the others.
pub const PLATFORMS: [Word; 6] = [
    word(
        Platform::Ios.as_str(),
        Kind::Platform,
        "The iOS SDK: a mobile SDK channel.",
    ),
    word(
        Platform::Android.as_str(),
        Kind::Platform,
        "The Android SDK: a mobile SDK channel.",
    ),
    word(
        Platform::Unity.as_str(),
        Kind::Platform,
        "The Unity SDK: a mobile SDK channel.",
    ),
    word(
        "web",
        Kind::Platform,
        "A web widget: not a target of proactive messages.",
    ),
    word(
        "messaging",
        Kind::Platform,
        "A messaging integration: not a target of proactive messages.",
    ),
    word(
        "email",
        Kind::Platform,
        "E-mail: not a target of proactive messages.",
    ),
];

/// How many of [`PLATFORMS`] are mobile SDK platforms (the VM's [`Platform`] values).
const MOBILE: usize = 3;

/// The spellings of [`PLATFORMS`].
pub const PLATFORM_NAMES: [&str; 6] = texts(&PLATFORMS);

/// The platforms whose channels run the mobile SDK, the only ones proactive messages target.
pub const MOBILE_PLATFORMS: &[&str] = PLATFORM_NAMES.split_at(MOBILE).0;

/// The values of a channel's `conversation_control`, spelt by the VM.
pub const CONVERSATION_CONTROLS: [Word; 2] = [
    word(
        ConversationControl::Release.as_str(),
        Kind::ConversationControl,
        "Control is released to the proactive messages (the default).",
    ),
    word(
        ConversationControl::Keep.as_str(),
        Kind::ConversationControl,
        "Control is kept by another integration: proactive messages will not send.",
    ),
];

/// The spellings of `words`.
pub fn names(words: &[Word]) -> Vec<&'static str> {
    words.iter().map(|w| w.text).collect()
}

/// The word spelt `text` among `words`.
pub fn find<'w>(words: &'w [Word], text: &str) -> Option<&'w Word> {
    words.iter().find(|w| w.text == text)
}

/// The field `object.field`, if conditions have it.
pub fn field(object: &str, field: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|f| f.object == object && f.word.text == field)
}

/// The fields of `object`, in order.
pub fn fields_of(object: &str) -> Vec<&'static Field> {
    FIELDS.iter().filter(|f| f.object == object).collect()
}

/// The meaning of a value word (of `frequency`, `status`, `send`, `respond`, `collect`,
/// `visitor.visit_history`, or `business_hours`), for hover and completion.
pub fn value_meaning(text: &str) -> Option<&'static str> {
    [
        &VISIT_HISTORY[..],
        &FREQUENCIES,
        &STATUSES,
        &SEND_MODES,
        &SCHEDULE_KINDS,
        &RESPONSE_KINDS,
        &COLLECT_FIELDS,
    ]
    .into_iter()
    .find_map(|words| find(words, text))
    .map(|w| w.meaning)
}

/// The meaning of a clause keyword (a message's or one of `respond agent { … }`).
pub fn clause_meaning(text: &str) -> Option<&'static str> {
    find(&CLAUSES, text)
        .or_else(|| find(&AGENT_CLAUSES, text))
        .map(|w| w.meaning)
}

/// The spellings of `words`, as a constant.
const fn texts<const N: usize>(words: &[Word; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = words[i].text;
        i += 1;
    }
    out
}

/// The spellings of the `N` words of `kind` among `words`, in order; a build error unless
/// there are exactly `N`.
const fn texts_of_kind<const N: usize>(words: &[Word], kind: Kind) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < words.len() {
        if words[i].kind as u8 == kind as u8 {
            assert!(n < N, "more words of this kind than the list holds");
            out[n] = words[i].text;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "fewer words of this kind than the list holds");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::report::or_list;
    use crate::model::Event;

    #[test]
    fn the_words_the_vm_knows_are_spelt_by_the_vm() {
        assert_eq!(
            names(&FREQUENCIES),
            Frequency::ALL
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            names(&STATUSES),
            Status::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>()
        );
        assert_eq!(
            names(&CONVERSATION_CONTROLS),
            ConversationControl::ALL
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            MOBILE_PLATFORMS,
            Platform::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>()
        );
        assert_eq!(
            names(&EVENTS),
            Event::ALL.iter().map(|e| e.keyword()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_word_has_its_kind_and_one_meaning() {
        let tables: [(&[Word], Kind); 14] = [
            (&AGENT_CLAUSES, Kind::AgentClause),
            (&OBJECTS, Kind::Object),
            (&OPERATORS, Kind::Operator),
            (&EVENTS, Kind::Event),
            (&FREQUENCIES, Kind::Frequency),
            (&STATUSES, Kind::Status),
            (&SEND_MODES, Kind::SendMode),
            (&SCHEDULE_KINDS, Kind::ScheduleKind),
            (&RESPONSE_KINDS, Kind::ResponseKind),
            (&COLLECT_FIELDS, Kind::CollectField),
            (&VISIT_HISTORY, Kind::VisitHistory),
            (&PLATFORMS, Kind::Platform),
            (&CONVERSATION_CONTROLS, Kind::ConversationControl),
            (
                &[
                    FIELDS[0].word,
                    FIELDS[1].word,
                    FIELDS[2].word,
                    FIELDS[3].word,
                    FIELDS[4].word,
                    FIELDS[5].word,
                ],
                Kind::Field,
            ),
        ];
        for (words, kind) in tables {
            for word in words {
                assert_eq!(word.kind, kind, "{}", word.text);
                assert!(word.meaning.ends_with('.'), "{}", word.text);
            }
        }
        for field in FIELDS {
            assert!(find(&OBJECTS, field.object).is_some(), "{}", field.object);
        }
    }

    #[test]
    fn clause_snippets_offer_exactly_the_clauses_values() {
        for (keyword, values) in [
            ("respond", &RESPONSE_KINDS[..]),
            ("send", &SEND_MODES),
            ("frequency", &FREQUENCIES),
            ("status", &STATUSES),
        ] {
            let snippet = find(&CLAUSES, keyword).unwrap().snippet;
            let choices = snippet
                .split_once("${1|")
                .and_then(|(_, rest)| rest.split_once("|}"))
                .map(|(choices, _)| choices)
                .unwrap_or_else(|| panic!("{keyword}: {snippet}"));
            let mut offered: Vec<&str> = choices.split(',').collect();
            let mut known = names(values);
            offered.sort_unstable();
            known.sort_unstable();
            assert_eq!(offered, known, "{keyword}");
        }
    }

    /// The rows of the table under the line `header` in the language guide, cell by cell.
    fn table(guide: &str, header: &str) -> Vec<Vec<String>> {
        let mut lines = guide.lines().skip_while(|l| l.trim() != header);
        assert!(lines.next().is_some(), "the guide has no table `{header}`");
        lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                l.trim_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect()
    }

    /// The words in backticks of `cell`, in order.
    fn backticked(cell: &str) -> Vec<&str> {
        cell.split('`').skip(1).step_by(2).collect()
    }

    /// A meaning as the guide's tables write it: a lower-case start, no final full stop.
    fn as_in_tables(meaning: &str) -> String {
        let mut chars = meaning.trim_end_matches('.').chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_language_guides_tables_agree_with_the_vocabulary() {
        let guide = include_str!("../../docs/language.md");

        // Message clauses: each row starts with its keyword; every clause has a row.
        let clauses = table(guide, "| clause | required | default | meaning |");
        let first_words: Vec<&str> = clauses
            .iter()
            .map(|row| backticked(&row[0])[0].split(' ').next().unwrap())
            .collect();
        let message_clauses: Vec<&str> = CLAUSES
            .iter()
            .filter(|w| w.text != "after")
            .map(|w| w.text)
            .collect();
        assert_eq!(first_words, message_clauses);
        for (keyword, values) in [
            ("frequency", &FREQUENCIES[..]),
            ("status", &STATUSES),
            ("send", &SEND_MODES),
        ] {
            let row = &clauses[first_words.iter().position(|w| *w == keyword).unwrap()];
            let listed: Vec<&str> = backticked(&row[0])
                .iter()
                .map(|c| {
                    c.split(' ')
                        .nth(usize::from(c.starts_with(keyword)))
                        .unwrap()
                })
                .collect();
            assert_eq!(listed, names(values), "the `{keyword}` row");
        }

        // Clauses of `respond agent { … }`, and the fields `collect` takes.
        let agent = table(guide, "| inner clause | required | default | meaning |");
        let agent_words: Vec<&str> = agent
            .iter()
            .map(|row| backticked(&row[0])[0].split(' ').next().unwrap())
            .collect();
        assert_eq!(agent_words, AGENT_CLAUSE_KEYWORDS);
        let collect = backticked(&agent[1][3]);
        let collect_fields: Vec<&str> = collect
            .iter()
            .filter(|w| !w.contains(','))
            .copied()
            .collect();
        assert_eq!(collect_fields, names(&COLLECT_FIELDS));

        // Frequencies, with their meanings.
        let frequencies = table(guide, "| value | meaning |");
        let rows: Vec<(String, String)> = frequencies
            .iter()
            .map(|row| (backticked(&row[0])[0].to_string(), row[1].clone()))
            .collect();
        let words: Vec<(String, String)> = FREQUENCIES
            .iter()
            .map(|w| (w.text.to_string(), as_in_tables(w.meaning)))
            .collect();
        assert_eq!(rows, words);

        // Comparisons: every field with its operators, and the values of `visit_history`.
        let comparisons = table(guide, "| comparison | operators | value |");
        let rows: Vec<(String, Vec<&str>)> = comparisons
            .iter()
            .map(|row| (backticked(&row[0])[0].to_string(), backticked(&row[1])))
            .collect();
        let fields: Vec<(String, Vec<&str>)> = FIELDS
            .iter()
            .map(|f| {
                (
                    format!("{}.{}", f.object, f.word.text),
                    f.operators.iter().map(|o| o.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(rows, fields);
        let visit_history = comparisons
            .iter()
            .find(|row| row[0] == "`visitor.visit_history`")
            .unwrap();
        assert_eq!(
            visit_history[2],
            format!("the word {}", or_list(&names(&VISIT_HISTORY)))
        );

        // A channel's platform and conversation control in `account.toml`.
        let channels = guide.split("### `[[channels]]`").nth(1).unwrap();
        let channels = table(channels, "| key | type | required | default | meaning |");
        let cell = |key: &str| {
            let row = channels.iter().find(|row| row[0] == format!("`{key}`"));
            backticked(&row.unwrap()[4])
        };
        assert_eq!(cell("platform"), PLATFORM_NAMES);
        assert_eq!(cell("conversation_control"), names(&CONVERSATION_CONTROLS));

        // Events: one heading each under "## Events".
        let events: Vec<&str> = guide
            .split("\n## Events\n")
            .nth(1)
            .unwrap()
            .split("\n## ")
            .next()
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
            .collect();
        assert_eq!(events, names(&EVENTS));
    }
}
