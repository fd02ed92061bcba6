import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseExpression } from "../../src/syntax/parse.js";
import { plainLiteral } from "../../src/syntax/plainLiteral.js";
import { RESERVED_WORDS } from "../../src/syntax/literalPatterns.js";
import { lvLexer } from "../../src/syntax/lexer.js";
import { Name } from "../../src/syntax/tokens.js";
import { tokenMatcher } from "../../src/syntax/chevrotain.js";

// `--set` values that are one plain literal skip the lexer and parser (plainLiteral.ts): what it reads must be exactly
// what parseExpression gives, and the rest must be left to parseExpression.

const VALUES = [
  "0", "16", "007", "99999999999999999999", "3e-5", "1E+5", "1.5", "1.", ".5", "1.0e3", "inf", "nan", "infx", "nanny",
  '""', '"a.json"', '"a b"', '"a\\"b"', '"a\\n"', '"abc', "true", "false", "null", "True", "NULL", "blip_caption",
  "_x", "recipe.init_lr", "model", "type.x", "a.b.c", "log", "in", "not", "a.in", "a.1", "a..b", "a.", ".a", "1.2.3",
  "-1", "+1", "[1]", "a b", " 3", "3 ", "x.inf", "${recipe.x}", "a-b", "é",
];

test("every value plainLiteral reads gives parseExpression's expression, without diagnostics", () => {
  let read = 0;
  for (const v of VALUES) {
    const plain = plainLiteral(v, "<v>");
    if (!plain) continue;
    read++;
    const parsed = parseExpression(v, "<v>");
    assert.equal(parsed.diagnostics, [], `${v}: parseExpression reports something`);
    assert.equal(plain, parsed.expr, v);
  }
  assert.ok(read >= 20, `${read} values read`);
});

test("what it leaves to parseExpression", () => {
  for (const v of ['"a\\"b"', '"a\\n"', '"abc', "in", "not", "a.in", "a.1", "a..b", "a.", "-1", "[1]", "a b", " 3", "x.inf", "${recipe.x}"]) {
    assert.is(plainLiteral(v, "<v>"), null, v);
  }
});

test("its reserved words are the lexer's words that are not names", () => {
  for (const w of RESERVED_WORDS) assert.not.ok(tokenMatcher(lvLexer().tokenize(w).tokens[0]!, Name), `${w} lexes as a name`);
  for (const w of ["model", "type", "log", "linear", "set", "count", "experiment"]) assert.ok(tokenMatcher(lvLexer().tokenize(w).tokens[0]!, Name), w);
});

test.run();
