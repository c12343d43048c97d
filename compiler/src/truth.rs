//! Deciding whether a condition can never hold or always holds (lints `W0103`, `W0104`).
//!
//! A condition only looks at four fields, and only through finitely many constants, so a small
//! set of representative contexts decides it exactly: the URL (and title) can be each `is`
//! string, or the concatenation — with a separator no constant contains — of any subset of the
//! needles (which contains exactly the needles that are substrings of the chosen ones, as any
//! real value with those needles would), with or without a marker that makes it differ from
//! every `is` string; that between one of the `starts_with` strings (or none) and one of the
//! `ends_with` strings (or none), each kept apart by the separator, since which of them hold
//! depends only on the longest that a value starts (ends) with; the language can be each
//! language a tag names with each script and region the tags state or imply, or another, or
//! none (see `language_candidates`), or a language nobody mentions; the app version and build
//! can be unset, the lowest value, each constant, or the value right after each (the sorted
//! constants cut each order into intervals on which every comparison has one value, see
//! `version_candidates`); the visit is new or returning. When the product of these
//! choices exceeds [`MAX_CASES`], or the condition has more than [`MAX_NODES`] nodes, the
//! answer is "unknown" and no lint fires: deciding costs at most their product.
//!
//! Conditions here are expanded ([`crate::model::NamedConditions::expand`]): plain trees,
//! whose depth the expansion bounds.
//!
//! Within that product, the operands of an `and` or `or` that read disjoint sets of fields are
//! decided apart, and the rest by a truth table over only the fields it reads.

use foldhash::HashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use pm_vm::language::{LATIN_AMERICA, LanguageTag};
use pm_vm::version::Version;

use crate::model::{Cond, Facts, FoldedFacts, Test, fold_text};

/// Most contexts evaluated for one condition.
pub const MAX_CASES: usize = 4096;

/// Most nodes of a condition decided (its truth tables cost one pass per node).
pub const MAX_NODES: u64 = 1024;

/// `Some(false)` when `cond` never holds, `Some(true)` when it always holds, `None` when it
/// depends on the context (or deciding would take too long).
pub fn constant_value(cond: &Cond) -> Option<bool> {
    with_parts(cond, |decide| decide(cond)).flatten()
}

/// Builds the representative contexts of `cond` once, and gives `f` a function deciding `cond`
/// and any sub-condition of it: what [`constant_value`] says of each. `None` (without calling
/// `f`) when `cond` has more than [`MAX_CASES`] contexts.
///
/// A sub-condition's constants are among `cond`'s, so `cond`'s contexts represent every
/// context for it too; and it has no more contexts of its own than `cond` (a field's values
/// only grow with its constants), so [`constant_value`] of it is never cut short either.
pub fn with_parts<R>(
    cond: &Cond,
    f: impl FnOnce(&mut dyn FnMut(&Cond) -> Option<bool>) -> R,
) -> Option<R> {
    with_candidates(cond, |values| {
        let contexts = Contexts {
            urls: values.urls.iter().map(|url| fold_text(url)).collect(),
            titles: values.titles.iter().map(|title| fold_text(title)).collect(),
            languages: values
                .languages
                .iter()
                .map(|tag| LanguageTag::device(tag))
                .collect(),
            versions: values.versions.clone(),
            builds: values.builds.clone(),
        };
        let mut scratch = FoldedFacts::default();
        f(&mut |part| contexts.decide(part, &mut scratch))
    })
}

/// Every representative context of `cond`, or `None` when there are more than [`MAX_CASES`]
/// or `cond` has more than [`MAX_NODES`] nodes. Evaluating `cond` on them gives every value it
/// can take; so does evaluating, on the contexts of `Cond::And(vec![a, b])`, any combination
/// of `a` and `b` (such as whether they differ), since it compares only their constants.
/// The URL varies slowest and the visit fastest.
pub fn representative_contexts(cond: &Cond) -> Option<Vec<Facts>> {
    with_candidates(cond, |values| {
        let mut contexts = Vec::with_capacity(values.cases());
        for url in &values.urls {
            for title in &values.titles {
                for language in &values.languages {
                    for app_version in &values.versions {
                        for &app_build in &values.builds {
                            for returning in VISITS {
                                contexts.push(Facts {
                                    url: url.to_string(),
                                    title: title.to_string(),
                                    language: language.clone(),
                                    returning,
                                    app_version: app_version.clone(),
                                    app_build,
                                });
                            }
                        }
                    }
                }
            }
        }
        contexts
    })
}

/// The representative values of each field of a condition (the visit is always both).
struct Candidates<'t> {
    urls: Vec<&'t str>,
    titles: Vec<&'t str>,
    languages: Vec<String>,
    versions: Vec<Option<String>>,
    builds: Vec<Option<i64>>,
}

