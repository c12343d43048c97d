//! `pmc`, the command line: argument parsing, file system access and printing around the
//! compiler library. Exit status: 0 success, 1 the input has errors, 2 usage or I/O problem.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use pmc::analysis::{Analysis, analyze_read};
use pmc::diagnostic::{Code, Diagnostic, render};
use pmc::formatter;
use pmc::fs::{self, LoadedBundle, OutputTarget};
use pmc::terminal;

mod git;
mod keyfile;

/// Exit status when the input has errors.
const EXIT_INPUT_ERRORS: u8 = 1;
/// Exit status for usage and I/O problems.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "pmc",
    version,
    about = "Compiler for proactive message rules (.pm files and account.toml)",
    after_help = "Examples:\n  pmc check examples/acme\n  pmc check --message-format sarif examples/acme > pmc.sarif\n  pmc fmt --check examples/acme\n  pmc explain E0302\n  pmc init my-bundle\n\nExit status: 0 success, 1 the input has errors, 2 usage or I/O problem."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a bundle (or some of its files) and print diagnostics.
    #[command(
        after_help = "Examples:\n  pmc check                       # the bundle in the current directory\n  pmc check examples/acme\n  pmc check examples/acme/pricing.pm\n  pmc check --message-format github examples/acme"
    )]
    Check {
        /// Bundle directories or `.pm` files (default: the current directory). A directory means
        /// its bundle: the nearest directory at or above it holding account.toml, as for
        /// `build`. A file is checked with the whole bundle it belongs to; only its own
        /// diagnostics and the account's are shown.
        paths: Vec<PathBuf>,
        /// Output format of the diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Treat warnings as errors (exit 1 when there is any).
        #[arg(long)]
        deny_warnings: bool,
        /// Also list every entry left out of the bundle (hidden directories, other bundles).
        #[arg(short, long)]
        verbose: bool,
    },
    /// Compile a bundle to bytecode (`.pmb`); the same input always gives the same bytes.
    #[command(
        after_help = "Examples:\n  pmc build examples/acme -o acme.pmb\n  pmc disasm acme.pmb"
    )]
    Build {
        /// The bundle directory, or a directory inside it (default: the current directory).
        dir: Option<PathBuf>,
        /// Where to write the bundle: a regular file is replaced atomically, a device or FIFO
        /// written to, a symbolic link followed. Nothing is written on errors, and never over
        /// an input.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace OUTPUT even when it is an existing file that is not a bundle.
        #[arg(long)]
        force: bool,
        /// Also list every entry left out of the bundle (hidden directories, other bundles).
        #[arg(short, long)]
        verbose: bool,
        /// Output format of the diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Sign the bundle with this private key file (from `pmc keygen`); apps that load with
        /// `load_verified` accept only bundles signed by a key they trust.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Create a bundle signing key pair (Ed25519).
    #[command(after_help = "Example:
  pmc keygen ci.key     # writes ci.key (mode 0600) and ci.key.pub, prints the public key
  pmc build examples/acme -o acme.pmb --sign ci.key")]
    Keygen {
        /// The private key file to create (never overwritten); the public key goes to
        /// `<file>.pub` and to standard output.
        path: PathBuf,
    },
    /// Print a readable listing of a compiled bundle.
    #[command(after_help = "Example:\n  pmc disasm acme.pmb")]
    Disasm {
        /// The `.pmb` file.
        bundle: PathBuf,
    },
    /// Run a scenario of app events through the VM and print the deliveries.
    #[command(
        after_help = "Examples:\n  pmc simulate tests/scenarios/bundle --scenario tests/scenarios/dwell-delivers.json\n  pmc simulate acme.pmb --scenario s.json --format json --explain"
    )]
    Simulate {
        /// A bundle directory (compiled first) or a compiled `.pmb` file.
        bundle: PathBuf,
        /// The scenario file (JSON).
        #[arg(long)]
        scenario: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SimulateFormat::Human)]
        format: SimulateFormat,
        /// Also print every check: each message's outcome and the first reason it was not delivered.
        #[arg(long)]
        explain: bool,
    },
    /// Run the bundle's rule tests (`*.pmtest.json`) through the VM and check what they expect.
    #[command(
        after_help = "Examples:\n  pmc test examples/acme\n  pmc test examples/acme --junit junit.xml --coverage lcov.info --min-coverage 90\n\nExit status: 0 when every test passes (and coverage reaches --min-coverage), 1 otherwise, 2 on usage or I/O problems."
    )]
    Test {
        /// The bundle directory, or a directory inside it whose tests to run, or one test file
        /// (default: the current directory). Test files are searched recursively, as sources are.
        path: Option<PathBuf>,
        /// Also write the results as JUnit XML (for CI systems).
        #[arg(long, value_name = "FILE.xml")]
        junit: Option<PathBuf>,
        /// Also write the results as JSON (for tools).
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Measure coverage and write it: JSON for a `.json` name, LCOV for any other.
        #[arg(long, value_name = "FILE.lcov|FILE.json")]
        coverage: Option<PathBuf>,
        /// Fail (exit 1) when coverage is below PERCENT (0 to 100), or when there are no tests.
        #[arg(long, value_name = "PERCENT", value_parser = percent)]
        min_coverage: Option<f64>,
    },
    /// Format `.pm` files in the canonical layout (comments are kept).
    #[command(
        after_help = "Examples:\n  pmc fmt examples/acme\n  pmc fmt --check examples/acme    # exit 1 and show a diff if anything would change"
    )]
    Fmt {
        /// Directories (searched recursively) or `.pm` files (default: the current directory).
        paths: Vec<PathBuf>,
        /// Do not write; exit 1 and print a diff when a file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// Print the long explanation of a diagnostic code.
    #[command(after_help = "Example:\n  pmc explain E0302")]
    Explain {
        /// A code such as `E0302` (case-insensitive).
        code: String,
    },
    /// Create a new bundle: `account.toml`, one example message and its rule test.
    #[command(
        after_help = "Example:\n  pmc init my-bundle && pmc check my-bundle && pmc test my-bundle"
    )]
    Init {
        /// The directory to create (default: the current directory). It may exist but must not
        /// contain account.toml; an existing welcome.pm is kept.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Show what a change to the rules changes: messages added, removed and changed clause by
    /// clause, example contexts whose outcome flips, and rollout warnings.
    #[command(
        after_help = "Examples:\n  pmc diff old-bundle examples/acme\n  pmc diff --git main examples/acme\n  pmc diff acme-live.pmb examples/acme --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n\nExit status: 0 when nothing differs, 1 when something does, 2 on errors in a bundle, usage or I/O problems."
    )]
    Diff {
        /// OLD and NEW: each a bundle directory (compiled first) or a compiled `.pmb` file.
        /// With `--git`, only NEW, a bundle directory (default: the current directory).
        #[arg(value_name = "OLD NEW", num_args = 0..=2)]
        paths: Vec<PathBuf>,
        /// Compare NEW with the same bundle directory as git revision REV has it (a branch,
        /// tag or commit; runs the `git` command).
        #[arg(long, value_name = "REV")]
        git: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  pmc completions bash > /etc/bash_completion.d/pmc")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SimulateFormat {
    /// Readable lines.
    Human,
    /// `{"deliveries": [{"t": …, "message": …}]}`.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Readable text.
    Human,
    /// GitHub-flavoured Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// One JSON document, for tools.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    /// Reports with source excerpts, for people.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl From<MessageFormat> for render::Format {
    fn from(format: MessageFormat) -> render::Format {
        match format {
            MessageFormat::Human => render::Format::Human,
            MessageFormat::Json => render::Format::Json,
            MessageFormat::Sarif => render::Format::Sarif,
            MessageFormat::Github => render::Format::Github,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            paths,
            message_format,
            deny_warnings,
            verbose,
        } => check(&paths, message_format, deny_warnings, verbose),
        Command::Build {
            dir,
            output,
            force,
            verbose,
            message_format,
            sign,
        } => build(
            dir.as_deref(),
            &Output {
                path: output,
                force,
            },
            message_format,
            sign.as_deref(),
            verbose,
        ),
        Command::Keygen { path } => keygen(&path),
        Command::Disasm { bundle } => disasm(&bundle),
        Command::Simulate {
            bundle,
            scenario,
            format,
            explain,
        } => simulate(&bundle, &scenario, format, explain),
        Command::Test {
            path,
            junit,
            report,
            coverage,
            min_coverage,
        } => test(
            path.as_deref(),
            &TestOutputs {
                junit,
                report,
                coverage,
            },
            min_coverage,
        ),
        Command::Diff { paths, git, format } => diff(&paths, git.as_deref(), format),
        Command::Fmt { paths, check } => fmt(&paths, check),
        Command::Explain { code } => explain(&code),
        Command::Init { dir } => init(&dir),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "pmc", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|message| {
        // Messages may quote file names and file contents: never print their controls raw.
        eprintln!("error: {}", terminal::escape(&message));
        ExitCode::from(EXIT_USAGE)
    })
}

