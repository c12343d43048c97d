//! The parser: tokens to a syntax tree, with error recovery (chumsky over the logos tokens).
//!
//! Parsing never fails. It returns a (possibly partial) [`ast::File`] and every syntax problem of
//! the file: broken clauses are skipped up to the next clause keyword, broken items up to the next
//! `message` or `condition`, broken parenthesised groups at their closing parenthesis. Some
//! mistakes are read as what they evidently mean, so that the checker still sees the whole
//! message: a misspelt clause keyword (`chanel "C"`) as the keyword, a duration without unit
//! (`after screen_open 30`) as seconds; both are reported. Before
//! parsing, [`check_nesting`] reports unbalanced brackets and replaces groups nested deeper than
//! [`MAX_NESTING`] by a single error token, so the recursive parts of the parser (and every pass
//! after it) run within a fixed depth whatever the input.
//!
//! A file is first parsed with errors that record nothing (cheap: on valid input, most
//! alternatives the parser tries fail, and rich errors would record what each expected); only
//! when that parse fails is the file parsed again with errors that say what was expected.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use chumsky::error::{EmptyErr, LabelError};
use chumsky::input::{MappedInput, ValueInput};
use chumsky::prelude::*;

use super::ast::{
    self, AgentClause, AgentClauseKind, Clause, ClauseKind, Compare, ConditionDef, Expr, ExprKind,
    Integer, Item, Name, Op, Response, Text, Trigger, Value,
};
use super::lexer::{Lexed, MAX_DURATION_SECONDS, Token};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::vocabulary::{AGENT_CLAUSE_KEYWORDS, CLAUSE_KEYWORDS, TRIGGER_KEYWORDS};

mod nesting;
mod report;

use nesting::check_nesting;
use report::{report_bare_durations, report_unknown_clauses, syntax_error};

/// Deepest nesting of brackets plus consecutive `not`s the parser accepts.
pub const MAX_NESTING: usize = 32;

/// The message clause keyword (or `when`, `after`) that `word` evidently misspells, such as
/// `channel` for `chanel`; `None` for a keyword itself or a word close to none.
fn meant_clause(word: &str) -> Option<&'static str> {
    closest_keyword(
        word,
        CLAUSE_KEYWORDS.iter().chain(&TRIGGER_KEYWORDS).copied(),
    )
}

/// The clause keyword of `respond agent { … }` that `word` evidently misspells.
fn meant_agent_clause(word: &str) -> Option<&'static str> {
    closest_keyword(word, AGENT_CLAUSE_KEYWORDS.iter().copied())
}

fn closest_keyword(
    word: &str,
    keywords: impl Iterator<Item = &'static str> + Clone,
) -> Option<&'static str> {
    if keywords.clone().any(|keyword| keyword == word) {
        return None;
    }
    crate::suggest::did_you_mean(word, keywords)
}

/// Which clause keywords: a message's, or those of `respond agent { … }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clauses {
    Message,
    Agent,
}

/// What each word met at the start of a clause evidently misspells ([`meant_clause`],
/// [`meant_agent_clause`]), worked out once per word and kind of clause: the parser asks for
/// every kind of clause it tries, and in both of its passes.
#[derive(Debug, Default)]
struct Misspellings {
    /// The words met at the start of a message's clauses, and what each misspells.
    message: RefCell<HashMap<String, Option<&'static str>>>,
    /// The same for the clauses of `respond agent { … }`.
    agent: RefCell<HashMap<String, Option<&'static str>>>,
}

impl Misspellings {
    fn meant(&self, clauses: Clauses, word: &str) -> Option<&'static str> {
        let (known, meant): (_, fn(&str) -> Option<&'static str>) = match clauses {
            Clauses::Message => (&self.message, meant_clause),
            Clauses::Agent => (&self.agent, meant_agent_clause),
        };
        // Looked up by the borrowed word: a word already seen costs no allocation.
        if let Some(&known) = known.borrow().get(word) {
            return known;
        }
        let answer = meant(word);
        known.borrow_mut().insert(word.to_string(), answer);
        answer
    }
}