impl Candidates<'_> {
    /// How many contexts combine them (saturating).
    fn cases(&self) -> usize {
        [
            self.urls.len(),
            self.titles.len(),
            self.languages.len(),
            self.versions.len(),
            self.builds.len(),
            VISITS.len(),
        ]
        .iter()
        .fold(1usize, |product, &n| product.saturating_mul(n))
    }
}

/// Gives `f` the representative values of each field `cond` reads, or `None` (without
/// calling `f`) when their combinations are more than [`MAX_CASES`] contexts or `cond` has
/// more than [`MAX_NODES`] nodes.
fn with_candidates<R>(cond: &Cond, f: impl FnOnce(&Candidates<'_>) -> R) -> Option<R> {
    if !has_at_most_nodes(cond, &mut { MAX_NODES }) {
        return None;
    }
    let mut constants = Constants::default();
    constants.collect(cond);
    if constants.opaque {
        return None;
    }
    let (mut url_text, mut title_text) = (String::new(), String::new());
    let values = Candidates {
        urls: constants.url.candidates(&mut url_text)?,
        titles: constants.title.candidates(&mut title_text)?,
        languages: constants.language_candidates(),
        versions: version_candidates(&constants.versions),
        builds: build_candidates(&constants.builds),
    };
    if values.cases() > MAX_CASES {
        return None;
    }
    Some(f(&values))
}

/// Representative app versions for comparisons with `versions` (literals that parse): unset
/// (which fails every comparison, as a version that does not parse does), the lowest
/// version (`0-0`), each constant, and the version right after each. Every version lies in
/// one of the intervals the sorted constants cut the order into, and the comparisons have
/// one value on each: the lowest version stands for the first interval, the version right
/// after a constant for the interval that follows it (when that is not empty).
fn version_candidates(versions: &[&str]) -> Vec<Option<String>> {
    if versions.is_empty() {
        return vec![None];
    }
    let mut values = vec![None, Some("0-0".to_string())];
    for version in versions {
        values.push(Some(version.to_string()));
        values.extend(version_after(version).map(Some));
    }
    values.sort();
    values.dedup();
    values
}

/// The version right after `version` in the order of versions: with a pre-release, that
/// pre-release followed by `.0` (a longer list of identifiers with an equal start sorts after,
/// and `0` is the lowest identifier); without, the next four numbers with the lowest
/// pre-release, `-0`. `None` for the highest version, or one that does not parse.
fn version_after(version: &str) -> Option<String> {
    let parsed = Version::parse(version).ok()?;
    if !parsed.pre_release(version.as_bytes()).is_empty() {
        let without_build = version.split('+').next().unwrap_or(version);
        return Some(format!("{without_build}.0"));
    }
    let mut core = parsed.components();
    let last = core.iter().rposition(|&n| n < u32::MAX)?;
    core[last] += 1;
    core[last + 1..].iter_mut().for_each(|n| *n = 0);
    let numbers: Vec<String> = core.iter().map(u32::to_string).collect();
    Some(format!("{}-0", numbers.join(".")))
}

/// Representative build numbers for comparisons with `builds`: unset, the lowest number, each
/// constant and the number after each (as for versions).
fn build_candidates(builds: &[i64]) -> Vec<Option<i64>> {
    if builds.is_empty() {
        return vec![None];
    }
    let mut values = vec![None, Some(i64::MIN)];
    for &build in builds {
        values.push(Some(build));
        values.extend(build.checked_add(1).map(Some));
    }
    values.sort_unstable();
    values.dedup();
    values
}

/// Whether `cond` has at most `budget` nodes; counts down `budget`, and stops as soon as it
/// is spent (so the cost is at most the budget, whatever the size).
fn has_at_most_nodes(cond: &Cond, budget: &mut u64) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match cond {
        Cond::True | Cond::Test(_) => true,
        Cond::Not(operand) => has_at_most_nodes(operand, budget),
        Cond::And(operands) | Cond::Or(operands) => {
            operands.iter().all(|c| has_at_most_nodes(c, budget))
        }
        Cond::Named(never) => match *never {},
    }
}

/// The field of the context a test reads, in context order (the URL varies slowest).
#[derive(Clone, Copy)]
enum Field {
    Url,
    Title,
    Language,
    AppVersion,
    AppBuild,
    Visit,
}

/// A set of fields, one bit per [`Field`].
type Fields = u8;

impl Field {
    const ALL: [Field; 6] = [
        Field::Url,
        Field::Title,
        Field::Language,
        Field::AppVersion,
        Field::AppBuild,
        Field::Visit,
    ];

