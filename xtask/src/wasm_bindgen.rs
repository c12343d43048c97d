//! `cargo xtask wasm-bindgen`: the web binding's JavaScript glue and TypeScript declarations,
//! generated from the module cargo built, by `wasm-bindgen-cli-support` — the library the
//! `wasm-bindgen` CLI is a thin shell around — with the options the CLI would use.
//!
//! Why not the CLI: it must be exactly the version of the `wasm-bindgen` crate the module was
//! built with, and installing it (`cargo install wasm-bindgen-cli`) cannot be `--locked` (its
//! own lock file pins a crate the registry no longer serves), so CI resolved it afresh each
//! time and built its HTTP and TLS stack for nothing. The library is pinned in this
//! repository's Cargo.lock at the version of the `wasm-bindgen` crate, built like every
//! other dependency. Behind the feature `wasm-bindgen`, so that `tidy` and `bless` build
//! quickly: `bindings/wasm/build.sh` runs
//! `cargo run --locked -q -p xtask --features wasm-bindgen -- wasm-bindgen …`.

use std::path::PathBuf;

/// The arguments of `cargo xtask wasm-bindgen`: the CLI's, for the options the web binding
/// uses.
#[derive(clap::Args)]
#[cfg_attr(
    not(feature = "wasm-bindgen"),
    allow(dead_code, reason = "read only when built with the feature")
)]
pub struct Args {
    /// The `.wasm` module cargo built.
    input: PathBuf,
    /// The JavaScript to generate: an ES module for browsers, or CommonJS for Node.
    #[arg(long, value_enum)]
    target: Target,
    /// The folder to write into.
    #[arg(long)]
    out_dir: PathBuf,
    /// The name of the files written (default: the module's).
    #[arg(long)]
    out_name: Option<String>,
    /// Drops the module's `name` section (function names, for debugging).
    #[arg(long)]
    remove_name_section: bool,
    /// Drops the module's `producers` section (which tools built it).
    #[arg(long)]
    remove_producers_section: bool,
}

/// The kinds of JavaScript output the web binding ships.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Target {
    /// An ES module whose default export initialises the module (browsers, bundlers).
    Web,
    /// A CommonJS module, ready on `require` (Node).
    Nodejs,
}

/// Without the feature there is no generator: says how to get it.
#[cfg(not(feature = "wasm-bindgen"))]
pub fn run(_args: &Args) -> Result<(), String> {
    Err(
        "this xtask was built without its `wasm-bindgen` feature; run \
         `cargo run --locked -q -p xtask --features wasm-bindgen -- wasm-bindgen …` \
         (bindings/wasm/build.sh does)"
            .to_owned(),
    )
}

/// Generates the glue for `args`: the CLI's `rmain` for these options. Every setting it makes
/// is made here too, with the CLI's defaults for the options not offered (the library's own
/// defaults differ: no TypeScript, default module path omitted), so the output is the CLI's,
/// byte for byte.
#[cfg(feature = "wasm-bindgen")]
pub fn run(args: &Args) -> Result<(), String> {
    /// The library's error with its causes, `a: b: c`.
    fn explain(error: impl std::fmt::Display) -> String {
        format!("wasm-bindgen: {error:#}")
    }
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    match args.target {
        Target::Web => bindgen.web(true).map_err(explain)?,
        Target::Nodejs => bindgen.nodejs(true).map_err(explain)?,
    };
    bindgen
        .input_path(&args.input)
        .debug(false)
        .demangle(true)
        .keep_lld_exports(false)
        .keep_debug(false)
        .split_debug_info(false)
        .remove_name_section(args.remove_name_section)
        .remove_producers_section(args.remove_producers_section)
        .typescript(true)
        .omit_imports(false)
        .omit_default_module_path(false)
        .split_linked_modules(false)
        .js_string_builtins(false)
        .ts_typed_array_buffers(false)
        .reset_state_function(false)
        .force_enable_abort_handler(false);
    if let Some(name) = &args.out_name {
        bindgen.out_name(name);
    }
    bindgen.generate(&args.out_dir).map_err(explain)
}

#[cfg(test)]
mod tests {
    /// The versions of the packages called `name` in the workspace's Cargo.lock.
    fn locked_versions(name: &str) -> Vec<String> {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
        let lock: toml::Table = lock.parse().unwrap();
        lock["package"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|package| package["name"].as_str() == Some(name))
            .map(|package| package["version"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The generator reads the schema the `wasm-bindgen` crate wrote into the module; any
    /// other version refuses it (or, worse, misreads it).
    #[test]
    fn the_generator_is_the_version_of_the_wasm_bindgen_crate() {
        let library = locked_versions("wasm-bindgen");
        assert_eq!(
            library.len(),
            1,
            "one wasm-bindgen in Cargo.lock: {library:?}"
        );
        assert_eq!(locked_versions("wasm-bindgen-cli-support"), library);
    }
}
