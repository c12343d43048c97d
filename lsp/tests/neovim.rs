//! Headless Neovim (its built-in LSP client, `vim.lsp.start_client`) opens an example file with
//! `pm-lsp` attached and must receive the diagnostics `pmc check` reports for it. Skipped, with
//! a printed reason, when `nvim` is not installed (never in CI).

mod common;

use std::process::Command;

use common::{repo, tool_available};
use pmc::analysis::analyze;
use pmc::fs::load_bundle;

const SCRIPT: &str = r#"
local bin, file, out = os.getenv("PM_LSP_BIN"), os.getenv("PM_FILE"), os.getenv("PM_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local received = nil
local client = vim.lsp.start_client({
  name = "pm-lsp",
  cmd = { bin },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(_, result)
      if result.uri == vim.uri_from_bufnr(buf) then received = result end
    end,
  },
})
vim.lsp.buf_attach_client(buf, client)
vim.wait(20000, function() return received ~= nil end, 50)
local lines = {}
if received then
  for _, d in ipairs(received.diagnostics) do
    table.insert(lines, string.format("%s %d:%d %s", d.code, d.range.start.line, d.range.start.character, d.message))
  end
else
  table.insert(lines, "NO DIAGNOSTICS RECEIVED")
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client)
vim.cmd("qa!")
"#;

#[test]
fn neovim_receives_the_diagnostics_of_an_example() {
    if !tool_available("nvim") {
        return;
    }
    let root = repo().join("examples/errors");
    let relative = "E0302-unknown-field.pm";
    let loaded = load_bundle(&root).unwrap();
    let analysis = analyze(&loaded.sources, loaded.account, &loaded.pm_files);
    let source = loaded.sources.find(relative).unwrap();
    let expected: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.primary.span.file == source.id)
        .map(|d| {
            let at = source.lines.to_utf16(&source.text, d.primary.span.start);
            format!(
                "{} {}:{} {}",
                d.code.as_str(),
                at.line,
                at.column,
                d.message
            )
        })
        .collect();
    assert!(!expected.is_empty());

    let dir = std::env::temp_dir().join(format!("pm-lsp-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("attach.lua");
    let out = dir.join("diagnostics.txt");
    std::fs::write(&script, SCRIPT).unwrap();
    let output = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("PM_LSP_BIN", env!("CARGO_BIN_EXE_pm-lsp"))
        .env("PM_FILE", root.join(relative))
        .env("PM_OUT", &out)
        .output()
        .expect("run nvim");
    let got = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "nvim wrote nothing: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(got.lines().collect::<Vec<_>>(), expected);
}