impl chumsky::span::Span for Span {
    type Context = FileId;
    type Offset = u32;

    fn new(file: FileId, range: std::ops::Range<u32>) -> Span {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }

    fn context(&self) -> FileId {
        self.file
    }

    fn start(&self) -> u32 {
        self.start
    }

    fn end(&self) -> u32 {
        self.end
    }
}

/// What the parser builders need of an error type. The parser is built twice: with the
/// zero-sized [`EmptyErr`], which records nothing and so costs nothing on the alternatives that
/// fail on valid input, and, only when that parse fails, with [`Rich`] errors for diagnostics.
trait SyntaxError<'t, I: Input<'t>>:
    chumsky::error::Error<'t, I> + LabelError<'t, I, &'static str> + 't
{
}

impl<'t, I: Input<'t>, E> SyntaxError<'t, I> for E where
    E: chumsky::error::Error<'t, I> + LabelError<'t, I, &'static str> + 't
{
}

/// Parses a lexed file. Syntax problems are appended to `diagnostics`.
pub fn parse(
    file: FileId,
    source_len: usize,
    lexed: Lexed<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ast::File {
    let Lexed {
        tokens,
        comments,
        diagnostics: lex_diagnostics,
    } = lexed;
    diagnostics.extend(lex_diagnostics);
    let first_own = diagnostics.len();
    let tokens = check_nesting(tokens, diagnostics);
    let end = Span::new(file, source_len..source_len);
    let misspellings = Misspellings::default();
    let (items, errors) = match parse_items::<EmptyErr>(&tokens, end, &misspellings) {
        (Some(items), errors) if errors.is_empty() => (items, Vec::new()),
        _ => {
            let (items, errors) =
                parse_items::<Rich<'_, Token<'_>, Span>>(&tokens, end, &misspellings);
            (items.unwrap_or_default(), errors)
        }
    };
    // An unclosed bracket explains every parse error between it and where it should have
    // been closed: those are not reported again.
    let unclosed: Vec<(u32, u32)> = diagnostics[first_own..]
        .iter()
        .filter(|d| d.code == Code::E0202)
        .map(|d| {
            (
                d.primary.span.start,
                d.secondary.first().map_or(u32::MAX, |l| l.span.end),
            )
        })
        .collect();
    for error in errors {
        let start = error.span().start;
        let explained = unclosed
            .iter()
            .any(|&(from, to)| from <= start && start <= to)
            || (start as usize >= source_len && !unclosed.is_empty());
        let duplicate = diagnostics[first_own..]
            .iter()
            .any(|d| d.primary.span.start == start);
        if explained || duplicate {
            continue;
        }
        diagnostics.push(syntax_error(&error));
    }
    for item in &items {
        if let Item::Message(message) = item {
            report_unknown_clauses(message, diagnostics);
            report_bare_durations(message, diagnostics);
        }
    }
    ast::File {
        file,
        items,
        comments,
    }
}

/// The token slice as the parser reads it: each token with its span.
type Tokens<'t, 's> = MappedInput<'t, Token<'s>, Span, &'t [(Token<'s>, Span)]>;

/// Runs the item parser over `tokens` (`end`: the empty span at the end of the file) with
/// errors of type `Err`.
fn parse_items<'t, 's: 't, Err: SyntaxError<'t, Tokens<'t, 's>>>(
    tokens: &'t [(Token<'s>, Span)],
    end: Span,
    misspellings: &'t Misspellings,
) -> (Option<Vec<Item>>, Vec<Err>) {
    let split: fn(&'t (Token<'s>, Span)) -> (&'t Token<'s>, &'t Span) =
        |(token, span)| (token, span);
    file_parser(misspellings)
        .parse(tokens.map(end, split))
        .into_output_errors()
}

fn keyword<'t, 's: 't, I, Err>(
    word: &'static str,
) -> impl Parser<'t, I, Span, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    just(Token::Ident(Cow::Borrowed(word)))
        .map_with(|_, e| e.span())
        .labelled(word)
}

