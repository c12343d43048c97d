// The TextMate grammar, run through VS Code's own engine: the scopes of specific tokens in a
// fixture, edge cases, and invariants over every .pm file under examples/.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { EXTENSION_ROOT, REPO_ROOT, pmFilesUnder, tokenize, type Token } from './tokenize';

const FIXTURE = path.join(EXTENSION_ROOT, 'test', 'fixtures', 'sample.pm');
const EXAMPLES = path.join(EXTENSION_ROOT, '..', '..', 'examples');

const ROOT = 'source.pm';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const CLAUSE_KEYWORDS = [
  'brand', 'channel', 'say', 'respond', 'agent', 'ai_agent', 'follow_up', 'collect', 'answer',
  'when', 'after', 'tags', 'send', 'frequency', 'priority', 'status',
];
const CONSTANTS = [
  'new', 'returning', 'anytime', 'during', 'outside', 'business_hours', 'once_per_device',
  'once_per_visit', 'every_time', 'published', 'paused', 'none', 'name', 'email', 'screen_open',
];
const OBJECTS = ['visitor', 'device'];
const FIELDS = ['page_url', 'page_title', 'visit_history', 'language'];

function describeTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => `  ${t.line + 1}:${t.column + 1} ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
}

/** Tokenized text with look-ups by line and token text. */
class Tokenized {
  private constructor(
    readonly lines: readonly string[],
    readonly tokens: readonly Token[],
  ) {}

  static async of(text: string): Promise<Tokenized> {
    return new Tokenized(text.split(/\r?\n/), await tokenize(text));
  }

  /** The `occurrence`-th token whose text is `text` on the first line containing `lineMarker`. */
  at(lineMarker: string, text: string, occurrence = 0): Token {
    const line = this.lines.findIndex((l) => l.includes(lineMarker));
    assert.notEqual(line, -1, `no line contains ${JSON.stringify(lineMarker)}`);
    const onLine = this.tokens.filter((t) => t.line === line);
    const matching = onLine.filter((t) => t.text === text);
    const token = matching[occurrence];
    assert.ok(
      token !== undefined,
      `no token ${JSON.stringify(text)} (#${occurrence}) on line ${line + 1}; its tokens are:\n${describeTokens(onLine)}`,
    );
    return token;
  }

  /** Tokens whose text is `text`, anywhere. */
  all(text: string): Token[] {
    return this.tokens.filter((t) => t.text === text);
  }
}

function assertScope(token: Token, scope: string): void {
  assert.ok(
    token.scopes.includes(scope),
    `${token.line + 1}:${token.column + 1} ${JSON.stringify(token.text)} has scopes [${token.scopes.join(', ')}], expected ${scope}`,
  );
}

function assertNoScope(token: Token, scope: string): void {
  assert.ok(
    !token.scopes.includes(scope),
    `${token.line + 1}:${token.column + 1} ${JSON.stringify(token.text)} has scopes [${token.scopes.join(', ')}], must not have ${scope}`,
  );
}

function assertPlain(token: Token): void {
  assert.deepEqual(token.scopes, [ROOT], `${JSON.stringify(token.text)} should be a plain identifier`);
}

const inStringOrComment = (t: Token): boolean =>
  t.scopes.some((s) => s.startsWith('string.') || s.startsWith('comment.'));

