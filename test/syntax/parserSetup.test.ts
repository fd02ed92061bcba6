import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CstNode } from "chevrotain";
import { lvLexer } from "../../src/syntax/lexer.js";
import { CstChildren, lvParser } from "../../src/syntax/parser.js";

// How the parser is set up for speed relies on chevrotain internals; these tests fail when a chevrotain upgrade
// changes them, instead of the parser silently getting slower (its speed itself is measured by bench/, never here).

const Setup = suite("syntax: parser set-up");

Setup("CST nodes get fast `children` (chevrotain still calls cstInvocationStateUpdate)", () => {
  const parser = lvParser();
  parser.input = lvLexer().tokenize("schema S { a: int = 1 }").tokens;
  const cst = parser.file();
  assert.equal(parser.errors, []);
  const seen: CstNode[] = [];
  const walk = (n: CstNode) => {
    seen.push(n);
    for (const k in n.children) for (const c of n.children[k]!) if ("children" in c) walk(c);
  };
  walk(cst);
  assert.ok(seen.length > 5);
  for (const n of seen) assert.is(Object.getPrototypeOf(n.children), CstChildren.prototype, n.name);
});

Setup.run();
