//! The patterns of `matches` tests: parsed with `regex-syntax` (whose errors carry the offset
//! of the offending text), determinized with `regex-automata`, then copied into the bundle's own
//! automaton table ([`pm_vm::automaton::Automaton`]), which the VM verifies and runs.
//!
//! A test holds when the pattern matches the **whole** lower-cased value, ignoring case
//! (SPEC §2): the DFA is built case-insensitively, anchored at the start, reporting every
//! match (`MatchKind::All`, so a shorter match never hides a longer one), and a state of the
//! bundle's table is accepting when the end of the value (the DFA's end-of-input transition)
//! leads to a match there. The table is walked from the anchored start state: the dead state
//! becomes state 0, and bytes that every state treats alike share a class.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use pm_vm::automaton::{Automaton, DEAD};
use pm_vm::format::limits::MAX_AUTOMATON_TABLE_BYTES;
use regex_automata::dfa::{Automaton as _, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::{Anchored, MatchKind, util::start};

/// Most bytes of the NFA and of the intermediate DFA that compiling one pattern may take:
/// regex-automata's dense table (4-byte ids, rows padded to a power of two) of a pattern whose
/// bundle table fits the cap takes at most about 4 × the cap, so the cap decides, while a
/// pattern such as `\w{40}` or `(a|b){1000}{1000}` stops early instead of taking time and
/// memory.
const BUILD_SIZE_LIMIT: usize = 4 * MAX_AUTOMATON_TABLE_BYTES + 64 * 1024;

/// Why a pattern cannot become an automaton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern does not parse (E0313): the byte range of the offending text in the decoded
    /// pattern, and why.
    Invalid {
        /// Where, in the decoded pattern.
        at: Range<usize>,
        /// What is wrong, in regex-syntax's words.
        why: String,
    },
    /// The automaton exceeds the cap (E0314): its table's size in bytes when it was built,
    /// `None` when building stopped at the size limit first.
    TooLarge {
        /// The table's size, when known.
        table_bytes: Option<usize>,
    },
    /// The pattern uses what a DFA cannot express (E0315), in regex-automata's words.
    Unsupported {
        /// What is not supported.
        why: String,
    },
}

/// Compiles `pattern` into the bundle's automaton of `matches`: whole-value, case-insensitive.
///
/// # Errors
///
/// [`PatternError`] when the pattern does not parse, needs a table over
/// [`MAX_AUTOMATON_TABLE_BYTES`], or uses a feature no DFA has.
pub fn compile(pattern: &str) -> Result<Automaton, PatternError> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| invalid(pattern, &e))?;
    let nfa = thompson::Compiler::new()
        .syntax(regex_automata::util::syntax::Config::new().case_insensitive(true))
        .configure(thompson::Config::new().nfa_size_limit(Some(BUILD_SIZE_LIMIT)))
        .build(pattern)
        .map_err(|e| match e.size_limit() {
            Some(_) => PatternError::TooLarge { table_bytes: None },
            None => PatternError::Unsupported { why: e.to_string() },
        })?;
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(StartKind::Anchored)
                .minimize(true)
                .dfa_size_limit(Some(BUILD_SIZE_LIMIT))
                .determinize_size_limit(Some(BUILD_SIZE_LIMIT)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| {
            if e.is_size_limit_exceeded() {
                PatternError::TooLarge { table_bytes: None }
            } else {
                PatternError::Unsupported { why: e.to_string() }
            }
        })?;
    table(&dfa)
}

/// E0313's range and reason from regex-syntax's error.
fn invalid(pattern: &str, error: &regex_syntax::Error) -> PatternError {
    let (span, why) = match error {
        regex_syntax::Error::Parse(e) => (e.span(), e.kind().to_string()),
        regex_syntax::Error::Translate(e) => (e.span(), e.kind().to_string()),
        other => {
            return PatternError::Invalid {
                at: 0..pattern.len(),
                why: other.to_string(),
            };
        }
    };
    PatternError::Invalid {
        at: span.start.offset..span.end.offset.max(span.start.offset),
        why,
    }
}