describe('grammar: the fixture', async () => {
  const fixture = await Tokenized.of(fs.readFileSync(FIXTURE, 'utf8'));

  it('scopes comments, whole-line and trailing', () => {
    const whole = fixture.tokens.filter((t) => t.line === 0);
    assert.ok(whole.length > 0);
    for (const token of whole) {
      assertScope(token, 'comment.line.double-slash.pm');
    }
    assertScope(fixture.at('// Fixture', '//'), 'punctuation.definition.comment.pm');
    assertScope(fixture.at('after screen_open 0m30s', ' dwell for half a minute'), 'comment.line.double-slash.pm');
    assertScope(fixture.at('after screen_open 0m30s', '0m30s'), 'constant.numeric.duration.pm');
  });

  it('scopes item keywords and the names they declare', () => {
    assertScope(fixture.at('condition pricing_pages', 'condition'), 'keyword.declaration.pm');
    assertScope(fixture.at('condition pricing_pages', 'pricing_pages'), 'entity.name.function.condition.pm');
    assertScope(fixture.at('condition returning_french', 'returning_french'), 'entity.name.function.condition.pm');
    assertScope(fixture.at('condition pricing_pages', '='), 'punctuation.separator.assignment.pm');

    const message = fixture.at('message "Pricing help"', 'message');
    assertScope(message, 'keyword.declaration.pm');
    const name = fixture.at('message "Pricing help"', 'Pricing help');
    assertScope(name, 'entity.name.type.message.pm');
    assertScope(name, 'string.quoted.double.pm');
    const open = fixture.at('message "Pricing help"', '"', 0);
    assertScope(open, 'punctuation.definition.string.begin.pm');
    assertScope(fixture.at('message "Pricing help"', '"', 1), 'punctuation.definition.string.end.pm');
    assertScope(fixture.at('message "Pricing help"', '{'), 'punctuation.section.block.begin.pm');
    assertScope(fixture.at('message "Order status bot"', 'Order status bot'), 'entity.name.type.message.pm');

    // A string that is not a message's name is not a name.
    assertNoScope(fixture.at('brand "Acme"', 'Acme'), 'entity.name.type.message.pm');
    assertScope(fixture.at('brand "Acme"', 'Acme'), 'string.quoted.double.pm');
  });

  it('scopes every clause keyword', () => {
    for (const keyword of CLAUSE_KEYWORDS) {
      const found = fixture.all(keyword).filter((t) => !inStringOrComment(t));
      assert.ok(found.length > 0, `the fixture has no ${keyword}`);
      for (const token of found) {
        assertScope(token, 'keyword.other.clause.pm');
      }
    }
  });

  it('scopes every constant', () => {
    for (const constant of CONSTANTS) {
      const found = fixture.all(constant).filter((t) => !inStringOrComment(t));
      assert.ok(found.length > 0, `the fixture has no ${constant}`);
      for (const token of found) {
        assertScope(token, 'constant.language.pm');
      }
    }
  });

  it('scopes strings and their escapes, emoji included', () => {
    const say = 'say "Hi there';
    assertScope(fixture.at(say, 'say'), 'keyword.other.clause.pm');
    for (const escape of ['\\"', '\\n', '\\t', '\\u{1F44B}', '\\\\']) {
      const token = fixture.at(say, escape);
      assertScope(token, 'constant.character.escape.pm');
      assertScope(token, 'string.quoted.double.pm');
    }
    const emoji = fixture.tokens.find((t) => t.text.includes('👋'));
    assert.ok(emoji !== undefined);
    assertScope(emoji, 'string.quoted.double.pm');
    // The escaped quote does not end the string: the text after it is still inside.
    assertScope(fixture.at(say, '?'), 'string.quoted.double.pm');
    assertScope(fixture.at(say, ' anything'), 'string.quoted.double.pm');
    // … and the string ends where it should: the next line is code again.
    assertScope(fixture.at('respond agent {', 'respond'), 'keyword.other.clause.pm');
    assertScope(fixture.at('say "Last one', '\\u{1f600}'), 'constant.character.escape.pm');
  });

  it('scopes durations and integers, negative ones too', () => {
    assertScope(fixture.at('after screen_open 10s', '10s'), 'constant.numeric.duration.pm');
    assertScope(fixture.at('after screen_open 2m', '2m'), 'constant.numeric.duration.pm');
    assertScope(fixture.at('after screen_open 45s', '45s'), 'constant.numeric.duration.pm');
    assertNoScope(fixture.at('after screen_open 45s', '45s'), 'constant.numeric.integer.pm');
    assertScope(fixture.at('priority -10', '-10'), 'constant.numeric.integer.pm');
    assertScope(fixture.at('priority 3', '3'), 'constant.numeric.integer.pm');
  });

  it('scopes logical and comparison operators, `is not`, `not contains` and `not ends_with` as one operator', () => {
    const isNot = fixture.at('condition returning_french', 'is not');
    assertScope(isNot, 'keyword.operator.comparison.pm');
    assertNoScope(isNot, 'keyword.operator.logical.pm');
    const notContains = fixture.at('visitor.page_title not contains', 'not contains');
    assertScope(notContains, 'keyword.operator.comparison.pm');
    assertNoScope(notContains, 'keyword.operator.logical.pm');
    assertScope(fixture.at('condition pricing_pages', 'contains'), 'keyword.operator.comparison.pm');
    assertScope(fixture.at('condition docs_pages', 'starts_with'), 'keyword.operator.comparison.pm');
    const notEndsWith = fixture.at('condition docs_pages', 'not ends_with');
    assertScope(notEndsWith, 'keyword.operator.comparison.pm');
    assertNoScope(notEndsWith, 'keyword.operator.logical.pm');
    assertScope(fixture.at('and (device.language is "fr"', 'is', 0), 'keyword.operator.comparison.pm');
    assertScope(fixture.at('and (device.language is "fr"', 'and'), 'keyword.operator.logical.pm');
    assertScope(fixture.at('and (device.language is "fr"', 'or'), 'keyword.operator.logical.pm');
    const not = fixture.at('condition not_checkout', 'not');
    assertScope(not, 'keyword.operator.logical.pm');
    assertScope(fixture.at('condition not_checkout', '('), 'punctuation.section.parens.begin.pm');
    assertScope(fixture.at('condition not_checkout', ')'), 'punctuation.section.parens.end.pm');
  });

  it('scopes objects, fields and punctuation', () => {
    const line = 'condition pricing_pages';
    assertScope(fixture.at(line, 'visitor'), 'variable.language.object.pm');
    assertScope(fixture.at(line, '.'), 'punctuation.accessor.pm');
    assertScope(fixture.at(line, 'page_url'), 'variable.other.property.pm');
    assertScope(fixture.at(line, '['), 'punctuation.section.brackets.begin.pm');
    assertScope(fixture.at(line, ','), 'punctuation.separator.comma.pm');
    assertScope(fixture.at(line, ']'), 'punctuation.section.brackets.end.pm');
    assertScope(fixture.at(line, 'pricing'), 'string.quoted.double.pm');
    for (const object of OBJECTS) {
      assert.ok(fixture.all(object).length > 0);
      fixture.all(object).forEach((t) => assertScope(t, 'variable.language.object.pm'));
    }
    for (const field of FIELDS) {
      assert.ok(fixture.all(field).length > 0, `the fixture has no ${field}`);
      fixture.all(field).forEach((t) => assertScope(t, 'variable.other.property.pm'));
    }
    // A trailing comma in a list.
    assertScope(fixture.at('"checkout", "cart",]', ',', 1), 'punctuation.separator.comma.pm');
    assertScope(fixture.at('collect name, email', ','), 'punctuation.separator.comma.pm');
    assertScope(fixture.at('collect none }', '}'), 'punctuation.section.block.end.pm');
  });

  it('leaves references to named conditions plain', () => {
    assertPlain(fixture.at('when pricing_pages', 'pricing_pages'));
    assertPlain(fixture.at('when returning_french and not_checkout', 'not_checkout'));
  });
});