/// A path as printed for people: its control characters escaped.
fn shown(path: &Path) -> String {
    terminal::escape(&path.display().to_string()).into_owned()
}

/// The paths given, or the current directory.
fn paths_or_current(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// Loads the bundle `path` belongs to (the nearest directory at or above it with
/// account.toml), reports an empty directory as E0507, and notes on stderr what was left out:
/// surprising entries always, every entry with `verbose`.
fn open_bundle(path: &Path, verbose: bool) -> Result<LoadedBundle, String> {
    let mut bundle = fs::load_bundle(&fs::bundle_root(path))?;
    bundle.report_if_empty();
    let root = fs::shown_root(&bundle);
    for skipped in &bundle.skipped {
        if verbose || skipped.reason.is_surprising() {
            let shown = if root == "." {
                skipped.path.clone()
            } else {
                format!("{root}/{}", skipped.path)
            };
            eprintln!(
                "note: {} is left out of the bundle: {}",
                terminal::escape(&shown),
                skipped.reason.describe()
            );
        }
    }
    Ok(bundle)
}

/// Analyses a bundle read from disk, with the problems found while reading it.
fn analyze_loaded(bundle: &LoadedBundle) -> Analysis {
    analyze_read(
        &bundle.sources,
        bundle.account,
        &bundle.pm_files,
        bundle.diagnostics.clone(),
    )
}

/// Prints diagnostics of one bundle in `format`: human reports and the summary on stderr,
/// machine formats on stdout. People get paths relative to the current directory (human, JSON),
/// tools paths relative to the repository root (GitHub, SARIF).
fn print_diagnostics(
    bundle: &LoadedBundle,
    diagnostics: &[Diagnostic],
    format: MessageFormat,
) -> Result<(), String> {
    if diagnostics.is_empty() && matches!(format, MessageFormat::Human) {
        // Nothing to report: the terminal reports' sources would be built for nothing.
        return Ok(());
    }
    let color = matches!(format, MessageFormat::Human) && std::io::stderr().is_terminal();
    let naming = match format {
        MessageFormat::Human | MessageFormat::Json => fs::Naming::FromCurrentDir,
        MessageFormat::Sarif | MessageFormat::Github => fs::Naming::FromRepository,
    };
    let paths = fs::report_paths(bundle, naming);
    let text = render::render_with(format.into(), diagnostics, &bundle.sources, &paths, color);
    if matches!(format, MessageFormat::Human) {
        eprint!("{text}");
        if let Some(summary) = render::summary(diagnostics) {
            eprintln!("{}: {summary}", terminal::escape(&fs::shown_root(bundle)));
        }
        Ok(())
    } else {
        writeln!(std::io::stdout().lock(), "{}", text.trim_end())
            .map_err(|e| format!("cannot write output: {e}"))
    }
}

/// `pmc build`'s output path and whether it may replace a file that is not a bundle.
struct Output {
    path: PathBuf,
    force: bool,
}

impl Output {
    /// Resolves the output and refuses what would lose data: a path named like a source
    /// (`.pm`, account.toml), one of the inputs (also through a link or a hard link), or an
    /// existing non-empty file that is not a bundle (unless `--force`).
    fn checked_target(&self, inputs: &[PathBuf]) -> Result<OutputTarget, String> {
        let shown = self.path.display();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name == fs::ACCOUNT_FILE || name.ends_with(".pm") {
            return Err(format!(
                "refusing to write the bundle to {shown}: account.toml and `.pm` files are \
                 sources; give the output a `.pmb` name"
            ));
        }
        let target = OutputTarget::resolve(&self.path)?;
        if let Some(input) = inputs.iter().find(|i| fs::same_file(target.path(), i)) {
            return Err(format!(
                "refusing to write the bundle to {shown}: it is {}, an input of the build",
                input.strip_prefix(".").unwrap_or(input).display()
            ));
        }
        if let OutputTarget::File(path) = &target
            && !self.force
            && !holds_a_bundle(path)?
        {
            return Err(format!(
                "refusing to replace {shown}: it exists and is not a bundle (it does not start \
                 with the `PMB` header); pass --force to replace it"
            ));
        }
        Ok(target)
    }
}

/// Whether the regular file at `path` is empty or starts like a bundle: the files `pmc build`
/// replaces without `--force`.
fn holds_a_bundle(path: &Path) -> Result<bool, String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(pm_vm::format::MAGIC.len());
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(pm_vm::format::MAGIC.len() as u64)
                .read_to_end(&mut head)
        })
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(head.is_empty() || head == pm_vm::format::MAGIC)
}

