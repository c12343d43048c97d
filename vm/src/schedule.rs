//! Business hours: whether a schedule is open at an instant, and for how long that answer
//! stays the same.
//!
//! The instant is converted to the schedule's local wall-clock time with the TZif data
//! embedded in the bundle (parsed by `jiff`), so DST changes are handled by the zone's own
//! rules. A holiday is a local date closed all day; otherwise the instant is open when its
//! local minute of the day lies in one of the weekday's half-open intervals.
//!
//! The answer changes only at the local minutes where an interval opens or closes, at local
//! midnight and at the zone's offset changes, so [`Schedule::open_span`] also says until when
//! it holds; the engine keeps that span to answer later checks without converting instants.

use crate::bundle::Schedule;
use crate::format::Date;

/// Whether a schedule is open, and the instants `[from, until)` (milliseconds since the Unix
/// epoch) over which that answer holds. `from <= until`; an empty span holds for no instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OpenSpan {
    /// First instant of the span.
    pub(crate) from: i64,
    /// First instant after the span.
    pub(crate) until: i64,
    /// Whether the schedule is open during the span.
    pub(crate) open: bool,
}

impl OpenSpan {
    /// A span that holds for no instant (nothing is known yet).
    pub(crate) const UNKNOWN: OpenSpan = OpenSpan {
        from: 0,
        until: 0,
        open: false,
    };

    /// Whether the span's answer holds at `time_ms`.
    pub(crate) fn contains(&self, time_ms: i64) -> bool {
        self.from <= time_ms && time_ms < self.until
    }
}

/// Milliseconds in a minute.
const MINUTE_MS: i64 = 60_000;

/// Minutes in a local day: local midnight is the last instant a day's answer can hold to.
const MINUTES_PER_DAY: u16 = 24 * 60;

impl Schedule {
    /// Whether the schedule is open at `time_ms` (milliseconds since the Unix epoch, UTC).
    ///
    /// Instants outside the range `jiff` represents (years -9999 to 9999) count as closed.
    pub fn is_open(&self, time_ms: i64) -> bool {
        jiff::Timestamp::from_millisecond(time_ms)
            .is_ok_and(|timestamp| self.open_at_local(&self.tz.to_datetime(timestamp)))
    }

    /// Whether the schedule is open at `time_ms`, with the span `[time_ms, until)` over which
    /// that answer holds: until the local minute at which an interval of the day opens or
    /// closes, local midnight, or the zone's next offset change, whichever comes first.
    /// Instants `jiff` cannot represent count as closed, each on its own.
    pub(crate) fn open_span(&self, time_ms: i64) -> OpenSpan {
        let Ok(timestamp) = jiff::Timestamp::from_millisecond(time_ms) else {
            return OpenSpan {
                from: time_ms,
                until: time_ms.saturating_add(1),
                open: false,
            };
        };
        let local = self.tz.to_datetime(timestamp);
        let open = self.open_at_local(&local);
        let minute = local_minute(&local);
        let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
        // The first minute after this one at which the day's answer can change.
        let change = self.weekly[day]
            .iter()
            .flat_map(|i| [i.start, i.end])
            .filter(|&m| m > minute)
            .min()
            .map_or(MINUTES_PER_DAY, |m| m.min(MINUTES_PER_DAY));
        let into_minute =
            i64::from(local.second()) * 1000 + i64::from(local.subsec_nanosecond()) / 1_000_000;
        let mut until = time_ms
            .saturating_sub(into_minute)
            .saturating_add(i64::from(change - minute) * MINUTE_MS);
        if let Some(transition) = self.tz.following(timestamp).next() {
            until = until.min(transition.timestamp().as_millisecond());
        }
        OpenSpan {
            from: time_ms,
            until: until.max(time_ms.saturating_add(1)),
            open,
        }
    }

    /// Whether the local wall-clock time `local` is in business hours.
    fn open_at_local(&self, local: &jiff::civil::DateTime) -> bool {
        let date = Date {
            year: local.year(),
            month: local.month().unsigned_abs(),
            day: local.day().unsigned_abs(),
        };
        if self.holidays.binary_search(&date).is_ok() {
            return false;
        }
        let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
        let minute = local_minute(local);
        self.weekly.get(day).is_some_and(|intervals| {
            intervals
                .iter()
                .any(|i| i.start <= minute && minute < i.end)
        })
    }
}

/// The minute of the local day, 0 to 1439.
fn local_minute(local: &jiff::civil::DateTime) -> u16 {
    u16::from(local.hour().unsigned_abs()) * 60 + u16::from(local.minute().unsigned_abs())
}
