//! Every source file of the shipped crates is named in a code map, so that a newcomer finds
//! each file's job without opening it, and a new file comes with its row.
//!
//! The crates: `compiler/`, `vm/`, `lsp/` and each crate under `bindings/`; their files: every
//! `.rs` file under their `src/`. A code map is the section of a Markdown file whose heading
//! says "Code map", down to the next heading of its level: `docs/ARCHITECTURE.md`'s (one
//! subsection per crate, headed with the crate's folder in backticks, such as
//! ``### `compiler/` ``) and the crate README's. A file is named when a code span (text in
//! backticks) there is its path: relative to `src/` (`syntax/lexer.rs`), from the crate
//! (`src/lib.rs`) or from the root (`lsp/src/main.rs`). The first two count only in the
//! crate's own README or subsection, where they cannot mean another crate's file of the
//! same name; a directory's row (`ide/`) does not name the files in it.

use std::collections::BTreeSet;

use super::Problem;
use crate::repo::Tree;

/// The architecture document, whose code map covers every crate.
const ARCHITECTURE: &str = "docs/ARCHITECTURE.md";

/// The crates held to a code map, besides each crate under `bindings/`.
const CRATES: [&str; 3] = ["compiler", "vm", "lsp"];

/// A problem for each source file that no code map names.
pub fn check(tree: &Tree) -> Result<Vec<Problem>, String> {
    let architecture = tree.read(ARCHITECTURE)?;
    let map = section(architecture.lines(), 2, "Code map").ok_or_else(|| {
        format!("{ARCHITECTURE} has no \"## Code map\" section; tidy reads the code map there")
    })?;
    let bindings = tree.files().iter().filter_map(|file| {
        let dir = file.strip_suffix("/Cargo.toml")?;
        dir.strip_prefix("bindings/")
            .filter(|name| !name.contains('/'))
            .map(|_| dir)
    });
    let mut problems = Vec::new();
    for krate in CRATES.into_iter().chain(bindings) {
        let readme_path = format!("{krate}/README.md");
        let readme = if tree.has(&readme_path) {
            Some(tree.read(&readme_path)?)
        } else {
            None
        };
        let readme_map = readme
            .as_deref()
            .and_then(|text| section(text.lines(), 2, "Code map"));
        let subsection = section(map.iter().copied(), 3, &format!("`{krate}/`"));
        let own: BTreeSet<&str> = readme_map
            .iter()
            .chain(subsection.iter())
            .flat_map(|lines| code_spans(lines))
            .collect();
        let anywhere: BTreeSet<&str> = own.iter().copied().chain(code_spans(&map)).collect();
        let src = format!("{krate}/src/");
        for file in tree.files() {
            let Some(rel) = file.strip_prefix(&src).filter(|rel| rel.ends_with(".rs")) else {
                continue;
            };
            if own.contains(rel) || own.contains(format!("src/{rel}").as_str()) {
                continue;
            }
            if anywhere.contains(file.as_str()) {
                continue;
            }
            let place = if readme_map.is_some() {
                format!("to {readme_path}'s code map")
            } else if subsection.is_some() {
                format!("to {ARCHITECTURE}'s code map (under `{krate}/`)")
            } else {
                format!("to a \"## Code map\" table in {readme_path}")
            };
            problems.push(Problem::new(
                file.as_str(),
                format!("is named in no code map: add a row for `{rel}` {place}"),
            ));
        }
    }
    Ok(problems)
}

/// The lines of the first section of heading level `level` whose heading contains `title`,
/// from its heading to the next heading of that level or higher. Lines inside fenced code
/// blocks are never headings.
fn section<'a>(
    text: impl IntoIterator<Item = &'a str>,
    level: usize,
    title: &str,
) -> Option<Vec<&'a str>> {
    let mut lines = Vec::new();
    let mut inside = false;
    let mut fenced = false;
    for line in text {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let heading = if fenced { None } else { heading_level(line) };
        if inside && heading.is_some_and(|found| found <= level) {
            break;
        }
        if !inside && heading == Some(level) && line.contains(title) {
            inside = true;
        }
        if inside {
            lines.push(line);
        }
    }
    inside.then_some(lines)
}

/// The level of a Markdown heading line (`## Code map` is 2).
fn heading_level(line: &str) -> Option<usize> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    (level > 0 && line[level..].starts_with(' ')).then_some(level)
}

