import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { fromRoot } from "../harness/repoRoot.js";

// Every diagnostic on a `.lv` file has a location (file, line, column): the syntax cases, the hostile cases, and the
// typical mistakes made to a quickstart experiment, through `lavisc check --format json`.

const base = memoryHost().readFile(fromRoot("projects", "quickstart", "caption_shapes.lv"));

const MISTAKES: Record<string, (s: string) => string> = {
  "no model": (s) => s.replace(/\n  model [^\n]*\n/, "\n"),
  "no data": (s) => s.replace(/\n  data [\s\S]*?\n  \}\n/, "\n"),
  "no recipe": (s) => s.replace(/\n  recipe \{[\s\S]*?\n  \}\n/, "\n"),
  "no task": (s) => s.replace(/\n  task \w+\n/, "\n"),
  "misspelled dotted keys": (s) => s.replace("text_processor.train", "text_proor.train").replace("vis_processor.eval", "vis_procesor.eval").replace("init_lr", "init_lrr"),
  "nested dotted keys": (s) => s.replace("recipe {", "recipe {\n    a.b.c = 1\n    lr_sched = cosine\n    runner = runner_itr"),
  "unknown names": (s) => s.replace(/model (\w+)/, "model blip_captionn").replace(/data (\w+)/, "data nosuchbuilder").replace(/task (\w+)/, "task captionin"),
  "unknown model type": (s) => s.replace(/model (\w+)\((\w+)\)/, "model $1(nosuch)"),
  "unknown processor": (s) => s.replace(/= blip_caption/, "= blip_captionz"),
  "duplicate keys": (s) => s.replace("recipe {", "recipe {\n    max_epoch = 1\n    max_epoch = 2"),
  "wrong types and nulls": (s) => s.replace("recipe {", 'recipe {\n    batch_size_eval = "two"\n    amp = 3\n    train_splits = "train"\n    max_epoch = null'),
  "violated constraints": (s) => s.replace("min_lr = 1e-5", "min_lr = 1").replace("min_len = 5", "min_len = 50"),
  "dangling reference": (s) => s.replace("warmup_lr = 1e-5", "warmup_lr = ${recipe.nope}"),
  "model keys": (s) => s.replace(/model (\w+)\((\w+)\)/, "model $1($2) {\n    image_sizee = 3\n    vit.depth = 2\n  }"),
  "sections outside the recipe": (s) => s.replace("  recipe {", "  preprocess.vis_processor.train = blip_image_train\n  lavisc.foo = 1\n  recipe {"),
  "missing extends and import": (s) => `import "nowhere.lv"\n${s.replace(/experiment (\w+)/, 'experiment $1 extends "nowhere.lv"')}`,
  "two experiments": (s) => `${s}\nexperiment other {\n  task captioning\n}\n`,
};

async function unlocated(dir: string, file: string): Promise<string[]> {
  const h = memoryHost({}, dir);
  await runCli(["check", file, "--format", "json"], h);
  const r = JSON.parse(h.out) as { diagnostics: { code: string; message: string; file: string | null; line: number | null; column: number | null }[] };
  return r.diagnostics.filter((d) => d.file === null || d.line === null || d.column === null).map((d) => `${file}: ${d.code} ${d.message}`);
}

test("every diagnostic of a bad .lv file has a file, a line and a column", async () => {
  const missing: string[] = [];
  let files = 0;
  for (const folder of [fromRoot("test", "cases", "syntax"), fromRoot("test", "cases", "hostile")]) {
    for (const f of readdirSync(folder).filter((n) => n.endsWith(".lv")).sort()) {
      missing.push(...(await unlocated(folder, f)));
      files++;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "lavisc-locations-"));
  try {
    for (const [name, edit] of Object.entries(MISTAKES)) {
      const text = edit(base);
      assert.is.not(text, base, `${name}: the edit applies`);
      const file = `${name.replace(/ /g, "_")}.lv`;
      writeFileSync(join(dir, file), text);
      missing.push(...(await unlocated(dir, file)));
      files++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(files > 40, `${files} files`);
  assert.equal(missing, []);
});

// What the experiment lacks as a whole (a task, a model, a required recipe value) is at its name in a `.lv`, at the
// first key of a YAML file, at the start of an empty one: a place to add it, never nowhere.
const LACKING: Record<string, string> = {
  "empty.yaml": "",
  "no_run_section.yaml": "model:\n  arch: blip_caption\n  model_type: base_coco\ndatasets:\n  coco_caption: {}\n",
  "empty_experiment.lv": "experiment x {\n}\n",
};

test("what an experiment lacks as a whole is located in its file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-locations-"));
  try {
    const missing: string[] = [];
    for (const [file, text] of Object.entries(LACKING)) {
      writeFileSync(join(dir, file), text);
      missing.push(...(await unlocated(dir, file)));
    }
    assert.equal(missing, []);
    const h = memoryHost({}, dir);
    await runCli(["check", "empty_experiment.lv", "--format", "json"], h);
    const at = (JSON.parse(h.out) as { diagnostics: { code: string; line: number; column: number }[] }).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    assert.ok(at.includes("LV3003 1:12"), `at the experiment's name, as LV2018: ${at.join(", ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A base or module that cannot be read is one error at the string that names it: a folder (`extends "."`, `""`) is not
// found (LV2014), and a file that cannot be read (a folder named `x.lv`) is LV1011 there.
test("an extends or import that names a folder has one error, at its string", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-locations-"));
  try {
    mkdirSync(join(dir, "folder.lv"));
    const files: Record<string, [string, string]> = {
      "extends_dot.lv": ['experiment x extends "." {\n}\n', "LV2014 1:22"],
      "extends_empty.lv": ['experiment x extends "" {\n}\n', "LV2014 1:22"],
      "extends_missing.lv": ['experiment x extends "nope.lv" {\n}\n', "LV2014 1:22"],
      "import_folder.lv": ['import "folder.lv"\nexperiment x {\n}\n', "LV1011 1:8"],
    };
    for (const [file, [text, expected]] of Object.entries(files)) {
      writeFileSync(join(dir, file), text);
      const h = memoryHost({}, dir);
      await runCli(["check", file, "--format", "json"], h);
      const at = (JSON.parse(h.out) as { diagnostics: { code: string; line: number | null; column: number | null }[] }).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
      assert.equal(at, [expected], file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
