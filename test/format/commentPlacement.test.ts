import { suite } from "uvu";
import * as assert from "uvu/assert";
import { lvLexer } from "../../src/syntax/lexer.js";
import { listCases } from "../harness/listCases.js";
import { checkFormat } from "../harness/formatChecks.js";
import { seededRandom } from "../harness/seededRandom.js";

// Comments dropped between any two tokens of the format cases: the formatter must keep each one, in order, keep
// `///` docs attached to what they document, and stay idempotent.

const Placement = suite("format: comments at random token boundaries");
const kinds = [(n: number) => ` /* c${n} */ `, (n: number) => ` // c${n}\n`, (n: number) => ` /// d${n}\n`];

for (const input of listCases("test/cases/format")) {
  Placement(`${input.name}: 30 placements`, () => {
    const rnd = seededRandom(input.text.length);
    const tokens = lvLexer().tokenize(input.text).tokens;
    for (let n = 0; n < 30; n++) {
      const count = 1 + Math.floor(rnd() * 3);
      const offsets = Array.from({ length: count }, () => {
        const t = tokens[Math.floor(rnd() * tokens.length)]!;
        return rnd() < 0.5 ? t.startOffset : t.endOffset! + 1;
      }).sort((a, b) => b - a);
      let text = input.text;
      offsets.forEach((at, i) => (text = text.slice(0, at) + kinds[Math.floor(rnd() * kinds.length)]!(i) + text.slice(at)));
      const { problems } = checkFormat(text, "c.lv");
      assert.equal(problems, [], `placement #${n} broke the formatter contract\n--- input ---\n${text}`);
    }
  });
}

Placement.run();
