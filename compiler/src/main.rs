//! `pmc`, the command line: argument parsing, file system access and printing around the
//! compiler library. Exit status: 0 success, 1 the input has errors, 2 usage or I/O problem.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use pmc::diagnostic::render;
use pmc::terminal;

use cli::build::Output;
use cli::test::TestOutputs;

mod cli;

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
        #[arg(long, value_name = "PERCENT", value_parser = cli::test::percent)]
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
        } => cli::check::check(&paths, message_format, deny_warnings, verbose),
        Command::Build {
            dir,
            output,
            force,
            verbose,
            message_format,
            sign,
        } => cli::build::build(
            dir.as_deref(),
            &Output {
                path: output,
                force,
            },
            message_format,
            sign.as_deref(),
            verbose,
        ),
        Command::Keygen { path } => cli::keygen::keygen(&path),
        Command::Disasm { bundle } => cli::disasm::disasm(&bundle),
        Command::Simulate {
            bundle,
            scenario,
            format,
            explain,
        } => cli::simulate::simulate(&bundle, &scenario, format, explain),
        Command::Test {
            path,
            junit,
            report,
            coverage,
            min_coverage,
        } => cli::test::test(
            path.as_deref(),
            &TestOutputs {
                junit,
                report,
                coverage,
            },
            min_coverage,
        ),
        Command::Diff { paths, git, format } => cli::diff::diff(&paths, git.as_deref(), format),
        Command::Fmt { paths, check } => cli::fmt::fmt(&paths, check),
        Command::Explain { code } => cli::explain::explain(&code),
        Command::Init { dir } => cli::init::init(&dir),
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