/// A clause's keyword `word`, or a word that evidently misspells it (one of `clauses`, as
/// `misspellings` says): the keyword's span, and the word as written when it is a misspelling.
fn clause_keyword<'t, 's: 't, I, Err>(
    word: &'static str,
    clauses: Clauses,
    misspellings: &'t Misspellings,
) -> impl Parser<'t, I, (Span, Option<Name>), extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    select! {
        Token::Ident(text) if text == word => None,
        Token::Ident(text) if misspellings.meant(clauses, &text) == Some(word) => {
            Some(text.into_owned())
        }
    }
    .map_with(|written, e| {
        let span: Span = e.span();
        (span, written.map(|text| Name { text, span }))
    })
    .labelled(word)
}

/// The hard keyword `token` (`when`, `after`) starting a clause, or a word that evidently
/// misspells it, as [`clause_keyword`] returns them.
fn hard_clause_keyword<'t, 's: 't, I, Err>(
    token: Token<'static>,
    word: &'static str,
    misspellings: &'t Misspellings,
) -> impl Parser<'t, I, (Span, Option<Name>), extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    just(token)
        .map_with(|_, e| (e.span(), None))
        .or(clause_keyword(word, Clauses::Message, misspellings))
}

fn name<'t, 's: 't, I, Err>() -> impl Parser<'t, I, Name, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    select! { Token::Ident(text) = e => Name { text: text.into_owned(), span: e.span() } }
}

fn text<'t, 's: 't, I, Err>() -> impl Parser<'t, I, Text, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    select! { Token::Str(value) = e => Text { value: value.into_owned(), span: e.span(), source: None } }
        .labelled("a string")
}

/// Tokens that begin a message clause, or close the message.
fn ends_clause(token: &Token<'_>) -> bool {
    match token {
        Token::Ident(word) => CLAUSE_KEYWORDS.contains(&word.as_ref()),
        Token::When | Token::After | Token::RBrace | Token::Message | Token::Condition => true,
        _ => false,
    }
}

/// Any token except brackets, or a whole bracketed group: what recovery skips over.
fn balanced<'t, 's: 't, I, Err>() -> impl Parser<'t, I, (), extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    recursive(|group| {
        let plain = any().filter(|t: &Token<'_>| {
            !matches!(
                t,
                Token::LBrace
                    | Token::RBrace
                    | Token::LParen
                    | Token::RParen
                    | Token::LBracket
                    | Token::RBracket
            )
        });
        let inner = group.repeated();
        choice((
            plain.ignored(),
            inner
                .clone()
                .delimited_by(just(Token::LBrace), just(Token::RBrace)),
            inner
                .clone()
                .delimited_by(just(Token::LParen), just(Token::RParen)),
            inner.delimited_by(just(Token::LBracket), just(Token::RBracket)),
        ))
    })
}

