import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// `lavisc check --fix` (src/cli/commands/checkFix.ts, src/fixes/): what is certain is fixed in the file, a fix that
// would bring a new error is not made, and what is left is reported as `check` reports it.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
const lvCaption = readFileSync(fromRoot("projects", "quickstart", "caption_shapes.lv"), "utf8");
const lvRetrieval = readFileSync(fromRoot("projects", "quickstart", "retrieval_shapes.lv"), "utf8");

async function fix(files: Record<string, string>, args: string[]): Promise<{ code: number; out: string; files: Map<string, string>; written: string[] }> {
  const h = memoryHost(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/p/${k}`, v])), "/p");
  const written: string[] = [];
  const write = h.writeFileAtomic.bind(h);
  h.writeFileAtomic = (p: string, t: string) => (written.push(p), write(p, t));
  const code = await runCli(["check", "--fix", ...args], h);
  return { code, out: h.out, files: h.files, written };
}

test("YAML: a misspelt arch and a quoted number are fixed; a rename onto a key the mapping has is not (it would be a duplicate)", async () => {
  const broken = caption
    .replace("arch: blip_caption", "arch: blip_captoin")
    .replace("batch_size_eval: 64", 'batch_size_eval: "64"')
    .replace("num_beams: 3", "num_beams: 3\n  num_beam: 5");
  const r = await fix({ "a.yaml": broken }, ["a.yaml"]);
  const after = r.files.get("/p/a.yaml")!;
  assert.is(after, caption.replace("num_beams: 3", "num_beams: 3\n  num_beam: 5"));
  assert.match(r.out, /error\[LV2001\]: Unknown key `num_beam` in `run`\./);
  assert.match(r.out, /\nfixed a\.yaml:\d+:9 LV2003: `blip_captoin` -> `blip_caption`\n/);
  assert.match(r.out, /\nfixed a\.yaml:\d+:20 LV3001: "64" -> 64\nnot fixed a\.yaml:\d+:3 LV2001: `num_beam` -> `num_beams`: it would bring LV1009: Duplicate key `num_beams` in YAML mapping\.\n2 problems fixed in 1 file\n$/);
  assert.is(r.code, 1, "the error left");
  assert.equal(r.written, ["/p/a.yaml"], "written once");
});

test("YAML: a quoted number with a leading zero keeps its quotes (YAML reads 010 as octal 8); a single-quoted key is renamed in its quotes", async () => {
  const broken = caption.replace("batch_size_eval: 64", 'batch_size_eval: "010"').replace("num_beams: 3", "'num_beam': 3");
  const r = await fix({ "a.yaml": broken }, ["a.yaml"]);
  const after = r.files.get("/p/a.yaml")!;
  assert.match(after, /batch_size_eval: "010"/, "not 010, which is 8");
  assert.match(after, /'num_beams': 3/);
  assert.match(r.out, /\nfixed a\.yaml:\d+:3 LV2001: `'num_beam'` -> `num_beams`\n/);
});

test(".lv: a misspelt key is renamed when one name is suggested, and the file then checks clean", async () => {
  const broken = lvCaption.replace("    batch_size_eval = 100", "    batch_size_eval = 100\n    resume_ckpt_pth = null");
  const r = await fix({ "x.lv": broken }, ["x.lv"]);
  assert.is(r.files.get("/p/x.lv"), lvCaption.replace("    batch_size_eval = 100", "    batch_size_eval = 100\n    resume_ckpt_path = null"));
  assert.is(r.code, 0);
  assert.match(r.out, /^x\.lv: no problems\nfixed x\.lv:30:5 LV2001: `resume_ckpt_pth` -> `resume_ckpt_path`\n1 problem fixed in 1 file\n$/);
});

test("a did-you-mean with several names is left to the user", async () => {
  const broken = caption.replace("model_type: base_coco", "model_type: coco");
  const r = await fix({ "a.yaml": broken }, ["a.yaml"]);
  assert.match(r.out, /help: Did you mean `base_coco` or `large_coco`\?/);
  assert.is(r.files.get("/p/a.yaml"), broken);
  assert.match(r.out, /\nnothing to fix\n$/);
  assert.equal(r.written, []);
});

test("a key of another section is not renamed into a setting of this one: `queue_size` stays (not `num_beams`), `max_txt_len` stays (not `max_len`)", async () => {
  const broken = lvRetrieval.replace("    k_test = 16", "    k_test = 16\n    queue_size = 64\n    max_txt_len = 16\n    image_size = 384");
  const r = await fix({ "x.lv": broken }, ["x.lv"]);
  assert.is(r.files.get("/p/x.lv"), broken);
  assert.equal(r.written, []);
  assert.match(r.out, /help: `queue_size` is a key of the model \(`blip_retrieval`\), not of the recipe: move it into `model`\./);
  assert.match(r.out, /\nnothing to fix\n$/);
  assert.is(r.code, 1);
  const yaml = caption.replace("  num_beams: 3", "  num_beams: 3\n  queue_size: 64");
  const y = await fix({ "a.yaml": yaml }, ["a.yaml"]);
  assert.is(y.files.get("/p/a.yaml"), yaml);
  assert.match(y.out, /help: `queue_size` is a key of the model \(`blip_caption`\), not of `run`: move it into `model`\./);
});

test("only a typo is fixed unasked: a lone suggestion further away, or another framework's name translated, is left to the user", async () => {
  const broken = lvRetrieval.replace("    k_test = 16", "    k_test = 16\n    grid_size = 4\n    lerning_rate = 1e-4\n    log_freqq = 10");
  const r = await fix({ "x.lv": broken }, ["x.lv"]);
  assert.match(r.out, /help: Did you mean `world_size`\?/, "one name, four edits away");
  assert.match(r.out, /help: Did you mean `init_lr`\? It is LAVIS's name for learning rate\./);
  assert.is(r.files.get("/p/x.lv"), broken.replace("log_freqq = 10", "log_freq = 10"));
  assert.match(r.out, /\nfixed x\.lv:\d+:5 LV2001: `log_freqq` -> `log_freq`\n1 problem fixed in 1 file\n$/);
});

test("an unused `lavisc: ignore` code is taken out: alone with its comment, or from its list", async () => {
  const warned = caption.replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");
  const alone = warned.replace("  seed: 42", "  seed: 42  # lavisc: ignore[LV4002]");
  assert.is((await fix({ "a.yaml": alone }, ["a.yaml"])).files.get("/p/a.yaml"), warned);
  const listed = warned.replace("  warmup_steps: 100", "  warmup_steps: 100  # lavisc: ignore[LV4019, LV4002]");
  const r = await fix({ "a.yaml": listed }, ["a.yaml", "--format", "json"]);
  assert.is(r.files.get("/p/a.yaml"), warned.replace("  warmup_steps: 100", "  warmup_steps: 100  # lavisc: ignore[LV4002]"));
  const out = JSON.parse(r.out) as { diagnostics: unknown[]; fixed: { file: string; code: string; line: number; column: number; title: string }[]; notFixed: unknown[] };
  assert.equal(out.diagnostics, []);
  assert.equal(out.fixed.map((f) => [f.file, f.code]), [["a.yaml", "LV1022"]]);
  assert.equal(out.notFixed, []);
});

test("a folder: each config is fixed; a clean file is not rewritten", async () => {
  const r = await fix({ "c/a.yaml": caption.replace('batch_size_eval: 64', 'batch_size_eval: "64"'), "c/b.yaml": caption }, ["c"]);
  assert.is(r.files.get("/p/c/a.yaml"), caption);
  assert.equal(r.written, ["/p/c/a.yaml"]);
  assert.match(r.out, /1 problem fixed in 1 file\n$/);
});

test.run();
