import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";

// One mistake, one error: each cascade rule of src/syntax/syntaxDiagnostics.ts on a minimal input.

const errors = (text: string) => parse(text, "c.lv").diagnostics.map((d) => `${d.code} ${text.slice(0, d.span!.start).split("\n").length}: ${d.message}`);

const Cascades = suite("syntax: cascades are dropped");

Cascades("a second error on the same line", () => {
  assert.equal(errors("schema S {\n  a = = = 1\n  b = 2\n}\n"), ["LV1002 2: Expected a value but found `=`."]);
});

Cascades("closing brackets after an unterminated string", () => {
  assert.equal(errors('schema S {\n  a = ["x, y]\n  b = 1\n}\n'), ["LV1003 2: This string is not closed before the end of the line."]);
});

Cascades("errors before recovery reaches a new line (a number re-read as a key)", () => {
  assert.equal(errors("schema S {\n  a = * 2\n  b = 1\n}\n"), ["LV1002 2: Expected a value but found `*`."]);
});

Cascades("the same closing bracket expected again on the following lines", () => {
  assert.equal(errors("schema S {\n  a = [1, 2\n  b = 1\n  c = 2\n}\n"), ["LV1002 2: Expected ']' but found the end of the line."]);
});

Cascades("a broken declaration header: its members are not reported as stray declarations", () => {
  assert.equal(errors('schema S : "Base {\n  a: int\n  b: int\n}\nschema T {}\n'), ['LV1002 1: Expected a name but found the string "Base {.']);
});

Cascades("a parser error caused by a dropped character", () => {
  assert.equal(errors("schema S {\n  a = @\n  b = 1\n}\n"), ["LV1001 2: Unexpected character `@`."]);
});

Cascades("independent mistakes on consecutive lines are all reported", () => {
  assert.equal(errors("schema S {\n  a = * 1\n  b = * 2\n  c 3\n}\n"), [
    "LV1002 2: Expected a value but found `*`.",
    "LV1002 3: Expected a value but found `*`.",
    "LV1002 4: Expected '=' but found `3`.",
  ]);
});

Cascades("a mistake found on the next line is reported where it is", () => {
  assert.equal(errors("schema S {\n  a =\n  b = 1\n}\n"), ["LV1002 2: Expected a value but found the end of the line."]);
  assert.equal(errors("schema S {\n  a: int |\n  b: int\n}\n"), ["LV1002 2: Expected a type but found the end of the line."]);
  assert.equal(errors("schema S {\n  a = (1 + 2\n  b = 1\n}\n"), ["LV1002 2: Expected ')' but found the end of the line."]);
});

Cascades.run();