/// Skips one token (not a message's closing brace) and then everything up to the next clause.
fn skip_clause<'t, 's: 't, I, Err>() -> impl Parser<'t, I, (), extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    let first = any()
        .filter(|t: &Token<'_>| !matches!(t, Token::RBrace | Token::Message | Token::Condition))
        .rewind();
    let rest = balanced()
        .and_is(any().filter(|t: &Token<'_>| !ends_clause(t)).rewind())
        .repeated();
    first.ignore_then(balanced()).ignore_then(rest)
}

fn expr_parser<'t, 's: 't, I, Err>() -> impl Parser<'t, I, Expr, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    recursive(|expr| {
        let list = text()
            .separated_by(just(Token::Comma))
            .allow_trailing()
            .at_least(1)
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBracket), just(Token::RBracket))
            .map_with(|items, e| Value::List(items, e.span()))
            .labelled("a list of strings");
        let value = choice((
            text().map(Value::Text),
            list,
            name().map(Value::Word),
            select! { Token::Int(value) => value }.map_with(|value, e| {
                Value::Integer(Integer {
                    value,
                    span: e.span(),
                })
            }),
            just(Token::Error).map_with(|_, e| Value::Error(e.span())),
        ))
        .labelled("a value");
        let op = choice((
            just(Token::Is)
                .ignore_then(just(Token::Not).or_not())
                .map(|not| if not.is_some() { Op::IsNot } else { Op::Is }),
            just(Token::Contains).to(Op::Contains),
            just(Token::StartsWith).to(Op::StartsWith),
            just(Token::EndsWith).to(Op::EndsWith),
            just(Token::Matches).to(Op::Matches),
            just(Token::Not).ignore_then(choice((
                just(Token::Contains).to(Op::NotContains),
                just(Token::StartsWith).to(Op::NotStartsWith),
                just(Token::EndsWith).to(Op::NotEndsWith),
                just(Token::Matches).to(Op::NotMatches),
            ))),
            just(Token::Lt).to(Op::Lt),
            just(Token::Le).to(Op::Le),
            just(Token::Gt).to(Op::Gt),
            just(Token::Ge).to(Op::Ge),
        ))
        .map_with(|op, e| (op, e.span()))
        .labelled(
            "an operator (`is`, `is not`, `contains`, `not contains`, `starts_with`, \
             `not starts_with`, `ends_with`, `not ends_with`, `matches`, `not matches`, `<`, `<=`,
             `>` or `>=`)",
        );
        let comparison_or_reference = name()
            .then(
                just(Token::Dot)
                    .ignore_then(name().labelled("a field"))
                    .then(op)
                    .then(value)
                    .or_not(),
            )
            .map(|(object, rest)| match rest {
                Some((field_op, value)) => {
                    let (field, (op, op_span)) = field_op;
                    ExprKind::Compare(Compare {
                        object,
                        field,
                        op,
                        op_span,
                        value,
                    })
                }
                None => ExprKind::Ref(object),
            });
        let parenthesised = expr
            .delimited_by(just(Token::LParen), just(Token::RParen))
            .map(|inner| ExprKind::Paren(Box::new(inner)))
            .recover_with(via_parser(nested_delimiters(
                Token::LParen,
                Token::RParen,
                [
                    (Token::LBracket, Token::RBracket),
                    (Token::LBrace, Token::RBrace),
                ],
                |_| ExprKind::Error,
            )));
        let atom = choice((
            comparison_or_reference,
            parenthesised,
            just(Token::Error).to(ExprKind::Error),
        ))
        .map_with(|kind, e| Expr {
            kind,
            span: e.span(),
        })
        .labelled("a condition");
        let unary = just(Token::Not)
            .map_with(|_, e| e.span())
            .repeated()
            .foldr_with(atom, |not: Span, inner: Expr, _| Expr {
                span: not.to(inner.span),
                kind: ExprKind::Not(Box::new(inner)),
            });
        let and = unary
            .separated_by(just(Token::And))
            .at_least(1)
            .collect::<Vec<_>>()
            .map_with(|operands, e| flatten(operands, e.span(), ExprKind::And));
        and.separated_by(just(Token::Or))
            .at_least(1)
            .collect::<Vec<_>>()
            .map_with(|operands, e| flatten(operands, e.span(), ExprKind::Or))
            .labelled("a condition")
    })
}

fn flatten(mut operands: Vec<Expr>, span: Span, make: fn(Vec<Expr>) -> ExprKind) -> Expr {
    if operands.len() == 1 {
        operands.remove(0)
    } else {
        Expr {
            kind: make(operands),
            span,
        }
    }
}

