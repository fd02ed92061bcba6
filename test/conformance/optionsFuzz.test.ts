import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { corpusProjects, corpusRoot, omegaConfWithOptions } from "../interop/interopHarness.js";
import { LAVIS_CORPUS, OMEGACONF, testWith } from "../harness/requires.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";
import { disagreements, type MergeCase } from "./mergeDifferences.js";

// LAVIS's `--options` (the peer's build_config with a dotlist, on the real OmegaConf) against lavisc's `--options`, on
// corpus projects with random options: an existing key, a new key under an existing section, or a key LAVIS reads
// before the options are merged (model.model_type, a dataset's type), set to a value in any of the spellings a shell
// passes (typed by OmegaConf's YAML loader). Seeded, so a failure reproduces. Where LAVIS merges and lavisc reports no
// error, every key LAVIS has must have LAVIS's value in lavisc (the deviations of mergeDifferences.ts aside); where
// LAVIS stops, lavisc must report an error. mergeFuzz.test.ts does the same for mutations of the file itself.

const test = suite("LAVIS's --options against lavisc's, on corpus projects");
const CASES = 300;
const VALUES = ["1e-5", "0.5", "2", "-3", "0", "abc", "a b", "[1,2]", "[val,test]", "[]", "{}", "{a: 1}", "null", "~", "true", "True", "false",
  "???", "${run.init_lr}", "${nowhere}", "out/${model.arch}", "x${run.init_lr}y", "${.seed}_a", "${oc.env:HOME}/d", "${oc.env:LAVISC_FUZZ_UNSET,dflt}", "'quoted'", "\"dq\"", "", "1_000", "0x10", ".inf", "nan", "384", "2e1", "a=b", "train"];
const NEW_KEYS = ["image_size", "max_len", "min_len", "num_beams", "prompt", "init_lr", "batch_size_train", "freeze_vit", "k_test", "new_thing", "evaluate"];

/** Every key path of a JSON value's mappings, depth first. */
function keyPaths(v: unknown, p: string[] = [], out: string[][] = []): string[][] {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) {
      out.push([...p, k]);
      keyPaths(x, [...p, k], out);
    }
  }
  return out;
}

/** One option for a project whose LAVIS merge is `merged`. */
function randomOption(merged: Record<string, unknown>, rnd: () => number): string {
  const pick = seededPick(rnd);
  const paths = keyPaths(merged).filter((p) => p[0] !== "preprocess" && !p.some((k) => k.includes(".") || k.includes("=")));
  const r = rnd();
  let path: string[];
  if (r < 0.55) path = pick(paths);
  else if (r < 0.8) {
    const maps = paths.filter((p) => { const v = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], merged); return !!v && typeof v === "object" && !Array.isArray(v); });
    path = [...pick([["run"], ["model"], ...maps]), pick(NEW_KEYS)];
  } else if (r < 0.9) path = ["model", "model_type"];
  else path = ["datasets", pick(Object.keys((merged["datasets"] as object | undefined) ?? { coco_caption: 1 })), "type"];
  const now = path.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), merged);
  return `${path.join(".")}=${rnd() < 0.5 ? pick(VALUES) : plausible(now, rnd)}`;
}

/**
 * One option, or now and then two that go into a list: a list given by the first and one element of it changed by
 * the second (an index in range, negative, or out of range), or an index into a list of the file (from_dotlist makes
 * a map of it, which LAVIS cannot merge over the list).
 */
function randomOptions(merged: Record<string, unknown>, rnd: () => number): string[] {
  const r = rnd();
  if (r >= 0.05) return [randomOption(merged, rnd)];
  const pick = seededPick(rnd);
  const lists = keyPaths(merged).filter((p) => Array.isArray(p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], merged)));
  const path = lists.length && r < 0.025 ? pick(lists) : [pick(["run", "model"]), pick(["train_splits", "valid_splits", "new_thing"])];
  const index = pick(["0", "1", "-1", "2", "+0", "01", "x"]);
  const element = `${path.join(".")}.${index}=${pick(["val", "train", "1", "{a: 1}", "[b]", "~"])}`;
  return r < 0.025 ? [element] : [`${path.join(".")}=${pick(["[val,test]", "[train]", "[{a: 1}, 2]", "[[c]]"])}`, element];
}

