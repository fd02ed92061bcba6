import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";
import { nodeHost } from "../../src/cli/host.js";
import { checkFile, type Resolved } from "../../src/index.js";
import { leaves, toPlain, type CMap } from "../../src/semantic/configTree.js";
import { codeFallbackPins } from "../../src/interop/codeFallbackPins.js";
import { canonicalText, typedDifferences, typedJson, typedLeaves, type TypedJson } from "../../src/interop/configCompare.js";
import { exportYaml } from "../../src/interop/exportYaml.js";
import { withoutUnreadProcessorKeys } from "../../src/interop/unreadProcessorKeys.js";
import { migrateFile } from "../../src/interop/migrateFile.js";
import { corpusProjects, corpusRoot, omegaConf, withoutKey } from "./interopHarness.js";
import { LAVIS_CORPUS, OMEGACONF, available } from "../harness/requires.js";

// export against the real OmegaConf and LAVIS's merge (shared/peer/lavis_merge.py):
//  - OmegaConf.load(export(x)) is exactly lavisc's resolved experiment (without preprocess), types included;
//  - LAVIS's merge of export(x) is that same experiment: every value is explicit, so no default file changes it;
//  - for corpus YAML x, LAVIS's merge of export(migrate(x)) agrees with LAVIS's merge of x on every key x has; the
//    keys it adds are values lavisc fills from the stdlib (schema and derived defaults).
// Known deviation: a dataset whose default file is keyed under another name (LV4012) gets that extra key from LAVIS.

const SAMPLE = 20;
const runs = available(test, "export round trip through OmegaConf and LAVIS's merge", OMEGACONF, LAVIS_CORPUS);
const lavisRegistry = runs ? (JSON.parse(readFileSync(join(corpusRoot, "registry.json"), "utf8")) as { models: Record<string, { model_types: Record<string, string> }> }) : { models: {} };
const toPlainArch = (root: CMap): string => String((toPlain(root) as { model?: { arch?: unknown } }).model?.arch ?? "");
const host = nodeHost();

interface Exported {
  readonly label: string;
  readonly yamlPath: string;
  readonly root: CMap;
  /** What export writes of it (processor parameters LAVIS merges back are left out: unreadProcessorKeys.ts). */
  readonly written: CMap;
  /** Datasets LAVIS merges under another key (LV4012): the other key. */
  readonly otherKeys: readonly string[];
  readonly source?: string;
  /** Keys the source YAML left to LAVIS's code fallback (its LV4019 warnings), which migrate writes with that value. */
  readonly codeFallbacks?: readonly string[];
}