fn build(
    dir: Option<&Path>,
    output: &Output,
    message_format: MessageFormat,
    sign: Option<&Path>,
    verbose: bool,
) -> Result<ExitCode, String> {
    // Read the key first: a bad key fails before anything is compiled or written.
    let key = sign.map(keyfile::Key::read).transpose()?;
    let dir = dir.unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let bundle = open_bundle(dir, verbose)?;
    let inputs: Vec<PathBuf> = bundle
        .sources
        .files()
        .map(|f| bundle.root.join(&f.path))
        .chain(sign.map(Path::to_path_buf))
        .collect();
    let analysis = analyze_loaded(&bundle);
    print_diagnostics(&bundle, &analysis.diagnostics, message_format)?;
    let Some(checked) = analysis.bundle else {
        return Ok(ExitCode::from(EXIT_INPUT_ERRORS));
    };
    let target = output.checked_target(&inputs)?;
    let mut bytes = pmc::codegen::generate(&checked)?;
    if let Some(key) = &key {
        bytes = key.sign_bundle(&bytes)?;
        eprintln!("signed with key {}", key.public());
    }
    target.write(&bytes)?;
    eprintln!(
        "wrote {} ({}, {})",
        shown(&output.path),
        render::count(checked.messages.len(), "message"),
        render::count(bytes.len(), "byte")
    );
    Ok(ExitCode::SUCCESS)
}

