import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { compareBaseline } from "../harness/compareBaseline.js";
import { fromRoot } from "../harness/repoRoot.js";
import { corpusRoot, oracleText } from "./corpus.js";
import { runCorpus, compareWithOracle, type CorpusRun } from "./corpusRun.js";
import { DEVIATIONS, describeDiff } from "./oracleDiff.js";
import { parseTypedJson, sameTyped, showNode, typedLeaves, type TNode } from "./typedJson.js";
import { renderTable, summarize } from "./summary.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

// lavisc against LAVIS's own merge (the oracle's precomputed `resolved/` JSON) on all 424 project files of the
// LAVIS corpus: no crash or hang, every rejected file gets an error, every accepted file resolves to the same config
// except the deviations listed in docs/lavis-compatibility.md, and the per-code counts match the checked-in baseline.

const root = corpusRoot();
let run: Promise<CorpusRun> | undefined;
const corpus = () => (run ??= runCorpus(root!));

const Corpus = suite("conformance: LAVIS corpus");
const corpusTest = testWith(Corpus, LAVIS_CORPUS);

corpusTest("every project file is checked without a crash or a hang", async () => {
  const c = await corpus();
  assert.is(c.files.length, 424, "the corpus should hold 424 project files");
  const crashes = [...c.results.values()].filter((r) => r.crash);
  assert.equal(crashes.map((r) => `${r.rel}: ${r.crash!.split("\n")[0]}`), [], "checkFile threw");
  const slowest = [...c.results.values()].sort((a, b) => b.ms - a.ms)[0]!;
  assert.ok(slowest.ms < 10_000, `${slowest.rel} took ${slowest.ms.toFixed(0)} ms`);
});

corpusTest("every file LAVIS rejects gets an error diagnostic", async () => {
  const c = await corpus();
  const rejected = c.files.filter((f) => c.oracle.get(f) !== "ok");
  assert.is(rejected.length, 15);
  const missed = rejected.filter((f) => !c.results.get(f)!.diagnostics.some((d) => d.severity === "error"));
  assert.equal(missed.map((f) => `${f} (LAVIS: ${c.oracle.get(f)!.split("\n")[0]})`), []);
});

corpusTest("every file LAVIS accepts resolves to LAVIS's config, except listed deviations", async () => {
  const c = await corpus();
  assert.equal(c.unresolved, [], "files LAVIS merges but lavisc could not resolve");
  const unlisted: string[] = [];
  for (const [rel, diffs] of c.diffs) for (const d of diffs) if (!d.deviation) unlisted.push(`${rel}: ${describeDiff(d)}`);
  assert.ok(unlisted.length === 0, `${unlisted.length} unlisted differences from LAVIS's merge:\n  ${unlisted.slice(0, 40).join("\n  ")}`);
});

corpusTest("every listed deviation is documented in docs/lavis-compatibility.md", () => {
  const doc = fromRoot("docs", "lavis-compatibility.md");
  assert.ok(existsSync(doc), "docs/lavis-compatibility.md is missing");
  const text = readFileSync(doc, "utf8");
  for (const id of Object.keys(DEVIATIONS)) assert.ok(new RegExp(`^#+ ${id}\\b`, "m").test(text), `${id} has no section in docs/lavis-compatibility.md`);
});

corpusTest("every LV4019 (a documented default LAVIS's code does not share) is true of LAVIS's own merge of the file", async () => {
  const c = await corpus();
  type Section = Record<string, unknown>;
  const unconfirmed: string[] = [];
  let firings = 0, files = 0;
  for (const rel of c.files) {
    if (c.oracle.get(rel) !== "ok") continue;
    const found = c.results.get(rel)!.diagnostics.filter((d) => d.code === "LV4019");
    if (found.length) files++;
    const merged = JSON.parse(oracleText(root!, rel)) as { run: Section; model: Section; datasets: Record<string, { build_info?: { annotations?: Section } }> };
    const provides = (split: string) => Object.values(merged.datasets ?? {}).some((ds) => !!ds?.build_info?.annotations && split in ds.build_info.annotations);
    for (const d of found) {
      firings++;
      const [section, key] = d.path!.split(".") as ["run" | "model", string];
      // LAVIS's merged config lacks the key, so its code's fallback applies, and that fallback differs for this file.
      let ok = !(key in (merged[section] ?? {}));
      if (key === "test_splits") ok &&= provides("test");
      if (key === "valid_splits") ok &&= merged.run["evaluate"] !== true && provides("val");
      if (key === "train_splits" || key === "load_finetuned") ok &&= merged.run["evaluate"] !== true;
      if (!ok) unconfirmed.push(`${rel}: ${d.path}`);
    }
  }
  assert.equal(unconfirmed, []);
  console.log(`LV4019: ${firings} warnings in ${files} of ${c.files.filter((f) => c.oracle.get(f) === "ok").length} files LAVIS's merge accepts, each confirmed by the oracle`);
});