/// The bundle's table of `dfa`, walked from its anchored start state.
fn table(dfa: &dense::DFA<Vec<u32>>) -> Result<Automaton, PatternError> {
    let too_large = |states: usize, classes: usize| PatternError::TooLarge {
        table_bytes: Some(states * classes * 2),
    };
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| PatternError::Unsupported { why: e.to_string() })?;
    // The bundle's id of each DFA state reached; 0 is the dead state.
    let mut ids: HashMap<regex_automata::util::primitives::StateID, u16> = HashMap::new();
    let mut rows: Vec<[u16; 256]> = vec![[DEAD; 256]];
    let mut accepting = vec![false];
    let mut queue = VecDeque::new();
    let mut id_of =
        |state, rows: &mut Vec<[u16; 256]>, accepting: &mut Vec<bool>, queue: &mut VecDeque<_>| {
            if dfa.is_dead_state(state) {
                return Ok(DEAD);
            }
            if dfa.is_quit_state(state) {
                return Err(PatternError::Unsupported {
                    why: "the automaton would have to give up on some bytes".into(),
                });
            }
            if let Some(&id) = ids.get(&state) {
                return Ok(id);
            }
            let id = u16::try_from(rows.len()).map_err(|_| too_large(rows.len(), 1))?;
            ids.insert(state, id);
            rows.push([DEAD; 256]);
            accepting.push(dfa.is_match_state(dfa.next_eoi_state(state)));
            queue.push_back((state, id));
            Ok(id)
        };
    let start_id = id_of(start, &mut rows, &mut accepting, &mut queue)?;
    while let Some((state, id)) = queue.pop_front() {
        for byte in 0..=255u8 {
            let next = id_of(
                dfa.next_state(state, byte),
                &mut rows,
                &mut accepting,
                &mut queue,
            )?;
            rows[usize::from(id)][usize::from(byte)] = next;
        }
        if rows.len() * 2 > MAX_AUTOMATON_TABLE_BYTES {
            // Even one class per state would not fit.
            return Err(too_large(rows.len(), 1));
        }
    }
    // Bytes whose column is the same in every row share a class.
    let mut class_of_column: HashMap<Vec<u16>, u8> = HashMap::new();
    let mut classes = [0u8; 256];
    let mut representatives = Vec::new();
    for byte in 0..256 {
        let column: Vec<u16> = rows.iter().map(|row| row[byte]).collect();
        let next_class = class_of_column.len();
        let class = *class_of_column.entry(column).or_insert_with(|| {
            representatives.push(byte);
            // At most 256 columns, one per byte.
            next_class as u8
        });
        classes[byte] = class;
    }
    let class_count = representatives.len();
    if rows.len() * class_count * 2 > MAX_AUTOMATON_TABLE_BYTES {
        return Err(too_large(rows.len(), class_count));
    }
    let cells = rows
        .iter()
        .flat_map(|row| representatives.iter().map(move |&byte| row[byte]))
        .collect();
    Automaton::new(classes, class_count as u16, start_id, cells, &accepting).ok_or_else(|| {
        PatternError::Unsupported {
            why: "the automaton does not form a valid table".into(),
        }
    })
}

/// The shortest value (in bytes, then preferring printable ASCII) that ends in an accepting
/// state (`accepting` true) or in a rejecting one, as UTF-8 text; `None` when there is none.
/// Values whose bytes are not UTF-8 are skipped, as no URL or title has them.
pub fn example(automaton: &Automaton, accepting: bool) -> Option<String> {
    // Candidate bytes, printable ASCII first (lower case, as values are lower-cased), then the
    // rest; one per class is enough to reach every state.
    let order = (b'a'..=b'z')
        .chain(b'0'..=b'9')
        .chain(b" /-._:?=&#%".iter().copied())
        .chain(0..=255u8);
    let mut bytes: Vec<u8> = Vec::new();
    let mut seen_class = vec![false; automaton.class_count()];
    for byte in order {
        let class = automaton.class_of(byte);
        if !seen_class[class] {
            seen_class[class] = true;
            bytes.push(byte);
        }
    }
    // Breadth first over (state, bytes so far): the first state that fits gives the value. Each
    // state is entered once, so the walk is linear in the table. A path through bytes that are
    // not UTF-8 yet is kept only while it can still become UTF-8 (at most three pending bytes).
    let states = automaton.state_count();
    let mut parent: Vec<Option<(u16, u8)>> = vec![None; states];
    let mut visited = vec![false; states];
    let start = automaton.start();
    visited[usize::from(start)] = true;
    let mut queue = VecDeque::from([start]);
    let path = |mut state: u16, parent: &[Option<(u16, u8)>]| {
        let mut out = Vec::new();
        while let Some((from, byte)) = parent[usize::from(state)] {
            out.push(byte);
            state = from;
        }
        out.reverse();
        out
    };
    while let Some(state) = queue.pop_front() {
        if automaton.is_accepting(state) == accepting
            && let Ok(text) = String::from_utf8(path(state, &parent))
        {
            return Some(text);
        }
        for &byte in &bytes {
            let next = automaton.next(state, byte);
            if !visited[usize::from(next)] {
                visited[usize::from(next)] = true;
                parent[usize::from(next)] = Some((state, byte));
                queue.push_back(next);
            }
        }
    }
    // A value of ASCII letters leading to the dead state from the start, if any.
    (!accepting).then(|| plain_rejected(automaton)).flatten()
}

