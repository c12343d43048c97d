//! Deciding whether a condition can never hold or always holds (lints `W0103`, `W0104`).
//!
//! A condition only looks at four fields, and only through finitely many constants, so a small
//! set of representative contexts decides it exactly: the URL (and title) can be each `is`
//! string, or the concatenation — with a separator no constant contains — of any subset of the
//! needles (which contains exactly the needles that are substrings of the chosen ones, as any
//! real value with those needles would), with or without a marker that makes it differ from
//! every `is` string; the language can be each tag, each tag extended by a
//! subtag, or a tag nobody mentions; the visit is new or returning. When the product of these
//! choices exceeds [`MAX_CASES`], the answer is "unknown" and no lint fires.

use std::collections::HashMap;

use crate::model::{Cond, Facts, FoldedFacts, Test};

/// Most contexts evaluated for one condition.
pub const MAX_CASES: usize = 4096;

/// `Some(false)` when `cond` never holds, `Some(true)` when it always holds, `None` when it
/// depends on the context (or deciding would take too long).
pub fn constant_value(cond: &Cond) -> Option<bool> {
    let mut constants = Constants::default();
    constants.collect(cond);
    let urls = constants.url.candidates()?;
    let titles = constants.title.candidates()?;
    let languages = constants.language_candidates();
    let cases = urls
        .len()
        .checked_mul(titles.len())?
        .checked_mul(languages.len())?
        .checked_mul(2)?;
    if cases > MAX_CASES {
        return None;
    }
    let contexts = Contexts {
        urls: folded(urls, |url| Facts {
            url,
            ..Facts::default()
        }),
        titles: folded(titles, |title| Facts {
            title,
            ..Facts::default()
        }),
        languages: folded(languages, |language| Facts {
            language,
            ..Facts::default()
        }),
        visits: folded([false, true], |returning| Facts {
            returning,
            ..Facts::default()
        }),
    };
    let table = contexts.truth_table(cond);
    match (table.contains(&false), table.contains(&true)) {
        (true, true) => None,
        (_, holds) => Some(holds),
    }
}

/// The values of one field as folded facts where only that field is set.
fn folded<T>(values: impl IntoIterator<Item = T>, set: fn(T) -> Facts) -> Vec<FoldedFacts> {
    values.into_iter().map(|value| set(value).fold()).collect()
}

/// The representative contexts of one condition: every combination of a URL, a title, a
/// language and a visit, numbered URL-major (the visit varies fastest). Each field's values
/// are kept as facts where only that field is set, which is all a test of the field reads.
struct Contexts {
    urls: Vec<FoldedFacts>,
    titles: Vec<FoldedFacts>,
    languages: Vec<FoldedFacts>,
    visits: Vec<FoldedFacts>,
}

impl Contexts {
    fn len(&self) -> usize {
        self.urls.len() * self.titles.len() * self.languages.len() * self.visits.len()
    }

    /// Whether `cond` holds in each context, in context order.
    fn truth_table(&self, cond: &Cond) -> Vec<bool> {
        match cond {
            Cond::True => vec![true; self.len()],
            Cond::And(operands) => self.combine(operands, true, |a, b| a && b),
            Cond::Or(operands) => self.combine(operands, false, |a, b| a || b),
            Cond::Not(operand) => self.truth_table(operand).into_iter().map(|v| !v).collect(),
            Cond::Test(test) => self.test_table(test),
        }
    }

    /// Folds the operands' tables with `op`, starting from `identity` in every context.
    fn combine(
        &self,
        operands: &[Cond],
        identity: bool,
        op: impl Fn(bool, bool) -> bool,
    ) -> Vec<bool> {
        operands
            .iter()
            .fold(vec![identity; self.len()], |mut acc, operand| {
                let table = self.truth_table(operand);
                acc.iter_mut().zip(table).for_each(|(a, b)| *a = op(*a, b));
                acc
            })
    }

    /// A test's table: the test is evaluated once per value of the field it reads, and each
    /// result repeated over the run of consecutive contexts that share that value.
    fn test_table(&self, test: &Test) -> Vec<bool> {
        let visits = self.visits.len();
        let languages = self.languages.len() * visits;
        let titles = self.titles.len() * languages;
        let (values, run) = match test {
            Test::UrlIs(_) | Test::UrlContainsAny(_) => (&self.urls, titles),
            Test::TitleIs(_) | Test::TitleContainsAny(_) => (&self.titles, languages),
            Test::LanguageIs(_) => (&self.languages, visits),
            Test::Returning => (&self.visits, 1),
        };
        // One period: each value's result over its run; the table repeats the period.
        let mut period = Vec::with_capacity(values.len() * run);
        for facts in values {
            period.resize(period.len() + run, test.eval_folded(facts));
        }
        period.repeat(self.len() / period.len())
    }
}