/** A value of the type the key has (so that more cases pass lavisc's checks and get compared value by value). */
function plausible(now: unknown, rnd: () => number): string {
  if (typeof now === "number") return String(rnd() < 0.5 ? now * 2 : now);
  if (typeof now === "boolean") return String(!now);
  if (typeof now === "string") return now === "" || /[\s:#,[\]{}'"=]/.test(now) ? `'${now.replace(/'/g, "''")}'` : now;
  if (Array.isArray(now) && now.every((x) => typeof x === "string" && /^\w+$/.test(x))) return `[${now.join(",")}]`;
  return "1";
}

testWith(test, OMEGACONF, LAVIS_CORPUS)(`${CASES} projects with random --options: lavisc agrees with LAVIS's merge, or reports an error where LAVIS stops`, () => {
  const summary = (JSON.parse(readFileSync(join(corpusRoot, "resolved", "_summary.json"), "utf8")) as { files: Record<string, string> }).files;
  const sources = corpusProjects().filter((f) => summary[f.slice(corpusRoot.length + 1)] === "ok");
  const rnd = seededRandom(20261205);
  const pick = seededPick(rnd);
  const host = nodeHost();
  // Each file once at most: the peer answers by file.
  const files = [...new Set(Array.from({ length: CASES }, () => pick(sources)))];
  const cases = files.map((file) => {
    const rel = file.slice(corpusRoot.length + 1);
    const merged = JSON.parse(readFileSync(join(corpusRoot, "resolved", rel.replace(/\.yaml$/, ".json")), "utf8")) as Record<string, unknown>;
    const options = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => randomOptions(merged, rnd)).flat();
    return { file, options, label: `${rel} --options ${options.join(" ")}`, result: checkFile(file, host, { options }) };
  });
  const { problems, compared } = compareWithLavis(cases);
  assert.equal(problems, []);
  assert.ok(compared >= cases.length / 5, `only ${compared} of ${cases.length} cases compared`);
});

/** Where lavisc disagrees with LAVIS's merge of each case with its options (one case per file). */
function compareWithLavis(cases: readonly (MergeCase & { readonly options: readonly string[] })[]): { problems: string[]; compared: number } {
  return disagreements(cases, omegaConfWithOptions(cases));
}

testWith(test, OMEGACONF, LAVIS_CORPUS)("options that write through one another combine as OmegaConf.from_dotlist combines them, before the merge", () => {
  // A value that a later option turns into a map (or replaces with one) merges nothing: the file's keys under it stay.
  const ds = "datasets.coco_caption";
  const lists = [
    [`${ds}.build_info=~`, `${ds}.build_info.images.storage=/data/coco/`],
    [`${ds}.vis_processor.train=null`, `${ds}.vis_processor.train.image_size=384`],
    [`${ds}.vis_processor.eval=5`, `${ds}.vis_processor.eval={image_size: 384}`],
    [`${ds}.vis_processor={train: {name: blip_image_train}}`, `${ds}.vis_processor.eval=~`, `${ds}.vis_processor.eval.name=blip_image_eval`],
    [`${ds}.build_info.annotations.train.url=abc`, `${ds}.build_info.annotations={}`],
    [`${ds}.build_info.annotations.val.storage=x.json`, `${ds}.build_info.annotations.val=~`],
    ["run.init_lr=1", "run.init_lr=2e-5", "model.image_size=~", "model.image_size=384"],
    // An option that goes on into a list an earlier one gives updates one element (OmegaConf.update).
    ["run.train_splits=[val]", "run.train_splits.0=train"],
    ["run.valid_splits=[test]", "run.valid_splits.-1=val"],
    [`${ds}.build_info.annotations.train.url=[a.json,b.json]`, `${ds}.build_info.annotations.train.storage=[a.json,b.json]`,
      `${ds}.build_info.annotations.train.url.1=c.json`, `${ds}.build_info.annotations.train.url.+0=d.json`],
    [`${ds}.build_info.annotations.train.url=[a.json,b.json]`, `${ds}.build_info.annotations.train.url.0=[x.json]`],
  ];
  // from_dotlist stops where an option goes through a list another gives, and where a map and a list meet.
  const stops = [
    [`${ds}.build_info.annotations.train.url=[a.json]`, `${ds}.build_info.annotations.train.url.x=1`],
    [`${ds}.vis_processor=[1,2]`, `${ds}.vis_processor.train.image_size=384`],
    ["run.train_splits=[train]", "run.train_splits={a: 1}"],
    [`${ds}.vis_processor.train={name: blip_image_train}`, `${ds}.vis_processor={train: [1]}`],
    ["run.train_splits=[train]", "run.train_splits.1=val"],
    ["run.train_splits=[train]", "run.train_splits.-2=val"],
    ["run.train_splits=[[a],[b]]", "run.train_splits.0={x: 1}"],
    ["run.train_splits.0=val"],
  ];
  const dir = mkdtempSync(join(tmpdir(), "lavisc-dotlist-"));
  try {
    const source = readFileSync(join(corpusRoot, "projects/blip/train/caption_coco_ft.yaml"), "utf8");
    const cases = [...lists, ...stops].map((options, i) => {
      const file = join(dir, `${i}.yaml`);
      writeFileSync(file, source);
      return { file, options, label: `--options ${options.join(" ")}`, result: checkFile(file, nodeHost(), { options }) };
    });
    const { problems, compared } = compareWithLavis(cases);
    assert.equal(problems, []);
    assert.is(compared, lists.length, "every list but the stops is one LAVIS merges and lavisc accepts");
    for (const c of cases.slice(lists.length)) assert.ok(c.result.diagnostics.some((d) => d.severity === "error"), c.label);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
