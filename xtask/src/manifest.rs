//! Cargo manifests as the chores read them: the root's workspace members, a package's name,
//! and every table that declares dependencies.

use crate::repo::Tree;

/// One `Cargo.toml`, parsed.
pub struct Manifest {
    /// Its directory, relative to the root (`""` for the root itself).
    pub dir: String,
    /// Its contents.
    pub table: toml::Table,
}

impl Manifest {
    /// The manifest in directory `dir` of `tree` (`""`: the root's).
    pub fn read(tree: &Tree, dir: &str) -> Result<Manifest, String> {
        let path = manifest_path(dir);
        let text = tree.read(&path)?;
        let table = text
            .parse::<toml::Table>()
            .map_err(|e| format!("{path} is not valid TOML: {e}"))?;
        Ok(Manifest {
            dir: dir.to_owned(),
            table,
        })
    }

    /// Its path, relative to the root.
    pub fn path(&self) -> String {
        manifest_path(&self.dir)
    }

    /// `[package] name`, if it is a package.
    pub fn package_name(&self) -> Option<&str> {
        self.table.get("package")?.get("name")?.as_str()
    }

    /// `[workspace]`, if it is the root of a workspace.
    pub fn workspace(&self) -> Option<&toml::Table> {
        self.table.get("workspace")?.as_table()
    }

    /// The directories of `[workspace] members`. Globs are not expanded: the root lists its
    /// members by name, and a glob is reported as an error rather than half-understood.
    pub fn members(&self) -> Result<Vec<String>, String> {
        let Some(members) = self.workspace().and_then(|w| w.get("members")) else {
            return Ok(Vec::new());
        };
        let members = members
            .as_array()
            .ok_or_else(|| format!("{}: [workspace] members is not a list", self.path()))?;
        members
            .iter()
            .map(|member| match member.as_str() {
                Some(dir) if !dir.contains(['*', '?', '[']) => {
                    Ok(dir.trim_end_matches('/').to_owned())
                }
                _ => Err(format!(
                    "{}: [workspace] members must be plain directories, not {member}",
                    self.path()
                )),
            })
            .collect()
    }

    /// Every dependency table, with its name as written in the file: `[dependencies]`,
    /// `[dev-dependencies]`, `[build-dependencies]` and their `[target.'cfg'.…]` forms.
    pub fn dependency_tables(&self) -> Vec<(String, &toml::Table)> {
        const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
        let mut tables = Vec::new();
        for kind in KINDS {
            if let Some(table) = self.table.get(kind).and_then(toml::Value::as_table) {
                tables.push((format!("[{kind}]"), table));
            }
        }
        if let Some(targets) = self.table.get("target").and_then(toml::Value::as_table) {
            for (platform, target) in targets {
                for kind in KINDS {
                    if let Some(table) = target.get(kind).and_then(toml::Value::as_table) {
                        tables.push((format!("[target.'{platform}'.{kind}]"), table));
                    }
                }
            }
        }
        tables
    }

    /// Whether any dependency table names `crate_name`.
    pub fn depends_on(&self, crate_name: &str) -> bool {
        self.dependency_tables()
            .iter()
            .any(|(_, table)| table.contains_key(crate_name))
    }
}

/// The path of the manifest in directory `dir`.
pub fn manifest_path(dir: &str) -> String {
    if dir.is_empty() {
        "Cargo.toml".to_owned()
    } else {
        format!("{dir}/Cargo.toml")
    }
}