fn respond_parser<'t, 's: 't, I, Err>(
    misspellings: &'t Misspellings,
) -> impl Parser<'t, I, Response, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    let collect_list = name()
        .separated_by(just(Token::Comma))
        .at_least(1)
        .collect::<Vec<_>>();
    let agent_keyword = |word: &'static str| {
        clause_keyword(word, Clauses::Agent, misspellings)
            .map(move |(span, misspelt)| (named(span, word), misspelt))
    };
    let follow_up = agent_keyword("follow_up")
        .then(text())
        .map(|(keyword, text)| (keyword, AgentClauseKind::FollowUp(text)));
    let collect = agent_keyword("collect")
        .then(collect_list)
        .map(|(keyword, fields)| (keyword, AgentClauseKind::Collect(fields)));
    let unknown = name()
        .then_ignore(
            any()
                .filter(|t: &Token<'_>| !matches!(t, Token::RBrace) && !is_agent_keyword(t))
                .repeated(),
        )
        .map(|word| ((word, None), AgentClauseKind::Unknown))
        .labelled("`follow_up` or `collect`");
    let agent_clauses = choice((follow_up, collect, unknown))
        .map_with(|((keyword, misspelt), kind), e| AgentClause {
            keyword,
            misspelt,
            kind,
            span: e.span(),
        })
        .repeated()
        .collect::<Vec<_>>();
    let agent = name()
        .then(
            agent_clauses
                .delimited_by(just(Token::LBrace), just(Token::RBrace))
                .map_with(|clauses, e| (clauses, e.span())),
        )
        .map(|(kind, (clauses, body))| Response::Agent {
            kind,
            clauses,
            body,
        });
    let ai_agent = name()
        .then(text().labelled("the AI agent's name"))
        .then(keyword("answer"))
        .then(text().labelled("the answer's name"))
        .map(
            |(((kind, agent), answer_keyword), answer)| Response::AiAgent {
                kind,
                agent,
                answer_keyword,
                answer,
            },
        );
    choice((agent, ai_agent)).labelled("`agent { … }` or `ai_agent \"AGENT\" answer \"ANSWER\"`")
}

fn named(span: Span, text: &str) -> Name {
    Name {
        text: text.to_string(),
        span,
    }
}

fn is_agent_keyword(token: &Token<'_>) -> bool {
    matches!(token, Token::Ident(word) if AGENT_CLAUSE_KEYWORDS.contains(&word.as_ref()))
}

