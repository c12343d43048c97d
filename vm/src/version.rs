//! App versions and the order comparisons of `app.version` and `app.build` (SPEC §2, "App
//! version").
//!
//! A version is one to four numeric components separated by `.` (missing ones are 0, so
//! `5.2` equals `5.2.0`), an optional pre-release after `-` (dot-separated identifiers of
//! ASCII letters, digits and `-`) and optional build metadata after `+`, which is checked and
//! then ignored. [`Version::parse`] reads a version once into a fixed-size form: the
//! components as numbers and where the pre-release lies in the text. [`Version::compare`]
//! orders two versions with semver precedence (semver 2.0.0 §11: a pre-release sorts before
//! its release; its identifiers compare one by one, numeric ones as numbers and before
//! alphanumeric ones, which compare as ASCII; more identifiers sort after fewer), reading the
//! pre-release from the texts the versions were parsed from: it allocates nothing.

use std::cmp::Ordering;
use std::fmt;

/// Most numeric components a version has.
pub const MAX_COMPONENTS: usize = 4;

/// Longest version text, in bytes, that parses (so a host cannot make the context hold an
/// unbounded string, and the pre-release's position fits in `u16`).
pub const MAX_VERSION_LEN: usize = 255;

/// How a comparison of `app.version` or `app.build` relates the device's value to the rule's:
/// `is`, `<`, `<=`, `>`, `>=` (`is not` is `not` of `is`). Stored as one byte in the bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Order {
    /// `is`: equal.
    Is = 0,
    /// `<`: the device's value is lower.
    Lt = 1,
    /// `<=`: lower or equal.
    Le = 2,
    /// `>`: higher.
    Gt = 3,
    /// `>=`: higher or equal.
    Ge = 4,
}

impl Order {
    /// Every order, in byte order.
    pub const ALL: [Order; 5] = [Order::Is, Order::Lt, Order::Le, Order::Gt, Order::Ge];

    /// The order stored as `byte`, if any.
    pub const fn from_byte(byte: u8) -> Option<Order> {
        match byte {
            0 => Some(Order::Is),
            1 => Some(Order::Lt),
            2 => Some(Order::Le),
            3 => Some(Order::Gt),
            4 => Some(Order::Ge),
            _ => None,
        }
    }

    /// The order's byte in the bundle.
    pub const fn byte(self) -> u8 {
        self as u8
    }

    /// The operator as written in rules (`is`, `<`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Order::Is => "is",
            Order::Lt => "<",
            Order::Le => "<=",
            Order::Gt => ">",
            Order::Ge => ">=",
        }
    }

    /// Whether a device value that compares with the rule's value as `ordering` satisfies
    /// this order.
    pub const fn holds(self, ordering: Ordering) -> bool {
        match self {
            Order::Is => matches!(ordering, Ordering::Equal),
            Order::Lt => matches!(ordering, Ordering::Less),
            Order::Le => !matches!(ordering, Ordering::Greater),
            Order::Gt => matches!(ordering, Ordering::Greater),
            Order::Ge => !matches!(ordering, Ordering::Less),
        }
    }
}

/// A parsed version: its numeric components (missing ones 0) and the byte range of its
/// pre-release in the text it was parsed from (`(0, 0)` when it has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Version {
    core: [u32; MAX_COMPONENTS],
    pre: (u16, u16),
}

/// What is wrong with a version text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionProblem {
    /// The text is empty.
    Empty,
    /// A numeric component was expected (a digit).
    ExpectedDigit,
    /// A fifth numeric component.
    TooManyComponents,
    /// A component greater than 4294967295.
    ComponentTooLarge,
    /// An empty pre-release or build identifier (`5.2-`, `5.2-beta..1`).
    EmptyIdentifier,
    /// A character that cannot appear where it is.
    UnexpectedCharacter,
    /// The text is longer than [`MAX_VERSION_LEN`].
    TooLong,
}

/// Why a version text does not parse, and the byte offset in it of the first bad character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionError {
    /// Byte offset of the problem (the text's length when it ends too early).
    pub at: usize,
    /// What the problem is.
    pub problem: VersionProblem,
}

impl fmt::Display for VersionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VersionProblem::Empty => "the version is empty",
            VersionProblem::ExpectedDigit => "expected a digit",
            VersionProblem::TooManyComponents => "a version has at most four numbers",
            VersionProblem::ComponentTooLarge => "this number is larger than 4294967295",
            VersionProblem::EmptyIdentifier => "expected letters, digits or `-`",
            VersionProblem::UnexpectedCharacter => "this character cannot appear here",
            VersionProblem::TooLong => "the version is longer than 255 bytes",
        })
    }
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.problem, self.at)
    }
}

/// Reads dot-separated identifiers of ASCII letters, digits and `-` from `bytes[at..]`;
/// returns where they end.
fn identifiers(bytes: &[u8], mut at: usize) -> Result<usize, VersionError> {
    loop {
        let start = at;
        while bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            at += 1;
        }
        if at == start {
            return Err(VersionError {
                at,
                problem: VersionProblem::EmptyIdentifier,
            });
        }
        if bytes.get(at) != Some(&b'.') {
            return Ok(at);
        }
        at += 1;
    }
}

