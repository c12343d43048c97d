//! The parser's pre-pass over the tokens: unbalanced brackets reported (`E0201`, `E0202`), and
//! groups nested deeper than [`MAX_NESTING`] (with the `not`s beyond it) replaced by one error
//! token (`E0203`), so that no later stage recurses deeply.

use super::MAX_NESTING;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::lexer::Token;

/// Reports unbalanced brackets, and replaces groups nested deeper than [`MAX_NESTING`] (and `not`s
/// beyond it) so that later stages never recurse deeply.
pub(super) fn check_nesting<'s>(
    tokens: Vec<(Token<'s>, Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Token<'s>, Span)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut open: Vec<(Token<'s>, Span)> = Vec::new();
    let mut nots = 0usize;
    let mut too_deep_reported = false;
    let mut tokens = tokens.into_iter();
    while let Some((token, span)) = tokens.next() {
        let closer = closing(&token);
        if closer.is_some() && open.len() + nots >= MAX_NESTING {
            if !too_deep_reported {
                diagnostics.push(too_deep(span));
                too_deep_reported = true;
            }
            let end = skip_group(&mut tokens).unwrap_or(span);
            out.push((Token::Error, span.to(end)));
            nots = 0;
            continue;
        }
        match token {
            Token::LBrace | Token::LParen | Token::LBracket => {
                open.push((token.clone(), span));
                nots = 0;
            }
            Token::RBrace | Token::RParen | Token::RBracket => {
                nots = 0;
                match open.last() {
                    Some((opener, _)) if closing(opener).as_ref() == Some(&token) => {
                        open.pop();
                    }
                    _ => {
                        let expected = open.last().and_then(|(opener, _)| closing(opener));
                        let mut diagnostic =
                            Diagnostic::new(Code::E0201, span, format!("unexpected {token}"))
                                .with_label("this has no matching opening bracket");
                        if let (Some(expected), Some((_, opened))) = (expected, open.last()) {
                            diagnostic = diagnostic
                                .with_secondary(*opened, format!("this is closed by {expected}"));
                        }
                        diagnostics.push(diagnostic);
                        continue;
                    }
                }
            }
            Token::Not => {
                if open.len() + nots >= MAX_NESTING {
                    if !too_deep_reported {
                        diagnostics.push(too_deep(span));
                        too_deep_reported = true;
                    }
                    continue;
                }
                nots += 1;
            }
            Token::Message | Token::Condition => {
                // An item keyword inside brackets: the brackets before it were never closed.
                for (opener, opened) in open.drain(..) {
                    diagnostics.push(unclosed(&opener, opened, span));
                }
                // Each item may report its own nesting problem.
                too_deep_reported = false;
                nots = 0;
            }
            _ => nots = 0,
        }
        out.push((token, span));
    }
    let end = out.last().map_or(Span::default(), |(_, span)| span.after());
    for (opener, opened) in open {
        diagnostics.push(unclosed(&opener, opened, end));
    }
    out
}

fn closing(token: &Token<'_>) -> Option<Token<'static>> {
    match token {
        Token::LBrace => Some(Token::RBrace),
        Token::LParen => Some(Token::RParen),
        Token::LBracket => Some(Token::RBracket),
        _ => None,
    }
}

/// Skips the rest of a group whose opening `token` was just read; returns the closer's span.
fn skip_group<'s>(tokens: &mut impl Iterator<Item = (Token<'s>, Span)>) -> Option<Span> {
    let mut depth = 1usize;
    let mut last = None;
    for (token, span) in tokens {
        last = Some(span);
        if closing(&token).is_some() {
            depth += 1;
        } else if matches!(token, Token::RBrace | Token::RParen | Token::RBracket) {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
    }
    last
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0203,
        span,
        format!("conditions may nest at most {MAX_NESTING} levels deep"),
    )
    .with_label("nested too deeply")
    .with_help("split the condition into named conditions (`condition NAME = …`)")
}

fn unclosed(opener: &Token<'_>, opened: Span, end: Span) -> Diagnostic {
    let closer = closing(opener).map(|t| t.to_string()).unwrap_or_default();
    Diagnostic::new(
        Code::E0202,
        opened,
        format!("this {opener} is never closed"),
    )
    .with_label("opened here")
    .with_secondary(end, format!("expected {closer} before this point"))
}
