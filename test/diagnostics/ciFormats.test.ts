import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// `check --format sarif` and `--format github` (src/diagnostics/sarif.ts, githubAnnotations.ts): the same diagnostics
// as `--format json`, at the same places, in the forms code scanning and GitHub Actions read.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
// Three problems: a quoted number (LV3001, with a hint), a misspelt key (LV2001), a stdlib warning with related spans (LV4002).
const broken = caption
  .replace("batch_size_eval: 64", 'batch_size_eval: "64"')
  .replace("num_beams: 3", "num_beams: 3\n  num_beam: 5")
  .replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");

interface JsonDiagnostic { code: string; severity: string; message: string; file: string | null; line: number | null; column: number | null; endLine: number | null; endColumn: number | null; path: string | null; hint: string | null; related: unknown[] }

async function check(file: string, text: string, format: string, extra: string[] = []): Promise<{ out: string; code: number }> {
  const h = memoryHost({ [`/p/${file}`]: text }, "/p");
  const code = await runCli(["check", file, "--format", format, ...extra], h);
  return { out: h.out, code };
}

async function jsonOf(file: string, text: string, extra: string[] = []): Promise<JsonDiagnostic[]> {
  return (JSON.parse((await check(file, text, "json", extra)).out) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

test("the fixture has the three problems the tests below look for", async () => {
  const codes = (await jsonOf("a.yaml", broken)).map((d) => d.code).sort();
  assert.equal(codes, ["LV2001", "LV3001", "LV4002"]);
});

test("sarif: one result per diagnostic, at --format json's places, with one rule per code and the exit code of check", async () => {
  const expected = await jsonOf("a.yaml", broken);
  const { out, code } = await check("a.yaml", broken, "sarif");
  assert.is(code, 1);
  const log = JSON.parse(out);
  assert.is(log.version, "2.1.0");
  assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
  assert.is(log.runs.length, 1);
  const run = log.runs[0];
  assert.is(run.tool.driver.name, "lavisc");
  const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
  assert.equal(rules.map((r) => r.id).sort(), [...new Set(expected.map((d) => d.code))].sort());
  for (const r of rules) {
    assert.not.match(r.shortDescription.text, /\{\w+\}/, `${r.id}'s description has no placeholders left`);
    assert.ok(/[a-z]{3}/.test(r.shortDescription.text), `${r.id}'s description says something: ${r.shortDescription.text}`);
  }
  assert.is(run.results.length, expected.length);
  run.results.forEach((res: any, i: number) => {
    const d = expected[i]!;
    assert.is(res.ruleId, d.code);
    assert.is(rules[res.ruleIndex]!.id, d.code);
    assert.is(res.level, d.severity);
    assert.ok(res.message.text.startsWith(d.message));
    if (d.hint) assert.ok(res.message.text.endsWith(`help: ${d.hint}`));
    const [loc] = res.locations;
    assert.equal(loc.physicalLocation.artifactLocation, { uri: "a.yaml", uriBaseId: "%SRCROOT%" });
    assert.equal(loc.physicalLocation.region, { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn });
    assert.equal(loc.logicalLocations, [{ fullyQualifiedName: d.path, kind: "property" }]);
    assert.is((res.relatedLocations ?? []).length, d.related.length);
  });
  assert.is(run.originalUriBaseIds["%SRCROOT%"].uri, "file:///p/");
});

test("sarif: a related location in the stdlib is named under LAVISC_STDLIB, the installed stdlib's folder", async () => {
  const run = JSON.parse((await check("a.yaml", broken, "sarif")).out).runs[0];
  const warning = run.results.find((r: any) => r.ruleId === "LV4002");
  const inStdlib = warning.relatedLocations.filter((r: any) => r.physicalLocation.artifactLocation.uriBaseId === "LAVISC_STDLIB");
  assert.ok(inStdlib.length >= 1);
  assert.is(inStdlib[0].physicalLocation.artifactLocation.uri, "recipe.lv");
  assert.ok(inStdlib[0].physicalLocation.region.startLine > 0);
  assert.match(run.originalUriBaseIds.LAVISC_STDLIB.uri, /^file:\/\/.*\/stdlib\/$/);
});

test("sarif: a problem in a --set value has no file; the result names the value and the configuration path", async () => {
  const run = JSON.parse((await check("a.yaml", caption, "sarif", ["--set", "run.max_len=abc"])).out).runs[0];
  const [res] = run.results;
  assert.is(res.ruleId, "LV3001");
  assert.equal(res.locations, [{ logicalLocations: [{ fullyQualifiedName: "run.max_len", kind: "property" }] }]);
  assert.match(res.message.text, /\(in <--set #1>: `run\.max_len=abc`\)/);
});

test("the exit code is check's, whatever the format", async () => {
  for (const text of [caption, broken]) {
    const codes = await Promise.all(["text", "json", "sarif", "github"].map(async (f) => (await check("a.yaml", text, f)).code));
    assert.equal(codes, [codes[0], codes[0], codes[0], codes[0]]);
  }
  assert.is((await check("a.yaml", caption, "sarif")).code, 0);
});

test("sarif: a path with a space or # is percent-encoded in its URI", async () => {
  const run = JSON.parse((await check("my configs/a#1.yaml", broken, "sarif")).out).runs[0];
  assert.is(run.results[0].locations[0].physicalLocation.artifactLocation.uri, "my%20configs/a%231.yaml");
});

test("github: one workflow command per diagnostic, at --format json's places", async () => {
  const expected = await jsonOf("a.yaml", broken);
  const { out, code } = await check("a.yaml", broken, "github");
  assert.is(code, 1);
  const lines = out.trimEnd().split("\n");
  assert.is(lines.length, expected.length);
  lines.forEach((line, i) => {
    const d = expected[i]!;
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    assert.ok(m, line);
    assert.is(m![1], d.severity === "info" ? "notice" : d.severity);
    assert.is(m![2], `title=lavisc ${d.code},file=a.yaml,line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn}`);
    const message = decodeURIComponent(m![3]!);
    assert.ok(message.startsWith(d.message), message);
    assert.is(message.split("\n").length, 1 + d.related.length + (d.hint ? 1 : 0));
  });
});

test("github: a file name's `,` and `:` and a message's `%` and line breaks are escaped as the runner expects", async () => {
  const { out } = await check("a,b:c.yaml", broken.replace("num_beam: 5", "num_beam%: 5"), "github");
  const line = out.split("\n").find((l) => l.includes("LV2001"))!;
  assert.match(line, /file=a%2Cb%3Ac\.yaml,/);
  assert.match(line, /Unknown key `num_beam%25` in `run`\.%0Ahelp: /);
  assert.not.match(line.slice(2), /\n/);
});

test("github: a problem in a --set value is an annotation without a file, saying where", async () => {
  const { out } = await check("a.yaml", caption, "github", ["--set", "run.max_len=abc"]);
  assert.match(out, /^::error title=lavisc LV3001::`run\.max_len` expects an integer but got the string "abc"\.%0Aat <--set #1>:1:13%0A/);
});

test("--max-warnings N: more warnings than N exit 1 in every format (text says so), N or fewer exit 0", async () => {
  const warned = caption.replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");
  const warnings = (await jsonOf("a.yaml", warned)).filter((d) => d.severity === "warning").length;
  assert.ok(warnings >= 1, "the fixture has warnings");
  for (const format of ["text", "json", "sarif", "github"]) {
    assert.is((await check("a.yaml", warned, format, ["--max-warnings", String(warnings - 1)])).code, 1, format);
    assert.is((await check("a.yaml", warned, format, ["--max-warnings", String(warnings)])).code, 0, format);
  }
  const text = await check("a.yaml", warned, "text", ["--max-warnings", "0"]);
  assert.match(text.out, new RegExp(`\\n${warnings} warnings?: more than --max-warnings 0\\n$`));
  assert.is((await check("a.yaml", broken, "text", ["--max-warnings", "100"])).code, 1, "errors still fail");
  assert.is((await check("a.yaml", warned, "text", ["--max-warnings", "-1"])).code, 2, "a usage error");
});

test("--statistics: a count per code, most frequent first, with what each code is about, then the totals", async () => {
  const twice = broken.replace("num_beam: 5", "num_beam: 5\n  max_epochh: 5");
  const { out, code } = await check("a.yaml", twice, "text", ["--statistics"]);
  assert.is(code, 1);
  assert.is(out, [
    "2  LV2001  error    Unknown key `…` in ….",
    "1  LV3001  error    `…` expects … but got ….",
    "1  LV4002  warning  A warning the stdlib declares applies.",
    "3 errors, 1 warning",
    "",
  ].join("\n"));
});

test("--ignore CODES: the warnings of those codes are left out (errors never); an unknown code is a usage error", async () => {
  const warned = caption.replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");
  assert.equal((await jsonOf("a.yaml", warned)).map((d) => d.code), ["LV4002"]);
  const ignored = await check("a.yaml", warned, "json", ["--ignore", "LV4002"]);
  assert.equal(JSON.parse(ignored.out).diagnostics, []);
  assert.is(ignored.code, 0);
  const errors = await check("a.yaml", broken, "json", ["--ignore", "LV3001,lv2001", "--ignore", "LV4002"]);
  assert.equal((JSON.parse(errors.out).diagnostics as JsonDiagnostic[]).map((d) => d.code).sort(), ["LV2001", "LV3001"]);
  assert.is((await check("a.yaml", warned, "text", ["--ignore", "LV4O02"])).code, 2);
});

test("--ignore in a folder: the summary table counts what is reported", async () => {
  const warned = caption.replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");
  const h = memoryHost({ "/p/c/a.yaml": warned, "/p/c/b.yaml": caption }, "/p");
  await runCli(["check", "c", "--ignore", "LV4002"], h);
  assert.match(h.out, /\n +2 +2 +0 +0 +project\n/);
});

test.run();
