import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";
import { SourceFile, SourceSet, diag, diagnosticsToJson, sortDiagnostics } from "../../src/diagnostics/index.js";

// The `--format json` document: exactly the documented keys, 1-based lines and columns.

const Json = suite("diagnostics: JSON shape");
const text = "experiment caption {\n  recipe {\n    max_len 20\n  }\n}\n";
const sources = new SourceSet();
sources.add(new SourceFile("x.lv", text));

Json("top level and per-diagnostic keys are exactly the documented ones", () => {
  const doc = JSON.parse(diagnosticsToJson(sortDiagnostics(parse(text, "x.lv").diagnostics), sources));
  assert.equal(Object.keys(doc), ["diagnostics", "errors", "warnings"]);
  assert.is(doc.errors, 1);
  assert.is(doc.warnings, 0);
  assert.equal(Object.keys(doc.diagnostics[0]), ["code", "severity", "message", "file", "line", "column", "endLine", "endColumn", "path", "hint", "related"]);
});

Json("positions are 1-based and the values are those of the diagnostic", () => {
  const doc = JSON.parse(diagnosticsToJson(parse(text, "x.lv").diagnostics, sources));
  assert.equal(doc.diagnostics[0], {
    code: "LV1002",
    severity: "error",
    message: "Expected '=' but found `20`.",
    file: "x.lv",
    line: 3,
    column: 13,
    endLine: 3,
    endColumn: 15,
    path: null,
    hint: null,
    related: [],
  });
});

Json("related entries have file, line, column and message", () => {
  const span = (start: number, end: number) => ({ file: "x.lv", start, end });
  const d = diag("LV2002", span(33, 40), { key: "max_len", section: "recipe" }, { related: [{ span: span(0, 10), message: "first here" }], path: "run.max_len" });
  const doc = JSON.parse(diagnosticsToJson([d], sources));
  assert.equal(doc.diagnostics[0].related, [{ file: "x.lv", line: 1, column: 1, message: "first here" }]);
  assert.is(doc.diagnostics[0].path, "run.max_len");
});

Json("a diagnostic without a span has null positions", () => {
  const doc = JSON.parse(diagnosticsToJson([diag("LV1011", null, { detail: "missing" })], sources));
  const d = doc.diagnostics[0];
  assert.equal([d.file, d.line, d.column, d.endLine, d.endColumn], [null, null, null, null, null]);
});

Json.run();