/// Compiles a bundle directory, or loads a `.pmb` file; `Ok(Err(code))` when the sources have errors.
fn compiled_bundle(path: &Path) -> Result<Result<Vec<u8>, ExitCode>, String> {
    if path.is_dir() {
        let bundle = open_bundle(path, false)?;
        let analysis = analyze_loaded(&bundle);
        let Some(checked) = analysis.bundle else {
            print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
            return Ok(Err(ExitCode::from(EXIT_INPUT_ERRORS)));
        };
        return pmc::codegen::generate(&checked).map(Ok);
    }
    std::fs::read(path)
        .map(Ok)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn simulate(
    path: &Path,
    scenario_path: &Path,
    format: SimulateFormat,
    explain: bool,
) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(scenario_path)
        .map_err(|e| format!("cannot read {}: {e}", scenario_path.display()))?;
    let scenario =
        pmc::scenario::parse(&text).map_err(|e| format!("{}: {e}", scenario_path.display()))?;
    let bytes = match compiled_bundle(path)? {
        Ok(bytes) => bytes,
        Err(code) => return Ok(code),
    };
    let bundle = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("{} is not a valid bundle: {e}", path.display()))?;
    let report =
        pmc::scenario::run(std::sync::Arc::new(bundle), &scenario, explain).map_err(|e| {
            let error = pmc::scenario::ScenarioError::from_run(&text, &e);
            format!("{}: {error}", scenario_path.display())
        })?;
    match format {
        SimulateFormat::Json => println!("{}", pmc::scenario::to_json(&report, explain)),
        SimulateFormat::Human => print!("{}", pmc::scenario::to_human(&report, explain)),
    }
    Ok(ExitCode::SUCCESS)
}

