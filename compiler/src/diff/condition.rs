//! A compiled message's condition read back from its bytecode: as a [`Cond`] (for the
//! behaviour diff's representative contexts, and to show conditions of a `.pmb` that has no
//! sources) and as text in the language's own syntax.
//!
//! Verified code is a sequence of tests, `NOT`s and forward jumps over one accumulator, ending
//! in `RET`. Read backwards, each instruction is a pair of conditions — what the code from there
//! on returns when the accumulator is false, and when it is true — built from the pairs of the
//! instructions after it; a test makes both the if-then-else of its comparison over its
//! successor's pair. For the code the compiler writes (`and`/`or` with short-circuit jumps)
//! this gives back a tree of the source's size; the result is bounded by
//! [`crate::truth::MAX_NODES`] nodes, beyond which the condition is not read back.

use std::sync::Arc;

use pm_vm::version::Order;
use pm_vm::{Bundle, Instr};

use crate::codegen::simplify;
use crate::formatter::quote;
use crate::model::{Cond, Test};
use crate::truth::MAX_NODES;

/// Message `message`'s condition read back from `bundle`'s code, simplified; `None` when the
/// code does not decode (never for a loaded bundle) or the tree would have more than
/// [`MAX_NODES`] nodes.
pub fn decompile(bundle: &Bundle, message: usize) -> Option<Cond> {
    let code = bundle.code(message);
    let mut instrs = Vec::new();
    let mut pc = 0;
    while pc < code.len() {
        let (instr, next) = Instr::decode(code, pc).ok()?;
        instrs.push((pc, instr, next));
        pc = next;
    }
    // `after[i]`: what the code from instruction `i` on returns, for each accumulator value.
    let mut after: Vec<[Cond; 2]> = vec![[never(), Cond::True]; instrs.len() + 1];
    // Instructions are in offset order: a jump's target is found by binary search.
    let index_of = |target: usize| match target == code.len() {
        true => Some(instrs.len()),
        false => instrs.binary_search_by_key(&target, |&(pc, ..)| pc).ok(),
    };
    for i in (0..instrs.len()).rev() {
        let (_, instr, next) = instrs[i];
        let jump = |rel: u16| index_of(next + usize::from(rel));
        let pair = match instr {
            Instr::Ret => [never(), Cond::True],
            Instr::Not => {
                let [when_false, when_true] = after[i + 1].clone();
                [when_true, when_false]
            }
            Instr::Const { b } => {
                let value = after[i + 1][usize::from(b)].clone();
                [value.clone(), value]
            }
            Instr::JumpIfFalse { rel } => [after[jump(rel)?][0].clone(), after[i + 1][1].clone()],
            Instr::JumpIfTrue { rel } => [after[i + 1][0].clone(), after[jump(rel)?][1].clone()],
            test => {
                let test = Cond::Test(Arc::new(test_of(bundle, test)?));
                let [when_false, when_true] = after[i + 1].clone();
                let value = if_then_else(test, when_true, when_false);
                if nodes(&value) > MAX_NODES {
                    return None;
                }
                [value.clone(), value]
            }
        };
        after[i] = pair;
    }
    // The accumulator starts false; the compiler's code always sets it before reading it.
    Some(simplify(after[0][0].clone()))
}

/// The condition that never holds.
fn never() -> Cond {
    Cond::Not(Box::new(Cond::True))
}

fn is_never(cond: &Cond) -> bool {
    matches!(cond, Cond::Not(inner) if **inner == Cond::True)
}

