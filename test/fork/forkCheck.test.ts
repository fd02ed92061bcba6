import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { compareBaseline } from "../harness/compareBaseline.js";
import { repoRoot } from "../harness/repoRoot.js";
import { cli, fixture, repoHost } from "./forkHarness.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

// Checking a fork: a folder checked file by file in each file's role, with one summary; the extension found up the
// tree or named with --stdlib-ext; default files checked, explained and migrated as fragments.

const TINY = fixture("tinyfork");
const scanned = async () => {
  const h = repoHost();
  await cli(h, ["registry", "scan", TINY, "--repository", "example.org/tinyfork", "--commit", "0".repeat(40)]);
  return h;
};
const codes = (out: string) => [...out.matchAll(/^(error|warning|info)\[(LV\d+)\]/gm)].map((m) => `${m[1]} ${m[2]}`);

test("without its extension a fork is mostly unknown names; default files are still fragments, not experiments", async () => {
  const r = await cli(repoHost(), ["check", TINY]);
  assert.is(r.code, 1);
  assert.ok(codes(r.out).includes("error LV2003"), "unknown arch");
  assert.ok(codes(r.out).includes("error LV2007"), "unknown task");
  assert.ok(!codes(r.out).includes("error LV2018"), "no 'the experiment has no task' for default files");
  assert.match(r.out, /8 LAVIS config files checked \(1 other YAML file skipped\)/);
});