    fn of(test: &Test) -> Field {
        match test {
            Test::UrlIs(_)
            | Test::UrlContainsAny(_)
            | Test::UrlStartsAny(_)
            | Test::UrlEndsAny(_)
            | Test::UrlMatches(_) => Field::Url,
            Test::TitleIs(_)
            | Test::TitleContainsAny(_)
            | Test::TitleStartsAny(_)
            | Test::TitleEndsAny(_)
            | Test::TitleMatches(_) => Field::Title,
            Test::LanguageIs(_) => Field::Language,
            Test::AppVersion(..) => Field::AppVersion,
            Test::AppBuild(..) => Field::AppBuild,
            Test::Returning => Field::Visit,
        }
    }

    fn bit(self) -> Fields {
        1 << self as u8
    }
}

/// The fields `cond` reads.
fn fields_read(cond: &Cond) -> Fields {
    match cond {
        Cond::True => 0,
        Cond::And(operands) | Cond::Or(operands) => {
            operands.iter().fold(0, |fields, c| fields | fields_read(c))
        }
        Cond::Not(operand) => fields_read(operand),
        Cond::Test(test) => Field::of(test).bit(),
        Cond::Named(never) => match *never {},
    }
}

/// The representative values of each field of one condition, folded as
/// [`crate::model::Facts::fold`] folds them. The contexts that vary a set of fields combine
/// every value of those fields (URL-major, the visit varying fastest) with the first value of
/// the others: a condition has the same value whatever a field it does not read is.
struct Contexts<'v> {
    urls: Vec<Cow<'v, str>>,
    titles: Vec<Cow<'v, str>>,
    languages: Vec<LanguageTag>,
    versions: Vec<Option<String>>,
    builds: Vec<Option<i64>>,
}

/// The values of the visit field: new or returning.
const VISITS: [bool; 2] = [false, true];

impl Contexts<'_> {
    /// How many values `field` takes in the contexts that vary `varied`.
    fn count(&self, field: Field, varied: Fields) -> usize {
        if varied & field.bit() == 0 {
            return 1;
        }
        match field {
            Field::Url => self.urls.len(),
            Field::Title => self.titles.len(),
            Field::Language => self.languages.len(),
            Field::AppVersion => self.versions.len(),
            Field::AppBuild => self.builds.len(),
            Field::Visit => VISITS.len(),
        }
    }

    /// How many consecutive contexts share each value of `field`, in those that vary `varied`.
    fn run(&self, field: Field, varied: Fields) -> usize {
        Field::ALL[field as usize + 1..]
            .iter()
            .map(|&f| self.count(f, varied))
            .product()
    }

    /// How many contexts vary `varied`.
    fn len(&self, varied: Fields) -> usize {
        self.run(Field::Url, varied) * self.count(Field::Url, varied)
    }

    /// Sets `field` of `facts` to the field's value number `i`.
    fn set(&self, field: Field, i: usize, facts: &mut FoldedFacts) {
        let copy = |to: &mut String, from: &str| {
            to.clear();
            to.push_str(from);
        };
        match field {
            Field::Url => copy(&mut facts.url, &self.urls[i]),
            Field::Title => copy(&mut facts.title, &self.titles[i]),
            Field::Language => facts.language = self.languages[i],
            Field::AppVersion => facts.app_version.clone_from(&self.versions[i]),
            Field::AppBuild => facts.app_build = self.builds[i],
            Field::Visit => facts.returning = VISITS[i],
        }
    }

    /// [`constant_value`] of `cond`; tests are evaluated on `scratch`. The operands of an `and`
    /// or `or` that read disjoint sets of fields are decided group by group: any values of
    /// one group's fields combine with any of another's, so an `and` never holds when one group
    /// never holds and always holds when every group always holds (dually for `or`). The rest
    /// is decided by a truth table over the fields it reads.
    fn decide(&self, cond: &Cond, scratch: &mut FoldedFacts) -> Option<bool> {
        if let Cond::And(operands) | Cond::Or(operands) = cond {
            let groups = independent_groups(operands);
            if groups.len() > 1 {
                // The value of an operand that decides the whole: false for `and`, true for `or`.
                let absorbing = matches!(cond, Cond::Or(_));
                let mut all_identity = true;
                for (fields, group) in groups {
                    let value = match group.as_slice() {
                        [operand] => self.decide(operand, scratch),
                        _ => verdict(&self.combine(group, !absorbing, fields, scratch)),
                    };
                    if value == Some(absorbing) {
                        return value;
                    }
                    all_identity &= value.is_some();
                }
                return all_identity.then_some(!absorbing);
            }
        }
        verdict(&self.truth_table(cond, fields_read(cond), scratch))
    }

    /// Whether `cond` holds in each context that varies `varied` (every field `cond` reads, and
    /// maybe more), in context order.
    fn truth_table(&self, cond: &Cond, varied: Fields, scratch: &mut FoldedFacts) -> Vec<bool> {
        match cond {
            Cond::True => vec![true; self.len(varied)],
            Cond::And(operands) => self.combine(operands, true, varied, scratch),
            Cond::Or(operands) => self.combine(operands, false, varied, scratch),
            Cond::Not(operand) => {
                let mut table = self.truth_table(operand, varied, scratch);
                table.iter_mut().for_each(|v| *v = !*v);
                table
            }
            Cond::Test(test) => self.test_table(test, varied, scratch),
            Cond::Named(never) => match *never {},
        }
    }

    /// The table of the `and` (`all`) or the `or` (not `all`) of `operands`.
    fn combine<'c>(
        &self,
        operands: impl IntoIterator<Item = &'c Cond>,
        all: bool,
        varied: Fields,
        scratch: &mut FoldedFacts,
    ) -> Vec<bool> {
        let mut operands = operands.into_iter();
        let Some(first) = operands.next() else {
            return vec![all; self.len(varied)];
        };
        let mut acc = self.truth_table(first, varied, scratch);
        for operand in operands {
            let table = self.truth_table(operand, varied, scratch);
            for (a, b) in acc.iter_mut().zip(table) {
                *a = if all { *a && b } else { *a || b };
            }
        }
        acc
    }

    /// A test's table: the test is evaluated once per value of the field it reads, and each
    /// result repeated over the run of consecutive contexts that share that value.
    fn test_table(&self, test: &Test, varied: Fields, scratch: &mut FoldedFacts) -> Vec<bool> {
        let field = Field::of(test);
        let (count, run) = (self.count(field, varied), self.run(field, varied));
        // One period: each value's result over its run; the table repeats the period.
        let mut period = Vec::with_capacity(count * run);
        for i in 0..count {
            self.set(field, i, scratch);
            period.resize(period.len() + run, test.eval_folded(scratch));
        }
        match self.len(varied) / period.len() {
            1 => period,
            repeats => period.repeat(repeats),
        }
    }
}