/// `pmc diff`: exit 0 when nothing differs, 1 when something does, 2 when a side cannot be
/// read or its sources have errors (printed).
fn diff(paths: &[PathBuf], rev: Option<&str>, format: DiffFormat) -> Result<ExitCode, String> {
    let checkout;
    let (old, new) = match (rev, paths) {
        (None, [old, new]) => (old.as_path(), new.as_path()),
        (None, _) => return Err("pmc diff needs OLD and NEW (or --git REV)".into()),
        (Some(rev), [] | [_]) => {
            let new = paths.first().map_or(Path::new("."), PathBuf::as_path);
            if !new.is_dir() {
                return Err(format!("{} is not a bundle directory", shown(new)));
            }
            checkout = git::Checkout::of(&fs::bundle_root(new), rev)?;
            (checkout.path(), new)
        }
        (Some(_), _) => return Err("with --git, pmc diff takes one bundle directory".into()),
    };
    let (Some(old), Some(new)) = (diff_side(old)?, diff_side(new)?) else {
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let report = pmc::diff::diff(&old, &new);
    // Conditions as written may hold text-direction characters: never printed raw.
    let text = match format {
        DiffFormat::Human => terminal::escape(&pmc::diff::render::to_human(&report)).into_owned(),
        DiffFormat::Markdown => {
            terminal::escape(&pmc::diff::render::to_markdown(&report)).into_owned()
        }
        DiffFormat::Json => pmc::diff::render::to_json(&report) + "\n",
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(ExitCode::from(u8::from(!report.is_empty())))
}

/// One side of `pmc diff`: a bundle directory checked and compiled (`None`, with its
/// diagnostics printed, when it has errors), or a `.pmb` file loaded.
fn diff_side(path: &Path) -> Result<Option<pmc::diff::Side>, String> {
    if !path.is_dir() {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", shown(path)))?;
        return pmc::diff::Side::from_bytes(&bytes)
            .map(Some)
            .map_err(|e| format!("{}: {e}", shown(path)));
    }
    let bundle = open_bundle(path, false)?;
    let analysis = analyze_loaded(&bundle);
    let Some(checked) = &analysis.bundle else {
        print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
        return Ok(None);
    };
    pmc::diff::Side::from_sources(checked, &analysis.files, &bundle.sources).map(Some)
}

/// `--min-coverage`: a percentage from 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("{text:?} is not a percentage from 0 to 100")),
    }
}

/// The files `pmc test` writes besides its report on standard output.
struct TestOutputs {
    junit: Option<PathBuf>,
    report: Option<PathBuf>,
    coverage: Option<PathBuf>,
}

impl TestOutputs {
    /// Refuses an output that is an input (a source or a test file, also through a link) or
    /// named like one, before anything runs.
    fn check(&self, inputs: &[PathBuf]) -> Result<(), String> {
        for path in [&self.junit, &self.report, &self.coverage]
            .into_iter()
            .flatten()
        {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if name == fs::ACCOUNT_FILE
                || name.ends_with(".pm")
                || name.ends_with(pmc::ruletest::FILE_SUFFIX)
            {
                return Err(format!(
                    "refusing to write a report to {}: account.toml, `.pm` and `{}` files are inputs",
                    path.display(),
                    pmc::ruletest::FILE_SUFFIX
                ));
            }
            let target = OutputTarget::resolve(path)?;
            if let Some(input) = inputs.iter().find(|i| fs::same_file(target.path(), i)) {
                return Err(format!(
                    "refusing to write a report to {}: it is {}, an input of the tests",
                    path.display(),
                    input.display()
                ));
            }
        }
        Ok(())
    }
}

