; Generated from editors/tree-sitter-pm/queries/locals.scm by editors/tree-sitter-pm/scripts/editor-queries.mjs: edit the source, then run `cargo xtask bless`.

; Scopes, definitions and references: named conditions.
;
; A named condition is visible in every file of a bundle; within one file these captures let an
; editor jump from a use to its definition and highlight the uses of the one under the cursor.
; Across files, `pm-lsp` answers "go to definition" and "find references".

(source_file) @local.scope

(condition_definition
  name: (identifier) @local.definition)

(condition_reference
  (identifier) @local.reference)
