//! The syntax tree of one `.pm` file, with a span on every node.
//!
//! The tree records what was written, not what it means: clause values such as
//! `once_per_visit` or `business_hours` are plain [`Name`]s that the checker resolves, so a
//! misspelt word still parses and gets a precise "did you mean" from the checker. After syntax
//! errors the tree is partial: broken pieces are left out or become [`ExprKind::Error`].

use crate::source::{FileId, Span};

/// One parsed `.pm` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The file's id.
    pub file: FileId,
    /// Items in source order.
    pub items: Vec<Item>,
    /// Spans of `//` comments, in source order (for the formatter).
    pub comments: Vec<Span>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `message "NAME" { … }`.
    Message(Message),
    /// `condition NAME = EXPR`.
    Condition(ConditionDef),
}

impl Item {
    /// The item's whole span.
    pub fn span(&self) -> Span {
        match self {
            Item::Message(message) => message.span,
            Item::Condition(condition) => condition.span,
        }
    }
}

/// An identifier as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    /// The identifier.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal: its decoded value, and the span of the literal including its quotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// The decoded value.
    pub value: String,
    /// Where the literal is, quotes included.
    pub span: Span,
    /// The literal's body as written (between the quotes), kept for the pattern of a `matches`
    /// test so that a problem found in the decoded pattern can point at its source; `None`
    /// elsewhere.
    pub source: Option<Box<str>>,
}

/// `condition NAME = EXPR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionDef {
    /// The condition's name.
    pub name: Name,
    /// Its definition.
    pub expr: Expr,
    /// The whole item.
    pub span: Span,
}

/// `message "NAME" { CLAUSES }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The message's name.
    pub name: Text,
    /// Clauses in source order (duplicates included; the checker reports them).
    pub clauses: Vec<Clause>,
    /// The braces and everything between them.
    pub body: Span,
    /// The whole item.
    pub span: Span,
}

/// One clause of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The clause's leading keyword (`brand`, `when`, `after`, …).
    pub keyword: Span,
    /// The clause's keywords as written that are evident misspellings (`chanel` for `channel`;
    /// in a trigger, `wen` or `aftr`): the parser reads the clause as if spelt right, so that
    /// the rest of the message is still checked, and reports each misspelling (E0204).
    pub misspelt: Vec<Name>,
    /// What the clause says.
    pub kind: ClauseKind,
    /// The whole clause.
    pub span: Span,
}

/// The clauses of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseKind {
    /// `brand "B"`.
    Brand(Text),
    /// `channel "C"`.
    Channel(Text),
    /// `say "TEXT"`.
    Say(Text),
    /// `respond …`.
    Respond(Response),
    /// `when EXPR after EVENT [DURATION]` or `after EVENT [DURATION]`.
    Trigger(Trigger),
    /// `tags "a", "b"`.
    Tags(Vec<Text>),
    /// `send MODE [business_hours "S"]`.
    Send(Send),
    /// `frequency WORD`.
    Frequency(Name),
    /// `priority N`.
    Priority(Integer),
    /// `status WORD`.
    Status(Name),
    /// A word that is not a clause keyword, and what followed it up to the next clause.
    Unknown(Name),
}

impl ClauseKind {
    /// The clause keyword as written in the language (`"trigger"` for `when`/`after`).
    pub fn keyword(&self) -> &str {
        match self {
            ClauseKind::Brand(_) => "brand",
            ClauseKind::Channel(_) => "channel",
            ClauseKind::Say(_) => "say",
            ClauseKind::Respond(_) => "respond",
            ClauseKind::Trigger(_) => "after",
            ClauseKind::Tags(_) => "tags",
            ClauseKind::Send(_) => "send",
            ClauseKind::Frequency(_) => "frequency",
            ClauseKind::Priority(_) => "priority",
            ClauseKind::Status(_) => "status",
            ClauseKind::Unknown(name) => &name.text,
        }
    }
}

/// An integer literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integer {
    /// Its value.
    pub value: i64,
    /// Where it is.
    pub span: Span,
}

/// A duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Its value in seconds (at most 59m59s).
    pub seconds: u32,
    /// Where it is.
    pub span: Span,
    /// The number as written when the duration has no unit (`after screen_open 30`): an error
    /// the parser reports (E0103); `seconds` then holds the number read as seconds, clamped.
    pub bare: Option<i64>,
}

