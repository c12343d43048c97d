//! Sources built to stress the checker, shared by the integration tests: long chains and
//! cycles of named conditions, conditions that use the previous one twice (exponential when
//! written out), and long `contains` lists. Each function returns `.pm` text for the account
//! [`ACCOUNT`].

#![allow(dead_code)] // Each test file uses some of these.

/// An account with one brand and one iOS channel, `C`.
pub const ACCOUNT: &str =
    "[[brands]]\nname = \"B\"\n[[channels]]\nname = \"C\"\nbrand = \"B\"\nplatform = \"ios\"\n";

/// A message on channel `C` whose condition is `when`.
pub fn message(name: &str, when: &str) -> String {
    format!(
        "message \"{name}\" {{\n channel \"C\"\n say \"s\"\n respond agent {{ follow_up \"f\" }}\n when {when}\n after screen_open\n frequency every_time\n}}\n"
    )
}

/// `len` conditions `{prefix}0` … each defined as `step` of the next one (`{next}` in `step`
/// is its name); the last is `end`, or, when `end` is `None`, the first again (a cycle).
pub fn chain(prefix: &str, len: usize, step: &str, end: Option<&str>) -> String {
    let mut out = String::new();
    for i in 0..len {
        let next = match (i + 1 == len, end) {
            (true, None) => format!("{prefix}0"),
            _ => format!("{prefix}{}", i + 1),
        };
        out.push_str(&format!(
            "condition {prefix}{i} = {}\n",
            step.replace("{next}", &next)
        ));
    }
    if let Some(end) = end {
        out.push_str(&format!("condition {prefix}{len} = {end}\n"));
    }
    out
}

/// `{prefix}0 = base`, then `depth` conditions each using the previous one twice with `op`
/// (`and` / `or`): `{prefix}{depth}` written out has 2^depth copies of `base`.
pub fn doubling(prefix: &str, depth: usize, op: &str, base: &str) -> String {
    let mut out = format!("condition {prefix}0 = {base}\n");
    for i in 1..=depth {
        out.push_str(&format!(
            "condition {prefix}{i} = {prefix}{} {op} {prefix}{}\n",
            i - 1,
            i - 1
        ));
    }
    out
}

/// `visitor.page_url contains [...]` with `len` different items.
pub fn long_list(len: usize) -> String {
    let items: Vec<String> = (0..len).map(|i| format!("\"p{i}\"")).collect();
    format!("visitor.page_url contains [{}]", items.join(", "))
}