/// A short value of one repeated ASCII letter or digit that the automaton rejects.
fn plain_rejected(automaton: &Automaton) -> Option<String> {
    (1..=4).find_map(|len| {
        (b'a'..=b'z')
            .chain(b'0'..=b'9')
            .map(|b| String::from_utf8(vec![b; len]).unwrap_or_default())
            .find(|value| !automaton.matches(value.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_match(pattern: &str, value: &str) -> bool {
        compile(pattern)
            .unwrap()
            .matches(value.to_lowercase().as_bytes())
    }

    #[test]
    fn the_whole_value_must_match_ignoring_case() {
        let orders = r"https://acme\.com/orders/[0-9]+";
        assert!(full_match(orders, "https://acme.com/orders/42"));
        assert!(full_match(orders, "HTTPS://ACME.COM/Orders/42"));
        assert!(!full_match(orders, "https://acme.com/orders/42/items"));
        assert!(!full_match(orders, "see https://acme.com/orders/42"));
        assert!(!full_match(orders, "https://acme.com/orders/"));
        // A shorter alternative does not hide a longer one.
        assert!(full_match("a|ab", "ab"));
        assert!(full_match("", ""));
        assert!(!full_match("", "x"));
        // Anchors and word boundaries inside are fine.
        assert!(full_match(r"^(?-u:\b)ab$", "ab"));
        assert!(full_match("caf\u{e9}|x", "CAF\u{c9}"));
    }

    #[test]
    fn problems_are_told_apart() {
        match compile("orders/(") {
            Err(PatternError::Invalid { at, .. }) => assert_eq!(at, 7..8),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            compile("a(?=b)"),
            Err(PatternError::Invalid { .. })
        ));
        assert!(matches!(
            compile(r"(a)\1"),
            Err(PatternError::Invalid { .. })
        ));
        assert!(matches!(
            compile(r"\w{40}"),
            Err(PatternError::TooLarge { .. })
        ));
        assert!(matches!(
            compile(r"\bword\b"),
            Err(PatternError::Unsupported { .. })
        ));
        assert!(compile(r"[a-z0-9_]{40}").is_ok());
    }

    /// Patterns of the kinds rules use, to compare with `regex`'s own full match.
    const PATTERNS: [&str; 10] = [
        r"https://acme\.com/orders/[0-9]+",
        r"(cancelled|refunded) .*",
        r"a|ab|abc",
        r"[a-c]*b[a-c]?",
        r".*/(help|faq)/?",
        r"x{2,4}y*",
        r"(?s).",
        r"caf\u{e9}.*",
        r"^a(?-u:\b)b?$",
        r"",
    ];

    proptest::proptest! {
        #[test]
        fn the_bundle_table_agrees_with_regex_full_match(
            index in 0..PATTERNS.len(),
            value in "[abcxy/. \u{e9}\u{c9}:0-9A-Z]{0,12}|https://acme\\.com/orders/[0-9]{0,3}[a/]?",
        ) {
            let pattern = PATTERNS[index];
            let automaton = compile(pattern).unwrap();
            let reference = regex::Regex::new(&format!("(?i)^(?:{pattern})$")).unwrap();
            let lowered = value.to_lowercase();
            proptest::prop_assert_eq!(
                automaton.matches(lowered.as_bytes()),
                reference.is_match(&lowered),
                "{:?} on {:?}", pattern, lowered
            );
        }
    }

    #[test]
    fn examples_are_values_that_match_and_that_do_not() {
        let a = compile(r"https://acme\.com/orders/[0-9]+").unwrap();
        let yes = example(&a, true).unwrap();
        assert!(a.matches(yes.as_bytes()), "{yes:?}");
        let no = example(&a, false).unwrap();
        assert!(!a.matches(no.as_bytes()), "{no:?}");
        let nothing = compile(r"[a&&b]").unwrap();
        assert_eq!(example(&nothing, true), None);
        let any = compile(".*").unwrap();
        let no = example(&any, false).unwrap();
        assert!(!any.matches(no.as_bytes()), "{no:?}");
        assert!(!nothing.can_match());
        assert!(any.can_match());
    }
}
