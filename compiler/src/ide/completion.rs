//! Completion: what may be written at the cursor, read from the tokens around it.
//!
//! The file may be broken while it is typed, so the context comes from the token stream (the
//! lexer never fails), not from the tree: the tokens before the cursor say which slot is being
//! filled, and the enclosing `message { … }` block gives the brand, channel and agent that
//! account-aware completions depend on.

use super::Snapshot;
use crate::account::Account;
use crate::languages::LANGUAGES;
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;
use crate::syntax::lexer::{self, Token};
use crate::vocabulary::{
    self, AGENT_CLAUSES, CLAUSES, COLLECT_FIELDS, EVENTS, FREQUENCIES, Field, OBJECTS, OPERATORS,
    RESPONSE_KINDS, SCHEDULE_KINDS, SEND_MODES, STATUSES, VISIT_HISTORY, Word,
};

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A keyword (clause keywords, `and`, `message`, …).
    Keyword,
    /// An object (`visitor`, `device`).
    Object,
    /// A field of an object.
    Field,
    /// A comparison operator.
    Operator,
    /// A value word or string (`returning`, a language tag, an account entity).
    Value,
    /// An event.
    Event,
    /// A named condition.
    Condition,
    /// A snippet for a whole item.
    Snippet,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What the list shows.
    pub label: String,
    /// What kind of thing it is.
    pub kind: CompletionKind,
    /// A short explanation shown beside the label.
    pub detail: Option<String>,
    /// The text that replaces [`Completion::replace`] (a snippet when `is_snippet`).
    pub insert_text: String,
    /// Whether `insert_text` uses LSP snippet syntax (`$1`, `${1|a,b|}`).
    pub is_snippet: bool,
    /// The text being completed (the word or string content before the cursor), replaced by
    /// `insert_text`.
    pub replace: Span,
}

/// A token reduced to what completion needs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword.
    Word(String),
    /// A string literal's value.
    Str(String),
    /// Punctuation.
    Punct(char),
    /// A number or duration.
    Number,
}

impl Tok {
    fn of(token: &Token<'_>) -> Option<Tok> {
        Some(match token {
            Token::Message => Tok::Word("message".into()),
            Token::Condition => Tok::Word("condition".into()),
            Token::When => Tok::Word("when".into()),
            Token::After => Tok::Word("after".into()),
            Token::And => Tok::Word("and".into()),
            Token::Or => Tok::Word("or".into()),
            Token::Not => Tok::Word("not".into()),
            Token::Is => Tok::Word("is".into()),
            Token::Contains => Tok::Word("contains".into()),
            Token::StartsWith => Tok::Word("starts_with".into()),
            Token::EndsWith => Tok::Word("ends_with".into()),
            Token::Lt => Tok::Word("<".into()),
            Token::Le => Tok::Word("<=".into()),
            Token::Gt => Tok::Word(">".into()),
            Token::Ge => Tok::Word(">=".into()),
            Token::Matches => Tok::Word("matches".into()),
            Token::Ident(word) => Tok::Word(word.to_string()),
            Token::UpperIdent(word) => Tok::Word(word.to_ascii_lowercase()),
            Token::Str(value) => Tok::Str(value.to_string()),
            Token::Duration(_) | Token::Int(_) => Tok::Number,
            Token::LBrace => Tok::Punct('{'),
            Token::RBrace => Tok::Punct('}'),
            Token::LParen => Tok::Punct('('),
            Token::RParen => Tok::Punct(')'),
            Token::LBracket => Tok::Punct('['),
            Token::RBracket => Tok::Punct(']'),
            Token::Comma => Tok::Punct(','),
            Token::Dot => Tok::Punct('.'),
            Token::Eq => Tok::Punct('='),
            Token::Comment | Token::Error | Token::BadNumber => return None,
        })
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self, Tok::Word(w) if w == word)
    }
}

/// The block the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    TopLevel,
    Message,
    Agent,
}

