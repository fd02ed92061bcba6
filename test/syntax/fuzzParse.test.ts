import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";
import { listCases } from "../harness/listCases.js";
import { checkFormat } from "../harness/formatChecks.js";
import { seededRandom } from "../harness/seededRandom.js";
import { mutate } from "../harness/lvMutations.js";

// Seeded mutations of valid files: the parser must never throw, every diagnostic and AST span must lie inside the
// text, and whatever still parses cleanly must format to a stable, equivalent text.

function assertSpansInside(node: unknown, text: string, path: string, where: string): void {
  if (Array.isArray(node)) return node.forEach((n) => assertSpansInside(n, text, path, where));
  if (!node || typeof node !== "object") return;
  const span = (node as { span?: { file: string; start: number; end: number } }).span;
  if (span) {
    const ok = span.file === path && 0 <= span.start && span.start <= span.end && span.end <= text.length;
    assert.ok(ok, `${where}: bad AST span ${JSON.stringify(span)} on ${(node as { kind?: string }).kind}`);
  }
  for (const v of Object.values(node)) if (v && typeof v === "object") assertSpansInside(v, text, path, where);
}

const Fuzz = suite("syntax: seeded mutations");
const inputs = listCases("test/cases/format");
const perInput = Math.ceil(300 / inputs.length);

for (const input of inputs) {
  Fuzz(`${input.name}: ${perInput} mutations`, () => {
    const rnd = seededRandom(input.name.length * 7919 + 17);
    let text = input.text;
    for (let n = 0; n < perInput; n++) {
      // Every fourth mutation builds on the previous one, so several mistakes meet in one file.
      const base = n % 4 === 0 ? input.text : text;
      const m = mutate(base, rnd);
      text = m.text;
      const where = `${input.name} #${n} (${m.how})`;
      let result;
      try {
        result = parse(text, "m.lv");
      } catch (e) {
        assert.unreachable(`${where}: parse threw ${(e as Error).stack}\n--- text ---\n${text}`);
        return;
      }
      for (const d of result.diagnostics) {
        assert.ok(d.span, `${where}: syntax diagnostic without a span`);
        const ok = d.span.file === "m.lv" && 0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= text.length;
        assert.ok(ok, `${where}: bad span ${JSON.stringify(d.span)} for ${d.message}`);
        assert.match(d.code, /^LV1\d{3}$/);
      }
      assertSpansInside(result.ast, text, "m.lv", where);
      if (result.diagnostics.length === 0) {
        const { problems } = checkFormat(text, "m.lv");
        assert.equal(problems, [], `${where}: formatter contract broken\n--- text ---\n${text}`);
      }
    }
  });
}

Fuzz.run();