/// What a truth table says: `Some(value)` when every context has that value.
fn verdict(table: &[bool]) -> Option<bool> {
    match (table.contains(&false), table.contains(&true)) {
        (true, true) => None,
        (_, holds) => Some(holds),
    }
}

/// The operands grouped so that groups read disjoint sets of fields, with each group's fields.
fn independent_groups(operands: &[Cond]) -> Vec<(Fields, Vec<&Cond>)> {
    let mut groups: Vec<(Fields, Vec<&Cond>)> = Vec::with_capacity(operands.len());
    for operand in operands {
        let mut fields = fields_read(operand);
        let mut members = vec![operand];
        // The groups that share a field with this operand join its group.
        groups.retain_mut(|(other_fields, other)| {
            let shares = *other_fields & fields != 0;
            if shares {
                fields |= *other_fields;
                members.append(other);
            }
            !shares
        });
        groups.push((fields, members));
    }
    groups
}

/// [`constant_value`] with a memory, so that no condition is decided twice in one check: the
/// lint's wholes and parts ([`with_parts`]) are recorded, and the code generator's layout of a
/// message finds its condition there (simplifying seldom changes it); a named condition used
/// by many messages, and the parts of a condition with too many contexts, which may repeat
/// across messages, are decided once.
#[derive(Debug, Default)]
pub struct ConstantValues {
    known: HashMap<Cond, Option<bool>>,
}

impl ConstantValues {
    /// [`constant_value`] of `cond`.
    pub fn of(&mut self, cond: &Cond) -> Option<bool> {
        if let Some(&value) = self.known.get(cond) {
            return value;
        }
        let value = constant_value(cond);
        self.known.insert(cond.clone(), value);
        value
    }

    /// How many conditions are remembered.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// What was recorded of `cond`, if anything.
    pub fn get(&self, cond: &Cond) -> Option<Option<bool>> {
        self.known.get(cond).copied()
    }

    /// Records that [`constant_value`] of `cond` is `value` (found some other way, such as
    /// deciding it as a part of a whole: the same answer, see [`with_parts`]).
    pub fn record(&mut self, cond: &Cond, value: Option<bool>) {
        if !self.known.contains_key(cond) {
            self.known.insert(cond.clone(), value);
        }
    }
}

/// The characters tried first as the separator and the marker of built values.
const READABLE_FRESH: [char; 6] = ['/', '~', '#', '|', '!', '*'];