fn clause_parser<'t, 's: 't, I, Err>(
    misspellings: &'t Misspellings,
) -> impl Parser<'t, I, Clause, extra::Err<Err>> + Clone
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    let expr = expr_parser();
    let keyword = |word: &'static str| {
        clause_keyword(word, Clauses::Message, misspellings)
            .map(|(span, misspelt)| (span, misspelt.into_iter().collect::<Vec<_>>()))
    };
    let simple = |word: &'static str, make: fn(Text) -> ClauseKind| {
        keyword(word).then(text()).map(move |(kw, t)| (kw, make(t)))
    };
    let word_clause = |word: &'static str, make: fn(Name) -> ClauseKind| {
        keyword(word)
            .then(name().labelled("a keyword"))
            .map(move |(kw, n)| (kw, make(n)))
    };
    let integer =
        select! { Token::Int(value) = e => Integer { value, span: e.span() } }.labelled("a number");
    let duration = select! {
        Token::Duration(seconds) = e => ast::Duration { seconds, span: e.span(), bare: None },
        // `after screen_open 30`: reported, and read as seconds so that checking goes on.
        Token::Int(number) = e => ast::Duration {
            seconds: number.clamp(0, i64::from(MAX_DURATION_SECONDS)) as u32,
            span: e.span(),
            bare: Some(number),
        },
    }
    .labelled("a duration");
    let after = hard_clause_keyword(Token::After, "after", misspellings)
        .then(name().labelled("an event"))
        .then(duration.or_not());
    let trigger = hard_clause_keyword(Token::When, "when", misspellings)
        .then(expr)
        .or_not()
        .then(after)
        .map(|(when, (((after, after_misspelt), event), duration))| {
            let mut misspelt = Vec::new();
            let (keyword, when) = match when {
                Some(((keyword, when_misspelt), expr)) => {
                    misspelt.extend(when_misspelt);
                    (keyword, Some(expr))
                }
                None => (after, None),
            };
            misspelt.extend(after_misspelt);
            (
                (keyword, misspelt),
                ClauseKind::Trigger(Trigger {
                    when,
                    after,
                    event,
                    duration,
                }),
            )
        });
    let tags = keyword("tags")
        .then(
            text()
                .separated_by(just(Token::Comma))
                .at_least(1)
                .collect::<Vec<_>>(),
        )
        .map(|(kw, tags)| (kw, ClauseKind::Tags(tags)));
    let send = keyword("send")
        .then(name().labelled("`anytime`, `during` or `outside`"))
        .then(
            name()
                .filter(|word: &Name| !CLAUSE_KEYWORDS.contains(&word.text.as_str()))
                .or_not()
                .then(text())
                .map(|(word, schedule)| {
                    // `send during "S"`: an empty word, reported by the checker with a fix.
                    let word = word.unwrap_or_else(|| Name {
                        text: String::new(),
                        span: Span {
                            end: schedule.span.start,
                            ..schedule.span
                        },
                    });
                    (word, schedule)
                })
                .or_not(),
        )
        .map(|((kw, mode), schedule)| (kw, ClauseKind::Send(ast::Send { mode, schedule })));
    let priority = keyword("priority")
        .then(integer)
        .map(|(kw, n)| (kw, ClauseKind::Priority(n)));
    let respond = keyword("respond")
        .then(respond_parser(misspellings))
        .map(|(kw, r)| (kw, ClauseKind::Respond(r)));
    // An unknown clause runs to the next clause keyword; a word after a string starts the next
    // clause too (`chanel "C" text "T"` is two unknown clauses), except `answer`.
    let continues = |after_string: bool| {
        move |t: &Token<'_>| {
            let next_clause_word =
                after_string && matches!(t, Token::Ident(word) if word.as_ref() != "answer");
            !(ends_clause(t) || next_clause_word)
        }
    };
    let unknown_payload = |after_string: bool| {
        balanced().and_is(
            any()
                .filter(move |t: &Token<'_>| {
                    continues(after_string)(t) && !matches!(t, Token::Str(_))
                })
                .rewind(),
        )
    };
    let unknown = name()
        .and_is(any().filter(|t: &Token<'_>| !ends_clause(t)).rewind())
        .then_ignore(unknown_payload(false).repeated())
        .then_ignore(
            text()
                .then(choice((text().ignored(), unknown_payload(true))).repeated())
                .repeated(),
        )
        .map(|word| ((word.span, Vec::new()), ClauseKind::Unknown(word)));
    choice((
        simple("brand", ClauseKind::Brand),
        simple("channel", ClauseKind::Channel),
        simple("say", ClauseKind::Say),
        respond,
        trigger,
        tags,
        send,
        word_clause("frequency", ClauseKind::Frequency),
        priority,
        word_clause("status", ClauseKind::Status),
        unknown,
    ))
    .map_with(|((keyword, misspelt), kind), e| Clause {
        keyword,
        misspelt,
        kind,
        span: e.span(),
    })
    .labelled("a clause")
    .recover_with(via_parser(skip_clause().map_with(|_, e| Clause {
        keyword: e.span(),
        misspelt: Vec::new(),
        kind: ClauseKind::Unknown(Name {
            text: String::new(),
            span: e.span(),
        }),
        span: e.span(),
    })))
}

fn file_parser<'t, 's: 't, I, Err>(
    misspellings: &'t Misspellings,
) -> impl Parser<'t, I, Vec<Item>, extra::Err<Err>>
where
    I: ValueInput<'t, Token = Token<'s>, Span = Span>,
    Err: SyntaxError<'t, I>,
{
    let close_brace = just(Token::RBrace)
        .ignored()
        .recover_with(via_parser(empty()));
    let message = just(Token::Message)
        .ignore_then(text().labelled("the message's name in quotes"))
        .then(
            just(Token::LBrace)
                .ignore_then(clause_parser(misspellings).repeated().collect::<Vec<_>>())
                .then_ignore(close_brace)
                .map_with(|clauses, e| (clauses, e.span())),
        )
        .map_with(|(name, (clauses, body)), e| {
            let clauses = clauses
                .into_iter()
                .filter(|c: &Clause| !is_recovered(c))
                .collect();
            Item::Message(ast::Message {
                name,
                clauses,
                body,
                span: e.span(),
            })
        });
    let condition = just(Token::Condition)
        .ignore_then(name().labelled("the condition's name"))
        .then_ignore(just(Token::Eq))
        .then(expr_parser())
        .map_with(|(name, expr), e| {
            Item::Condition(ConditionDef {
                name,
                expr,
                span: e.span(),
            })
        });
    let skip_item = any()
        .then(
            balanced()
                .and_is(none_of([Token::Message, Token::Condition]).rewind())
                .repeated(),
        )
        .ignored();
    choice((message, condition))
        .labelled("the next item")
        .map(Some)
        .recover_with(via_parser(skip_item.to(None)))
        .repeated()
        .collect::<Vec<_>>()
        .map(|items| items.into_iter().flatten().collect())
}

