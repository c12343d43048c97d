//! Business hours: whether a schedule is open at an instant.
//!
//! The instant is converted to the schedule's local wall-clock time with the TZif data
//! embedded in the bundle (parsed by `jiff`), so DST changes are handled by the zone's own
//! rules. A holiday is a local date closed all day; otherwise the instant is open when its
//! local minute of the day lies in one of the weekday's half-open intervals.

use crate::bundle::Schedule;
use crate::format::Date;

impl Schedule {
    /// Whether the schedule is open at `time_ms` (milliseconds since the Unix epoch, UTC).
    ///
    /// Instants outside the range `jiff` represents (years -9999 to 9999) count as closed.
    pub fn is_open(&self, time_ms: i64) -> bool {
        let Ok(timestamp) = jiff::Timestamp::from_millisecond(time_ms) else {
            return false;
        };
        let local = self.tz.to_datetime(timestamp);
        let date = Date {
            year: local.year(),
            month: local.month().unsigned_abs(),
            day: local.day().unsigned_abs(),
        };
        if self.holidays.binary_search(&date).is_ok() {
            return false;
        }
        let day = usize::from(local.weekday().to_monday_zero_offset().unsigned_abs());
        let minute =
            u16::from(local.hour().unsigned_abs()) * 60 + u16::from(local.minute().unsigned_abs());
        self.weekly.get(day).is_some_and(|intervals| {
            intervals
                .iter()
                .any(|i| i.start <= minute && minute < i.end)
        })
    }
}