/// The constants a condition compares one text field (URL or title) with.
#[derive(Default)]
struct FieldConstants<'c> {
    exact: Vec<&'c str>,
    needles: Vec<&'c str>,
    starts: Vec<&'c str>,
    ends: Vec<&'c str>,
}

/// `strings` sorted, without repeats.
fn distinct<'c>(strings: &[&'c str]) -> Vec<&'c str> {
    let mut strings = strings.to_vec();
    strings.sort_unstable();
    strings.dedup();
    strings
}

impl<'c> FieldConstants<'c> {
    /// Representative values of the field, or `None` when there are too many. The values
    /// built from needles are written into `text`, which the values borrow.
    fn candidates<'t>(&self, text: &'t mut String) -> Option<Vec<&'t str>>
    where
        'c: 't,
    {
        let needles = distinct(&self.needles);
        let (starts, ends) = (distinct(&self.starts), distinct(&self.ends));
        if needles.len() > 12 {
            return None;
        }
        // One value per start (or none), end (or none) and subset of the needles, twice.
        let built = (starts.len() + 1)
            .checked_mul(ends.len() + 1)?
            .checked_mul(2 << needles.len())?;
        if built > MAX_CASES {
            return None;
        }
        // Two characters no constant contains: a separator, and a marker that makes a value
        // differ from every `is` string without adding a needle. Printable ones first, so
        // that the contexts read well where they are shown (`pmc diff`'s examples).
        let constants = || {
            self.exact
                .iter()
                .chain(&needles)
                .chain(&starts)
                .chain(&ends)
        };
        let mut fresh = READABLE_FRESH
            .into_iter()
            .chain(('\u{1}'..).filter(|c| !READABLE_FRESH.contains(c)))
            .filter(|c| !constants().any(|s| s.contains(*c)));
        let (separator, marker) = (fresh.next()?, fresh.next()?);
        // A value starts with one of the `starts_with` strings, or (led by the separator, which
        // none contains) with none but the empty one; the longest it starts with decides which
        // hold, as for any real value. The same at the end; in between, the concatenation of a
        // subset of the needles, then the same with the marker. The separator keeps the parts
        // apart: no constant spans two of them.
        let sides = |side: &[&'c str]| -> Vec<Option<&'c str>> {
            if side.is_empty() {
                vec![None]
            } else {
                std::iter::once(Some(""))
                    .chain(side.iter().copied().map(Some))
                    .collect()
            }
        };
        let mut ranges = Vec::with_capacity(built);
        for start in sides(&starts) {
            for end in sides(&ends) {
                for subset in 0u32..(1 << needles.len()) {
                    for marked in [false, true] {
                        let from = text.len();
                        if let Some(start) = start {
                            text.push_str(start);
                            text.push(separator);
                        }
                        let chosen = needles
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| subset & (1 << i) != 0);
                        for (n, (_, needle)) in chosen.enumerate() {
                            if n > 0 {
                                text.push(separator);
                            }
                            text.push_str(needle);
                        }
                        if marked {
                            text.push(marker);
                        }
                        if let Some(end) = end {
                            text.push(separator);
                            text.push_str(end);
                        }
                        ranges.push((from, text.len()));
                    }
                }
            }
        }
        let text: &'t str = text;
        let mut values = Vec::with_capacity(self.exact.len() + ranges.len());
        values.extend_from_slice(&self.exact);
        values.extend(ranges.iter().map(|&(from, to)| &text[from..to]));
        values.sort_unstable();
        values.dedup();
        Some(values)
    }
}

/// The constants of a condition, and the fields it reads.
#[derive(Default)]
struct Constants<'c> {
    url: FieldConstants<'c>,
    title: FieldConstants<'c>,
    tags: Vec<&'c str>,
    versions: Vec<&'c str>,
    builds: Vec<i64>,
    reads: [bool; 6],
    /// Whether a `matches` test that can hold is among the tests: the representative values
    /// then do not decide the condition, which stays undecided.
    opaque: bool,
}