/// Where the cursor is, as completion sees it.
struct Context<'a> {
    snapshot: &'a Snapshot,
    /// The tokens before what is being completed, last one last.
    before: Vec<Tok>,
    /// The tokens of the enclosing message (all of it, before and after the cursor).
    message: Vec<Tok>,
    block: Block,
    replace: Span,
    /// Text to add after a string value (the closing quote of an unterminated string).
    close_quote: bool,
}

/// Completions at `offset` in `file`. Empty inside comments and where nothing fits.
pub fn completions(snapshot: &Snapshot, file: FileId, offset: u32) -> Vec<Completion> {
    if Some(file) == snapshot.account_file {
        return Vec::new();
    }
    let offset = snapshot.clamp(file, offset);
    let text = snapshot.text(file);
    let lexed = lexer::lex(file, text);
    if lexed
        .comments
        .iter()
        .any(|c| c.start < offset && offset <= c.end)
    {
        return Vec::new();
    }
    let tokens = &lexed.tokens;
    // A string the cursor is inside: its content before the cursor is what is completed.
    let string = tokens.iter().position(|(token, span)| {
        matches!(token, Token::Str(_))
            && span.start < offset
            && (offset < span.end || (offset == span.end && !terminated(text, *span)))
    });
    let (end, replace, close_quote, in_string) = match string {
        Some(i) => {
            let span = tokens[i].1;
            let content_end = if terminated(text, span) {
                span.end - 1
            } else {
                span.end
            };
            let replace = Span {
                file,
                start: span.start + 1,
                end: content_end.max(offset),
            };
            (i, replace, !terminated(text, span), true)
        }
        None => {
            // A word that touches the cursor is the prefix being completed.
            let word = tokens.iter().position(|(token, span)| {
                Tok::of(token).is_some_and(|t| matches!(t, Tok::Word(_)))
                    && span.start < offset
                    && offset <= span.end
            });
            match word {
                Some(i) => (
                    i,
                    Span {
                        end: offset,
                        ..tokens[i].1
                    },
                    false,
                    false,
                ),
                None => {
                    let i = tokens.partition_point(|(_, span)| span.end <= offset);
                    (
                        i,
                        Span::new(file, offset as usize..offset as usize),
                        false,
                        false,
                    )
                }
            }
        }
    };
    let before: Vec<Tok> = tokens[..end]
        .iter()
        .filter_map(|(t, _)| Tok::of(t))
        .collect();
    let (block, message) = enclosing_block(tokens, end);
    let context = Context {
        snapshot,
        before,
        message,
        block,
        replace,
        close_quote,
    };
    if in_string {
        context.in_string()
    } else {
        context.in_code()
    }
}

fn terminated(text: &str, span: Span) -> bool {
    let literal = text.get(span.range()).unwrap_or("");
    literal.len() >= 2 && literal.ends_with('"') && !literal.ends_with("\\\"")
}