describe('grammar: edge cases', () => {
  it('marks invalid escapes, keeping the string open', async () => {
    const t = await Tokenized.of('say "a \\q b \\u{110000000} c \\u d \\u{12"\nafter screen_open');
    for (const bad of ['\\q', '\\u{110000000}', '\\u']) {
      assertScope(t.at('say', bad), 'invalid.illegal.escape.pm');
      assertScope(t.at('say', bad), 'string.quoted.double.pm');
    }
    assertScope(t.at('say', ' c '), 'string.quoted.double.pm');
    // `\u{12` has no closing brace: invalid up to the quote, which still closes the string.
    assertScope(t.at('say', '\\u{12'), 'invalid.illegal.escape.pm');
    assertScope(t.at('after', 'after'), 'keyword.other.clause.pm');
  });

  it('ends an unterminated string at the end of its line, as the lexer does', async () => {
    const t = await Tokenized.of('say "never closed\\\nafter screen_open 5s\nmessage "also open\nfrequency every_time');
    assertScope(t.at('say', 'never closed'), 'string.quoted.double.pm');
    assertScope(t.at('say', '\\'), 'invalid.illegal.escape.pm');
    assertScope(t.at('after', 'after'), 'keyword.other.clause.pm');
    assertScope(t.at('after', '5s'), 'constant.numeric.duration.pm');
    assertScope(t.at('message', 'also open'), 'entity.name.type.message.pm');
    assertScope(t.at('frequency', 'frequency'), 'keyword.other.clause.pm');
  });

  it('does not take keywords out of longer identifiers', async () => {
    const t = await Tokenized.of('when island and notable or sayings and visitor_x and is_new');
    for (const word of ['island', 'notable', 'sayings', 'visitor_x', 'is_new']) {
      assertPlain(t.at('when', word));
    }
  });

  it('reads `is  not` across spaces and `not` before `(` as logical', async () => {
    const t = await Tokenized.of('when device.language is  not "fr" and not (visitor.page_url is "x")');
    assertScope(t.at('when', 'is  not'), 'keyword.operator.comparison.pm');
    assertScope(t.at('when', 'not'), 'keyword.operator.logical.pm');
  });

  it('keeps a keyword without a name a declaration keyword', async () => {
    const t = await Tokenized.of('message\n{\n}\ncondition');
    assertScope(t.at('message', 'message'), 'keyword.declaration.pm');
    assertScope(t.at('condition', 'condition'), 'keyword.declaration.pm');
  });

  it('marks numbers glued to letters and stray characters invalid', async () => {
    const t = await Tokenized.of('after screen_open 5min; @ 1m30s 12');
    assertScope(t.at('after', '5min'), 'invalid.illegal.number.pm');
    assertScope(t.at('after', ';'), 'invalid.illegal.character.pm');
    assertScope(t.at('after', '@'), 'invalid.illegal.character.pm');
    assertScope(t.at('after', '1m30s'), 'constant.numeric.duration.pm');
    assertScope(t.at('after', '12'), 'constant.numeric.integer.pm');
  });

  it('does not read a comment inside a string', async () => {
    const t = await Tokenized.of('channel "https://acme.example/x" // real comment');
    assertScope(t.at('channel', 'https://acme.example/x'), 'string.quoted.double.pm');
    assertNoScope(t.at('channel', 'https://acme.example/x'), 'comment.line.double-slash.pm');
    assertScope(t.at('channel', ' real comment'), 'comment.line.double-slash.pm');
  });
});