/// [`constant_value`] with a memory: a bundle repeats conditions (the same comparison in many
/// messages, a message's condition linted and then checked for delivery), each decided once.
#[derive(Default)]
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
}

#[derive(Default)]
struct FieldConstants {
    exact: Vec<String>,
    needles: Vec<String>,
}

impl FieldConstants {
    /// Representative values of the field, or `None` when there are too many.
    fn candidates(&self) -> Option<Vec<String>> {
        let mut needles: Vec<&str> = self.needles.iter().map(String::as_str).collect();
        needles.sort_unstable();
        needles.dedup();
        if needles.len() > 12 {
            return None;
        }
        // Two characters no constant contains: a separator, and a marker that makes a value
        // differ from every `is` string without adding a needle.
        let constants: Vec<&str> = self
            .exact
            .iter()
            .map(String::as_str)
            .chain(needles.iter().copied())
            .collect();
        let mut fresh = ('\u{1}'..).filter(|c| !constants.iter().any(|s| s.contains(*c)));
        let (separator, marker) = (fresh.next()?.to_string(), fresh.next()?);
        let mut values = self.exact.clone();
        let mut chosen: Vec<&str> = Vec::with_capacity(needles.len());
        for subset in 0u32..(1 << needles.len()) {
            chosen.clear();
            chosen.extend(
                needles
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| subset & (1 << i) != 0)
                    .map(|(_, n)| *n),
            );
            let joined = chosen.join(&separator);
            let mut marked = joined.clone();
            marked.push(marker);
            values.push(marked);
            values.push(joined);
        }
        values.sort_unstable();
        values.dedup();
        Some(values)
    }
}

#[derive(Default)]
struct Constants {
    url: FieldConstants,
    title: FieldConstants,
    tags: Vec<String>,
}

impl Constants {
    fn collect(&mut self, cond: &Cond) {
        match cond {
            Cond::True => {}
            Cond::And(operands) | Cond::Or(operands) => {
                operands.iter().for_each(|c| self.collect(c))
            }
            Cond::Not(operand) => self.collect(operand),
            Cond::Test(test) => match test {
                Test::UrlIs(value) => self.url.exact.push(value.clone()),
                Test::TitleIs(value) => self.title.exact.push(value.clone()),
                Test::UrlContainsAny(needles) => self.url.needles.extend(needles.iter().cloned()),
                Test::TitleContainsAny(needles) => {
                    self.title.needles.extend(needles.iter().cloned())
                }
                Test::LanguageIs(tag) => self.tags.push(tag.clone()),
                Test::Returning => {}
            },
        }
    }

    fn language_candidates(&self) -> Vec<String> {
        let mut languages = vec!["x-none".to_string()];
        for tag in &self.tags {
            languages.push(tag.clone());
            languages.push(format!("{tag}-zz"));
        }
        languages.sort();
        languages.dedup();
        languages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition [`constant_value`] implements with truth tables: evaluate `cond` in every
    /// representative context.
    fn by_enumeration(cond: &Cond) -> Option<bool> {
        let mut constants = Constants::default();
        constants.collect(cond);
        let (urls, titles) = (constants.url.candidates()?, constants.title.candidates()?);
        let languages = constants.language_candidates();
        if urls.len() * titles.len() * languages.len() * 2 > MAX_CASES {
            return None;
        }
        let mut seen = [false, false];
        for url in &urls {
            for title in &titles {
                for language in &languages {
                    for returning in [false, true] {
                        let facts = Facts {
                            url: url.clone(),
                            title: title.clone(),
                            language: language.clone(),
                            returning,
                        };
                        seen[usize::from(cond.eval(&facts))] = true;
                    }
                }
            }
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
            prop::sample::select(vec!["fr", "fr-ca", "de"])
                .prop_map(|t| Test::LanguageIs(t.into())),
            Just(Test::Returning),
        ]
        .prop_map(Cond::Test);
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::And),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Cond::Or),
                inner.prop_map(|c| Cond::Not(Box::new(c))),
            ]
        })
    }

    proptest! {
        #[test]
        fn truth_tables_agree_with_evaluation_in_every_context(cond in arb_cond()) {
            prop_assert_eq!(constant_value(&cond), by_enumeration(&cond));
        }
    }

    fn language(tag: &str) -> Cond {
        Cond::Test(Test::LanguageIs(tag.into()))
    }

    fn url_contains(needles: &[&str]) -> Cond {
        Cond::Test(Test::UrlContainsAny(
            needles.iter().map(|n| n.to_string()).collect(),
        ))
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
        let url_is = |s: &str| Cond::Test(Test::UrlIs(s.into()));
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
        // A URL can be neither of two strings.
        assert_eq!(
            constant_value(&Cond::Or(vec![url_is("pricing"), url_is("")])),
            None
        );
    }
}