corpusTest("the summary table matches test/baselines/conformance/summary.json", async () => {
  const c = await corpus();
  const s = summarize([...c.results.values()], c.oracle, c.diffs);
  console.log(renderTable(s));
  compareBaseline("test/baselines/conformance/summary.json", JSON.stringify(s, null, 2) + "\n");
});

// The CLI, in process, on a sample: every 20th file and every file LAVIS rejects.


function plain(n: TNode): unknown {
  if (n.t === "map") return Object.fromEntries([...n.v].map(([k, v]) => [k, plain(v)]));
  if (n.t === "list") return n.v.map(plain);
  return n.v;
}

corpusTest("the CLI (check and explain --format json) agrees with checkFile and with LAVIS on a sample", async () => {
  const c = await corpus();
  const sample = c.files.filter((f, i) => i % 20 === 0 || c.oracle.get(f) !== "ok");
  for (const rel of sample) {
    const path = join(root!, rel);
    const r = c.results.get(rel)!;
    const hasErrors = r.diagnostics.some((d) => d.severity === "error");

    const h = memoryHost({}, root!);
    const code = await runCli(["check", path, "--format", "json"], h);
    assert.is(code, hasErrors ? 1 : 0, `lavisc check ${rel}: exit ${code}\n${h.err}`);
    const doc = JSON.parse(h.out) as { errors: number; diagnostics: { code: string }[] };
    assert.is(doc.errors > 0, hasErrors, `${rel}: check --format json errors`);
    assert.equal(new Set(doc.diagnostics.map((d) => d.code)), new Set(r.diagnostics.map((d) => d.code)), `${rel}: codes`);

    if (!r.tree) continue;
    const e = memoryHost({}, root!);
    const ecode = await runCli(["explain", path, "--format", "json"], e);
    assert.is(ecode, hasErrors ? 1 : 0, `lavisc explain ${rel}: exit ${ecode}\n${e.err}`);
    const config = JSON.parse(e.out).config as Record<string, unknown>;
    const sections = ["model", "preprocess", "datasets", "run"].filter((k) => r.tree!.t === "map" && r.tree!.v.has(k));
    assert.equal(Object.keys(config), sections, `${rel}: explain's section order`);
    assert.equal(config, plain(r.tree), `${rel}: explain's .config is toPlain(resolved.root)`);

    // Typed: the JSON text itself, as LAVIS would compare it (1 vs 1.0 differ).
    const explained = parseTypedJson(e.out);
    const printed = explained.t === "map" ? explained.v.get("config")! : explained;
    const leavesIn = new Map(typedLeaves(r.tree, ""));
    for (const [p, leaf] of typedLeaves(printed, "")) {
      const mine = leavesIn.get(p)!;
      assert.ok(sameTyped(leaf, stripOrigin(mine)), `${rel}: explain prints ${p} as ${showNode(leaf)}, checkFile has ${showNode(mine)}`);
    }
    if (c.oracle.get(rel) === "ok") {
      const unlisted = compareWithOracle(root!, r, parseTypedJson(oracleText(root!, rel))).filter((d) => !d.deviation);
      assert.equal(unlisted.map(describeDiff), [], `${rel}: differences`);
    }
  }
});

function stripOrigin(n: TNode): TNode {
  if (n.t === "map") return { t: "map", v: new Map([...n.v].map(([k, v]) => [k, stripOrigin(v)])) };
  if (n.t === "list") return { t: "list", v: n.v.map(stripOrigin) };
  return { t: n.t, v: n.v } as TNode;
}

Corpus.run();