/// Clauses produced by recovery carry an empty unknown name; they are dropped from the tree.
fn is_recovered(clause: &Clause) -> bool {
    matches!(&clause.kind, ClauseKind::Unknown(name) if name.text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer;

    /// Both parses of `text`: with [`EmptyErr`] (the fast path) and with [`Rich`] errors.
    fn both_parses(text: &str) -> [(Option<Vec<Item>>, usize); 2] {
        let file = FileId::default();
        let tokens = check_nesting(lexer::lex(file, text).tokens, &mut Vec::new());
        let end = Span::new(file, text.len()..text.len());
        let misspellings = Misspellings::default();
        let (fast, fast_errors) = parse_items::<EmptyErr>(&tokens, end, &misspellings);
        let (rich, rich_errors) =
            parse_items::<Rich<'_, Token<'_>, Span>>(&tokens, end, &misspellings);
        [(fast, fast_errors.len()), (rich, rich_errors.len())]
    }

    /// Every `.pm` file under `examples/`, with its path.
    fn examples() -> Vec<(String, String)> {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "pm") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    files.push((path.display().to_string(), text));
                }
            }
        }
        files
    }

    /// The fast parse fails exactly when the `Rich` one does, and on valid input both build the
    /// same tree: taking the fast result when it has no error changes nothing.
    #[test]
    fn fast_parse_agrees_with_rich_parse() {
        let broken = [
            "condition c visitor.page_url is \"a\"",
            "condition c = visitor.page_url is",
            "condition c = (visitor.returning or",
            "message \"m\" { brand \"A\" when visitor.page_url contains [\"a\", } }",
            "message \"m\" { respond agent { follow_up } say \"x\" }",
            "message { }",
            "message \"m\" { priority high }",
        ];
        let inputs = examples()
            .into_iter()
            .chain(broken.iter().map(|t| (t.to_string(), t.to_string())));
        let (mut valid, mut invalid) = (0, 0);
        for (name, text) in inputs {
            let [(fast, fast_errors), (rich, rich_errors)] = both_parses(&text);
            assert_eq!(fast_errors == 0, rich_errors == 0, "{name}");
            if rich_errors == 0 {
                assert_eq!(fast, rich, "{name}");
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        assert!(
            valid >= 10 && invalid >= 8,
            "{valid} valid, {invalid} invalid inputs"
        );
    }

    /// A syntax error fails the fast parse, and the diagnostic still lists what was expected.
    #[test]
    fn syntax_errors_keep_their_rich_diagnostics() {
        let text = "condition c visitor.page_url is \"a\"\n";
        let [(_, fast_errors), (_, rich_errors)] = both_parses(text);
        assert!(fast_errors > 0 && rich_errors > 0);
        let mut diagnostics = Vec::new();
        parse(
            FileId::default(),
            text.len(),
            lexer::lex(FileId::default(), text),
            &mut diagnostics,
        );
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["expected `=`, found `visitor`"]);
    }
}