/// `test ? then : otherwise`, as small as the constants allow, and with the shared part of the
/// two branches factored out where the code of an `and` or `or` inside another leaves one:
/// `(a or b) and c` is `a ? c : (b and c)`.
fn if_then_else(test: Cond, then: Cond, otherwise: Cond) -> Cond {
    let not = |c: Cond| Cond::Not(Box::new(c));
    // `t ? x : (p and x)` is `(t or p) and x`; `t ? (p and x) : x` is `(not t or p) and x`.
    if let Some(rest) = strip_shared(&otherwise, &then, true) {
        return joined(true, Cond::Or(vec![test, rest]), then);
    }
    if let Some(rest) = strip_shared(&then, &otherwise, true) {
        return joined(true, Cond::Or(vec![not(test), rest]), otherwise);
    }
    // `t ? (p or y) : y` is `(t and p) or y`; `t ? y : (p or y)` is `(not t and p) or y`.
    if let Some(rest) = strip_shared(&then, &otherwise, false) {
        return joined(false, Cond::And(vec![test, rest]), otherwise);
    }
    if let Some(rest) = strip_shared(&otherwise, &then, false) {
        return joined(false, Cond::And(vec![not(test), rest]), then);
    }
    match (then, otherwise) {
        (then, otherwise) if then == otherwise => then,
        (Cond::True, otherwise) if is_never(&otherwise) => test,
        (then, Cond::True) if is_never(&then) => not(test),
        (then, otherwise) if is_never(&otherwise) => joined(true, test, then),
        (Cond::True, otherwise) => joined(false, test, otherwise),
        (then, otherwise) if is_never(&then) => joined(true, not(test), otherwise),
        (then, Cond::True) => joined(false, not(test), then),
        (then, otherwise) => Cond::Or(vec![
            joined(true, test.clone(), then),
            joined(true, not(test), otherwise),
        ]),
    }
}

/// The operands of an `and` (`all`) or an `or`, or the condition alone.
fn operands(cond: &Cond, all: bool) -> &[Cond] {
    match (cond, all) {
        (Cond::And(operands), true) | (Cond::Or(operands), false) => operands,
        _ => std::slice::from_ref(cond),
    }
}

/// When `whole` is the `and` (`all`) or `or` of some operands followed by those of `tail`:
/// the first ones, joined the same way.
fn strip_shared(whole: &Cond, tail: &Cond, all: bool) -> Option<Cond> {
    let (whole, tail) = (operands(whole, all), operands(tail, all));
    let rest = whole.strip_suffix(tail).filter(|rest| !rest.is_empty())?;
    Some(match rest {
        [one] => one.clone(),
        many if all => Cond::And(many.to_vec()),
        many => Cond::Or(many.to_vec()),
    })
}

/// `head and tail` (`all`) or `head or tail`, with `tail`'s operands flattened in.
fn joined(all: bool, head: Cond, tail: Cond) -> Cond {
    let mut list = vec![head];
    list.extend_from_slice(operands(&tail, all));
    if all { Cond::And(list) } else { Cond::Or(list) }
}

/// The comparison a test instruction makes, its operands read from `bundle`.
fn test_of(bundle: &Bundle, instr: Instr) -> Option<Test> {
    let set = |k| {
        bundle
            .string_set(k)
            .iter()
            .map(|&s| bundle.str(s).to_string())
            .collect()
    };
    // The pattern as written and the automaton the bundle holds (which is what runs).
    let pattern = |a: pm_vm::AutomatonId| {
        let (source, automaton) = bundle.automata().get(usize::from(a.0))?;
        Some(crate::model::Pattern {
            source: bundle.str(*source).to_string(),
            automaton: std::sync::Arc::new(automaton.clone()),
        })
    };
    Some(match instr {
        Instr::UrlIs { s } => Test::UrlIs(bundle.str(s).to_string()),
        Instr::TitleIs { s } => Test::TitleIs(bundle.str(s).to_string()),
        Instr::UrlHasAny { k } => Test::UrlContainsAny(set(k)),
        Instr::TitleHasAny { k } => Test::TitleContainsAny(set(k)),
        Instr::UrlStartsAny { k } => Test::UrlStartsAny(set(k)),
        Instr::UrlEndsAny { k } => Test::UrlEndsAny(set(k)),
        Instr::TitleStartsAny { k } => Test::TitleStartsAny(set(k)),
        Instr::TitleEndsAny { k } => Test::TitleEndsAny(set(k)),
        Instr::UrlMatches { a } => Test::UrlMatches(pattern(a)?),
        Instr::TitleMatches { a } => Test::TitleMatches(pattern(a)?),
        Instr::LangIs { s } => Test::LanguageIs(bundle.str(s).to_string()),
        Instr::AppVersionCmp { c, s } => Test::AppVersion(c, bundle.str(s).to_string()),
        Instr::AppBuildCmp { c, n } => Test::AppBuild(c, n),
        Instr::VisitReturning => Test::Returning,
        _ => return None,
    })
}