/** What a word outside strings and comments must be scoped as, wherever it appears. */
function expectedScopeOfWord(word: string): string | undefined {
  if (word === 'message' || word === 'condition') return 'keyword.declaration.pm';
  if (CLAUSE_KEYWORDS.includes(word)) return 'keyword.other.clause.pm';
  if (CONSTANTS.includes(word)) return 'constant.language.pm';
  if (OBJECTS.includes(word)) return 'variable.language.object.pm';
  if (word === 'and' || word === 'or' || word === 'not') return 'keyword.operator.logical.pm';
  if (/^(?:is|contains|starts_with|ends_with|matches)$/.test(word) || /^(?:is\s+not|not\s+(?:contains|starts_with|ends_with|matches))$/.test(word)) {
    return 'keyword.operator.comparison.pm';
  }
  return undefined;
}

describe('grammar: every .pm file under examples/ and the fixture', () => {
  const examples = pmFilesUnder(EXAMPLES);
  const files = [...examples, FIXTURE];

  it('finds the files', (t) => {
    t.diagnostic(`${examples.length} .pm file(s) under ${path.relative(REPO_ROOT, EXAMPLES) || '.'}/ plus the fixture`);
    assert.ok(files.length >= 1);
  });

  for (const file of files) {
    const name = path.relative(REPO_ROOT, file);
    const expectErrors = path.relative(EXAMPLES, file).split(path.sep)[0] === 'errors';

    it(`${name}: every non-whitespace token has a scope or is a plain identifier`, async () => {
      const tokens = await tokenize(fs.readFileSync(file, 'utf8'));
      const unscoped = tokens.filter(
        (t) => t.scopes.length === 1 && !t.text.trim().split(/\s+/).every((part) => part === '' || IDENTIFIER.test(part)),
      );
      assert.deepEqual(unscoped, [], `tokens with only ${ROOT}:\n${describeTokens(unscoped)}`);
      for (const token of tokens) {
        assert.equal(token.scopes[0], ROOT);
      }
    });

    it(`${name}: keywords, operators, objects and constants get their scopes`, async () => {
      const tokens = await tokenize(fs.readFileSync(file, 'utf8'));
      const wrong = tokens.filter((t) => {
        if (inStringOrComment(t) || t.scopes.some((s) => s.startsWith('variable.other.property') || s.startsWith('entity.name'))) {
          return false;
        }
        const expected = expectedScopeOfWord(t.text.trim());
        return expected !== undefined && !t.scopes.includes(expected);
      });
      assert.deepEqual(wrong, [], `mis-scoped tokens:\n${describeTokens(wrong)}`);
    });

    if (!expectErrors) {
      it(`${name}: no token is marked invalid`, async () => {
        const tokens = await tokenize(fs.readFileSync(file, 'utf8'));
        const invalid = tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
        assert.deepEqual(invalid, [], `invalid tokens in a file that should be clean:\n${describeTokens(invalid)}`);
      });
    }
  }
});