impl<'c> Constants<'c> {
    fn collect(&mut self, cond: &'c Cond) {
        match cond {
            Cond::True => {}
            Cond::And(operands) | Cond::Or(operands) => {
                operands.iter().for_each(|c| self.collect(c))
            }
            Cond::Not(operand) => self.collect(operand),
            Cond::Named(never) => match *never {},
            Cond::Test(test) => {
                self.reads[Field::of(test) as usize] = true;
                match &**test {
                    Test::UrlIs(value) => self.url.exact.push(value),
                    Test::TitleIs(value) => self.title.exact.push(value),
                    Test::UrlContainsAny(needles) => {
                        self.url.needles.extend(needles.iter().map(String::as_str))
                    }
                    Test::TitleContainsAny(needles) => self
                        .title
                        .needles
                        .extend(needles.iter().map(String::as_str)),
                    Test::UrlStartsAny(starts) => {
                        self.url.starts.extend(starts.iter().map(String::as_str))
                    }
                    Test::UrlEndsAny(ends) => self.url.ends.extend(ends.iter().map(String::as_str)),
                    Test::TitleStartsAny(starts) => {
                        self.title.starts.extend(starts.iter().map(String::as_str))
                    }
                    Test::TitleEndsAny(ends) => {
                        self.title.ends.extend(ends.iter().map(String::as_str))
                    }
                    // A pattern that can match makes the values built here stop representing
                    // every value (no finite set of them does in general); one that cannot is
                    // false on every value, these included.
                    Test::UrlMatches(pattern) | Test::TitleMatches(pattern) => {
                        self.opaque |= pattern.automaton.can_match();
                    }
                    Test::LanguageIs(tag) => self.tags.push(tag),
                    Test::AppVersion(_, version) => self.versions.push(version),
                    Test::AppBuild(_, build) => self.builds.push(*build),
                    Test::Returning => {}
                }
            }
        }
    }