/// The number of nodes of `cond`.
fn nodes(cond: &Cond) -> u64 {
    match cond {
        Cond::True | Cond::Test(_) => 1,
        Cond::Not(operand) => 1 + nodes(operand),
        Cond::And(operands) | Cond::Or(operands) => 1 + operands.iter().map(nodes).sum::<u64>(),
        Cond::Named(never) => match *never {},
    }
}

/// `cond` in the language's syntax (`visitor.page_url contains ["pricing", "plans"] and not
/// …`), parenthesised where `or` is inside `and` or `not`.
pub fn show(cond: &Cond) -> String {
    let mut out = String::new();
    write(cond, Precedence::Or, &mut out);
    out
}

/// How tightly an operator binds: `or` < `and` < `not`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Not,
}

fn write(cond: &Cond, context: Precedence, out: &mut String) {
    let group = |own: Precedence, out: &mut String, body: &dyn Fn(&mut String)| {
        if own < context {
            out.push('(');
            body(out);
            out.push(')');
        } else {
            body(out);
        }
    };
    match cond {
        Cond::True => out.push_str("always"),
        Cond::Not(inner) if **inner == Cond::True => out.push_str("never"),
        Cond::Not(inner) => match &**inner {
            Cond::Test(test) => out.push_str(&comparison(test, true)),
            inner => group(Precedence::Not, out, &|out| {
                out.push_str("not ");
                write(inner, Precedence::Not, out);
            }),
        },
        Cond::And(operands) | Cond::Or(operands) => {
            let (own, word) = match cond {
                Cond::And(_) => (Precedence::And, " and "),
                _ => (Precedence::Or, " or "),
            };
            group(own, out, &|out| {
                for (i, operand) in operands.iter().enumerate() {
                    if i > 0 {
                        out.push_str(word);
                    }
                    // An operand as tight as the operator needs no parentheses, except the
                    // other operator: `a and (b or c)`.
                    let inner = match own {
                        Precedence::And => Precedence::Not,
                        _ => Precedence::And,
                    };
                    write(operand, inner, out);
                }
            });
        }
        Cond::Test(test) => out.push_str(&comparison(test, false)),
        Cond::Named(never) => match *never {},
    }
}

/// One comparison as written, negated (`is not`, `not contains`, `is new`, …) when `negated`.
fn comparison(test: &Test, negated: bool) -> String {
    let (is, not) = if negated {
        ("is not", "not ")
    } else {
        ("is", "")
    };
    let list = |needles: &[String]| match needles {
        [one] => quote(one),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| quote(n)).collect();
            format!("[{}]", quoted.join(", "))
        }
    };
    match test {
        Test::UrlIs(value) => format!("visitor.page_url {is} {}", quote(value)),
        Test::TitleIs(value) => format!("visitor.page_title {is} {}", quote(value)),
        Test::UrlContainsAny(needles) => {
            format!("visitor.page_url {not}contains {}", list(needles))
        }
        Test::TitleContainsAny(needles) => {
            format!("visitor.page_title {not}contains {}", list(needles))
        }
        Test::UrlStartsAny(starts) => {
            format!("visitor.page_url {not}starts_with {}", list(starts))
        }
        Test::UrlEndsAny(ends) => format!("visitor.page_url {not}ends_with {}", list(ends)),
        Test::TitleStartsAny(starts) => {
            format!("visitor.page_title {not}starts_with {}", list(starts))
        }
        Test::TitleEndsAny(ends) => format!("visitor.page_title {not}ends_with {}", list(ends)),
        Test::UrlMatches(pattern) => {
            format!("visitor.page_url {not}matches {}", quote(&pattern.source))
        }
        Test::TitleMatches(pattern) => {
            format!("visitor.page_title {not}matches {}", quote(&pattern.source))
        }
        Test::LanguageIs(tag) => format!("device.language {is} {}", quote(tag)),
        Test::AppVersion(Order::Is, version) => format!("app.version {is} {}", quote(version)),
        Test::AppVersion(order, version) => {
            format!("{not}app.version {} {}", order.as_str(), quote(version))
        }
        Test::AppBuild(Order::Is, build) => format!("app.build {is} {build}"),
        Test::AppBuild(order, build) => format!("{not}app.build {} {build}", order.as_str()),
        Test::Returning if negated => "visitor.visit_history is new".to_string(),
        Test::Returning => "visitor.visit_history is returning".to_string(),
    }
}
