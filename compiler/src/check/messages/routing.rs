//! Routing: the brand and the channel a message goes out on, resolved against the account.

use super::{Clauses, missing};
use crate::account::{Account, Channel};
use crate::check::report::{backticked, quoted_list, unknown_name};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::source::Span;
use crate::syntax::ast::{self, Clause, ClauseKind};
use crate::vocabulary::MOBILE_PLATFORMS;

/// The brand of `message`: its `brand` clause, or the account's only brand (`E0404`, `E0405`).
pub(super) fn check_brand(
    message: &ast::Message,
    clause: Option<&Clause>,
    account: Option<&Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let account = account?;
    let brand_names: Vec<&str> = account
        .brands
        .iter()
        .map(|b| b.name.name.as_str())
        .collect();
    match clause.map(|c| &c.kind) {
        Some(ClauseKind::Brand(text)) => {
            if account.brand(&text.value).is_some() {
                return Some(text.value.clone());
            }
            diagnostics.push(
                unknown_name(
                    Code::E0404,
                    text.span,
                    format!("the account has no brand named \"{}\"", text.value),
                    "brand",
                    &text.value,
                    &[&brand_names],
                )
                .with_note(format!(
                    "the account's brands are {}",
                    quoted_list(&brand_names)
                )),
            );
            None
        }
        _ => match brand_names.as_slice() {
            [only] => Some(only.to_string()),
            [] => {
                diagnostics.push(
                    Diagnostic::new(Code::E0404, message.name.span, "the account has no brand")
                        .with_label("this message needs a brand")
                        .with_help("add a `[[brands]]` entry to account.toml"),
                );
                None
            }
            [first, ..] => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0405,
                        message.name.span,
                        format!("the message \"{}\" must name its brand", message.name.value),
                    )
                    .with_label("no `brand` clause")
                    .with_note(format!(
                        "the account has several brands: {}",
                        quoted_list(&brand_names)
                    ))
                    .with_fix(Fix::titled(
                        "add a `brand` clause",
                        vec![crate::diagnostic::Edit {
                            span: Span {
                                start: message.body.start + 1,
                                end: message.body.start + 1,
                                ..message.body
                            },
                            replacement: format!("\n    brand \"{first}\""),
                        }],
                    )),
                );
                None
            }
        },
    }
}

/// The channel of `message` and its index in the account: a mobile SDK channel of its brand
/// (`E0401`, `E0406`–`E0408`).
pub(super) fn check_channel<'a>(
    message: &ast::Message,
    clauses: &Clauses<'_>,
    brand: Option<&str>,
    account: Option<&'a Account>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(usize, &'a Channel)> {
    let Some(ClauseKind::Channel(text)) = clauses.get("channel").map(|c| &c.kind) else {
        let candidate = account.and_then(|a| {
            a.channels.iter().find(|c| {
                c.is_mobile() && Some(c.brand.name.as_str()) == brand.or(Some(&c.brand.name))
            })
        });
        let insert = candidate.map(|c| format!("channel \"{}\"", c.name.name));
        diagnostics.push(missing(message, "channel", insert.as_deref()));
        return None;
    };
    let account = account?;
    let Some((index, channel)) = account.channel(&text.value) else {
        // Prefer the brand's mobile channels when suggesting.
        let of_brand: Vec<&str> = account
            .channels
            .iter()
            .filter(|c| brand.is_none_or(|b| c.brand.name == b) && c.is_mobile())
            .map(|c| c.name.name.as_str())
            .collect();
        let all: Vec<&str> = account
            .channels
            .iter()
            .map(|c| c.name.name.as_str())
            .collect();
        let mut diagnostic = unknown_name(
            Code::E0406,
            text.span,
            format!("the account has no channel named \"{}\"", text.value),
            "channel",
            &text.value,
            &[&of_brand, &all],
        );
        if !of_brand.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "channels of this brand: {}",
                quoted_list(&of_brand)
            ));
        }
        diagnostics.push(diagnostic);
        return None;
    };
    let mut ok = true;
    if let Some(brand) = brand
        && channel.brand.name != brand
    {
        diagnostics.push(
            Diagnostic::new(
                Code::E0407,
                text.span,
                format!(
                    "the channel \"{}\" belongs to the brand \"{}\", not \"{brand}\"",
                    text.value, channel.brand.name
                ),
            )
            .with_label("channel of another brand")
            .with_secondary(channel.brand.span, "the channel's brand in account.toml"),
        );
        ok = false;
    }
    if !channel.is_mobile() {
        diagnostics.push(
            Diagnostic::new(
                Code::E0408,
                text.span,
                format!(
                    "the channel \"{}\" is on the `{}` platform, not on a mobile SDK platform",
                    text.value, channel.platform.name
                ),
            )
            .with_label("proactive messages need a mobile SDK channel")
            .with_secondary(channel.platform.span, "its platform")
            .with_note(format!(
                "mobile SDK platforms are {}",
                backticked(MOBILE_PLATFORMS)
            )),
        );
        ok = false;
    }
    ok.then_some((index, channel))
}
