//! Checks on the numbers JavaScript passes in: JS has one number type, so a time or an index
//! arrives as an `f64` and is accepted only when it is exactly what the VM's API means (whole
//! milliseconds, a whole non-negative index). Nothing here calls JavaScript, so it is tested
//! natively.

use std::fmt;

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A number argument that is not what the call expects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArgumentError {
    /// A time that is not a whole number of milliseconds within ±`Number.MAX_SAFE_INTEGER`.
    Time(f64),
    /// A message index that is not a whole number in `[0, 2^32)`.
    Index(f64),
    /// A build number that is not a whole number within ±`Number.MAX_SAFE_INTEGER`.
    Build(f64),
    /// A message index at or beyond the bundle's message count.
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The bundle's message count.
        count: usize,
    },
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ArgumentError::Time(value) => write!(
                f,
                "a time must be a whole number of milliseconds since the Unix epoch (a safe integer), not {}",
                JsNumber(value)
            ),
            ArgumentError::Build(value) => write!(
                f,
                "a build number must be a whole number (a safe integer), not {}",
                JsNumber(value)
            ),
            ArgumentError::Index(value) => write!(
                f,
                "a message index must be a whole number from 0, not {}",
                JsNumber(value)
            ),
            ArgumentError::IndexOutOfRange { index, count } => write!(
                f,
                "no message at index {index}: the bundle has {count} message{}",
                if count == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for ArgumentError {}

/// What is wrong with a number, in words. Fractions are not printed: formatting floats would
/// add about 20 KB of code to the `.wasm` for the sake of this one message.
struct JsNumber(f64);

impl fmt::Display for JsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            v if v.is_nan() => f.write_str("NaN"),
            v if v.is_infinite() => f.write_str(if v > 0.0 { "Infinity" } else { "-Infinity" }),
            v if v.fract() != 0.0 => f.write_str("a fraction"),
            v if v.abs() > MAX_SAFE_INTEGER => f.write_str("a number beyond 2^53"),
            // Integers in range, such as a negative index: exact in an `i64`.
            v => write!(f, "{}", v as i64),
        }
    }
}

/// A time in milliseconds since the Unix epoch, from a JS number.
///
/// # Errors
///
/// [`ArgumentError::Time`] for `NaN`, infinities, fractions and integers beyond
/// `Number.MAX_SAFE_INTEGER` (which a JS number cannot hold exactly).
pub fn millis(value: f64) -> Result<i64, ArgumentError> {
    if value.fract() != 0.0 || value.abs() > MAX_SAFE_INTEGER {
        // `fract` of NaN and of the infinities is NaN, which is not 0.
        return Err(ArgumentError::Time(value));
    }
    Ok(value as i64)
}

/// A build number from a JS number.
///
/// # Errors
///
/// [`ArgumentError::Build`] for `NaN`, infinities, fractions and integers beyond
/// `Number.MAX_SAFE_INTEGER`.
pub fn build(value: f64) -> Result<i64, ArgumentError> {
    if value.fract() != 0.0 || value.abs() > MAX_SAFE_INTEGER {
        return Err(ArgumentError::Build(value));
    }
    Ok(value as i64)
}

/// A message index from a JS number. It may be beyond the bundle's messages: the engine's
/// opened/dismissed events ignore such an index, as they ignore any message not displayed.
///
/// # Errors
///
/// [`ArgumentError::Index`] for `NaN`, infinities, fractions, negatives and values from 2^32.
pub fn index(value: f64) -> Result<usize, ArgumentError> {
    if value.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&value) {
        return Err(ArgumentError::Index(value));
    }
    Ok(value as usize)
}

/// A message index from a JS number that must name one of the bundle's `count` messages.
///
/// # Errors
///
/// As [`index`], and [`ArgumentError::IndexOutOfRange`] from `count` on.
pub fn message_index(value: f64, count: usize) -> Result<usize, ArgumentError> {
    let index = index(value)?;
    if index >= count {
        return Err(ArgumentError::IndexOutOfRange { index, count });
    }
    Ok(index)
}

/// A time from the VM as a JS number (exact for every time the host passed in, and for the
/// deadlines derived from them).
pub fn to_js_time(time: i64) -> f64 {
    time as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_whole_safe_milliseconds() {
        assert_eq!(millis(0.0), Ok(0));
        assert_eq!(millis(1_795_424_400_000.0), Ok(1_795_424_400_000));
        assert_eq!(millis(-86_400_000.0), Ok(-86_400_000));
        assert_eq!(millis(MAX_SAFE_INTEGER), Ok(9_007_199_254_740_991));
        assert_eq!(millis(-MAX_SAFE_INTEGER), Ok(-9_007_199_254_740_991));
        for bad in [
            0.5,
            -1.25,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            MAX_SAFE_INTEGER + 1.0,
            -MAX_SAFE_INTEGER - 2.0,
            1e300,
        ] {
            assert!(matches!(millis(bad), Err(ArgumentError::Time(_))), "{bad}");
        }
    }

    #[test]
    fn indices_are_whole_and_in_u32() {
        assert_eq!(index(0.0), Ok(0));
        assert_eq!(index(139.0), Ok(139));
        assert_eq!(index(f64::from(u32::MAX)), Ok(u32::MAX as usize));
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, 4_294_967_296.0] {
            assert!(matches!(index(bad), Err(ArgumentError::Index(_))), "{bad}");
        }
        assert_eq!(message_index(2.0, 3), Ok(2));
        assert_eq!(
            message_index(3.0, 3),
            Err(ArgumentError::IndexOutOfRange { index: 3, count: 3 })
        );
    }

    #[test]
    fn messages_say_what_is_wrong_with_the_number() {
        assert_eq!(
            ArgumentError::Time(f64::NAN).to_string(),
            "a time must be a whole number of milliseconds since the Unix epoch (a safe integer), not NaN"
        );
        assert_eq!(
            ArgumentError::Time(1.5).to_string(),
            "a time must be a whole number of milliseconds since the Unix epoch (a safe integer), not a fraction"
        );
        assert_eq!(
            ArgumentError::Index(f64::NEG_INFINITY).to_string(),
            "a message index must be a whole number from 0, not -Infinity"
        );
        assert_eq!(
            ArgumentError::Index(-3.0).to_string(),
            "a message index must be a whole number from 0, not -3"
        );
        assert_eq!(
            ArgumentError::Time(1e300).to_string(),
            "a time must be a whole number of milliseconds since the Unix epoch (a safe integer), not a number beyond 2^53"
        );
        assert_eq!(
            ArgumentError::IndexOutOfRange { index: 1, count: 1 }.to_string(),
            "no message at index 1: the bundle has 1 message"
        );
    }
}
