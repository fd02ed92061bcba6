import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument, type Document } from "yaml";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { disagreements } from "./mergeDifferences.js";
import { corpusProjects, corpusRoot, omegaConf } from "../interop/interopHarness.js";
import { LAVIS_CORPUS, OMEGACONF, testWith } from "../harness/requires.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";

// LAVIS's merge (the peer, on the real OmegaConf) against lavisc on corpus projects mutated at random: a value set to
// another of any type, a key deleted or added, another model type, another dataset. Seeded, so a failure reproduces.
// Where LAVIS merges the file and lavisc reports no error, every key LAVIS has must have LAVIS's value in lavisc
// (lavisc may add documented defaults: deviation D1, and differs on datasets keyed by another name: D2/D3, both in
// docs/lavis-compatibility.md); where LAVIS stops, lavisc must report an error. This found `datasets: 1e-5`,
// `coco_caption: true`, `vis_processor.train: abc` and `datasets:` (null) passing the check, and `???` read as text.

const test = suite("LAVIS's merge against lavisc on mutated corpus projects");
const CASES = 120;
const VALUES: unknown[] = [0, 1, -3, 2.5, 1e-5, "1e-5", true, false, null, "text", "", [1, 2], ["a"], [], {}, { x: 1 }, "${run.init_lr}", "${model.arch}", "???", 384, "train"];
const NEW_KEYS = ["image_size", "max_len", "min_len", "num_beams", "prompt", "queue_size", "init_lr", "weight_decay", "batch_size_train", "freeze_vit", "max_txt_len", "k_test", "new_thing", "evaluate", "type"];

interface Registry {
  readonly models: Record<string, { model_types: Record<string, string> }>;
  readonly datasets: Record<string, { types: Record<string, string> }>;
}

/** The key paths of a document's mappings, depth first. */
function keyPaths(doc: Document): string[][] {
  const out: string[][] = [];
  const walk = (n: unknown, p: string[]) => {
    const items = (n as { items?: { key?: { value?: unknown }; value?: unknown }[] } | null)?.items;
    if (!items || !(n as object).constructor.name.includes("Map")) return;
    for (const it of items) {
      const k = String(it.key?.value ?? it.key);
      out.push([...p, k]);
      walk(it.value, [...p, k]);
    }
  };
  walk(doc.contents, []);
  return out;
}

function mutate(doc: Document, rnd: () => number, reg: Registry): string {
  const pick = seededPick(rnd);
  const paths = keyPaths(doc);
  const r = rnd();
  if (r < 0.35 && paths.length) {
    const p = pick(paths);
    const v = pick(VALUES);
    doc.setIn(p, doc.createNode(v));
    return `set ${p.join(".")}=${JSON.stringify(v)}`;
  }
  if (r < 0.5 && paths.some((p) => p.length > 1)) {
    const p = pick(paths.filter((q) => q.length > 1));
    doc.deleteIn(p);
    return `delete ${p.join(".")}`;
  }
  if (r < 0.7) {
    const maps = paths.filter((p) => (doc.getIn(p) as object | null)?.constructor?.name.includes("Map"));
    const p = maps.length ? pick(maps) : ["run"];
    const k = pick(NEW_KEYS);
    const v = pick(VALUES);
    doc.setIn([...p, k], doc.createNode(v));
    return `add ${[...p, k].join(".")}=${JSON.stringify(v)}`;
  }
  if (r < 0.85) {
    const types = Object.keys(reg.models[String(doc.getIn(["model", "arch"]))]?.model_types ?? {});
    if (types.length) {
      const t = pick(types);
      doc.setIn(["model", "model_type"], t);
      return `model_type=${t}`;
    }
  }
  const name = pick(Object.keys(reg.datasets));
  const type = pick(Object.keys(reg.datasets[name]!.types));
  doc.setIn(["datasets", name], doc.createNode(rnd() < 0.5 ? { type } : { type, vis_processor: { train: { name: "blip_image_train", image_size: 224 } } }));
  return `add dataset ${name}(${type})`;
}

testWith(test, OMEGACONF, LAVIS_CORPUS)(`${CASES} mutated projects: lavisc agrees with LAVIS's merge, or reports an error where LAVIS stops`, () => {
  const reg = JSON.parse(readFileSync(join(corpusRoot, "registry.json"), "utf8")) as Registry;
  const summary = (JSON.parse(readFileSync(join(corpusRoot, "resolved", "_summary.json"), "utf8")) as { files: Record<string, string> }).files;
  const sources = corpusProjects().filter((f) => summary[f.slice(corpusRoot.length + 1)] === "ok");
  const rnd = seededRandom(20261204);
  const pick = seededPick(rnd);
  const dir = mkdtempSync(join(tmpdir(), "lavisc-merge-fuzz-"));
  const host = nodeHost();
  try {
    const cases = Array.from({ length: CASES }, (_, i) => {
      const source = pick(sources);
      const doc = parseDocument(readFileSync(source, "utf8"));
      const what = [mutate(doc, rnd, reg), ...(rnd() < 0.5 ? [mutate(doc, rnd, reg)] : [])];
      const file = join(dir, `${i}.yaml`);
      writeFileSync(file, doc.toString());
      return { file, label: `${source.slice(corpusRoot.length + 1)} [${what.join("; ")}]`, result: checkFile(file, host) };
    });
    const { problems, compared } = disagreements(cases, omegaConf("merge", cases.map((c) => c.file)));
    assert.equal(problems, []);
    assert.ok(compared >= CASES / 5, `only ${compared} of ${CASES} cases compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
