//! The JSON Schema of `account.toml`, derived from the types the loader reads it with
//! (`account::RawAccount` and its `schemars` attributes), so it cannot drift from them.
//!
//! [`account_toml`] is the text committed as `schemas/account.schema.json` (a test compares the
//! two; `cargo xtask bless` rewrites the file). The schema says what the format alone can say:
//! the keys of each table, their types, the platforms, the two conversation controls, the
//! weekdays, the shape of an interval (`HH:MM-HH:MM` within a day) and of a holiday
//! (`YYYY-MM-DD`), and the table limits that do not depend on other entries. What it does not
//! say — unique names and references between entries, IANA time zones (a database), intervals
//! that end before they start or overlap, dates that do not exist (the calendar as a pattern
//! would be unreadable), the limit on mobile channels (it counts some platforms only), name
//! lengths (in UTF-8 bytes; a schema counts characters) — is checked by the loader only. So
//! every file the loader accepts is valid against the schema, while a valid file may still
//! have errors that only the loader finds (`compiler/tests/schemas.rs` shows both with a real
//! validator).
//!
//! The types below stand for values that the raw types read as plain strings (their spans
//! kept); each gives the schema of what the loader then accepts, from the loader's own tables
//! ([`vocabulary::PLATFORM_NAMES`](crate::vocabulary::PLATFORM_NAMES), [`WEEKDAYS`], the bundle format's limits).

use std::borrow::Cow;

use pm_vm::format::limits;
use schemars::generate::SchemaSettings;
use schemars::transform::transform_subschemas;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use crate::account::RawAccount;
use crate::vocabulary::{PLATFORM_NAMES as PLATFORMS, WEEKDAYS};

/// The JSON Schema (draft 7, which every editor's TOML plugin reads) of `account.toml`, as
/// pretty-printed JSON ending with a newline: the text of `schemas/account.schema.json`.
pub fn account_toml() -> String {
    let mut settings = SchemaSettings::draft07();
    settings.transforms.push(Box::new(without_null));
    let schema = settings
        .into_generator()
        .into_root_schema_for::<RawAccount>();
    format!("{:#}\n", schema.as_value())
}

/// TOML has no null: a key that may be left out is optional, never `null`. Removes the `null`
/// that schemars allows for an `Option` field, from `type` lists and `anyOf` branches.
fn without_null(schema: &mut Schema) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            schema.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(branches)) = schema.get_mut("anyOf") {
        branches.retain(|branch| branch.get("type").is_none_or(|t| t != "null"));
        if branches.len() == 1 {
            // One branch left: the field's schema with its description beside it, as schemars
            // writes a described reference.
            let branches = schema.remove("anyOf").unwrap_or_default();
            schema.insert("allOf".into(), branches);
        }
    }
    transform_subschemas(&mut without_null, schema);
}

/// A channel's `platform`: one of the vocabulary's platforms.
pub(crate) struct Platform;

impl JsonSchema for Platform {
    fn schema_name() -> Cow<'static, str> {
        "platform".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": PLATFORMS,
        })
    }
}

/// A channel's `conversation_control`: `release` or `keep`.
pub(crate) struct ConversationControl;

impl JsonSchema for ConversationControl {
    fn schema_name() -> Cow<'static, str> {
        "conversation_control".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "enum": ["release", "keep"],
        })
    }
}

/// A schedule's `hours`: a table of [`WEEKDAYS`], each a list of intervals.
pub(crate) struct Hours;

impl JsonSchema for Hours {
    fn schema_name() -> Cow<'static, str> {
        "hours".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let day = generator.subschema_for::<Day>();
        let days: serde_json::Map<String, serde_json::Value> = WEEKDAYS
            .iter()
            .map(|weekday| (weekday.to_string(), day.clone().to_value()))
            .collect();
        json_schema!({
            "type": "object",
            "properties": days,
            "additionalProperties": false,
        })
    }
}

/// The open intervals of one day: at most `MAX_INTERVALS_PER_DAY`.
struct Day;

impl JsonSchema for Day {
    fn schema_name() -> Cow<'static, str> {
        "day".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The day's open intervals; they may not overlap (pmc checks that).",
            "type": "array",
            "items": generator.subschema_for::<Interval>(),
            "maxItems": limits::MAX_INTERVALS_PER_DAY,
        })
    }
}

/// A business-hours interval, `HH:MM-HH:MM`, as the loader's `interval` reads it: each time
/// two digits, a colon and two digits, spaces allowed around them (Rust's
/// [`char::is_whitespace`], which the loader trims); the start from `00:00` to `23:59`, the
/// end up to `24:00`. That the end comes after the start is the loader's to check.
struct Interval;

impl JsonSchema for Interval {
    fn schema_name() -> Cow<'static, str> {
        "interval".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let space = format!("{}*", whitespace_class());
        let start = "([01][0-9]|2[0-3]):[0-5][0-9]";
        let end = format!("({start}|24:00)");
        json_schema!({
            "description": "A half-open interval of local time written HH:MM-HH:MM, such as \"09:00-17:30\"; \"24:00\" may end one. It must end after it starts (pmc checks that).",
            "type": "string",
            "pattern": format!("^{space}{start}{space}-{space}{end}{space}$"),
        })
    }
}

/// A holiday: a local date written `YYYY-MM-DD`. That the day exists (not `2026-02-30`) is the
/// loader's to check.
pub(crate) struct Holiday;

impl JsonSchema for Holiday {
    fn schema_name() -> Cow<'static, str> {
        "holiday".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A local calendar date written YYYY-MM-DD, closed all day. It must exist (pmc checks that).",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        })
    }
}

/// A channel's `min_interval`: numbers with units `d`, `h`, `m`, `s` in that order, each at
/// most once. That the total is above zero (and fits the bundle's `u32` seconds) is the
/// loader's to check.
pub(crate) struct Duration;

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: numbers with units d, h, m, s in that order, each at most once, such as \"30s\" or \"1h30m\". It must be above zero (pmc checks that).",
            "type": "string",
            "pattern": "^(?=.)([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$",
        })
    }
}

/// A channel's `max_per_visit` or `max_per_day`: a whole number from 1 to the bundle format's
/// limit.
pub(crate) struct DeliveryLimit;

impl JsonSchema for DeliveryLimit {
    fn schema_name() -> Cow<'static, str> {
        "delivery_limit".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "minimum": 1,
            "maximum": limits::MAX_DELIVERY_LIMIT,
        })
    }
}

/// A regular-expression class of the characters [`str::trim`] removes, in ranges of `\uXXXX`
/// escapes (every one of them is in the Basic Multilingual Plane), which both ECMAScript's and
/// Rust's regular expressions read.
fn whitespace_class() -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for code in (char::MIN..=char::MAX)
        .filter(|c| c.is_whitespace())
        .map(u32::from)
    {
        assert!(code <= 0xFFFF, "{code:x} is beyond \\uXXXX");
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == code => *last = code,
            _ => ranges.push((code, code)),
        }
    }
    let mut class = String::from("[");
    for (first, last) in ranges {
        class.push_str(&format!("\\u{first:04x}"));
        if last > first {
            class.push_str(&format!("-\\u{last:04x}"));
        }
    }
    class.push(']');
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whitespace_class_is_unicodes_white_space_in_ranges() {
        assert_eq!(
            whitespace_class(),
            "[\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028-\\u2029\\u202f\\u205f\\u3000]"
        );
    }
}
