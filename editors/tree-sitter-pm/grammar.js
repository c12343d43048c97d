/**
 * @file Tree-sitter grammar of `.pm` files, the rule language of proactive messages.
 *
 * The reference is the compiler: `grammar/pm.ebnf`, `compiler/src/syntax/lexer.rs` and
 * `compiler/src/syntax/parser.rs`, and the language of `SPEC.md` section 2 including its
 * version-2 constructs. Like the compiler, the grammar reads clause values, events, objects and
 * fields as plain identifiers: `frequency once_per_vist` is well-formed here and the compiler's
 * checker (through `pm-lsp`) says what is wrong with it. Known words are singled out by the
 * highlight queries instead.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

/** Binding strength of the condition operators: `not` > `and` > `or`. */
const PREC = {
  or: 1,
  and: 2,
  not: 3,
};

/**
 * One or more `rule`s separated by commas.
 *
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

module.exports = grammar({
  name: 'pm',

  // The compiler's whitespace (`[ \t\r\n\f]`) and `//` comments separate tokens.
  extras: $ => [/[ \t\r\n\f]/, $.comment],

  // Keywords are words the identifier rule would also match.
  word: $ => $.identifier,

  // The compiler's hard keywords are never identifiers (a condition cannot be named `and`);
  // the other keywords are identifiers wherever the keyword cannot stand (a condition may be
  // named `status`). Reserved words need ABI 15 (tree-sitter 0.25 or later in the editor).
  reserved: {
    global: _ => [
      'message',
      'condition',
      'when',
      'after',
      'and',
      'or',
      'not',
      'is',
      'contains',
      'starts_with',
      'ends_with',
      'matches',
    ],
  },

  supertypes: $ => [$._item, $._clause, $._expression, $._value],

  // `send during foo` may go on with a schedule (`"S"`) or be followed by an unknown clause
  // `foo …`: both are tried, as the compiler does, and the schedule wins when both parse.
  conflicts: $ => [[$.send_clause]],

  rules: {
    source_file: $ => repeat($._item),

    _item: $ => choice($.message, $.condition_definition),

    // ---- Items ----

    message: $ => seq(
      'message',
      field('name', $.string),
      field('body', $.message_body),
    ),

    message_body: $ => seq('{', repeat($._clause), '}'),

    condition_definition: $ => seq(
      'condition',
      field('name', $.identifier),
      '=',
      field('condition', $._expression),
    ),

    // ---- Message clauses (order free; "at most once" is the checker's business) ----

    _clause: $ => choice(
      $.brand_clause,
      $.channel_clause,
      $.say_clause,
      $.respond_clause,
      $.trigger_clause,
      $.tags_clause,
      $.send_clause,
      $.frequency_clause,
      $.priority_clause,
      $.status_clause,
      $.active_clause,
      $.unknown_clause,
    ),

    brand_clause: $ => seq('brand', field('brand', $.string)),

    channel_clause: $ => seq('channel', field('channel', $.string)),

    say_clause: $ => seq('say', field('text', $.string)),

    respond_clause: $ => seq(
      'respond',
      field('response', choice($.agent_response, $.ai_agent_response)),
    ),

    // `agent { … }`; the kind is a word the checker verifies, as in the compiler.
    agent_response: $ => seq(
      field('kind', $.identifier),
      field('body', $.agent_body),
    ),

    agent_body: $ => seq(
      '{',
      repeat(choice($.follow_up_clause, $.collect_clause, $.unknown_clause)),
      '}',
    ),

    follow_up_clause: $ => seq('follow_up', field('text', $.string)),

    collect_clause: $ => seq('collect', commaSep1(field('field', $.identifier))),

    // `ai_agent "AGENT" answer "ANSWER"`.
    ai_agent_response: $ => seq(
      field('kind', $.identifier),
      field('agent', $.string),
      'answer',
      field('answer', $.string),
    ),

    // `when EXPR after EVENT [DURATION]` or `after EVENT [DURATION]`.
    trigger_clause: $ => seq(
      optional(seq('when', field('condition', $._expression))),
      'after',
      field('event', choice($.identifier, $.app_event)),
      optional(field('duration', $.duration)),
    ),

    // Version 2: `event "NAME"`, an event the host app reports by name.
    app_event: $ => seq('event', field('name', $.string)),

    tags_clause: $ => seq('tags', commaSep1(field('tag', $.string))),

    // `send anytime`, `send during business_hours "S"`, `send outside business_hours "S"`.
    // Like the compiler, `send during "S"` (the word left out) is well-formed: the checker
    // reports it with a fix.
    send_clause: $ => seq(
      'send',
      field('mode', $.identifier),
      optional(prec.dynamic(1, seq(
        optional(field('hours', $.identifier)),
        field('schedule', $.string),
      ))),
    ),

    frequency_clause: $ => seq('frequency', field('value', $.identifier)),

    priority_clause: $ => seq('priority', field('value', $.integer)),

    status_clause: $ => seq('status', field('value', $.identifier)),

    // Version 2: `active from "START" until "END"`, either part may be left out.
    active_clause: $ => seq(
      'active',
      choice(
        seq($._active_from, optional($._active_until)),
        $._active_until,
      ),
    ),

    _active_from: $ => seq('from', field('from', $.string)),

    _active_until: $ => seq('until', field('until', $.string)),

    // A word that starts no clause, and what follows it up to the next clause: the compiler
    // reports it (E0204, with the closest clause keyword). Parsing it as a node keeps a typo
    // such as `chanel "Acme iOS"` from turning the whole message into an error.
    unknown_clause: $ => prec.right(seq(
      field('keyword', $.identifier),
      repeat(choice($.string, $.identifier, $.integer, $.duration, $.list, ',')),
    )),

    // ---- Conditions ----

    _expression: $ => choice(
      $.or_expression,
      $.and_expression,
      $.not_expression,
      $.parenthesized_expression,
      $.comparison,
      $.condition_reference,
    ),

    or_expression: $ => prec.left(PREC.or, seq(
      field('left', $._expression),
      'or',
      field('right', $._expression),
    )),

    and_expression: $ => prec.left(PREC.and, seq(
      field('left', $._expression),
      'and',
      field('right', $._expression),
    )),

    not_expression: $ => prec(PREC.not, seq('not', field('operand', $._expression))),

    parenthesized_expression: $ => seq('(', field('condition', $._expression), ')'),

    // A named condition, defined in any file of the bundle.
    condition_reference: $ => $.identifier,

    // `object.field OPERATOR value`.
    comparison: $ => seq(
      field('field', $.field),
      field('operator', $.operator),
      field('value', $._value),
    ),

    // `visitor.page_url`, `device.language`, `app.version`, `user.plan`, …
    field: $ => seq(
      field('object', $.identifier),
      '.',
      field('name', $.identifier),
    ),

    operator: _ => choice(
      'is',
      seq('is', 'not'),
      'contains',
      seq('not', 'contains'),
      // Version 2.
      'starts_with',
      seq('not', 'starts_with'),
      'ends_with',
      seq('not', 'ends_with'),
      'matches',
      seq('not', 'matches'),
      '<',
      '<=',
      '>',
      '>=',
    ),

    _value: $ => choice(
      $.string,
      $.list,
      $.number,
      $.boolean,
      $.set,
      $.identifier,
    ),

    list: $ => seq('[', commaSep1($.string), optional(','), ']'),

    // Version 2: `user.trial is true`.
    boolean: _ => choice('true', 'false'),

    // Version 2: `user.plan is set`, `user.plan is not set`.
    set: _ => 'set',

    // ---- Tokens ----

    identifier: _ => /[a-z_][a-z0-9_]*/,

    // On one line; the escapes are `\"`, `\\`, `\n`, `\t` and `\u{…}` (one to six hex digits).
    // Any other backslash is a syntax error, as in the compiler (E0102).
    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    string_content: _ => token.immediate(prec(1, /[^"\\\n]+/)),

    escape_sequence: _ => token.immediate(seq(
      '\\',
      choice('"', '\\', 'n', 't', /u\{[0-9a-fA-F]{1,6}\}/),
    )),

    // `45s`, `2m`, `1m30s`; ranges (seconds 0-59 with minutes, at most 59m59s) are the
    // compiler's to check.
    duration: _ => /[0-9]+m[0-9]+s|[0-9]+[ms]/,

    // `priority -5`.
    integer: _ => /-?[0-9]+/,

    // Comparison values: `120` (`app.build`), `49.99` (number attributes, version 2).
    number: _ => /-?[0-9]+(\.[0-9]+)?/,

    comment: _ => token(seq('//', /[^\n]*/)),
  },
});
