import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost, nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { typedJson, typedLeaves } from "../../src/interop/configCompare.js";
import { corpusRoot, omegaConf } from "../interop/interopHarness.js";
import { LAVIS_CORPUS, OMEGACONF, testWith } from "../harness/requires.js";

// OmegaConf's missing value `???` (src/semantic/omegaconfMissing.ts): merged over a value it changes nothing, and a
// key that stays `???` stops LAVIS where its code reads the key. lavisc read it as the string "???" before.

const test = suite("OmegaConf's ??? (missing value)");

const PROJECT = `model:
  arch: blip_caption
  model_type: base_coco
  image_size: ???
datasets:
  coco_caption:
    vis_processor:
      train:
        name: blip_image_train
run:
  task: captioning
  lr_sched: linear_warmup_cosine_lr
  init_lr: ???
  min_lr: 0
  weight_decay: "???"
  max_epoch: 5
  batch_size_train: 32
  batch_size_eval: 64
  output_dir: output/x
`;

async function check(argv: string[]): Promise<{ code: number; out: string }> {
  const h = memoryHost({ "/w/p.yaml": PROJECT }, "/w");
  const code = await runCli(["check", "p.yaml", ...argv], h);
  return { code, out: h.out };
}

const findings = (out: string) => [...out.matchAll(/^(?:error|warning)\[(LV3007|LV4068|LV4069|LV3001|LV3003)\]: `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);

test("a ??? nothing fills is LV3007 (once: not also a missing or mistyped value); over a value, LV4068; filled by a default, LV4069", async () => {
  const r = await check([]);
  assert.is(r.code, 1);
  assert.equal(findings(r.out), ["LV4068 model.image_size: ???", "LV3007 run.init_lr", "LV4069 run.weight_decay"], r.out);
  assert.match(r.out, /OmegaConf's merge keeps 384 from the model's default config \(blip_caption\(base_coco\)\)/);
  assert.match(r.out, /--> p\.yaml:13:12/, "LV3007 points at the ???");
});

test("a layer above fills a ???; a ??? given with --options leaves the value", async () => {
  const r = await check(["--options", "run.init_lr=1e-5", "run.batch_size_train=???"]);
  assert.equal(findings(r.out), ["LV4068 model.image_size: ???", "LV4069 run.weight_decay", "LV4068 run.batch_size_train: ???"], r.out);
  assert.match(r.out, /`run\.batch_size_train: \?\?\?` does not unset the value: OmegaConf's merge keeps 32 from this file/);
});

test("a dataset entry that is ??? in the file is LV3007 (LAVIS reads it before merging the builder's defaults); with --options it keeps them", async () => {
  const text = PROJECT.replace(/  coco_caption:\n(    .*\n|      .*\n|        .*\n)*/, "  coco_caption: ???\n");
  assert.match(text, /coco_caption: \?\?\?\nrun:/);
  const h = memoryHost({ "/w/p.yaml": text }, "/w");
  assert.is(await runCli(["check", "p.yaml"], h), 1);
  assert.ok(findings(h.out).includes("LV3007 datasets.coco_caption"), h.out);
  assert.not.match(h.out, /LV4068\]: `datasets/, "not the warning that the defaults are kept: LAVIS never merges them");
  const r = await check(["--options", "datasets.coco_caption=???"]);
  assert.ok(findings(r.out).includes("LV4068 datasets.coco_caption: ???"), r.out);
});

test("explain shows the value OmegaConf keeps", async () => {
  const h = memoryHost({ "/w/p.yaml": PROJECT }, "/w");
  await runCli(["explain", "p.yaml", "model.image_size"], h);
  assert.match(h.out, /^model\.image_size = 384 {2}model default blip_caption\(base_coco\)/);
});

testWith(test, OMEGACONF, LAVIS_CORPUS)("LAVIS's merge and lavisc agree on a corpus project with ??? over default and file values", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-missing-"));
  try {
    const source = readFileSync(join(corpusRoot, "projects/blip/train/caption_coco_ft.yaml"), "utf8");
    // Over a model default (vit_type), and in place of the file's own values (init_lr: nothing under it; seed: a documented default).
    const text = source.replace(/^model:\n/m, "model:\n  vit_type: ???\n").replace(/(\n\s+init_lr:\s*)\S+/, "$1???").replace(/(\n\s+seed:\s*)\S+/, "$1???");
    const file = join(dir, "caption.yaml");
    writeFileSync(file, text);
    const theirs = typedLeaves(omegaConf("merge", [file])[file]!);
    const r = checkFile(file, nodeHost());
    assert.ok(r.resolved, "lavisc resolves it");
    const mine = typedLeaves(typedJson(r.resolved!.root));
    const differ = [...theirs].filter(([p, v]) => !p.startsWith("preprocess") && v !== "\"???\"" && mine.get(p) !== v).map(([p, v]) => `${p}: LAVIS ${v}, lavisc ${mine.get(p)}`);
    assert.equal(differ, []);
    // What LAVIS leaves missing is what lavisc reports.
    const missing = [...theirs].filter(([, v]) => v === "\"???\"").map(([p]) => p);
    assert.equal(missing.sort(), r.diagnostics.filter((d) => d.code === "LV3007" || d.code === "LV4069").map((d) => d.path!).sort());
    assert.equal(r.diagnostics.filter((d) => d.code === "LV4068").map((d) => d.path), ["model.vit_type"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

testWith(test, OMEGACONF, LAVIS_CORPUS)("LAVIS's merge stops on a dataset entry that is ??? in the file, and lavisc reports it", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-missing-"));
  try {
    const source = readFileSync(join(corpusRoot, "projects/blip/train/caption_coco_ft.yaml"), "utf8");
    const text = source.replace(/\n  coco_caption:.*\n(?:(?: {3,}.*)?\n)*/, "\n  coco_caption: ???\n");
    assert.match(text, /\n  coco_caption: \?\?\?\nrun:/);
    const file = join(dir, "caption.yaml");
    writeFileSync(file, text);
    assert.match(JSON.stringify(omegaConf("merge", [file])[file]), /MissingMandatoryValue: Missing mandatory value: datasets\.coco_caption/);
    const r = checkFile(file, nodeHost());
    assert.ok(r.diagnostics.some((d) => d.code === "LV3007" && d.path === "datasets.coco_caption"), r.diagnostics.map((d) => d.code).join(" "));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