/// `respond KIND …`: who takes over after the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// `respond agent { follow_up "…" collect … }`.
    Agent {
        /// The word after `respond` (should be `agent`).
        kind: Name,
        /// The block's clauses.
        clauses: Vec<AgentClause>,
        /// The braces and everything between them.
        body: Span,
    },
    /// `respond ai_agent "AGENT" answer "ANSWER"`.
    AiAgent {
        /// The word after `respond` (should be `ai_agent`).
        kind: Name,
        /// The AI agent's name.
        agent: Text,
        /// The `answer` keyword.
        answer_keyword: Span,
        /// The answer's name.
        answer: Text,
    },
}

impl Response {
    /// The word after `respond`.
    pub fn kind(&self) -> &Name {
        match self {
            Response::Agent { kind, .. } | Response::AiAgent { kind, .. } => kind,
        }
    }
}

/// A clause inside `respond agent { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentClause {
    /// The clause's keyword, spelt right.
    pub keyword: Name,
    /// The keyword as written when it is an evident misspelling (`followup`), as in
    /// [`Clause::misspelt`].
    pub misspelt: Option<Name>,
    /// What it says.
    pub kind: AgentClauseKind,
    /// The whole clause.
    pub span: Span,
}

/// The clauses of a live-agent hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentClauseKind {
    /// `follow_up "TEXT"`.
    FollowUp(Text),
    /// `collect name, email` / `collect none`.
    Collect(Vec<Name>),
    /// A word that is not `follow_up` or `collect`.
    Unknown,
}

/// A message's trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The condition after `when`, if any.
    pub when: Option<Expr>,
    /// The `after` keyword.
    pub after: Span,
    /// The event's name.
    pub event: Name,
    /// How long the event must last before the check.
    pub duration: Option<Duration>,
}

/// `send anytime`, `send during business_hours "S"`, `send outside business_hours "S"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Send {
    /// `anytime`, `during` or `outside`.
    pub mode: Name,
    /// `business_hours` and the schedule's name, when given.
    pub schedule: Option<(Name, Text)>,
}

/// A condition expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of condition expressions. `and`/`or` chains are flat lists so that long chains
/// do not make deep trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// `a or b or …` (at least two operands).
    Or(Vec<Expr>),
    /// `a and b and …` (at least two operands).
    And(Vec<Expr>),
    /// `not a`.
    Not(Box<Expr>),
    /// `(a)`.
    Paren(Box<Expr>),
    /// A named condition.
    Ref(Name),
    /// `object.field OP value`.
    Compare(Compare),
    /// Something that failed to parse (already reported).
    Error,
}

/// `object.field OP value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    /// `visitor` or `device`, as written.
    pub object: Name,
    /// The field, as written.
    pub field: Name,
    /// The operator.
    pub op: Op,
    /// Where the operator is (both words for `is not` and `not contains`).
    pub op_span: Span,
    /// The right-hand side.
    pub value: Value,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `is`.
    Is,
    /// `is not`.
    IsNot,
    /// `contains`.
    Contains,
    /// `not contains`.
    NotContains,
    /// `starts_with`.
    StartsWith,
    /// `not starts_with`.
    NotStartsWith,
    /// `ends_with`.
    EndsWith,
    /// `not ends_with`.
    NotEndsWith,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `matches` (a regular expression matching the whole value).
    Matches,
    /// `not matches`.
    NotMatches,
}

impl Op {
    /// The operator as written.
    pub const fn as_str(self) -> &'static str {
        match self {
            Op::Is => "is",
            Op::IsNot => "is not",
            Op::Contains => "contains",
            Op::NotContains => "not contains",
            Op::StartsWith => "starts_with",
            Op::NotStartsWith => "not starts_with",
            Op::EndsWith => "ends_with",
            Op::NotEndsWith => "not ends_with",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Matches => "matches",
            Op::NotMatches => "not matches",
        }
    }

    /// Whether the operator is the negation of its positive form.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Op::IsNot | Op::NotContains | Op::NotStartsWith | Op::NotEndsWith | Op::NotMatches
        )
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `"text"`.
    Text(Text),
    /// `["a", "b"]`, and the span of the brackets.
    List(Vec<Text>, Span),
    /// A word such as `returning`.
    Word(Name),
    /// An integer such as `5210`.
    Integer(Integer),
    /// Something that failed to parse (already reported).
    Error(Span),
}

impl Value {
    /// Where the value is.
    pub fn span(&self) -> Span {
        match self {
            Value::Text(text) => text.span,
            Value::List(_, span) | Value::Error(span) => *span,
            Value::Word(name) => name.span,
            Value::Integer(integer) => integer.span,
        }
    }
}
