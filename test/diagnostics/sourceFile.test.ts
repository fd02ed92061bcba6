import { test } from "uvu";
import * as assert from "uvu/assert";
import { SourceFile } from "../../src/diagnostics/index.js";
import { readYaml } from "../../src/semantic/fromYaml.js";

// Lines as editors count them (the language server protocol's terminators: \n, \r\n and a lone \r) and as YAML reads
// them, so a diagnostic's line:column is where the editor shows it.

test("\\n, \\r\\n and a lone \\r end a line; columns start after the break", () => {
  const f = new SourceFile("f.yaml", "a: 1\nb: 2\r\nc: 3\rd: 4\n");
  const at = (s: string) => f.position(f.text.indexOf(s));
  assert.equal([at("a"), at("b"), at("c"), at("d")], [{ line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 1 }]);
  assert.equal([f.lineText(2), f.lineText(3), f.lineText(4)], ["b: 2", "c: 3", "d: 4"]);
  assert.is(f.offsetAt(4, 1), f.text.indexOf("d"));
});

test("a YAML value after a lone \\r is read, and located on the line the editor shows", () => {
  const text = "model:\r  arch: blip_caption\nrun:\r  init_lr: [x\n";
  const r = readYaml(text, "f.yaml");
  const f = new SourceFile("f.yaml", text);
  const located = r.diagnostics.map((d) => ({ code: d.code, ...f.position(d.span!.start) }));
  assert.ok(located.length > 0 && located.every((d) => d.code === "LV1008" && d.line >= 4), JSON.stringify(located));
});

test.run();
