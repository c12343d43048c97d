//! The unit tests of the runtime engine (`engine.rs`): dwell checks, visits, frequencies,
//! blocking, priorities, business hours, saved state, and random event streams.

use super::*;
use crate::format::Interval;
use crate::opcode::Instr;
use crate::testkit::{Cond, Msg, build, msg};
use proptest::prelude::*;

/// Monday 2026-11-23 09:00 UTC (10:00 in Paris).
fn ts(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn t(seconds: i64) -> i64 {
    ts("2026-11-23T09:00:00Z") + seconds * 1000
}

fn engine(messages: &[Msg]) -> Engine {
    let mut e = Engine::new(build(messages), "iOS").unwrap();
    e.set_language("fr-FR");
    e
}

fn screen(e: &mut Engine, at: i64, url: &str) {
    e.handle(at, Event::ScreenOpen { url, title: "Page" });
}

/// Deliveries as (seconds since `t(0)`, message name).
fn delivered(e: &mut Engine) -> Vec<(i64, String)> {
    let bundle = e.bundle().clone();
    e.take_deliveries()
        .into_iter()
        .map(|d| {
            let name = bundle.str(bundle.messages()[d.message].name).to_owned();
            ((d.time - t(0)) / 1000, name)
        })
        .collect()
}

/// Runs the checks due at or before `at`, then returns the deliveries as [`delivered`].
fn delivered_by(e: &mut Engine, at: i64) -> Vec<(i64, String)> {
    e.advance_to(at);
    delivered(e)
}

fn d(list: &[(i64, &str)]) -> Vec<(i64, String)> {
    list.iter().map(|&(t, n)| (t, n.to_owned())).collect()
}

fn pricing(dwell_ms: u32) -> Msg {
    Msg {
        cond: Cond::UrlHasAny(vec!["pricing".into()]),
        dwell_ms,
        ..msg("Pricing")
    }
}

#[test]
fn a_dwell_check_fires_after_the_dwell_and_a_new_screen_restarts_it() {
    let mut e = engine(&[pricing(30_000)]);
    e.handle(t(0), Event::AppLaunch { returning: None });
    screen(&mut e, t(1), "https://acme.com/Pricing");
    assert_eq!(e.next_deadline(), Some(t(31)));
    screen(&mut e, t(20), "https://acme.com/pricing");
    assert_eq!(e.next_deadline(), Some(t(50)));
    assert_eq!(delivered_by(&mut e, t(49)), d(&[]));
    assert_eq!(delivered_by(&mut e, t(50)), d(&[(50, "Pricing")]));
    assert_eq!(e.next_deadline(), None);
}

/// An engine with [`pricing`]`(dwell_ms)` that saw the pricing page at 0 s, then the home
/// page at 10 s.
fn pricing_then_home(dwell_ms: u32) -> Engine {
    let mut e = engine(&[pricing(dwell_ms)]);
    screen(&mut e, t(0), "https://acme.com/pricing");
    screen(&mut e, t(10), "https://acme.com/home");
    e
}

#[test]
fn the_check_uses_the_context_at_its_instant() {
    let mut e = pricing_then_home(30_000);
    assert_eq!(delivered_by(&mut e, t(100)), d(&[]));
}

#[test]
fn a_check_report_holds_the_context_of_its_instant() {
    let mut e = engine(&[pricing(10_000)]);
    e.set_explain(true);
    e.handle(
        t(0),
        Event::AppLaunch {
            returning: Some(true),
        },
    );
    e.handle(
        t(1),
        Event::ScreenOpen {
            url: "https://Acme.com/Pricing",
            title: "Plans",
        },
    );
    e.handle(
        t(20),
        Event::ScreenOpen {
            url: "/home",
            title: "Home",
        },
    );
    let reports = e.take_reports();
    assert_eq!(reports.len(), 1);
    let context = &reports[0].context;
    assert_eq!(
        (
            context.url(),
            context.title(),
            context.language(),
            context.returning()
        ),
        ("https://acme.com/pricing", "plans", "fr-FR", true)
    );
}

#[test]
fn a_screen_open_at_the_instant_an_older_check_falls_due_cancels_it() {
    // The check of the first screen falls due at 10 s, the instant the second opens.
    let mut e = pricing_then_home(10_000);
    assert_eq!(delivered_by(&mut e, t(15)), d(&[]));
    assert_eq!(e.next_deadline(), Some(t(20)));
}

#[test]
fn events_at_an_instant_are_applied_before_the_checks_due_then() {
    let mut e = engine(&[pricing(0)]);
    screen(&mut e, t(5), "/pricing");
    assert_eq!(e.next_deadline(), Some(t(5)));
    e.handle(t(5), Event::ConversationStarted);
    assert_eq!(delivered_by(&mut e, t(5)), d(&[]));
    e.handle(t(6), Event::ConversationEnded);
    screen(&mut e, t(6), "/pricing");
    // `handle` runs only the checks due strictly before its instant.
    e.handle(t(6), Event::SetAiResolutions { available: true });
    assert_eq!(delivered(&mut e), d(&[]));
    e.handle(t(7), Event::SetAiResolutions { available: true });
    assert_eq!(delivered(&mut e), d(&[(6, "Pricing")]));
}

#[test]
fn app_quit_cancels_dwell_timers() {
    let mut e = engine(&[pricing(10_000)]);
    screen(&mut e, t(0), "/pricing");
    e.handle(t(5), Event::AppQuit);
    assert_eq!(e.next_deadline(), None);
    assert_eq!(delivered_by(&mut e, t(60)), d(&[]));
}

#[test]
fn once_per_visit_is_reset_by_a_relaunch() {
    let mut e = engine(&[Msg {
        frequency: Frequency::OncePerVisit,
        ..pricing(0)
    }]);
    e.set_explain(true);
    e.handle(t(0), Event::AppLaunch { returning: None });
    screen(&mut e, t(1), "/pricing");
    e.handle(t(2), Event::MessageDismissed { message: 0 });
    screen(&mut e, t(3), "/pricing");
    e.handle(t(4), Event::AppLaunch { returning: None });
    screen(&mut e, t(5), "/pricing");
    assert_eq!(
        delivered_by(&mut e, t(5)),
        d(&[(1, "Pricing"), (5, "Pricing")])
    );
    let reports = e.take_reports();
    assert_eq!(
        reports[1].outcomes[0].outcome,
        Outcome::NotDelivered(Reason::Frequency(Frequency::OncePerVisit))
    );
}

#[test]
fn once_per_device_survives_save_and_restore_into_an_updated_bundle() {
    let once = Msg {
        frequency: Frequency::OncePerDevice,
        ..pricing(0)
    };
    let mut e = engine(std::slice::from_ref(&once));
    screen(&mut e, t(0), "/pricing");
    e.handle(t(1), Event::AppQuit);
    screen(&mut e, t(2), "/pricing");
    assert_eq!(delivered_by(&mut e, t(2)), d(&[(0, "Pricing")]));
    let state = e.save_state();

    // The updated bundle has another message first: state is keyed by name, not index.
    let updated = [
        Msg {
            cond: Cond::Const(false),
            ..msg("New")
        },
        once,
    ];
    let mut restored = engine(&updated);
    restored.restore_state(&state).unwrap();
    assert_eq!(restored.save_state(), state);
    screen(&mut restored, t(0), "/pricing");
    assert_eq!(delivered_by(&mut restored, t(0)), d(&[]));

    let mut fresh = engine(&updated);
    screen(&mut fresh, t(0), "/pricing");
    assert_eq!(delivered_by(&mut fresh, t(0)), d(&[(0, "Pricing")]));
}

#[test]
fn visit_history_is_new_first_then_returning_and_may_be_stated_per_visit() {
    let mut e = engine(&[Msg {
        cond: Cond::Returning,
        ..msg("Welcome back")
    }]);
    let visit = |e: &mut Engine, at: i64, returning: Option<bool>| {
        e.handle(at, Event::AppLaunch { returning });
        screen(e, at, "/");
        e.handle(at + 1000, Event::AppQuit);
    };
    visit(&mut e, t(0), None);
    visit(&mut e, t(10), None);
    visit(&mut e, t(20), Some(false));
    visit(&mut e, t(30), None);
    visit(&mut e, t(40), Some(true));
    assert_eq!(
        delivered(&mut e),
        d(&[
            (10, "Welcome back"),
            (30, "Welcome back"),
            (40, "Welcome back")
        ])
    );
    // The device state carries the visit count.
    let mut restored = engine(&[Msg {
        cond: Cond::Returning,
        ..msg("Welcome back")
    }]);
    restored.restore_state(&e.save_state()).unwrap();
    screen(&mut restored, t(100), "/");
    assert_eq!(
        delivered_by(&mut restored, t(100)),
        d(&[(100, "Welcome back")])
    );
}

#[test]
fn a_screen_open_outside_a_visit_starts_one() {
    let mut e = engine(&[pricing(0)]);
    assert!(!e.in_visit());
    screen(&mut e, t(0), "/pricing");
    assert!(e.in_visit());
    assert_eq!(delivered_by(&mut e, t(0)), d(&[(0, "Pricing")]));
}

#[test]
fn a_displayed_message_blocks_every_message_until_opened_dismissed_or_the_visit_ends() {
    let mut e = engine(&[
        pricing(0),
        Msg {
            cond: Cond::Const(true),
            ..msg("Other")
        },
    ]);
    e.set_explain(true);
    screen(&mut e, t(0), "/pricing");
    screen(&mut e, t(1), "/pricing");
    // An event for a message that is not displayed changes nothing.
    e.handle(t(2), Event::MessageOpened { message: 1 });
    screen(&mut e, t(3), "/pricing");
    e.handle(t(4), Event::MessageOpened { message: 0 });
    screen(&mut e, t(5), "/pricing");
    e.handle(t(6), Event::AppQuit);
    screen(&mut e, t(7), "/pricing");
    assert_eq!(
        delivered_by(&mut e, t(7)),
        d(&[(0, "Pricing"), (5, "Pricing"), (7, "Pricing")])
    );
    let reports = e.take_reports();
    assert_eq!(
        reports[1].outcomes,
        vec![
            MessageOutcome {
                message: 0,
                outcome: Outcome::NotDelivered(Reason::MessageDisplayed { displayed: 0 })
            },
            MessageOutcome {
                message: 1,
                outcome: Outcome::NotDelivered(Reason::MessageDisplayed { displayed: 0 })
            },
        ]
    );
    assert_eq!(
        reports[0].outcomes[1].outcome,
        Outcome::NotDelivered(Reason::LostOnPriority { winner: 0 })
    );
}

#[test]
fn a_conversation_blocks_deliveries_across_visits() {
    let mut e = engine(&[pricing(0)]);
    e.handle(t(0), Event::AppLaunch { returning: None });
    e.handle(t(1), Event::ConversationStarted);
    screen(&mut e, t(2), "/pricing");
    e.handle(t(3), Event::AppQuit);
    e.handle(t(4), Event::AppLaunch { returning: None });
    screen(&mut e, t(5), "/pricing");
    e.handle(t(6), Event::ConversationEnded);
    screen(&mut e, t(7), "/pricing");
    assert_eq!(delivered_by(&mut e, t(7)), d(&[(7, "Pricing")]));
    assert!(!e.in_conversation());
}

#[test]
fn paused_messages_are_never_delivered() {
    let mut e = engine(&[Msg {
        status: Status::Paused,
        ..pricing(0)
    }]);
    e.set_explain(true);
    screen(&mut e, t(0), "/pricing");
    assert_eq!(delivered_by(&mut e, t(0)), d(&[]));
    assert_eq!(
        e.take_reports()[0].outcomes[0].outcome,
        Outcome::NotDelivered(Reason::Paused)
    );
}

#[test]
fn generative_ai_messages_pause_while_resolutions_are_unavailable() {
    let mut e = engine(&[
        Msg {
            ai_agent: Some(0),
            priority: 1,
            ..msg("Generative")
        },
        Msg {
            ai_agent: Some(1),
            ..msg("Scripted")
        },
    ]);
    e.set_explain(true);
    e.handle(t(0), Event::SetAiResolutions { available: false });
    screen(&mut e, t(1), "/");
    e.handle(t(2), Event::AppQuit);
    e.handle(t(3), Event::SetAiResolutions { available: true });
    screen(&mut e, t(4), "/");
    assert_eq!(
        delivered_by(&mut e, t(4)),
        d(&[(1, "Scripted"), (4, "Generative")])
    );
    assert_eq!(
        e.take_reports()[0].outcomes[0].outcome,
        Outcome::NotDelivered(Reason::AiUnavailable { agent: 0 })
    );
}

#[test]
fn the_highest_priority_wins_ties_go_to_bundle_order_and_failures_do_not_block() {
    let mut e = engine(&[
        Msg {
            priority: 0,
            ..msg("Low")
        },
        Msg {
            priority: 5,
            ..msg("High")
        },
        Msg {
            priority: 5,
            ..msg("High too")
        },
        Msg {
            priority: 9,
            cond: Cond::Const(false),
            ..msg("Highest but false")
        },
    ]);
    e.set_explain(true);
    screen(&mut e, t(0), "/");
    assert_eq!(delivered_by(&mut e, t(0)), d(&[(0, "High")]));
    let outcomes: Vec<Outcome> = e.take_reports()[0]
        .outcomes
        .iter()
        .map(|o| o.outcome)
        .collect();
    assert_eq!(
        outcomes[0],
        Outcome::NotDelivered(Reason::LostOnPriority { winner: 1 })
    );
    assert_eq!(outcomes[1], Outcome::Delivered);
    assert_eq!(
        outcomes[2],
        Outcome::NotDelivered(Reason::LostOnPriority { winner: 1 })
    );
    match outcomes[3] {
        Outcome::NotDelivered(Reason::ConditionFailed(x)) => {
            assert_eq!(x.deciding, Some((0, Instr::Const { b: false })));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn messages_due_at_different_instants_are_separate_checks() {
    let mut e = engine(&[
        Msg {
            dwell_ms: 20_000,
            priority: 9,
            ..msg("Late")
        },
        Msg {
            dwell_ms: 10_000,
            ..msg("Early")
        },
    ]);
    screen(&mut e, t(0), "/");
    e.advance_to(t(30));
    // "Early" is displayed at 10 s and blocks "Late" at 20 s.
    assert_eq!(delivered(&mut e), d(&[(10, "Early")]));
}

#[test]
fn send_during_and_outside_business_hours() {
    let bundle = build(&[
        Msg {
            send: SendMode::During(0),
            ..msg("During")
        },
        Msg {
            send: SendMode::Outside(0),
            ..msg("Outside")
        },
    ]);
    let mut e = Engine::new(bundle, "iOS").unwrap();
    e.set_explain(true);
    // Monday 10:00 in Paris: open.
    screen(&mut e, ts("2026-11-23T09:00:00Z"), "/");
    e.handle(ts("2026-11-23T09:00:01Z"), Event::AppQuit);
    // Monday 18:00 in Paris: closed.
    screen(&mut e, ts("2026-11-23T17:00:00Z"), "/");
    e.advance_to(ts("2026-11-23T17:00:00Z"));
    let names: Vec<usize> = e.take_deliveries().iter().map(|d| d.message).collect();
    assert_eq!(names, vec![0, 1]);
    let reports = e.take_reports();
    assert_eq!(
        reports[0].outcomes[1].outcome,
        Outcome::NotDelivered(Reason::ScheduleOpen { schedule: 0 })
    );
    assert_eq!(
        reports[1].outcomes[0].outcome,
        Outcome::NotDelivered(Reason::ScheduleClosed { schedule: 0 })
    );
}

#[test]
fn business_hours_follow_dst_holidays_and_half_open_intervals() {
    let bundle = build(&[]);
    let paris = &bundle.schedules()[0];
    let cases = [
        // Before the DST change (CET, UTC+1): 08:30 closed, 09:00 open.
        ("2026-03-23T07:30:00Z", false),
        ("2026-03-23T08:00:00Z", true),
        // After it (CEST, UTC+2) the same UTC instant is 09:30: open.
        ("2026-03-30T07:30:00Z", true),
        ("2026-03-30T06:59:59Z", false),
        // Monday lunch break 12:00-13:00 and the half-open end at 17:30.
        ("2026-03-30T10:00:00Z", false),
        ("2026-03-30T11:00:00Z", true),
        ("2026-03-30T15:29:59Z", true),
        ("2026-03-30T15:30:00Z", false),
        // Back to CET on 2026-10-25.
        ("2026-10-26T08:00:00Z", true),
        ("2026-10-26T07:59:59Z", false),
        // Weekend and the Christmas holiday (a Friday) are closed all day.
        ("2026-11-28T10:00:00Z", false),
        ("2026-12-25T10:00:00Z", false),
        ("2026-12-24T10:00:00Z", true),
    ];
    for (instant, open) in cases {
        assert_eq!(paris.is_open(ts(instant)), open, "{instant}");
    }
    assert!(!paris.is_open(i64::MAX));
}

proptest! {
    /// The engine answers business hours from the span `open_span` gives (up to a day long),
    /// so every instant of that span must have the answer `is_open` gives: around both of
    /// 2026's DST changes, a holiday, at opening times, and in 1911 when Paris still kept its
    /// local mean time (offset +00:09:21, so its minutes do not start at UTC minutes) and
    /// when it left it; with Paris's hours and with hours at night, which DST changes cut.
    #[test]
    fn an_open_span_holds_the_same_answer_at_every_instant(
        around in prop::sample::select(vec![
            "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-12-25T00:00:00Z",
            // Monday 09:00 local, in CEST and in local mean time.
            "2026-03-30T07:00:00Z", "1911-03-06T08:50:39Z",
            "1911-03-10T23:50:39Z",
        ]),
        offset_ms in prop_oneof![-180_000i64..180_000, -172_800_000i64..172_800_000],
        probe in 0.0f64..1.0,
        night_hours: bool,
    ) {
        let bundle = build(&[]);
        let paris = &bundle.schedules()[0];
        // Every day: open around the hours DST skips or repeats, and from midnight after an
        // evening that closes before it.
        let mut nights = paris.clone();
        let night = [(0, 30), (90, 150), (165, 185), (1380, 1410)]
            .map(|(start, end)| Interval { start, end });
        nights.weekly = std::array::from_fn(|_| night.to_vec());
        let paris = if night_hours { &nights } else { paris };
        let time = ts(around) + offset_ms;
        let span = paris.open_span(time);
        prop_assert!(span.contains(time));
        prop_assert!(span.until - span.from <= 86_400_000);
        prop_assert_eq!(span.open, paris.is_open(time));
        // Every second of the span's first minute, then every minute and the span's last
        // instant, from a random phase within the minute.
        let phase = (60_000.0 * probe) as i64;
        let firsts = (span.from..span.until).step_by(1_000).take(60);
        let minutes = (span.from + phase..span.until).step_by(60_000);
        for instant in firsts.chain(minutes).chain([span.until - 1]) {
            prop_assert_eq!(paris.is_open(instant), span.open, "at {} in {:?}", instant, span);
        }
    }
}

#[test]
fn messages_of_other_channels_are_ignored() {
    let bundle = build(&[
        Msg {
            channel: 1,
            ..msg("Android only")
        },
        msg("iOS"),
    ]);
    assert_eq!(
        Engine::new(bundle.clone(), "Web").unwrap_err().to_string(),
        "the bundle has no channel named \"Web\""
    );
    let mut android = Engine::new(bundle, "Android").unwrap();
    screen(&mut android, t(0), "/");
    assert_eq!(delivered_by(&mut android, t(0)), d(&[(0, "Android only")]));
}

#[test]
fn time_never_goes_backwards() {
    let mut e = engine(&[pricing(10_000)]);
    screen(&mut e, t(100), "/pricing");
    e.handle(t(50), Event::SetAiResolutions { available: true });
    e.advance_to(t(0));
    assert_eq!(e.next_deadline(), Some(t(110)));
    assert_eq!(delivered_by(&mut e, t(110)), d(&[(110, "Pricing")]));
}

#[test]
fn invalid_state_is_rejected_with_a_reason() {
    let mut e = engine(&[pricing(0)]);
    let good = e.save_state();
    assert_eq!(e.restore_state(b""), Err(StateError::Truncated));
    assert_eq!(e.restore_state(b"XXXX\0\0\0\0"), Err(StateError::BadMagic));
    let mut bad = good.clone();
    bad[6] ^= 1;
    assert_eq!(e.restore_state(&bad), Err(StateError::ChecksumMismatch));
    for cut in 0..good.len() {
        assert!(e.restore_state(&good[..cut]).is_err());
    }
    assert!(e.restore_state(&good).is_ok());
}

/// A random event for the invariant test: (kind, parameter).
fn arb_events() -> impl Strategy<Value = Vec<(u32, u8, u8)>> {
    prop::collection::vec((0u32..40_000, 0u8..9, 0u8..4), 0..40)
}

proptest! {
    #[test]
    fn random_event_streams_keep_the_runtime_invariants(events in arb_events()) {
        let messages = [
            Msg { frequency: Frequency::OncePerDevice, ..pricing(5_000) },
            Msg { frequency: Frequency::OncePerVisit, dwell_ms: 0, ..msg("Visit") },
            Msg { status: Status::Paused, ..msg("Paused") },
            Msg { ai_agent: Some(0), dwell_ms: 10_000, priority: 2, ..msg("Generative") },
            Msg { cond: Cond::Returning, dwell_ms: 5_000, priority: -1, ..msg("Returning") },
        ];
        let mut e = engine(&messages);
        let (mut now, mut displayed, mut conversation) = (t(0), None::<usize>, false);
        let mut once_per_device_seen = 0;
        let mut check = |deliveries: Vec<Delivery>, displayed: &mut Option<usize>, conversation: bool, last: &mut i64| {
            for delivery in deliveries {
                prop_assert!(delivery.time >= *last);
                *last = delivery.time;
                prop_assert_eq!(*displayed, None, "a delivery while a message is displayed");
                prop_assert!(!conversation, "a delivery during a conversation");
                prop_assert_ne!(delivery.message, 2, "a paused message was delivered");
                if delivery.message == 0 {
                    once_per_device_seen += 1;
                    prop_assert!(once_per_device_seen <= 1);
                }
                *displayed = Some(delivery.message);
            }
            Ok(())
        };
        let mut last = i64::MIN;
        for (dt, kind, param) in events {
            now += i64::from(dt);
            let url = ["/pricing", "/home", "/pricing/plans", ""][usize::from(param)];
            let message = usize::from(param);
            let event = match kind {
                0 => Event::AppLaunch { returning: [None, Some(true), Some(false), None][usize::from(param)] },
                1 | 2 => Event::ScreenOpen { url, title: "Title" },
                3 => Event::MessageOpened { message },
                4 => Event::MessageDismissed { message },
                5 => Event::ConversationStarted,
                6 => Event::ConversationEnded,
                7 => Event::SetAiResolutions { available: param % 2 == 0 },
                _ => Event::AppQuit,
            };
            e.handle(now, event);
            check(e.take_deliveries(), &mut displayed, conversation, &mut last)?;
            match event {
                Event::AppLaunch { .. } | Event::AppQuit => displayed = None,
                Event::MessageOpened { message } | Event::MessageDismissed { message }
                    if displayed == Some(message) => displayed = None,
                Event::ConversationStarted => conversation = true,
                Event::ConversationEnded => conversation = false,
                _ => {}
            }
            prop_assert_eq!(e.displayed(), displayed);
            prop_assert_eq!(e.in_conversation(), conversation);
            if let Some(deadline) = e.next_deadline() {
                prop_assert!(deadline >= now);
            }
        }
        e.advance_to(now + 60_000);
        check(e.take_deliveries(), &mut displayed, conversation, &mut last)?;
        prop_assert_eq!(e.next_deadline(), None);
    }
}

proptest! {
    #[test]
    fn restoring_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut e = engine(&[pricing(0)]);
        let _ = e.restore_state(&bytes);
        // With a valid checksum the parser itself is exercised.
        let mut framed = b"PMS\x00\x01\x00".to_vec();
        framed.extend_from_slice(&bytes);
        let crc = crc32fast::hash(&framed);
        framed.extend_from_slice(&crc.to_le_bytes());
        let _ = e.restore_state(&framed);
    }
}

/// An engine on the "iOS" channel with `limits`, over one message shown every time on any
/// page as soon as it opens.
fn limited(limits: ChannelLimits) -> Engine {
    let every_time = Msg {
        frequency: Frequency::EveryTime,
        dwell_ms: 0,
        ..msg("Tip")
    };
    let mut e = Engine::new(crate::testkit::build_limited(&[every_time], limits), "iOS").unwrap();
    e.set_explain(true);
    e
}

/// Opens a page at `at` (its check is due then), returns the deliveries so far and dismisses
/// the message, so the next check is not blocked by a displayed one.
fn show(e: &mut Engine, at: i64) -> Vec<(i64, String)> {
    screen(e, at, "/");
    let out = delivered_by(e, at);
    e.handle(at, Event::MessageDismissed { message: 0 });
    out
}

/// The reason the last check reported for message 0.
fn last_reason(e: &mut Engine) -> Option<Reason> {
    let reports = e.take_reports();
    match reports.last()?.outcomes[0].outcome {
        Outcome::Delivered => None,
        Outcome::NotDelivered(reason) => Some(reason),
    }
}

#[test]
fn min_interval_allows_a_delivery_exactly_at_the_interval_and_not_a_second_before() {
    let mut e = limited(ChannelLimits {
        min_interval_s: Some(30),
        ..ChannelLimits::default()
    });
    assert_eq!(show(&mut e, t(0)), d(&[(0, "Tip")]));
    assert_eq!(show(&mut e, t(29)), d(&[]));
    assert_eq!(
        last_reason(&mut e),
        Some(Reason::MinInterval {
            last: t(0),
            next: t(30)
        })
    );
    assert_eq!(show(&mut e, t(30)), d(&[(30, "Tip")]));
    // The interval counts across visits: the device's last delivery.
    e.handle(t(31), Event::AppQuit);
    assert_eq!(show(&mut e, t(40)), d(&[]));
}

#[test]
fn max_per_visit_counts_the_visit_and_resets_at_the_next() {
    let mut e = limited(ChannelLimits {
        max_per_visit: Some(2),
        ..ChannelLimits::default()
    });
    e.handle(t(0), Event::AppLaunch { returning: None });
    assert_eq!(show(&mut e, t(1)), d(&[(1, "Tip")]));
    assert_eq!(show(&mut e, t(2)), d(&[(2, "Tip")]));
    assert_eq!(show(&mut e, t(3)), d(&[]));
    assert_eq!(last_reason(&mut e), Some(Reason::MaxPerVisit { limit: 2 }));
    e.handle(t(4), Event::AppLaunch { returning: None });
    assert_eq!(show(&mut e, t(5)), d(&[(5, "Tip")]));
}

#[test]
fn max_per_day_counts_the_half_open_24_hours_before_the_check() {
    let mut e = limited(ChannelLimits {
        max_per_day: Some(2),
        ..ChannelLimits::default()
    });
    let day = 86_400;
    assert_eq!(show(&mut e, t(0)), d(&[(0, "Tip")]));
    assert_eq!(show(&mut e, t(100)), d(&[(100, "Tip")]));
    assert_eq!(show(&mut e, t(day - 1)), d(&[]));
    assert_eq!(
        last_reason(&mut e),
        Some(Reason::MaxPerDay {
            limit: 2,
            next: t(day)
        })
    );
    // The delivery at 0 is outside (t - 24 h, t] at exactly 24 hours later.
    assert_eq!(show(&mut e, t(day)), d(&[(day, "Tip")]));
    assert_eq!(show(&mut e, t(day + 99)), d(&[]));
    assert_eq!(
        last_reason(&mut e),
        Some(Reason::MaxPerDay {
            limit: 2,
            next: t(day + 100)
        })
    );
    assert_eq!(show(&mut e, t(day + 100)), d(&[(day + 100, "Tip")]));
}

#[test]
fn a_device_clock_set_back_keeps_the_delivery_instants_in_order() {
    let limits = ChannelLimits {
        max_per_day: Some(3),
        ..ChannelLimits::default()
    };
    let mut e = limited(limits);
    assert_eq!(show(&mut e, t(1_000)), d(&[(1_000, "Tip")]));
    assert_eq!(show(&mut e, t(2_000)), d(&[(2_000, "Tip")]));
    // A new engine restores that state on a device whose clock now says 500 s.
    let mut back = limited(limits);
    back.restore_state(&e.save_state()).unwrap();
    assert_eq!(show(&mut back, t(500)), d(&[(500, "Tip")]));
    // The instants after the clock do not count in (t - 24 h, t]; the state stays valid.
    let state = back.save_state();
    let mut again = limited(limits);
    again.restore_state(&state).unwrap();
    assert_eq!(again.save_state(), state);
    // At 2,000 s all three are in the window: the oldest (500 s) frees it 24 h after it.
    assert_eq!(show(&mut again, t(2_000)), d(&[]));
    assert_eq!(
        last_reason(&mut again),
        Some(Reason::MaxPerDay {
            limit: 3,
            next: t(500 + 86_400)
        })
    );
}

#[test]
fn a_check_due_while_suppressed_delivers_nothing_and_is_not_retried() {
    let mut e = engine(&[pricing(10_000)]);
    e.set_explain(true);
    screen(&mut e, t(0), "/pricing");
    e.set_suppressed(t(5), true);
    assert!(e.suppressed());
    assert_eq!(delivered_by(&mut e, t(10)), d(&[]));
    assert_eq!(last_reason(&mut e), Some(Reason::Suppressed));
    e.set_suppressed(t(11), false);
    assert_eq!(delivered_by(&mut e, t(100)), d(&[]));
    assert_eq!(e.next_deadline(), None);
    // Suppression set at the very instant a check falls due applies to it (events first).
    screen(&mut e, t(200), "/pricing");
    e.set_suppressed(t(210), true);
    assert_eq!(delivered_by(&mut e, t(210)), d(&[]));
    e.set_suppressed(t(220), false);
    screen(&mut e, t(230), "/pricing");
    assert_eq!(delivered_by(&mut e, t(240)), d(&[(240, "Pricing")]));
}

#[test]
fn limits_history_survives_save_and_restore_and_version_1_state_restores() {
    let limits = ChannelLimits {
        min_interval_s: Some(60),
        max_per_visit: None,
        max_per_day: Some(2),
    };
    let mut e = limited(limits);
    assert_eq!(show(&mut e, t(0)), d(&[(0, "Tip")]));
    assert_eq!(show(&mut e, t(60)), d(&[(60, "Tip")]));
    let state = e.save_state();
    assert_eq!(&state[4..6], &2u16.to_le_bytes());
    let mut restored = limited(limits);
    restored.restore_state(&state).unwrap();
    assert_eq!(restored.save_state(), state);
    // Both deliveries count on the restored engine: max_per_day blocks until 24 h after 0 s.
    assert_eq!(show(&mut restored, t(200)), d(&[]));
    assert_eq!(show(&mut restored, t(86_400)), d(&[(86_400, "Tip")]));

    // Version 1: visits and messages shown, no delivery instants.
    let mut v1 = b"PMS\0".to_vec();
    v1.extend_from_slice(&1u16.to_le_bytes());
    v1.extend_from_slice(&3u32.to_le_bytes());
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&3u32.to_le_bytes());
    v1.extend_from_slice(b"Tip");
    let crc = crc32fast::hash(&v1);
    v1.extend_from_slice(&crc.to_le_bytes());
    let mut old = limited(limits);
    old.restore_state(&v1).unwrap();
    assert_eq!(show(&mut old, t(0)), d(&[(0, "Tip")]));
    let resaved = old.save_state();
    let mut again = limited(limits);
    again.restore_state(&resaved).unwrap();
    assert_eq!(again.save_state(), resaved);
}

#[test]
fn corrupt_limits_history_is_an_error_and_leaves_the_engine_unchanged() {
    let limits = ChannelLimits {
        max_per_day: Some(3),
        ..ChannelLimits::default()
    };
    let mut e = limited(limits);
    show(&mut e, t(0));
    show(&mut e, t(10));
    let good = e.save_state();
    let reseal = |mut bytes: Vec<u8>| {
        let body = bytes.len() - 4;
        let crc = crc32fast::hash(&bytes[..body]);
        bytes[body..].copy_from_slice(&crc.to_le_bytes());
        bytes
    };
    // Layout: magic, version, visits, count 1, "Tip" (4 + 3), flag, last, count 2, 2 × i64.
    let flag = 4 + 2 + 4 + 4 + 4 + 3;
    let mut bad_flag = good.clone();
    bad_flag[flag] = 2;
    let mut out_of_order = good.clone();
    let first = flag + 1 + 8 + 2;
    out_of_order[first..first + 8].copy_from_slice(&i64::MAX.to_le_bytes());
    let mut too_many = good.clone();
    too_many[flag + 9..flag + 11].copy_from_slice(&1001u16.to_le_bytes());
    let mut newer = good.clone();
    newer[4] = 3;
    let mut fresh = limited(limits);
    let before = fresh.save_state();
    for (bytes, error) in [
        (bad_flag, StateError::InvalidDeliveries),
        (out_of_order, StateError::InvalidDeliveries),
        (too_many, StateError::InvalidDeliveries),
        (newer, StateError::UnsupportedVersion(3)),
    ] {
        assert_eq!(fresh.restore_state(&reseal(bytes)), Err(error));
        assert_eq!(fresh.save_state(), before);
    }
    for cut in 0..good.len() {
        assert!(fresh.restore_state(&good[..cut]).is_err());
    }
    assert_eq!(fresh.save_state(), before);
}

proptest! {
    /// Save then restore is the identity, whatever deliveries the limits have recorded.
    #[test]
    fn state_save_then_restore_is_the_identity(
        gaps in prop::collection::vec(0u32..200_000_000, 0..12),
        min_interval_s in prop::option::of(1u32..100),
        max_per_day in prop::option::of(1u16..6),
    ) {
        let limits = ChannelLimits { min_interval_s, max_per_visit: None, max_per_day };
        let mut e = limited(limits);
        let mut now = t(0);
        for gap in gaps {
            now += i64::from(gap);
            show(&mut e, now);
        }
        let state = e.save_state();
        let mut restored = limited(limits);
        restored.restore_state(&state).unwrap();
        prop_assert_eq!(restored.save_state(), state);
    }
}