/// A path as `pmc test` names it: as given, without a leading `./`.
fn test_path(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

fn test(
    path: Option<&Path>,
    outputs: &TestOutputs,
    min_coverage: Option<f64>,
) -> Result<ExitCode, String> {
    use pmc::ruletest::report::{self, FileResult, Outcome};
    let path = path.unwrap_or(Path::new("."));
    let suffix = pmc::ruletest::FILE_SUFFIX;
    // A directory: its tests; a test file: that test alone.
    let (dir, single) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else if path.is_file() && path.to_string_lossy().ends_with(suffix) {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        (parent.unwrap_or(Path::new(".")).to_path_buf(), Some(path))
    } else if path.exists() {
        return Err(format!(
            "{} is neither a directory nor a rule test (a file named *{suffix})",
            path.display()
        ));
    } else {
        return Err(format!("{} does not exist", path.display()));
    };
    let bundle = open_bundle(&dir, false)?;
    let analysis = analyze_loaded(&bundle);
    let Some(checked) = &analysis.bundle else {
        print_diagnostics(&bundle, &analysis.diagnostics, MessageFormat::Human)?;
        eprintln!("error: the bundle has errors; no test ran");
        return Ok(ExitCode::from(EXIT_INPUT_ERRORS));
    };
    let files = match single {
        Some(file) => vec![file.to_path_buf()],
        None => fs::rule_test_files(&dir)?,
    };
    let inputs: Vec<PathBuf> = bundle
        .sources
        .files()
        .map(|f| bundle.root.join(&f.path))
        .chain(files.iter().cloned())
        .collect();
    outputs.check(&inputs)?;
    let bytes = pmc::codegen::generate(checked)?;
    let vm = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("the compiled bundle does not load: {e}"))?;
    let comparisons = pmc::trace::Comparisons::new(&bundle.sources, &analysis.files, checked);
    let people = fs::report_paths(&bundle, fs::Naming::FromCurrentDir).names;
    let suite = pmc::ruletest::Suite {
        vm: std::sync::Arc::new(vm),
        model: checked,
        comparisons: &comparisons,
        sources: &bundle.sources,
        file_names: &people,
    };
    let measure = outputs.coverage.is_some() || min_coverage.is_some();
    let mut coverage = pmc::coverage::Coverage::new(checked, &comparisons);
    let mut results = Vec::with_capacity(files.len());
    for file in &files {
        let started = std::time::Instant::now();
        let path = test_path(file);
        let text = match fs::read_source(file)? {
            Ok(text) => text,
            Err(not_text) => {
                results.push(FileResult {
                    path,
                    name: None,
                    outcome: Outcome::Broken(pmc::scenario::ScenarioError {
                        position: pmc::json_position::Position::START,
                        message: not_text,
                    }),
                    deliveries: Vec::new(),
                    seconds: started.elapsed().as_secs_f64(),
                });
                continue;
            }
        };
        let (name, outcome, deliveries) = match pmc::ruletest::parse(&text) {
            Err(error) => (None, Outcome::Broken(error), Vec::new()),
            Ok(test) => match suite.run(&test, &text) {
                Err(error) => (Some(test.name), Outcome::Broken(error), Vec::new()),
                Ok(ran) => {
                    if measure {
                        coverage.record(&ran.report);
                    }
                    let outcome = if ran.failures.is_empty() {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(ran.failures)
                    };
                    (Some(test.name), outcome, ran.report.deliveries)
                }
            },
        };
        results.push(FileResult {
            path,
            name,
            outcome,
            deliveries,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let (_, failed) = report::counts(&results);
    let root = fs::shown_root(&bundle);
    let mut out = String::new();
    if results.is_empty() {
        out.push_str(&format!(
            "no rule tests in {} (files named *{suffix})\n",
            terminal::escape(&test_path(&dir)),
        ));
    } else {
        out.push_str(&report::human(&results));
    }
    let mut below = false;
    if measure {
        out.push_str(&coverage.summary(&bundle.sources, &people));
        if let Some(minimum) = min_coverage {
            let percent = coverage.percent();
            if results.is_empty() {
                below = true;
                out.push_str("error: there are no tests, and a minimum coverage is asked for\n");
            } else if percent < minimum {
                below = true;
                out.push_str(&format!(
                    "error: coverage {} is below the minimum of {}%\n",
                    pmc::coverage::percent_text(percent),
                    minimum
                ));
            }
        }
    }
    out.push_str(&report::final_line(&results));
    out.push('\n');
    let absolute = absolute_names(&bundle);
    if let Some(path) = &outputs.junit {
        fs::write_output(
            path,
            pmc::ruletest::junit::render(&root, &results).as_bytes(),
        )?;
    }
    if let Some(path) = &outputs.coverage {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let text = if is_json {
            let json = coverage.to_json(&bundle.sources, &absolute);
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        } else {
            coverage.lcov(&bundle.sources, &absolute)
        };
        fs::write_output(path, text.as_bytes())?;
    }
    if let Some(path) = &outputs.report {
        let json = measure.then(|| coverage.to_json(&bundle.sources, &absolute));
        fs::write_output(path, (report::to_json(&results, json) + "\n").as_bytes())?;
    }
    write!(std::io::stdout().lock(), "{out}").map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if failed > 0 || below {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The absolute path of each file of `bundle`, indexed by file id (LCOV names files so).
fn absolute_names(bundle: &LoadedBundle) -> Vec<String> {
    let root = std::fs::canonicalize(&bundle.root).unwrap_or_else(|_| bundle.root.clone());
    bundle
        .sources
        .files()
        .map(|f| root.join(&f.path).display().to_string())
        .collect()
}

fn disasm(path: &Path) -> Result<ExitCode, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let bundle = pm_vm::Bundle::load(&bytes)
        .map_err(|e| format!("{} is not a valid bundle: {e}", path.display()))?;
    print!("{}", pm_vm::disasm(&bundle));
    Ok(ExitCode::SUCCESS)
}

fn check(
    paths: &[PathBuf],
    message_format: MessageFormat,
    deny_warnings: bool,
    verbose: bool,
) -> Result<ExitCode, String> {
    let mut all: Vec<(LoadedBundle, Vec<Diagnostic>)> = Vec::new();
    for path in paths_or_current(paths) {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
        let bundle = open_bundle(&path, verbose)?;
        let analysis = analyze_loaded(&bundle);
        let diagnostics = match Selection::of(&bundle, &path)? {
            Selection::Bundle => analysis.diagnostics,
            Selection::File(file) => only_file(&bundle, analysis, &file),
        };
        all.push((bundle, diagnostics));
    }
    let mut failed = false;
    for (bundle, diagnostics) in &all {
        failed |= diagnostics.iter().any(|d| {
            d.is_error() || (deny_warnings && d.severity == pmc::diagnostic::Severity::Warning)
        });
        print_diagnostics(bundle, diagnostics, message_format)?;
    }
    Ok(if failed {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// What part of a bundle `pmc check PATH` reports on.
enum Selection {
    /// The whole bundle: PATH is a directory (the root or one inside the bundle).
    Bundle,
    /// One `.pm` file: its path relative to the root.
    File(String),
}

impl Selection {
    /// The part `path` designates in `bundle`.
    ///
    /// # Errors
    /// When `path` is left out of the bundle (hidden, in a hidden directory, `A.PM`), or is a
    /// file that is not one of its `.pm` files.
    fn of(bundle: &LoadedBundle, path: &Path) -> Result<Selection, String> {
        let part = fs::relative_path(&bundle.root, path);
        let not_part = |why: &str| {
            format!(
                "{} is not part of the bundle at {}: {why}",
                path.display(),
                fs::shown_root(bundle)
            )
        };
        let left_out = bundle
            .skipped
            .iter()
            .find(|s| part == s.path || part.starts_with(&format!("{}/", s.path)));
        if let Some(skipped) = left_out {
            return Err(not_part(skipped.reason.describe()));
        }
        if path.is_dir() {
            return Ok(Selection::Bundle);
        }
        if bundle.sources.find(&part).is_none() {
            return Err(not_part("it is not one of its `.pm` files"));
        }
        Ok(Selection::File(part))
    }
}

/// Keeps the diagnostics of one file and the account's.
fn only_file(bundle: &LoadedBundle, analysis: Analysis, file: &str) -> Vec<Diagnostic> {
    analysis
        .diagnostics
        .into_iter()
        .filter(|d| {
            let path = bundle.sources.get(d.primary.span.file).path.as_str();
            path == file || path == fs::ACCOUNT_FILE
        })
        .collect()
}

fn fmt(paths: &[PathBuf], check_only: bool) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    for path in paths_or_current(paths) {
        if path.is_dir() {
            let bundle = fs::load_bundle(&path)?;
            for skipped in bundle.skipped.iter().filter(|s| s.reason.is_surprising()) {
                eprintln!(
                    "note: {} is not formatted: {}",
                    shown(&path.join(&skipped.path)),
                    skipped.reason.describe()
                );
            }
            files.extend(
                bundle
                    .pm_files
                    .iter()
                    .map(|&id| path.join(&bundle.sources.get(id).path)),
            );
        } else if path.is_file() {
            files.push(path);
        } else {
            return Err(format!("{} does not exist", path.display()));
        }
    }
    let mut unformatted = 0;
    let mut errors = 0;
    for file in files {
        let text = match fs::read_source(&file)? {
            Ok(text) => text,
            Err(not_text) => {
                eprintln!("error: {}", terminal::escape(&not_text));
                errors += 1;
                continue;
            }
        };
        let Some(formatted) = formatter::format_source(&text) else {
            eprintln!(
                "error: {} has syntax errors; run `pmc check` first",
                shown(&file)
            );
            errors += 1;
            continue;
        };
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if check_only {
            print!(
                "{}",
                formatter::unified_diff(&file.display().to_string(), &text, &formatted)
            );
        } else {
            fs::write_output(&file, formatted.as_bytes())?;
            eprintln!("formatted {}", shown(&file));
        }
    }
    Ok(if errors > 0 || (check_only && unformatted > 0) {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

fn keygen(path: &Path) -> Result<ExitCode, String> {
    let key = keyfile::keygen(path)?;
    eprintln!(
        "wrote {} (private, keep it secret) and {}",
        shown(path),
        shown(&keyfile::public_key_path(path))
    );
    println!("{}", key.public());
    Ok(ExitCode::SUCCESS)
}

fn explain(code: &str) -> Result<ExitCode, String> {
    let Some(code) = Code::parse(code) else {
        let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let hint = pmc::suggest::did_you_mean(code, known.iter().copied())
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        return Err(format!(
            "`{code}` is not a diagnostic code{hint}; codes look like E0302 or W0101"
        ));
    };
    print!("{}", code.explanation());
    Ok(ExitCode::SUCCESS)
}

const INIT_ACCOUNT: &str = r#"# The account: brands, channels, business-hours schedules and AI agents.
# See docs/language.md for every key.

[[brands]]
name = "My Brand"

[[channels]]
name = "My App iOS"
brand = "My Brand"
platform = "ios"                    # ios | android | unity
conversation_control = "release"    # release | keep
schedules = ["Support hours"]

[[schedules]]
name = "Support hours"
timezone = "Europe/Paris"
holidays = []
[schedules.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
"#;

const INIT_MESSAGE: &str = r#"// A first proactive message: greet people who stay on the pricing screen.

message "Pricing help" {
    channel "My App iOS"
    say "Hi there! Questions about our plans?"
    respond agent {
        follow_up "Let me connect you with our team."
        collect name, email
    }
    when visitor.page_url contains ["pricing", "plans"]
    after screen_open 30s
    send during business_hours "Support hours"
    frequency once_per_visit
}
"#;

/// The first test `pmc init` writes.
const INIT_TEST_FILE: &str = "welcome.pmtest.json";

/// A first rule test of [`INIT_MESSAGE`]: on Monday 2026-11-23 at 10:00 in Paris (support
/// hours), a visitor on the pricing screen gets the message after 30 s; on the home screen
/// nobody does, so the comparison is seen both true and false.
const INIT_TEST: &str = r#"{
  "name": "A visitor who stays on the pricing screen is offered help",
  "channel": "My App iOS",
  "device": { "language": "en-US" },
  "start": "2026-11-23T09:00:00Z",
  "events": [
    { "t": 0, "type": "app_launch" },
    { "t": 1, "type": "screen_open", "url": "https://example.com/pricing", "title": "Pricing" },
    { "t": 40, "type": "screen_open", "url": "https://example.com/home", "title": "Home" }
  ],
  "until": 80,
  "expect": {
    "deliveries": [ { "t": 31, "message": "Pricing help" } ]
  }
}
"#;

fn init(dir: &Path) -> Result<ExitCode, String> {
    let here = dir == Path::new(".");
    // `./account.toml` reads worse than `account.toml`.
    let named = |name: &str| {
        if here {
            name.to_string()
        } else {
            shown(&dir.join(name))
        }
    };
    let account = dir.join(fs::ACCOUNT_FILE);
    if account.exists() {
        return Err(format!(
            "{} already exists; pmc init never replaces a file",
            named(fs::ACCOUNT_FILE)
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    fs::write_atomically(&account, INIT_ACCOUNT.as_bytes())?;
    let message = dir.join("welcome.pm");
    let kept = message.exists();
    let test = dir.join(INIT_TEST_FILE);
    if !kept {
        fs::write_atomically(&message, INIT_MESSAGE.as_bytes())?;
        // The test is of the message written here; an existing test file is kept too.
        if !test.exists() {
            fs::write_atomically(&test, INIT_TEST.as_bytes())?;
        }
    }
    let next = if here {
        "pmc check".to_string()
    } else {
        format!("pmc check {}", shown(dir))
    };
    let (account, message, test) = (
        named(fs::ACCOUNT_FILE),
        named("welcome.pm"),
        named(INIT_TEST_FILE),
    );
    if kept {
        eprintln!(
            "created {account}; kept the existing {message}, unchanged (its messages may name \
             channels the new account lacks); next: {next}"
        );
    } else {
        eprintln!(
            "created {account}, {message} and its test {test}; next: {next}, then {}",
            next.replacen("check", "test", 1)
        );
    }
    Ok(ExitCode::SUCCESS)
}
