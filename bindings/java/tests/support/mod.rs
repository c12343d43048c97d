//! Shared by the JVM tests (`tests/jvm.rs`) and the JNI benchmark (`benches/jni_overhead.rs`):
//! finding the JDK, compiling the Java sources and locating the native library this crate
//! builds.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a JVM could not be set up.
#[derive(Debug)]
pub enum Setup {
    /// `javac` or `java` is not installed (a test may skip, unless `CI` is set).
    Missing(String),
    /// Something that must work did not (always a failure).
    Failed(String),
}

/// Compiled Java classes and the native library, ready to run.
pub struct Jvm {
    java: PathBuf,
    classes: PathBuf,
    library_dir: PathBuf,
}

/// The crate's directory (`bindings/java`).
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A JDK tool: `$JAVA_HOME/bin/NAME` when `JAVA_HOME` is set, else `NAME` on the `PATH`.
fn jdk_tool(name: &str) -> Result<PathBuf, Setup> {
    let tool = std::env::var_os("JAVA_HOME")
        .map(|home| Path::new(&home).join("bin").join(name))
        .unwrap_or_else(|| PathBuf::from(name));
    match Command::new(&tool).arg("-version").output() {
        Ok(output) if output.status.success() => Ok(tool),
        Ok(output) => Err(Setup::Failed(format!(
            "`{} -version` failed: {}",
            tool.display(),
            String::from_utf8_lossy(&output.stderr)
        ))),
        Err(e) => Err(Setup::Missing(format!(
            "`{}` cannot be run ({e}); install a JDK (Debian: openjdk-17-jdk-headless)",
            tool.display()
        ))),
    }
}

/// Every `.java` file under `dir`, sorted.
fn java_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Setup> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Setup::Failed(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Setup::Failed(format!("cannot read {}: {e}", dir.display())))?
            .path();
        if path.is_dir() {
            java_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "java") {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// The directory holding this crate's shared library, next to the running test or benchmark
/// (`target/<profile>/deps` or `target/<profile>`), which cargo builds before running it.
fn library_dir() -> Result<PathBuf, Setup> {
    let name = format!(
        "{}pm_vm_jni{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let exe = std::env::current_exe()
        .map_err(|e| Setup::Failed(format!("cannot find the running program: {e}")))?;
    exe.ancestors()
        .skip(1)
        .take(2)
        .find(|dir| dir.join(&name).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Setup::Failed(format!(
                "{name} is not next to {}; build it with `cargo build -p pm-vm-jni`",
                exe.display()
            ))
        })
}

impl Jvm {
    /// Compiles the Java sources under `source_dirs` (relative to the crate) into `out`, for
    /// Java 8 as the library ships (`--release 8`, warnings are errors).
    pub fn new(source_dirs: &[&str], out: &Path) -> Result<Jvm, Setup> {
        let javac = jdk_tool("javac")?;
        let java = jdk_tool("java")?;
        let library_dir = library_dir()?;
        let mut sources = Vec::new();
        for dir in source_dirs {
            java_files(&crate_dir().join(dir), &mut sources)?;
        }
        let classes = out.join("classes");
        let _ = std::fs::remove_dir_all(&classes);
        let output = Command::new(&javac)
            .args([
                "--release",
                "8",
                "-Xlint:all",
                "-Werror",
                "-encoding",
                "UTF-8",
                "-d",
            ])
            .arg(&classes)
            .args(&sources)
            .output()
            .map_err(|e| Setup::Failed(format!("cannot run javac: {e}")))?;
        if !output.status.success() {
            return Err(Setup::Failed(format!(
                "javac failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(Jvm {
            java,
            classes,
            library_dir,
        })
    }

    /// `java JVM_OPTIONS… MAIN_CLASS` with the classes and the native library; the caller adds
    /// the program's arguments.
    pub fn command(&self, jvm_options: &[&str], main_class: &str) -> Command {
        let mut command = Command::new(&self.java);
        command
            .args(jvm_options)
            .arg(format!(
                "-Djava.library.path={}",
                self.library_dir.display()
            ))
            .arg("-cp")
            .arg(&self.classes)
            .arg(main_class);
        command
    }
}