function exportOne(label: string, resolved: Resolved, diagnostics: readonly { code: string; message: string }[], dir: string, n: number, source?: string): Exported {
  const yamlPath = join(dir, `${n}_${basename(label).replace(/[^\w.-]/g, "_")}.export.yaml`);
  writeFileSync(yamlPath, exportYaml(resolved, label));
  const otherKeys = diagnostics.filter((d) => d.code === "LV4012").map((d) => /default file of `([^`]+)`/.exec(d.message)?.[1]).filter((k): k is string => !!k);
  return { label, yamlPath, root: resolved.root, written: withoutUnreadProcessorKeys(resolved.root, resolved.registry).root, otherKeys, ...(source ? { source } : {}) };
}

function stripOtherKeys(v: TypedJson, otherKeys: readonly string[]): TypedJson {
  if (!otherKeys.length || !v || typeof v !== "object" || Array.isArray(v)) return v;
  const ds = (v as Record<string, TypedJson>).datasets as Record<string, TypedJson> | undefined;
  if (!ds) return v;
  const kept: Record<string, TypedJson> = {};
  for (const [k, x] of Object.entries(ds)) if (!otherKeys.includes(k)) kept[k] = x;
  return { ...(v as Record<string, TypedJson>), datasets: kept };
}

if (runs) {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-export-"));
  const exported: Exported[] = [];

  test("corpus sample: migrate, then export, both clean and equivalent", () => {
    const all = corpusProjects();
    const stride = Math.floor(all.length / SAMPLE);
    let n = 0;
    // One file from each of SAMPLE equal slices of the corpus: the first that is a valid LAVIS config.
    for (let k = 0; k < SAMPLE; k++) {
      for (let i = k * stride; i < (k + 1) * stride; i++) {
        const yamlPath = all[i]!;
        const lvPath = join(dir, `${n}.lv`);
        const m = migrateFile(yamlPath, host, {}, lvPath);
        if (!m.lv || m.diagnostics.some((d) => d.severity === "error")) continue;
        assert.is(canonicalText(m.lvResolved!.root), canonicalText(m.yamlResolved!.root), `${yamlPath}: migrate keeps the experiment`);
        const codeFallbacks = codeFallbackPins(m.yamlResolved!).map((p) => p.path.join("."));
        exported.push({ ...exportOne(relative(corpusRoot, yamlPath), m.lvResolved!, m.diagnostics, dir, n++, yamlPath), codeFallbacks });
        break;
      }
    }
    assert.is(exported.length, SAMPLE);
    for (const p of ["projects/blip/caption_coco_ft.lv", "projects/blip/retrieval_coco_ft.lv", "projects/blip/vqav2_ft.lv", "projects/quickstart/retrieval_shapes.lv"]) {
      const r = checkFile(fromRoot(p), host);
      if (!r.resolved || r.diagnostics.some((d) => d.severity === "error")) continue;
      // lavisc's own additions (the quickstart's tiny BLIP) are not in LAVIS's registry: LAVIS cannot merge them.
      const arch = lavisRegistry.models[toPlainArch(r.resolved.root)];
      if (!arch || !(String(r.resolved.loadedModelType) in arch.model_types)) continue;
      exported.push(exportOne(p, r.resolved, r.diagnostics, dir, n++));
    }
  });

  test("OmegaConf.load(export) is lavisc's resolved experiment, types included (less what LAVIS's merge adds back)", () => {
    const loaded = omegaConf("load", exported.map((e) => e.yamlPath));
    for (const e of exported) {
      const want = withoutKey(typedJson(e.written), "preprocess");
      assert.equal(typedDifferences(want, loaded[e.yamlPath]!), [], e.label);
    }
  });

  let merged: Record<string, TypedJson> = {};
  test("LAVIS's merge of export(x) is lavisc's resolved experiment (model, datasets, run)", () => {
    // One Python process for all merges: the exports, and the corpus originals for the next test.
    merged = omegaConf("merge", [...exported.map((e) => e.yamlPath), ...exported.flatMap((e) => (e.source ? [e.source] : []))]);
    for (const e of exported) {
      const got = merged[e.yamlPath]!;
      assert.not.ok(got && typeof got === "object" && "$error" in got, `${e.label}: ${JSON.stringify(got)}`);
      const want = withoutKey(typedJson(e.root), "preprocess");
      assert.equal(typedDifferences(want, stripOtherKeys(withoutKey(got, "preprocess"), e.otherKeys)), [], e.label);
    }
  });

  test("LAVIS's merge of x and of export(migrate(x)) agree on every key x has", () => {
    const fromCorpus = exported.filter((e) => e.source);
    for (const e of fromCorpus) {
      const original = typedLeaves(stripOtherKeys(withoutKey(merged[e.source!]!, "preprocess"), e.otherKeys));
      const roundTrip = typedLeaves(stripOtherKeys(withoutKey(merged[e.yamlPath]!, "preprocess"), e.otherKeys));
      const origins = new Map([...leaves(e.root)].map(([p, node]) => [p.join("."), node.origin.kind]));
      for (const [path, v] of original) {
        const dsOfOther = e.otherKeys.length > 0 && path.startsWith("datasets.");
        if (dsOfOther && !roundTrip.has(path)) continue;
        assert.is(roundTrip.get(path), v, `${e.label}: ${path}`);
      }
      for (const path of roundTrip.keys()) {
        if (original.has(path)) continue;
        const kind = origins.get(path);
        const lavisDeviation = e.otherKeys.length > 0 && kind === "dataset-default";
        // Written by migrate with the value LAVIS's code falls back to, so LAVIS does the same with or without it.
        const codeFallback = kind === "file" && !!e.codeFallbacks?.includes(path);
        assert.ok(kind === "schema-default" || kind === "derived" || lavisDeviation || codeFallback, `${e.label}: ${path} was added by export but comes from ${kind}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
}

test.run();