/// The code spans of `lines`: the text between each pair of backticks on a line.
fn code_spans<'a>(lines: &[&'a str]) -> impl Iterator<Item = &'a str> {
    lines.iter().flat_map(|line| {
        line.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, span)| span)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::testing::TempTree;

    const ARCHITECTURE_MD: &str = "\
# Architecture

## Code map

### `compiler/` — the library

| module | what it is for |
|---|---|
| `lib.rs` | the library |
| `syntax/lexer.rs` | tokens |
| `ide/` | IDE queries |

### `vm/` — the VM

See `vm/README.md`; `vm/src/ffi.rs` is the C ABI.

### Elsewhere

| `lsp/` | the server (`main.rs`) |

## Invariants

`compiler/src/late.rs` is named after the code map, so it does not count.
";

    const VM_README: &str = "\
# pm-vm

```sh
## Code map (a comment in a code block, not a heading)
```

## Code map

| module | what it does |
|---|---|
| `src/bundle.rs` | the loader |

## Tests

`src/tests.rs` is outside the code map.
";

    fn unnamed(files: &[(&str, &str)]) -> Vec<String> {
        let mut all = vec![(ARCHITECTURE, ARCHITECTURE_MD), ("vm/README.md", VM_README)];
        all.extend_from_slice(files);
        let temp = TempTree::new(&all);
        check(&temp.tree())
            .unwrap()
            .into_iter()
            .map(|p| format!("{}: {}", p.file, p.message))
            .collect()
    }

    #[test]
    fn files_named_in_a_code_map_pass() {
        let found = unnamed(&[
            ("compiler/src/lib.rs", ""),
            ("compiler/src/syntax/lexer.rs", ""),
            ("vm/src/bundle.rs", ""),
            ("vm/src/ffi.rs", ""),
            ("compiler/src/explain/E0101.md", ""),
        ]);
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn each_unnamed_file_is_reported_with_where_its_row_goes() {
        let found = unnamed(&[
            ("compiler/src/ide/hover.rs", ""),
            ("compiler/src/late.rs", ""),
            ("compiler/src/bundle.rs", ""),
            ("vm/src/tests.rs", ""),
            ("vm/src/lib.rs", ""),
            ("lsp/src/main.rs", ""),
            ("bindings/web/Cargo.toml", ""),
            ("bindings/web/src/lib.rs", ""),
        ]);
        assert_eq!(
            found,
            [
                // vm/README.md names `src/bundle.rs`, which is the VM's, not the compiler's.
                "compiler/src/bundle.rs: is named in no code map: add a row for `bundle.rs` to \
                 docs/ARCHITECTURE.md's code map (under `compiler/`)",
                // The `ide/` row names the folder, not its files.
                "compiler/src/ide/hover.rs: is named in no code map: add a row for `ide/hover.rs` \
                 to docs/ARCHITECTURE.md's code map (under `compiler/`)",
                "compiler/src/late.rs: is named in no code map: add a row for `late.rs` to \
                 docs/ARCHITECTURE.md's code map (under `compiler/`)",
                "vm/src/lib.rs: is named in no code map: add a row for `lib.rs` to \
                 vm/README.md's code map",
                "vm/src/tests.rs: is named in no code map: add a row for `tests.rs` to \
                 vm/README.md's code map",
                // A row of "Elsewhere" is no crate's subsection.
                "lsp/src/main.rs: is named in no code map: add a row for `main.rs` to a \
                 \"## Code map\" table in lsp/README.md",
                "bindings/web/src/lib.rs: is named in no code map: add a row for `lib.rs` to a \
                 \"## Code map\" table in bindings/web/README.md",
            ]
        );
    }

    #[test]
    fn sections_end_at_the_next_heading_of_their_level() {
        let text = "# T\n## A\na\n### B\nb\n## C\nc\n";
        assert_eq!(
            section(text.lines(), 2, "A"),
            Some(vec!["## A", "a", "### B", "b"])
        );
        assert_eq!(section(text.lines(), 3, "B"), Some(vec!["### B", "b"]));
        assert_eq!(section(text.lines(), 2, "B"), None);
        assert_eq!(heading_level("#hashtag"), None);
    }
}