test("with the extension the folder's problems are the real ones, and one summary per folder (golden)", async () => {
  const h = await scanned();
  const r = await cli(h, ["check", TINY]);
  assert.is(r.code, 1);
  compareBaseline("test/baselines/forks/tinyfork.check.txt", r.out);
  assert.equal(codes(r.out).sort(), [
    "error LV2001", // num_framse, with "did you mean num_frames"
    "error LV3001", // temperature: "0.9"
    "error LV4001", // min_lr > init_lr
    "error LV4013", // model type `chat`, whose default file is missing
    "info LV2025", // the model default file's `arch: tiny`
    "warning LV2026", // configs/models/old_model.yaml: nothing loads it
    "warning LV4017", // path/to/train.json
    "warning LV4079", // train_mistakes.yaml leaves tokenizer_name to the code's /mnt/workspace/... fallback
  ]);
  assert.match(r.out, /Did you mean `num_frames`\?/);
  assert.match(r.out, /  files  clean  warnings only  errors\n/);
  assert.match(r.out, /      8      4              2       2  total\n/);
  assert.match(r.out, /redefines LAVIS's processor `blip_caption`, runner `runner_base`/);
  const json = JSON.parse((await cli(h, ["check", TINY, "--format", "json"])).out);
  assert.is(json.errors, 4);
  const roles = Object.fromEntries(json.folders[0].files.map((f: { file: string; role: string }) => [f.file.split("/tinyfork/")[1], f.role]));
  assert.equal(roles, {
    "environment.yml": "not-lavis",
    "eval_configs/demo.yaml": "inference",
    "tinyfork/configs/datasets/captions/defaults.yaml": "dataset-defaults",
    "tinyfork/configs/datasets/clips/defaults.yaml": "dataset-defaults",
    "tinyfork/configs/default.yaml": "runtime-defaults",
    "tinyfork/configs/models/old_model.yaml": "model-defaults",
    "tinyfork/configs/models/tiny_llm.yaml": "model-defaults",
    "train_configs/train.yaml": "project",
    "train_configs/train_mistakes.yaml": "project",
  });
});

test("a file under the fork picks up the nearest .lavisc/ by itself; a file elsewhere takes it with --stdlib-ext", async () => {
  const h = await scanned();
  const inside = await cli(h, ["check", join(TINY, "train_configs", "train.yaml")]);
  assert.is(inside.code, 0, inside.out);
  const project = "model:\n  arch: tiny_llm\n  model_type: base\ndatasets:\n  tiny_clips: {}\nrun:\n  task: tiny_chat\n  init_lr: 1e-4\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 2\n  batch_size_eval: 2\n  output_dir: out\n  generate_cfg: {num_beams: 1}\n";
  h.files.set("/elsewhere/p.yaml", project);
  const without = await cli(h, ["check", "/elsewhere/p.yaml"]);
  assert.is(without.code, 1);
  assert.match(without.out, /Unknown model architecture `tiny_llm`/);
  const ext = join(TINY, ".lavisc", "registry.lv");
  const withExt = await cli(h, ["check", "--stdlib-ext", ext, "/elsewhere/p.yaml"]);
  assert.is(withExt.code, 0, withExt.out);
  const folder = await cli(h, ["check", "/elsewhere/p.yaml", "--stdlib-ext", join(TINY, ".lavisc")]);
  assert.is(folder.code, 0, "the option names a file or a .lavisc folder, before or after the command");
  const missing = await cli(h, ["check", "--stdlib-ext", "/no/such.lv", "/elsewhere/p.yaml"]);
  assert.is(missing.code, 2);
  assert.match(missing.err, /--stdlib-ext: \/no\/such\.lv does not exist/);
});

test("LV4079: an experiment that leaves out a key whose code falls back to the author's absolute path is warned; setting it quiets it", async () => {
  const h = await scanned();
  const project = "model:\n  arch: tiny_llm\n  model_type: base\ndatasets:\n  tiny_clips: {}\nrun:\n  task: tiny_chat\n  init_lr: 1e-4\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 2\n  batch_size_eval: 2\n  output_dir: out\n  generate_cfg: {num_beams: 1}\n";
  h.files.set(join(TINY, "train_configs", "left_out.yaml"), project);
  const r = await cli(h, ["check", join(TINY, "train_configs", "left_out.yaml")]);
  assert.is(r.code, 0, "a warning");
  assert.match(r.out, /warning\[LV4079\]: `datasets\.tiny_clips\.tokenizer_name` is not set, so the repository's code falls back to `\/mnt\/workspace\/ckpt\/tiny-llm\/`/);
  assert.match(r.out, /left_out\.yaml:5:3/, "at the dataset");
  assert.match(r.out, /registry\.lv:\d+:\d+\n[^]*the repository's fallback/, "the extension's declaration as a related location");
  h.files.set(join(TINY, "train_configs", "set.yaml"), project.replace("tiny_clips: {}", "tiny_clips: {tokenizer_name: ckpt/tiny}"));
  const set = await cli(h, ["check", join(TINY, "train_configs", "set.yaml")]);
  assert.ok(!/LV4079/.test(set.out), set.out);
});

test("the extension checked on its own is the extension, not a module declaring everything twice", async () => {
  const h = await scanned();
  const r = await cli(h, ["check", join(TINY, ".lavisc", "registry.lv")]);
  assert.is(r.code, 0, r.out);
  h.files.set(join(TINY, ".lavisc", "registry.lv"), `${h.files.get(join(TINY, ".lavisc", "registry.lv"))}processor {\n`);
  const broken = await cli(h, ["check", TINY]);
  assert.is(broken.code, 1);
  assert.is((broken.out.match(/error\[LV1002\]/g) ?? []).length, 1, "a broken extension is reported once for the folder");
});

test("the fork's redefinition is the one used: explain shows the fork's default and where it is declared", async () => {
  const h = await scanned();
  const r = await cli(h, ["explain", join(TINY, "train_configs", "train.yaml"), "datasets.tiny_clips.text_processor.train.max_words"]);
  assert.is(r.out.trim(), "datasets.tiny_clips.text_processor.train.max_words = 32  set at test/fixtures/forks/tinyfork/train_configs/train.yaml:19");
  const d = await cli(h, ["explain", join(TINY, "tinyfork", "configs", "models", "tiny_llm.yaml"), "preprocess.text_processor.train.max_words"]);
  assert.match(d.out, /^preprocess\.text_processor\.train\.max_words = 64  default \(test\/fixtures\/forks\/tinyfork\/\.lavisc\/registry\.lv:\d+\)/);
  const task = await cli(h, ["explain", join(TINY, "train_configs", "train_mistakes.yaml"), "run.max_new_tokens"]);
  assert.match(task.out, /^run\.max_new_tokens = 64  default \(test\/fixtures\/forks\/tinyfork\/\.lavisc\/registry\.lv:\d+\)/, "a fork task's code default is filled and shown");
});

test("a file checked or planned on its own says which stdlib extension it was read with (never silent)", async () => {
  const h = await scanned();
  const train = join(TINY, "train_configs", "train.yaml");
  const plan = await cli(h, ["plan", train]);
  assert.match(plan.out, /\n\nchecked with the stdlib extension test\/fixtures\/forks\/tinyfork\/\.lavisc\/registry\.lv \(the nearest \.lavisc\/ folder above the file\)\n {2}redefines LAVIS's processor `blip_caption`, runner `runner_base`\n$/);
  // The fork's own arch loads what its code says, which lavisc does not know: not "none (random initialisation)".
  assert.match(plan.out, /\n  loads weights: unknown: `tiny_llm` is the repository's own architecture, whose from_config decides what it loads/);
  const json = await cli(h, ["plan", train, "--format", "json"]);
  // The fork's arch and its videos run only with LAVIS: plan still shows the plan, and refuses the tfjs run (LV5016).
  assert.is(json.code, 1, json.err);
  assert.match(json.err, /error\[LV5016\]: `model.arch` is `tiny_llm`/);
  assert.match(JSON.parse(json.out).stdlibExtension.files[0], /tinyfork\/\.lavisc\/registry\.lv$/);
  const named = await cli(h, ["check", join(TINY, "tinyfork", "configs", "datasets", "clips", "defaults.yaml"), "--stdlib-ext", join(TINY, ".lavisc")]);
  assert.match(named.out, /checked with the stdlib extension \S+ \(--stdlib-ext\)/);
});

test("fragments one by one: a dataset default, a model default, a runtime default, a YAML that is not LAVIS's", async () => {
  const h = await scanned();
  const ds = await cli(h, ["check", join(TINY, "tinyfork", "configs", "datasets", "clips", "defaults.yaml")]);
  assert.is(ds.code, 0);
  assert.match(ds.out, /no problems\nchecked with the stdlib extension test\/fixtures\/forks\/tinyfork\/\.lavisc\/registry\.lv \(the nearest \.lavisc\/ folder above the file\)\n {2}redefines LAVIS's processor `blip_caption`, runner `runner_base`\n$/);
  const env = await cli(h, ["check", join(TINY, "tinyfork", "configs", "default.yaml")]);
  assert.is(env.code, 0);
  const other = await cli(h, ["check", join(TINY, "environment.yml")]);
  assert.is(other.code, 0);
  assert.match(other.out, /warning\[LV2024\]: This YAML file is not a LAVIS config/);
  const bad = "datasets:\n  tiny_clips:\n    num_frames: many\n    vis_processor:\n      train:\n        name: tiny_vidoe\n";
  h.files.set(join(TINY, "tinyfork", "configs", "datasets", "clips", "broken.yaml"), bad);
  const b = await cli(h, ["check", join(TINY, "tinyfork", "configs", "datasets", "clips", "broken.yaml")]);
  assert.equal(codes(b.out).sort(), ["error LV2008", "error LV3001"]);
  assert.match(b.out, /Did you mean `tiny_video`\?/);
});

test("migrate turns a default file into the declaration of its type, and an experiment can use it", async () => {
  const h = repoHost();
  const file = join(TINY, "tinyfork", "configs", "datasets", "clips", "defaults.yaml");
  const m = await cli(h, ["migrate", file]);
  assert.is(m.code, 0, m.err);
  assert.match(m.out, /^builder tiny_clips: DatasetConfig \{\n  \/\/\/ Default config: defaults\.yaml\.\n  type default \{\n    data_type = "videos"/);
  // Without a scan, `tiny_clips` is a new builder that the migrated declaration adds; the processor still needs its declaration.
  h.files.set("/exp/clips.lv", m.out);
  h.files.set("/exp/video.lv", "processor tiny_video {\n  n_frames: int = 4\n}\n");
  h.files.set("/exp/exp.lv", [
    'import "./clips.lv"',
    'import "./video.lv"',
    "experiment e {",
    "  task captioning",
    "  model blip_caption(base_coco)",
    "  data tiny_clips",
    "  recipe {",
    "    init_lr = 1e-5",
    "    min_lr = 0",
    "    max_epoch = 1",
    "    batch_size_train = 2",
    "    batch_size_eval = 2",
    '    output_dir = "out"',
    "    valid_splits = []",
    "  }",
    "}",
  ].join("\n"));
  const c = await cli(h, ["explain", "/exp/exp.lv", "datasets.tiny_clips.build_info.videos"]);
  assert.match(c.out, /^datasets\.tiny_clips\.build_info\.videos = "data\/clips\/videos"  dataset default tiny_clips\(default\) \(\/exp\/clips\.lv:\d+\)/);
  // A type the registry already has (the scan's) keeps its name free: the migrated one is named after the file.
  const s = await scanned();
  const again = await cli(s, ["migrate", file]);
  assert.match(again.out, /\/\/\/ Default config: configs\/datasets\/clips\/defaults\.yaml\.\n  type defaults \{/);
  const model = await cli(s, ["migrate", join(TINY, "tinyfork", "configs", "models", "tiny_llm.yaml")]);
  assert.match(model.out, /^arch tiny_llm: ModelConfig \{\n  \/\/\/ Default config: configs\/models\/tiny_llm\.yaml\.\n  type tiny_llm \{\n    load_finetuned = false/);
  assert.match(model.out, /    preprocess \{\n      vis_processor \{\n        train = tiny_video \{ n_frames = 8 \}/);
});

test("keys LAVIS forks add: unknown in a LAVIS project, with a hint; known under a fork's extension", async () => {
  const h = repoHost();
  const project = (extra: string) => `model:\n  arch: blip_caption\n  model_type: base_coco\ndatasets:\n  coco_caption:\n    sample_ratio: 2\nrun:\n  task: captioning\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 2\n  batch_size_eval: 2\n  output_dir: out\n  iters_per_epoch: 100\n${extra}`;
  h.files.set("/lavis/p.yaml", project(""));
  const plain = await cli(h, ["check", "/lavis/p.yaml"]);
  assert.match(plain.out, /Unknown key `sample_ratio` in dataset `coco_caption`/);
  assert.match(plain.out, /`sample_ratio` is a key LAVIS forks add \(MiniGPT-4, MiniGPT-v2, Video-LLaMA, VIGC\); LAVIS itself ignores it/);
  assert.match(plain.out, /Unknown key `iters_per_epoch` in `run`/);
  h.files.set("/fork/.lavisc/registry.lv", "schema Recipe : ForkRecipe {}\nschema DatasetConfig : ForkDatasetConfig {}\n");
  h.files.set("/fork/p.yaml", project("  wandb_log: yes\n"));
  const fork = await cli(h, ["check", "/fork/p.yaml"]);
  assert.is(fork.code, 0, fork.out);
  h.files.set("/fork/q.yaml", project("  iters_per_epoch: many\n").replace("  iters_per_epoch: 100\n", ""));
  const typed = await cli(h, ["check", "/fork/q.yaml"]);
  assert.match(typed.out, /`run\.iters_per_epoch` expects an integer/);
});

testWith(test, LAVIS_CORPUS)("LAVIS's own configs folder, file by file: every error is one the LAVIS reference documents", async () => {
  const dir = join(repoRoot(), "..", "shared", "lavis-configs", "configs");
  const r = await cli(repoHost(), ["check", dir]);
  const errors = [...r.out.matchAll(/^error\[(LV\d+)\][^\n]*\n\s*--> ([^\n:]+)/gm)].map((m) => `${m[1]} ${m[2]!.split("/configs/").at(-1)}`);
  // Invalid YAML (scienceqa, vsr), OmegaConf's duplicate key (vatex), and defaults keyed by a name no builder has
  // (msrvtt_cap, msvd_cap: LAVIS then builds a dataset of that name and fails).
  assert.equal([...new Set(errors)].sort(), [
    "LV1008 datasets/scienceqa/defaults.yaml",
    "LV1008 datasets/vsr/defaults.yaml",
    "LV1008 datasets/vsr/defaults_classification.yaml",
    "LV1008 datasets/vsr/defaults_classification_instruct.yaml",
    "LV1009 datasets/vatex/defaults_cap_instruct.yaml",
    "LV2005 datasets/msrvtt/defaults_cap.yaml",
    "LV2005 datasets/msvd/defaults_cap.yaml",
    "LV2005 datasets/vatex/defaults_cap.yaml",
  ]);
  assert.match(r.out, /166 LAVIS config files checked/);
});

test.run();
