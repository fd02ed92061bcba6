import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { checkFile } from "../../src/index.js";
import { preflightLavis } from "../../src/interop/lavisPreflight.js";
import { fromRoot } from "../harness/repoRoot.js";
import { PYTHON, PYTHON3, testWith } from "../harness/requires.js";
import { preflightSetup, reportedCases, standInLavis, type ReportedCase } from "./reportedCases.js";

// Configuration mistakes LAVIS users reported on GitHub (test/conformance/reported/, table in docs/mistakes.md):
// each is caught with its expected diagnostic (code and path) by `check`, or by the preflight of
// `lavisc run --engine lavis`; each fixed version checks without errors and passes the preflight.

const reader = {
  readFile: (p: string) => readFileSync(p, "utf8"),
  exists: (p: string) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  },
};
const python = PYTHON;
const cases = reportedCases();

function check(file: string) {
  const r = checkFile(file, reader);
  assert.ok(r.resolved, `${basename(file)} did not resolve: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r;
}

function preflight(file: string) {
  const { lavisRoot } = standInLavis(preflightSetup(file));
  const r = check(file);
  return preflightLavis({ root: r.resolved!.root, registry: r.resolved!.registry, lavisRoot, python });
}

/** True when lavisc catches the case for the reason the case names. */
function caught(c: ReportedCase): boolean {
  if (c.caught === "check") {
    const diags = check(c.file).diagnostics;
    return c.expect.length > 0 && c.expect.every((e) => diags.some((d) => d.code === e.code && d.path === e.path));
  }
  if (c.caught === "preflight") {
    const problems = preflight(c.file).map((p) => p.message);
    return c.expectPreflight.length > 0 && c.expectPreflight.every((re) => problems.some((m) => re.test(m)));
  }
  return false;
}

const t = suite("conformance: configuration mistakes LAVIS users reported");

t("the catalog has at least 25 reported mistakes, each with its source, LAVIS's symptom and a corpus origin", () => {
  assert.ok(cases.length >= 25, `${cases.length} cases`);
  for (const c of cases) {
    assert.match(c.reported, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+/, `${c.name}: Reported`);
    assert.ok(c.mistake && c.lavis && c.from, `${c.name}: Mistake, LAVIS and From are all written`);
    assert.ok(["check", "preflight", "prevented", "no"].includes(c.caught), `${c.name}: Caught is ${c.caught}`);
    if (c.caught === "check") assert.ok(c.expect.length, `${c.name}: expects a diagnostic`);
    if (c.caught === "preflight") assert.ok(c.expectPreflight.length, `${c.name}: expects a preflight problem`);
    if (c.caught === "prevented" || c.caught === "no") assert.ok(c.caughtNote, `${c.name}: says why it is not detected`);
    else assert.ok(c.fixed, `${c.name}: has a fixed version`);
  }
});

// The preflight asks the stand-in checkout's Python: without one, those cases are skips (failures under CI).
const withPython = testWith(t, PYTHON3);

for (const c of cases.filter((x) => x.caught === "check" || x.caught === "preflight")) {
  const caseTest = c.caught === "preflight" ? withPython : t;
  caseTest(`${c.name}: caught by ${c.caught} with the expected diagnostic`, () => {
    if (c.caught === "check") {
      const diags = check(c.file).diagnostics.map((d) => `${d.code} ${d.path}`);
      for (const e of c.expect) assert.ok(diags.includes(`${e.code} ${e.path}`), `${e.code} at ${e.path} not in:\n${diags.join("\n")}`);
    } else {
      const problems = preflight(c.file).map((p) => p.message);
      for (const re of c.expectPreflight) assert.ok(problems.some((m) => re.test(m)), `${re} not in:\n${problems.join("\n")}`);
    }
  });
  caseTest(`${c.name}: the fixed version has no error and passes the preflight`, () => {
    const r = check(c.fixed!);
    const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.path}: ${d.message}`);
    assert.equal(errors, []);
    const still = r.diagnostics.filter((d) => c.expect.some((e) => e.code === d.code && e.path === d.path));
    assert.equal(still.map((d) => d.message), [], "the fix removes the diagnostic");
    if (c.caught === "preflight") assert.equal(preflight(c.fixed!).map((p) => p.message), []);
  });
}

withPython("at least 90% of the reported mistakes are caught for the right reason; docs/mistakes.md lists every one", () => {
  const ok = cases.filter(caught);
  const share = ok.length / cases.length;
  console.log(`reported mistakes: ${cases.length}; caught ${ok.length} (${(100 * share).toFixed(1)}%): check ${ok.filter((c) => c.caught === "check").length}, preflight ${ok.filter((c) => c.caught === "preflight").length}; prevented ${cases.filter((c) => c.caught === "prevented").length}; not caught ${cases.filter((c) => c.caught === "no").length}`);
  assert.ok(share >= 0.9, `caught ${ok.length} of ${cases.length}`);
  const doc = readFileSync(fromRoot("docs", "mistakes.md"), "utf8");
  for (const c of cases) assert.ok(doc.includes(`reported/${c.name}.yaml`), `docs/mistakes.md lists ${c.name}`);
  // The Numbers table states what this test computes.
  const stated = [
    `${cases.length} configuration mistakes that users of LAVIS reported`,
    `| reported mistakes | ${cases.length}, from `,
    `| caught by \`lavisc check\`, with the expected code and path | ${ok.filter((c) => c.caught === "check").length} |`,
    `| caught by the preflight of \`lavisc run --engine lavis\` | ${ok.filter((c) => c.caught === "preflight").length} |`,
    `| **caught for the right reason** | **${ok.length} (${(100 * share).toFixed(1)}%)** |`,
  ];
  for (const line of stated) assert.ok(doc.includes(line), `docs/mistakes.md states: ${line}`);
  // And the README's summary of it (whitespace folded: the sentence wraps).
  const readme = readFileSync(fromRoot("README.md"), "utf8").replace(/\s+/g, " ");
  const summary = `Measured on ${cases.length} mistakes LAVIS users reported: ${ok.length} caught`;
  assert.ok(readme.includes(summary), `README.md states: ${summary}`);
});

t.run();
