//! The VM's modules are layered: no module uses, directly or through others, a module that
//! uses it. This test reads `src/` as text, finds every module's uses of the crate's other
//! modules (`use` declarations and inline `crate::`/`super::` paths, outside comments and
//! `#[cfg(test)]` modules), resolves each name through the re-exports (`pub use`) to the
//! module that defines it, and fails on any circle, naming it.
//!
//! A re-export (`pub use`) is followed to what it names, and counts as a use, except the
//! re-exports of a module's own descendants: `lib.rs` and a parent module are the facade of
//! their children and may re-export their items without depending on them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module's path from the crate root, `""` for the root: `"bundle::eval"`.
type ModPath = String;

/// What the text of one module says about the others.
#[derive(Debug, Default)]
struct Module {
    /// Paths it uses, as written and made absolute (`["bundle", "Bundle"]`).
    uses: Vec<Vec<String>>,
    /// Names it re-exports: name → absolute path of what it stands for.
    aliases: BTreeMap<String, Vec<String>>,
    /// Child modules declared under `#[cfg(test)]`.
    test_children: BTreeSet<String>,
}

/// Removes `//` comments (doc comments included) and the contents of string and character
/// literals, keeping line structure; lifetimes are left alone.
fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push_str("\"\"");
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    match (escaped, c) {
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => escaped = false,
                    }
                }
            }
            '\'' => {
                // A character literal is `'x'` or `'\…'`; anything else is a lifetime.
                let rest: String = chars.clone().take(12).collect();
                let end = if rest.starts_with('\\') {
                    rest.find('\'').filter(|&i| i > 0)
                } else {
                    rest.char_indices()
                        .nth(1)
                        .filter(|&(_, c)| c == '\'')
                        .map(|(i, _)| i)
                };
                match end {
                    Some(end) => {
                        let skip = rest[..=end].chars().count();
                        chars.nth(skip - 1);
                        out.push_str("' '");
                    }
                    None => out.push('\''),
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Drops the items marked `#[cfg(test)]` (or `#[cfg(all(test, …))]`) at the top level of a
/// module: a block item (an inline `mod`, a function) up to the `}` that closes it at column 0,
/// a one-line item, or a `mod name;` declaration, whose name is returned so that its file is
/// left out too.
fn drop_test_items(text: &str) -> (String, BTreeSet<String>) {
    let mut out = String::new();
    let mut test_children = BTreeSet::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !(line.starts_with("#[cfg(test)]") || line.starts_with("#[cfg(all(test,")) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some(item) = lines.next() else { break };
        let declared = item
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ")
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(child) = declared {
            test_children.insert(child.trim().to_owned());
        } else if item.trim_end().ends_with('{') {
            for inner in lines.by_ref() {
                if inner == "}" {
                    break;
                }
            }
        }
    }
    (out, test_children)
}

/// Expands one `use` tree (`a::{b, c::{d, e as f}}`, without `use` and `;`) into
/// `(path, name it is known by)` pairs.
fn expand_use_tree(tree: &str, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let mut base = prefix.to_vec();
        base.extend(
            tree[..open]
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let inner = &tree[open + 1..tree.rfind('}').expect("a balanced use tree")];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use_tree(&inner[start..i], &base, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_use_tree(&inner[start..], &base, out);
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((path, alias)) => (path, Some(alias.trim())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(path.split("::").map(str::trim).map(str::to_owned));
    let name = alias.map_or_else(|| full.last().cloned().unwrap_or_default(), str::to_owned);
    out.push((full, name));
}

/// `path` made absolute from module `module` (`crate::`, `super::`, `self::`, or a child or
/// crate-root module named first); `None` for a path into another crate or the standard
/// library.
fn absolute(path: &[String], module: &str, modules: &BTreeSet<ModPath>) -> Option<Vec<String>> {
    let mut base: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some("self") => rest = &rest[1..],
        Some(first) => {
            let child = if module.is_empty() {
                first.to_owned()
            } else {
                format!("{module}::{first}")
            };
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module (a file of `modules`) that defines what absolute path `path` names, following
/// re-exports.
fn resolve(path: &[String], modules: &BTreeMap<ModPath, Module>, depth: usize) -> Option<ModPath> {
    assert!(depth < 32, "re-exports loop at {path:?}");
    // The longest prefix that is a module file; what follows is an item in it (or in an
    // inline module of it, such as `format::limits`).
    let (module, rest) = (0..=path.len()).rev().find_map(|n| {
        let name = path[..n].join("::");
        modules.contains_key(&name).then(|| (name, &path[n..]))
    })?;
    if let Some(target) = rest
        .first()
        .and_then(|item| modules[&module].aliases.get(item))
    {
        let mut target = target.clone();
        target.extend(rest[1..].iter().cloned());
        return resolve(&target, modules, depth + 1);
    }
    Some(module)
}

/// Reads every module of a crate from `(module path, source text)` pairs and returns, for
/// each, the modules it uses.
fn dependencies(sources: &[(ModPath, String)]) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let names: BTreeSet<ModPath> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut modules = BTreeMap::new();
    for (module, text) in sources {
        let (code, test_children) = drop_test_items(&strip(text));
        let mut parsed = Module {
            test_children,
            ..Module::default()
        };
        // `use` declarations, each up to its `;`.
        let mut rest = code.as_str();
        let mut inline_text = String::new();
        while let Some(at) = rest.find("use ") {
            let before = &rest[..at];
            let word_start =
                at == 0 || !before.ends_with(|c: char| c.is_alphanumeric() || c == '_');
            if !word_start {
                inline_text.push_str(&rest[..at + 4]);
                rest = &rest[at + 4..];
                continue;
            }
            inline_text.push_str(before);
            let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
            let public = before.trim_end().ends_with("pub") || before.trim_end().ends_with(')');
            let mut pairs = Vec::new();
            expand_use_tree(&rest[at + 4..end], &[], &mut pairs);
            for (path, name) in pairs {
                let Some(path) = absolute(&path, module, &names) else {
                    continue;
                };
                if public {
                    parsed.aliases.insert(name, path);
                } else {
                    parsed.uses.push(path);
                }
            }
            rest = &rest[(end + 1).min(rest.len())..];
        }
        inline_text.push_str(rest);
        // Inline paths: `crate::a::b`, `super::a`.
        let bytes = inline_text.as_bytes();
        for start in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(at) = inline_text[from..].find(start) {
                let at = from + at;
                from = at + start.len();
                if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                    continue;
                }
                let len = inline_text[at..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(inline_text.len() - at);
                let path: Vec<String> = inline_text[at..at + len]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if let Some(path) = absolute(&path, module, &names) {
                    parsed.uses.push(path);
                }
            }
        }
        modules.insert(module.clone(), parsed);
    }
    // Test-only child modules and the files under them are not part of the layering.
    let test_only: BTreeSet<ModPath> = modules
        .iter()
        .flat_map(|(module, m)| {
            m.test_children
                .iter()
                .map(move |child| match module.as_str() {
                    "" => child.clone(),
                    _ => format!("{module}::{child}"),
                })
        })
        .collect();
    let is_test = |m: &str| {
        test_only
            .iter()
            .any(|t| m == t || m.starts_with(&format!("{t}::")))
    };
    modules
        .iter()
        .filter(|(module, _)| !is_test(module))
        .map(|(module, m)| {
            // A re-export of a descendant's item is the module's facade; any other re-export
            // depends on what it re-exports like a use.
            let descendant =
                |used: &str| module.is_empty() || used.starts_with(&format!("{module}::"));
            let re_exported = m
                .aliases
                .values()
                .filter_map(|path| resolve(path, &modules, 0))
                .filter(|used| !descendant(used));
            let used = m
                .uses
                .iter()
                .filter_map(|path| resolve(path, &modules, 0))
                .chain(re_exported)
                .filter(|used| used != module && !is_test(used))
                .collect();
            (module.clone(), used)
        })
        .collect()
}

/// A circle of the graph, as the modules along it (first = last), if there is one.
fn find_circle(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Option<Vec<ModPath>> {
    fn visit(
        node: &ModPath,
        graph: &BTreeMap<ModPath, BTreeSet<ModPath>>,
        done: &mut BTreeSet<ModPath>,
        stack: &mut Vec<ModPath>,
    ) -> Option<Vec<ModPath>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut circle = stack[at..].to_vec();
            circle.push(node.clone());
            return Some(circle);
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, done, stack) {
                return Some(circle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

/// The crate's modules from the files under `src/`.
fn crate_sources() -> Vec<(ModPath, String)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(ModPath, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let join = |name: &str| match (prefix, name) {
                (p, "lib" | "mod") => p.to_owned(),
                ("", n) => n.to_owned(),
                (p, n) => format!("{p}::{n}"),
            };
            if path.is_dir() {
                walk(&path, &join(&stem), out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((join(&stem), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut out,
    );
    out
}

#[test]
fn no_module_of_the_vm_imports_one_that_imports_it_back() {
    let graph = dependencies(&crate_sources());
    // The reading itself works: the loader's layers are where the code map says they are.
    assert!(graph["bundle::load"].contains("container"), "{graph:#?}");
    assert!(graph["container"].contains("section"), "{graph:#?}");
    assert!(graph["ffi"].contains("bundle"), "{graph:#?}");
    assert!(graph["engine"].contains("bundle::eval"), "{graph:#?}");
    assert!(
        !graph.contains_key("bundle::tests"),
        "test modules are left out"
    );
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" → "));
    }
}

#[test]
fn the_reader_finds_circles_through_re_exports_and_inline_paths() {
    let src = |m: &str, text: &str| (m.to_owned(), text.to_owned());
    let sources = [
        src("", "mod a;\nmod b;\npub use a::Thing;\n"),
        // `b` names `a`'s item through the root's re-export, and `a` calls into `b` inline.
        src("a", "pub struct Thing;\nfn f() { crate::b::g() }\n"),
        src(
            "b",
            "use crate::{Thing as T};\n// use crate::c; (a comment)\npub fn g() {}\n",
        ),
    ];
    let graph = dependencies(&sources);
    assert_eq!(graph["b"], BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        find_circle(&graph),
        Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()])
    );
    // A parent re-exporting its child's item while the child uses the parent is no circle;
    // neither is a test module using its parent.
    let sources = [
        src("", "mod p;\n"),
        src(
            "p",
            "mod c;\n#[cfg(test)]\nmod tests;\npub use c::Item;\npub struct P;\n",
        ),
        src("p::c", "use super::P;\npub struct Item;\n"),
        src("p::tests", "use super::*;\nuse super::c::Item;\n"),
    ];
    let graph = dependencies(&sources);
    assert_eq!(graph["p::c"], BTreeSet::from(["p".to_owned()]));
    assert_eq!(graph["p"], BTreeSet::new());
    assert!(!graph.contains_key("p::tests"));
    assert_eq!(find_circle(&graph), None);
    // A sibling's re-export of an item from a module that uses it is a circle.
    let sources = [
        src("", "mod x;\nmod y;\n"),
        src("x", "pub use crate::y::Y;\npub struct X;\n"),
        src("y", "use crate::x::X;\npub struct Y;\n"),
    ];
    let circle = find_circle(&dependencies(&sources)).expect("a circle");
    assert_eq!(circle.len(), 3, "{circle:?}");
}