impl Version {
    /// Parses `text` (SPEC §2): `1`, `5.2`, `5.2.0-beta.1`, `1.2.3.4+build.7`.
    ///
    /// # Errors
    /// [`VersionError`] with the offset of the first bad character.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        let bytes = text.as_bytes();
        let fail = |at: usize, problem: VersionProblem| Err(VersionError { at, problem });
        if bytes.is_empty() {
            return fail(0, VersionProblem::Empty);
        }
        if bytes.len() > MAX_VERSION_LEN {
            return fail(MAX_VERSION_LEN, VersionProblem::TooLong);
        }
        let mut version = Version::default();
        let mut at = 0;
        let mut count = 0;
        loop {
            let start = at;
            let mut value: u32 = 0;
            while let Some(digit) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
                let Some(next) = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u32::from(digit - b'0')))
                else {
                    return fail(start, VersionProblem::ComponentTooLarge);
                };
                value = next;
                at += 1;
            }
            if at == start {
                return fail(at, VersionProblem::ExpectedDigit);
            }
            let Some(slot) = version.core.get_mut(count) else {
                return fail(start, VersionProblem::TooManyComponents);
            };
            *slot = value;
            count += 1;
            if bytes.get(at) != Some(&b'.') {
                break;
            }
            at += 1;
        }
        if bytes.get(at) == Some(&b'-') {
            let start = at + 1;
            at = identifiers(bytes, start)?;
            // Both fit in u16: the text is at most MAX_VERSION_LEN bytes.
            version.pre = (start as u16, at as u16);
        }
        if bytes.get(at) == Some(&b'+') {
            at = identifiers(bytes, at + 1)?;
        }
        if at < bytes.len() {
            return fail(at, VersionProblem::UnexpectedCharacter);
        }
        Ok(version)
    }

    /// The numeric components, missing ones 0.
    pub fn components(&self) -> [u32; MAX_COMPONENTS] {
        self.core
    }

    /// The pre-release identifiers (without the `-`) in `text`, the text this version was
    /// parsed from; empty when there are none.
    pub fn pre_release<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        text.get(usize::from(self.pre.0)..usize::from(self.pre.1))
            .unwrap_or(&[])
    }

    /// How this version (parsed from `text`) compares with `other` (parsed from
    /// `other_text`), by semver precedence; build metadata is ignored. Allocates nothing.
    pub fn compare(&self, text: &[u8], other: &Version, other_text: &[u8]) -> Ordering {
        self.core.cmp(&other.core).then_with(|| {
            compare_pre_releases(self.pre_release(text), other.pre_release(other_text))
        })
    }
}

/// Semver §11 for the pre-release parts of two versions with equal components: none sorts
/// after any; otherwise identifier by identifier, and a longer list after its prefix.
fn compare_pre_releases(a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let mut left = a.split(|&c| c == b'.');
    let mut right = b.split(|&c| c == b'.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match compare_identifiers(x, y) {
                Ordering::Equal => {}
                unequal => return unequal,
            },
        }
    }
}