/// The block containing token `end` and the tokens of the enclosing message.
fn enclosing_block(tokens: &[(Token<'_>, Span)], end: usize) -> (Block, Vec<Tok>) {
    let mut stack: Vec<Block> = Vec::new();
    let mut message_start = None;
    let mut previous: Option<Tok> = None;
    for (i, (token, _)) in tokens[..end].iter().enumerate() {
        let Some(tok) = Tok::of(token) else { continue };
        match &tok {
            // `message` only starts items: an unclosed brace before it is forgotten.
            Tok::Word(w) if w == "message" => {
                stack.clear();
                message_start = Some(i);
            }
            Tok::Word(w) if w == "condition" && stack.is_empty() => message_start = None,
            Tok::Punct('{') => stack.push(match (stack.last(), &previous) {
                (Some(Block::Message), Some(p)) if p.is_word("agent") => Block::Agent,
                (None, _) if message_start.is_some() => Block::Message,
                _ => Block::TopLevel,
            }),
            Tok::Punct('}') => {
                stack.pop();
                if stack.is_empty() {
                    message_start = None;
                }
            }
            _ => {}
        }
        previous = Some(tok);
    }
    let block = match stack.last() {
        Some(Block::Agent) => Block::Agent,
        Some(_) if message_start.is_some() => Block::Message,
        _ => Block::TopLevel,
    };
    let message = match (block, message_start) {
        (Block::TopLevel, _) | (_, None) => Vec::new(),
        (_, Some(start)) => {
            let mut depth = 0usize;
            let mut out = Vec::new();
            for (i, (token, _)) in tokens.iter().enumerate().skip(start) {
                let Some(tok) = Tok::of(token) else { continue };
                if i > start && tok.is_word("message") {
                    break;
                }
                match tok {
                    Tok::Punct('{') => depth += 1,
                    Tok::Punct('}') => depth = depth.saturating_sub(1),
                    _ => {}
                }
                let closes = depth == 0 && tok == Tok::Punct('}');
                out.push(tok);
                if closes {
                    break;
                }
            }
            out
        }
    };
    (block, message)
}

impl Context<'_> {
    fn account(&self) -> Option<&Account> {
        self.snapshot.account()
    }

    /// The last `n`-th token before the cursor (1 = the last one).
    fn back(&self, n: usize) -> Option<&Tok> {
        self.before.len().checked_sub(n).map(|i| &self.before[i])
    }

    fn back_is(&self, n: usize, word: &str) -> bool {
        self.back(n).is_some_and(|t| t.is_word(word))
    }

    /// The string after `keyword` in the enclosing message.
    fn message_string(&self, keyword: &str) -> Option<&str> {
        self.message.windows(2).find_map(|pair| match pair {
            [Tok::Word(w), Tok::Str(s)] if w == keyword => Some(s.as_str()),
            _ => None,
        })
    }

    /// The message's brand: its `brand` clause, else the account's only brand.
    fn brand(&self) -> Option<String> {
        match self.message_string("brand") {
            Some(brand) => Some(brand.to_string()),
            None => match self.account()?.brands.as_slice() {
                [only] => Some(only.name.name.clone()),
                _ => None,
            },
        }
    }

    /// The field of the comparison whose operator ends `n` tokens back (`obj . field` before).
    fn field_before(&self, n: usize) -> Option<&'static Field> {
        match (self.back(n + 2), self.back(n + 1), self.back(n)) {
            (Some(Tok::Word(object)), Some(Tok::Punct('.')), Some(Tok::Word(field))) => {
                vocabulary::field(object, field)
            }
            _ => None,
        }
    }

    fn item(&self, label: &str, kind: CompletionKind, detail: Option<String>) -> Completion {
        Completion {
            label: label.to_string(),
            kind,
            detail,
            insert_text: label.to_string(),
            is_snippet: false,
            replace: self.replace,
        }
    }

    fn snippet(&self, label: &str, kind: CompletionKind, detail: &str, body: &str) -> Completion {
        Completion {
            label: label.to_string(),
            kind,
            detail: Some(detail.to_string()),
            insert_text: body.to_string(),
            is_snippet: true,
            replace: self.replace,
        }
    }

    fn words(&self, words: &[Word], kind: CompletionKind) -> Vec<Completion> {
        words
            .iter()
            .map(|w| self.item(w.text, kind, Some(w.meaning.to_string())))
            .collect()
    }

    /// A string value inside quotes: the name, closed when the string was not.
    fn string_value(&self, name: &str, detail: String) -> Completion {
        let mut item = self.item(name, CompletionKind::Value, Some(detail));
        if self.close_quote {
            item.insert_text.push('"');
        }
        item
    }

    fn in_string(&self) -> Vec<Completion> {
        let Some(account) = self.account() else {
            return self.language_strings(true);
        };
        if self.back_is(1, "channel") {
            let brand = self.brand();
            return account
                .channels
                .iter()
                .filter(|c| c.is_mobile())
                .filter(|c| brand.as_ref().is_none_or(|b| &c.brand.name == b))
                .map(|c| {
                    self.string_value(
                        &c.name.name,
                        format!("{} channel of {}", c.platform.name, c.brand.name),
                    )
                })
                .collect();
        }
        if self.back_is(1, "brand") {
            return account
                .brands
                .iter()
                .map(|b| self.string_value(&b.name.name, "brand".into()))
                .collect();
        }
        if self.back_is(1, "ai_agent") {
            let channel = self.message_string("channel");
            return account
                .ai_agents
                .iter()
                .filter(|a| channel.is_none_or(|c| a.channels.iter().any(|n| n.name == c)))
                .map(|a| {
                    let kind = if a.generative {
                        "generative AI agent"
                    } else {
                        "AI agent"
                    };
                    self.string_value(&a.name.name, kind.into())
                })
                .collect();
        }
        if self.back_is(1, "answer") {
            let agent = match self.back(2) {
                Some(Tok::Str(agent)) => Some(agent.as_str()),
                _ => self.message_string("ai_agent"),
            };
            return agent
                .and_then(|name| account.ai_agent(name))
                .map(|(_, agent)| {
                    agent
                        .answers
                        .iter()
                        .map(|a| {
                            self.string_value(&a.name, format!("answer of {}", agent.name.name))
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        if self.back_is(1, "business_hours") {
            let channel = self
                .message_string("channel")
                .and_then(|c| account.channel(c));
            return account
                .schedules
                .iter()
                .filter(|s| {
                    channel.is_none_or(|(_, c)| c.schedules.iter().any(|n| n.name == s.name.name))
                })
                .map(|s| self.string_value(&s.name.name, format!("schedule, {}", s.timezone.name)))
                .collect();
        }
        self.language_strings(true)
    }

    /// Language tags after `device.language is` / `is not`: inside quotes or as whole strings.
    fn language_strings(&self, in_string: bool) -> Vec<Completion> {
        let after_is = if self.back_is(1, "is") {
            self.field_before(2)
        } else if self.back_is(1, "not") && self.back_is(2, "is") {
            self.field_before(3)
        } else {
            None
        };
        if after_is.map(|f| f.word.text) != Some("language") {
            return Vec::new();
        }
        LANGUAGES
            .iter()
            .map(|(tag, name)| {
                if in_string {
                    self.string_value(tag, name.to_string())
                } else {
                    let mut item = self.item(tag, CompletionKind::Value, Some(name.to_string()));
                    item.insert_text = format!("\"{tag}\"");
                    item
                }
            })
            .collect()
    }

    fn in_code(&self) -> Vec<Completion> {
        use CompletionKind as K;
        let last = self.back(1);
        // `object.` → its fields.
        if let (Some(Tok::Word(object)), Some(Tok::Punct('.'))) = (self.back(2), last) {
            return vocabulary::fields_of(object)
                .into_iter()
                .map(|f| {
                    let ops: Vec<&str> = f.operators.iter().map(|o| o.as_str()).collect();
                    let detail = format!("{} — {}", ops.join(" | "), f.word.meaning);
                    self.item(f.word.text, K::Field, Some(detail))
                })
                .collect();
        }
        // `object.field` → the field's operators.
        if let Some(field) = self.field_before(1) {
            return field
                .operators
                .iter()
                .map(|op| {
                    let word = vocabulary::find(&OPERATORS, op.as_str());
                    self.item(
                        op.as_str(),
                        K::Operator,
                        word.map(|w| w.meaning.to_string()),
                    )
                })
                .collect();
        }
        // `object.field not` → the words of the field's `not …` operators (`contains`, …).
        if self.back_is(1, "not")
            && let Some(field) = self.field_before(2)
        {
            return field
                .operators
                .iter()
                .filter_map(|op| {
                    let rest = op.as_str().strip_prefix("not ")?;
                    let word = vocabulary::find(&OPERATORS, op.as_str());
                    Some(self.item(rest, K::Operator, word.map(|w| w.meaning.to_string())))
                })
                .collect();
        }
        // `object.field is [not]` → the values that fit.
        let value_field = if self.back_is(1, "is") {
            self.field_before(2)
        } else if self.back_is(1, "not") && self.back_is(2, "is") {
            self.field_before(3)
        } else {
            None
        };
        if let Some(field) = value_field {
            return match field.word.text {
                "visit_history" => self.words(&VISIT_HISTORY, K::Value),
                "language" => self.language_strings(false),
                _ => Vec::new(),
            };
        }
        if ["contains", "starts_with", "ends_with", "matches"]
            .iter()
            .any(|w| self.back_is(1, w))
        {
            return Vec::new();
        }
        let starts_condition = matches!(last, Some(Tok::Punct('(')))
            || ["when", "and", "or", "not"]
                .iter()
                .any(|w| self.back_is(1, w))
            || (matches!(last, Some(Tok::Punct('='))) && self.back_is(3, "condition"));
        if starts_condition {
            let mut items = self.words(&OBJECTS, K::Object);
            items.extend(self.named_conditions());
            items.push(self.item(
                "not",
                K::Keyword,
                Some("negates the condition that follows".into()),
            ));
            return items;
        }
        if self.back_is(1, "after") {
            return self.words(&EVENTS, K::Event);
        }
        let clause_values: [(&str, &[Word]); 5] = [
            ("frequency", &FREQUENCIES),
            ("status", &STATUSES),
            ("send", &SEND_MODES),
            ("respond", &RESPONSE_KINDS),
            ("collect", &COLLECT_FIELDS),
        ];
        for (keyword, values) in clause_values {
            if self.back_is(1, keyword) {
                return self.words(values, K::Value);
            }
        }
        // `collect name, ` → the other fields.
        if matches!(last, Some(Tok::Punct(','))) {
            let list_owner = self
                .before
                .iter()
                .rev()
                .find(|t| !matches!(t, Tok::Punct(',') | Tok::Word(_)) || t.is_word("collect"));
            if list_owner.is_some_and(|t| t.is_word("collect")) {
                return self.words(&COLLECT_FIELDS, K::Value);
            }
        }
        if (self.back_is(1, "during") || self.back_is(1, "outside")) && self.back_is(2, "send") {
            return self.words(&SCHEDULE_KINDS, K::Keyword);
        }
        if matches!(last, Some(Tok::Str(_))) && self.back_is(2, "ai_agent") {
            return vec![self.item(
                "answer",
                K::Keyword,
                Some("the AI agent's answer to start with".into()),
            )];
        }
        match self.block {
            Block::TopLevel => self.top_level(),
            Block::Agent => AGENT_CLAUSES
                .iter()
                .filter(|w| !self.message.iter().any(|t| t.is_word(w.text)))
                .map(|w| self.snippet(w.text, K::Keyword, w.meaning, w.snippet))
                .collect(),
            Block::Message => {
                let mut items = Vec::new();
                if self.in_condition() {
                    for word in ["and", "or"] {
                        items.push(self.item(word, K::Keyword, None));
                    }
                }
                items.extend(
                    CLAUSES
                        .iter()
                        .filter(|w| !self.message.iter().any(|t| t.is_word(w.text)))
                        .map(|w| self.snippet(w.text, K::Keyword, w.meaning, w.snippet)),
                );
                items
            }
        }
    }

    /// Whether the cursor follows a condition of a `when` clause (so `and` / `or` may follow).
    fn in_condition(&self) -> bool {
        let nearest = self.before.iter().rev().find_map(|t| match t {
            Tok::Word(w) if vocabulary::find(&CLAUSES, w).is_some() => Some(w.as_str()),
            Tok::Punct('{' | '}') => Some("{"),
            _ => None,
        });
        nearest == Some("when")
            && matches!(
                self.back(1),
                Some(Tok::Str(_) | Tok::Punct(')' | ']') | Tok::Word(_))
            )
    }

    fn named_conditions(&self) -> Vec<Completion> {
        let mut names: Vec<&str> = self
            .snapshot
            .analysis
            .files
            .iter()
            .flat_map(|f| &f.items)
            .filter_map(|item| match item {
                Item::Condition(def) => Some(def.name.text.as_str()),
                Item::Message(_) => None,
            })
            .collect();
        // A condition cannot use itself (that is a cycle).
        let defining = match self.block {
            Block::TopLevel => self
                .before
                .iter()
                .rposition(|t| t.is_word("condition"))
                .and_then(|i| self.before.get(i + 1)),
            _ => None,
        };
        names.retain(|n| !defining.is_some_and(|d| d.is_word(n)));
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|n| self.item(n, CompletionKind::Condition, Some("named condition".into())))
            .collect()
    }

    fn top_level(&self) -> Vec<Completion> {
        let several_brands = self.account().is_some_and(|a| a.brands.len() > 1);
        let brand = if several_brands {
            "    brand \"$2\"\n"
        } else {
            ""
        };
        let message = format!(
            "message \"${{1:Name}}\" {{\n{brand}    channel \"$3\"\n    say \"$4\"\n    respond agent {{\n        follow_up \"$5\"\n    }}\n    after screen_open ${{6:30s}}\n    frequency ${{7|once_per_visit,once_per_device,every_time|}}\n}}\n"
        );
        vec![
            self.snippet(
                "message",
                CompletionKind::Snippet,
                "a new message with its required clauses",
                &message,
            ),
            self.snippet(
                "condition",
                CompletionKind::Snippet,
                "a named, reusable condition",
                "condition ${1:name} = $2",
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;
    use crate::vocabulary::names;

    fn labels(text: &str) -> Vec<String> {
        let (snapshot, file, offset) = fixture(&[
            ("a.pm", text),
            ("c.pm", "condition shared = visitor.page_url contains \"x\""),
        ]);
        completions(&snapshot, file, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn message(body: &str) -> String {
        format!("message \"M\" {{\n    brand \"Acme\"\n    channel \"Acme iOS\"\n{body}\n}}\n")
    }

    #[test]
    fn fields_after_an_object() {
        assert_eq!(
            labels("condition c = visitor.$0"),
            ["page_url", "page_title", "visit_history"]
        );
        assert_eq!(labels(&message("when device.$0")), ["language"]);
        assert_eq!(labels(&message("when device.la$0")), ["language"]);
    }

    #[test]
    fn only_the_operators_of_the_field() {
        assert_eq!(
            labels(&message("when device.language $0")),
            ["is", "is not"]
        );
        assert_eq!(
            labels("condition c = visitor.page_url $0"),
            [
                "is",
                "is not",
                "contains",
                "not contains",
                "starts_with",
                "not starts_with",
                "ends_with",
                "not ends_with",
                "matches",
                "not matches"
            ]
        );
        assert_eq!(
            labels("condition c = visitor.page_title not $0"),
            ["contains", "starts_with", "ends_with", "matches"]
        );
        assert!(labels(&message("when device.language not $0")).is_empty());
    }

    #[test]
    fn values_that_fit_the_field() {
        assert_eq!(
            labels("condition c = visitor.visit_history is $0"),
            ["new", "returning"]
        );
        assert_eq!(
            labels("condition c = visitor.visit_history is not $0"),
            ["new", "returning"]
        );
        let tags = labels("condition c = device.language is \"$0\"");
        assert!(tags.contains(&"fr".to_string()) && tags.contains(&"pt-br".to_string()));
        let (snapshot, file, offset) = fixture(&[("a.pm", "condition c = device.language is $0")]);
        let fr = completions(&snapshot, file, offset)
            .into_iter()
            .find(|c| c.label == "fr")
            .unwrap();
        assert_eq!(
            (fr.insert_text.as_str(), fr.detail.as_deref()),
            ("\"fr\"", Some("French"))
        );
        assert!(labels("condition c = visitor.page_url contains $0").is_empty());
    }

    #[test]
    fn objects_and_named_conditions_where_a_condition_starts() {
        let expected = ["visitor", "device", "app", "shared", "not"];
        assert_eq!(labels(&message("when $0")), expected);
        assert_eq!(labels(&message("when shared and ($0")), expected);
        assert_eq!(labels("condition c = $0"), expected);
        assert_eq!(labels("condition c = not s$0"), expected);
    }

    #[test]
    fn clause_values() {
        assert_eq!(labels(&message("after $0")), ["screen_open"]);
        assert_eq!(labels(&message("frequency $0")), names(&FREQUENCIES));
        assert_eq!(labels(&message("status $0")), names(&STATUSES));
        assert_eq!(labels(&message("send $0")), names(&SEND_MODES));
        assert_eq!(labels(&message("send during $0")), ["business_hours"]);
        assert_eq!(labels(&message("respond $0")), names(&RESPONSE_KINDS));
        assert_eq!(
            labels(&message("respond agent { collect name, $0 }")),
            names(&COLLECT_FIELDS)
        );
        assert_eq!(
            labels(&message("respond ai_agent \"Helper\" $0")),
            ["answer"]
        );
    }

    #[test]
    fn channels_of_the_message_brand_only_mobile() {
        assert_eq!(
            labels(&message("").replace("\"Acme iOS\"", "\"$0\"")),
            ["Acme iOS", "Acme Android"]
        );
        let other = "message \"M\" {\n brand \"Other\"\n channel \"$0\n}";
        assert_eq!(labels(other), ["Other App"]);
        let (snapshot, file, offset) = fixture(&[("a.pm", other)]);
        let item = &completions(&snapshot, file, offset)[0];
        assert_eq!(
            item.insert_text, "Other App\"",
            "an unterminated string gets closed"
        );
    }

    #[test]
    fn agents_of_the_channel_their_answers_and_its_schedules() {
        assert_eq!(labels(&message("respond ai_agent \"$0\"")), ["Helper"]);
        assert_eq!(
            labels(&message("respond ai_agent \"Helper\" answer \"$0\"")),
            ["Order status", "Returns"]
        );
        assert_eq!(
            labels(&message("send during business_hours \"$0\"")),
            ["Sales hours"]
        );
        assert_eq!(
            labels(&message("").replace("\"Acme\"", "\"$0\"")),
            ["Acme", "Other"]
        );
    }

    #[test]
    fn clause_keywords_missing_from_the_message() {
        let items = labels(&message("    say \"hi\"\n    $0"));
        assert!(items.contains(&"frequency".to_string()) && items.contains(&"respond".to_string()));
        assert!(!items.contains(&"say".to_string()) && !items.contains(&"channel".to_string()));
        let agent = labels(&message("respond agent {\n follow_up \"x\"\n $0\n }"));
        assert_eq!(agent, ["collect"]);
        let after_condition = labels(&message("when visitor.page_url is \"a\" $0"));
        assert_eq!(&after_condition[..2], ["and", "or"]);
        assert!(after_condition.contains(&"after".to_string()));
        assert!(!after_condition.contains(&"when".to_string()));
    }

    #[test]
    fn snippets_at_top_level_and_nothing_in_comments() {
        let (snapshot, file, offset) = fixture(&[("a.pm", "$0")]);
        let items = completions(&snapshot, file, offset);
        assert_eq!(items[0].label, "message");
        assert!(items[0].is_snippet && items[0].insert_text.contains("brand \"$2\""));
        assert!(labels("// visitor.$0").is_empty());
        let (snapshot, _, _) = fixture(&[("a.pm", "")]);
        let account = snapshot.account_file.unwrap();
        assert!(completions(&snapshot, account, 3).is_empty());
    }
}