    /// Representative device languages: for each language a tag names, every combination of
    /// a script among those the tags state or imply, another script, or none, with a region
    /// among those the tags state, another, none, and (when a tag states `419`) a country of
    /// Latin America no tag states; and a language no tag names. A device's tag matches
    /// rule tags only through these (SPEC §2, step 3), so they represent every device.
    fn language_candidates(&self) -> Vec<String> {
        let mut parts: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
        for tag in self.tags.iter().map(|tag| LanguageTag::rule(tag)) {
            if tag.is_empty() {
                continue;
            }
            let (scripts, regions) = parts.entry(tag.language().to_string()).or_default();
            scripts.insert(tag.script().to_string());
            regions.insert(tag.region().to_string());
        }
        let mut languages = vec![LanguageTag::device("x-none").to_string()];
        for (language, (mut scripts, mut regions)) in parts {
            scripts.extend([String::new(), "zzzz".to_string()]);
            regions.extend([String::new(), "ZZ".to_string()]);
            if regions.contains("419") {
                let unstated = LATIN_AMERICA.split(' ').find(|r| !regions.contains(*r));
                regions.extend(unstated.map(str::to_string));
            }
            for script in &scripts {
                for region in &regions {
                    let tag = [language.as_str(), script, region]
                        .iter()
                        .filter(|part| !part.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("-");
                    languages.push(LanguageTag::device(&tag).to_string());
                }
            }
        }
        languages.sort();
        languages.dedup();
        languages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pm_vm::version::Order;
    use proptest::prelude::*;

    /// The definition [`constant_value`] implements with truth tables: evaluate `cond` in every
    /// representative context.
    fn by_enumeration(cond: &Cond) -> Option<bool> {
        let mut seen = [false, false];
        for facts in representative_contexts(cond)? {
            seen[usize::from(cond.eval(&facts))] = true;
        }
        match seen {
            [true, true] => None,
            [_, holds] => Some(holds),
        }
    }

    fn arb_cond() -> impl Strategy<Value = Cond> {
        let text = || prop::sample::select(vec!["a", "ab", "B", "pricing", "é", ""]);
        let texts = || prop::collection::vec(text().prop_map(String::from), 1..3);
        let leaf = prop_oneof![
            text().prop_map(|s| Test::UrlIs(s.into())),
            text().prop_map(|s| Test::TitleIs(s.into())),
            texts().prop_map(Test::UrlContainsAny),
            texts().prop_map(Test::TitleContainsAny),
            texts().prop_map(Test::UrlStartsAny),
            texts().prop_map(Test::UrlEndsAny),
            texts().prop_map(Test::TitleStartsAny),
            texts().prop_map(Test::TitleEndsAny),
            prop::sample::select(vec!["fr", "fr-ca", "de"])
                .prop_map(|t| Test::LanguageIs(t.into())),
            Just(Test::Returning),
            (
                prop::sample::select(Order::ALL.to_vec()),
                prop::sample::select(vec!["5.2", "5.2.0-beta.1", "5.2.1", "0"])
            )
                .prop_map(|(order, v)| Test::AppVersion(order, v.into())),
            (
                prop::sample::select(Order::ALL.to_vec()),
                prop::sample::select(vec![0i64, 5210, i64::MIN, i64::MAX])
            )
                .prop_map(|(order, b)| Test::AppBuild(order, b)),
        ]
        .prop_map(Cond::test);
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::And),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::Or),
                inner.prop_map(|c| Cond::Not(Box::new(c))),
            ]
        })
    }

    /// `cond` and every condition inside it.
    fn parts(cond: &Cond) -> Vec<&Cond> {
        let inner: Vec<&Cond> = match cond {
            Cond::And(operands) | Cond::Or(operands) => operands.iter().flat_map(parts).collect(),
            Cond::Not(operand) => parts(operand),
            Cond::True | Cond::Test(_) => Vec::new(),
            Cond::Named(never) => match *never {},
        };
        std::iter::once(cond).chain(inner).collect()
    }

    /// The tests of `cond`, in order.
    fn tests(cond: &Cond) -> Vec<&Test> {
        parts(cond)
            .into_iter()
            .filter_map(|part| match part {
                Cond::Test(test) => Some(&**test),
                _ => None,
            })
            .collect()
    }

    /// Texts made of the pieces the generated constants are made of.
    fn arb_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec!["a", "b", "é", "pricing", "/"]),
            0..5,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// Independently of how the representative contexts are built: whatever a context
        /// makes of a condition's tests, one of them makes the same.
        #[test]
        fn representative_contexts_give_every_outcome_of_the_tests(
            cond in arb_cond(),
            url in arb_text(),
            title in arb_text(),
        ) {
            if let Some(contexts) = representative_contexts(&cond) {
                let tests = tests(&cond);
                let facts = Facts { url, title, language: "fr".into(), ..Facts::default() };
                let outcomes = |facts: &Facts| -> Vec<bool> {
                    tests.iter().map(|t| t.eval(facts)).collect()
                };
                let wanted = outcomes(&facts);
                prop_assert!(
                    contexts
                        .iter()
                        .any(|c| outcomes(&Facts { language: "fr".into(), ..c.clone() }) == wanted),
                    "{:?} on {:?}", cond, facts
                );
            }
        }

        #[test]
        fn truth_tables_agree_with_evaluation_in_every_context(cond in arb_cond()) {
            prop_assert_eq!(constant_value(&cond), by_enumeration(&cond));
        }

        #[test]
        fn parts_decided_in_the_whole_are_decided_as_on_their_own(cond in arb_cond()) {
            let parts = parts(&cond);
            let values =
                with_parts(&cond, |decide| parts.iter().map(|p| decide(p)).collect::<Vec<_>>());
            for (part, value) in parts.iter().zip(values.into_iter().flatten()) {
                prop_assert_eq!(value, constant_value(part));
            }
        }
    }

    fn language(tag: &str) -> Cond {
        Cond::test(Test::LanguageIs(tag.into()))
    }

    fn url_contains(needles: &[&str]) -> Cond {
        Cond::test(Test::UrlContainsAny(
            needles.iter().map(|n| n.to_string()).collect(),
        ))
    }

    #[test]
    fn conditions_over_the_size_bound_are_not_decided() {
        // `returning and not returning and returning …`, of `nodes` nodes, never holds.
        let contradiction = |nodes: usize| {
            let mut operands = vec![
                Cond::test(Test::Returning),
                Cond::Not(Box::new(Cond::test(Test::Returning))),
            ];
            // The `and`, the `not` and the tests.
            operands.resize(nodes - 2, Cond::test(Test::Returning));
            Cond::And(operands)
        };
        assert_eq!(
            constant_value(&contradiction(MAX_NODES as usize)),
            Some(false)
        );
        assert_eq!(constant_value(&contradiction(MAX_NODES as usize + 1)), None);
    }

    /// Versions and builds are ordered, and unset fails every order.
    #[test]
    fn version_and_build_intervals() {
        let version = |order, v: &str| Cond::test(Test::AppVersion(order, v.into()));
        let build = |order, b| Cond::test(Test::AppBuild(order, b));
        let and = |a: Cond, b: Cond| constant_value(&Cond::And(vec![a, b]));
        let or = |a: Cond, b: Cond| constant_value(&Cond::Or(vec![a, b]));
        assert_eq!(
            and(version(Order::Lt, "2"), version(Order::Gt, "3")),
            Some(false)
        );
        // "5.2" is "5.2.0"; nothing lies strictly between a version and the next after it.
        assert_eq!(
            and(version(Order::Gt, "5.2"), version(Order::Lt, "5.2.0.1-0")),
            Some(false)
        );
        assert_eq!(
            and(version(Order::Is, "5.2"), version(Order::Is, "5.2.0")),
            None
        );
        assert_eq!(
            and(
                version(Order::Gt, "5.2.0-beta"),
                version(Order::Lt, "5.2.0")
            ),
            None
        );
        // Unset: neither side of a split holds.
        assert_eq!(or(build(Order::Ge, 0), build(Order::Lt, 0)), None);
        assert_eq!(or(version(Order::Ge, "5"), version(Order::Lt, "5")), None);
        assert_eq!(and(build(Order::Gt, 5), build(Order::Lt, 6)), Some(false));
        assert_eq!(
            and(build(Order::Ge, i64::MAX), build(Order::Gt, i64::MAX)),
            Some(false)
        );
        assert_eq!(
            or(
                version(Order::Is, "1"),
                Cond::Not(Box::new(version(Order::Is, "1")))
            ),
            Some(true)
        );
    }

    /// Language combinations follow SPEC §2's matching: scripts implied by regions, `419`.
    #[test]
    fn language_combinations() {
        let and = |a: Cond, b: Cond| constant_value(&Cond::And(vec![a, b]));
        let not = |c: Cond| Cond::Not(Box::new(c));
        assert_eq!(and(language("zh-tw"), language("zh-cn")), Some(false));
        assert_eq!(
            and(language("zh-tw"), not(language("zh-hant"))),
            Some(false)
        );
        assert_eq!(and(language("zh-hant"), language("zh-tw")), None);
        assert_eq!(and(language("zh-hant"), language("zh-hans")), Some(false));
        assert_eq!(and(language("sr-latn"), language("sr-rs")), Some(false));
        assert_eq!(and(language("sr-latn"), language("sr-me")), None);
        assert_eq!(and(language("es-419"), language("es-es")), Some(false));
        assert_eq!(and(language("es-419"), language("es-mx")), None);
        assert_eq!(and(language("es-mx"), not(language("es-419"))), Some(false));
        // A Latin American country no tag names still tells `es-419` from `es`.
        assert_eq!(and(language("es"), not(language("es-419"))), None);
        assert_eq!(and(language("es-419"), not(language("es-mx"))), None);
        assert_eq!(
            constant_value(&Cond::Or(vec![
                language("zh-hans"),
                language("zh-hant"),
                not(language("zh"))
            ])),
            None
        );
    }

    #[test]
    fn contradictions_and_tautologies() {
        assert_eq!(
            constant_value(&Cond::And(vec![language("fr"), language("de")])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::And(vec![language("fr"), language("fr-ca")])),
            None
        );
        assert_eq!(
            constant_value(&Cond::Or(vec![
                language("fr"),
                Cond::Not(Box::new(language("fr")))
            ])),
            Some(true)
        );
        assert_eq!(constant_value(&url_contains(&[""])), Some(true));
        assert_eq!(constant_value(&url_contains(&["a"])), None);
        let url_is = |s: &str| Cond::test(Test::UrlIs(s.into()));
        assert_eq!(
            constant_value(&Cond::And(vec![url_is("a"), url_is("b")])),
            Some(false)
        );
        // "abc" contains "b": `is "abc" and not contains "b"` never holds.
        assert_eq!(
            constant_value(&Cond::And(vec![
                url_is("abc"),
                Cond::Not(Box::new(url_contains(&["b"])))
            ])),
            Some(false)
        );
        // Containing "ab" implies containing "a".
        assert_eq!(
            constant_value(&Cond::And(vec![
                url_contains(&["ab"]),
                Cond::Not(Box::new(url_contains(&["a"])))
            ])),
            Some(false)
        );
        assert_eq!(constant_value(&Cond::True), Some(true));
        let starts = |s: &str| Cond::test(Test::UrlStartsAny(vec![s.into()]));
        let ends = |s: &str| Cond::test(Test::TitleEndsAny(vec![s.into()]));
        let not = |c: Cond| Cond::Not(Box::new(c));
        // A URL starts with one of two strings neither of which starts the other, not both.
        assert_eq!(
            constant_value(&Cond::And(vec![starts("/a"), starts("/b")])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::And(vec![starts("/a"), starts("/")])),
            None
        );
        // Starting with "/a/b" implies starting with "/a" and containing "a/".
        assert_eq!(
            constant_value(&Cond::And(vec![starts("/a/b"), not(starts("/a"))])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::And(vec![starts("/a/b"), not(url_contains(&["a/"]))])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::And(vec![url_is("/a/x"), not(starts("/a"))])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::And(vec![starts("ab"), not(starts("abc"))])),
            None
        );
        assert_eq!(constant_value(&ends("")), Some(true));
        assert_eq!(
            constant_value(&Cond::And(vec![ends(".pdf"), ends(".html")])),
            Some(false)
        );
        assert_eq!(
            constant_value(&Cond::Or(vec![ends("x"), not(ends("x"))])),
            Some(true)
        );
        // A URL can be neither of two strings.
        assert_eq!(
            constant_value(&Cond::Or(vec![url_is("pricing"), url_is("")])),
            None
        );
    }
}