/// Two pre-release identifiers: numeric ones by value (of any length, without converting),
/// before alphanumeric ones, which compare as ASCII bytes.
fn compare_identifiers(x: &[u8], y: &[u8]) -> Ordering {
    let numeric = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match (numeric(x), numeric(y)) {
        (true, true) => {
            let (x, y) = (significant_digits(x), significant_digits(y));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// `digits` without its leading zeros.
fn significant_digits(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    digits.get(zeros..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (va, vb) = (Version::parse(a).unwrap(), Version::parse(b).unwrap());
        va.compare(a.as_bytes(), &vb, b.as_bytes())
    }

    fn problem(text: &str) -> (usize, VersionProblem) {
        let e = Version::parse(text).unwrap_err();
        (e.at, e.problem)
    }

    #[test]
    fn missing_components_are_zero_and_build_metadata_is_ignored() {
        assert_eq!(cmp("5.2", "5.2.0"), Ordering::Equal);
        assert_eq!(cmp("5", "5.0.0.0"), Ordering::Equal);
        assert_eq!(cmp("5.2.0+build.7", "5.2"), Ordering::Equal);
        assert_eq!(cmp("5.10", "5.9"), Ordering::Greater);
        assert_eq!(cmp("1.2.3.4", "1.2.3.5"), Ordering::Less);
        assert_eq!(cmp("007.1", "7.1"), Ordering::Equal);
    }

    #[test]
    fn pre_releases_follow_semver_precedence() {
        // The example of semver 2.0.0 §11, in increasing order.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
        assert_eq!(cmp("5.2.0-beta.1", "5.2.0"), Ordering::Less);
        assert_eq!(cmp("5.2-beta.1", "5.2.0-beta.1+x"), Ordering::Equal);
        assert_eq!(cmp("5.2.1-beta", "5.2.0"), Ordering::Greater);
        assert_eq!(
            cmp("1.0.0-99999999999999999999", "1.0.0-100000000000000000000"),
            Ordering::Less
        );
    }

    #[test]
    fn bad_versions_name_the_first_bad_character() {
        assert_eq!(problem(""), (0, VersionProblem::Empty));
        assert_eq!(problem("v5.2"), (0, VersionProblem::ExpectedDigit));
        assert_eq!(problem("5..2"), (2, VersionProblem::ExpectedDigit));
        assert_eq!(problem("5.2."), (4, VersionProblem::ExpectedDigit));
        assert_eq!(problem("1.2.3.4.5"), (8, VersionProblem::TooManyComponents));
        assert_eq!(
            problem("4294967296"),
            (0, VersionProblem::ComponentTooLarge)
        );
        assert_eq!(problem("5.2-"), (4, VersionProblem::EmptyIdentifier));
        assert_eq!(problem("5.2-beta..1"), (9, VersionProblem::EmptyIdentifier));
        assert_eq!(problem("5.2+"), (4, VersionProblem::EmptyIdentifier));
        assert_eq!(
            problem("5.2 beta"),
            (3, VersionProblem::UnexpectedCharacter)
        );
        assert_eq!(problem("5.2-b_1"), (5, VersionProblem::UnexpectedCharacter));
        assert_eq!(problem("5.2+b+c"), (5, VersionProblem::UnexpectedCharacter));
        assert_eq!(
            problem(&"1".repeat(MAX_VERSION_LEN + 1)),
            (MAX_VERSION_LEN, VersionProblem::TooLong)
        );
        assert!(Version::parse("4294967295.0-x-y.Z9+b-1.2").is_ok());
    }

    #[test]
    fn orders_hold_as_their_operators_say() {
        use Ordering::*;
        let table = [
            (Order::Is, [false, true, false]),
            (Order::Lt, [true, false, false]),
            (Order::Le, [true, true, false]),
            (Order::Gt, [false, false, true]),
            (Order::Ge, [false, true, true]),
        ];
        for (order, expected) in table {
            assert_eq!([Less, Equal, Greater].map(|o| order.holds(o)), expected);
            assert_eq!(Order::from_byte(order.byte()), Some(order));
        }
        assert_eq!(Order::from_byte(5), None);
    }

    /// The reference ordering, written independently of the parser: a version as its four
    /// numbers and its list of pre-release identifiers, `None` for a release.
    fn reference(text: &str) -> ([u64; 4], Option<Vec<Result<u128, String>>>) {
        let text = text.split('+').next().unwrap();
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let mut numbers = [0u64; 4];
        for (slot, part) in numbers.iter_mut().zip(core.split('.')) {
            *slot = part.parse().unwrap();
        }
        let pre = pre.map(|p| {
            p.split('.')
                .map(|id| id.parse::<u128>().map_err(|_| id.to_owned()))
                .collect()
        });
        (numbers, pre)
    }

    fn reference_cmp(a: &str, b: &str) -> Ordering {
        let (ca, pa) = reference(a);
        let (cb, pb) = reference(b);
        ca.cmp(&cb).then_with(|| match (pa, pb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            // Result's order: every Ok (numeric) before every Err (alphanumeric); Vec's
            // order: lexicographic, a prefix first. Exactly semver §11.
            (Some(x), Some(y)) => x.cmp(&y),
        })
    }

    fn arb_version() -> impl Strategy<Value = String> {
        let core = prop::collection::vec(0u32..12, 1..=4).prop_map(|parts| {
            parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        });
        let id = prop_oneof![
            (0u32..20).prop_map(|n| n.to_string()),
            Just("alpha".to_owned()),
            Just("beta".to_owned()),
            Just("rc".to_owned()),
            Just("Beta".to_owned()),
            Just("x-1".to_owned()),
        ];
        let pre = prop::option::of(prop::collection::vec(id, 1..4).prop_map(|ids| ids.join(".")));
        let build = prop::option::of(Just("build.5".to_owned()));
        (core, pre, build).prop_map(|(core, pre, build)| {
            let mut text = core;
            if let Some(pre) = pre {
                text = format!("{text}-{pre}");
            }
            if let Some(build) = build {
                text = format!("{text}+{build}");
            }
            text
        })
    }

    proptest! {
        #[test]
        fn the_ordering_agrees_with_the_reference_and_is_total(
            a in arb_version(), b in arb_version(), c in arb_version()
        ) {
            prop_assert_eq!(cmp(&a, &b), reference_cmp(&a, &b));
            // Antisymmetric, reflexive and transitive.
            prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
            prop_assert_eq!(cmp(&a, &a), Ordering::Equal);
            if cmp(&a, &b) != Ordering::Greater && cmp(&b, &c) != Ordering::Greater {
                prop_assert_ne!(cmp(&a, &c), Ordering::Greater);
            }
        }

        #[test]
        fn any_text_parses_or_fails_without_panicking(text in "\\PC{0,20}") {
            if let Ok(version) = Version::parse(&text) {
                prop_assert_eq!(version.compare(text.as_bytes(), &version, text.as_bytes()), Ordering::Equal);
            }
        }
    }
}
