import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// The four commands end to end through the CLI, in memory: outputs, exit codes, files written and never written.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");

function host(files: Record<string, string>) {
  return memoryHost(files, "/p");
}

test("migrate prints the .lv of one file and reports nothing for a clean config", async () => {
  const h = host({ "/p/a.yaml": caption });
  assert.is(await runCli(["migrate", "a.yaml"], h), 0);
  assert.match(h.out, /^\/\/ Copyright/);
  assert.match(h.out, /experiment a \{\n  \/\/ task: retrieval\n  task captioning\n/);
  assert.is(h.err, "");
  assert.is(h.files.get("/p/a.yaml"), caption, "the input is untouched");
});

test("migrate --write writes X.lv beside X.yaml, refuses to overwrite without --force", async () => {
  const h = host({ "/p/a.yaml": caption, "/p/b.yaml": caption.replace("init_lr: 1e-5", "init_lr: -1") });
  assert.is(await runCli(["migrate", "--write", "a.yaml", "b.yaml"], h), 1, "a file with errors fails the command");
  assert.ok(h.files.get("/p/a.lv")?.includes("init_lr = 1e-5"));
  assert.ok(h.files.get("/p/b.lv")?.includes("init_lr = -1"), "a file with errors is still translated");
  assert.match(h.out, /a\.yaml → a\.lv: ok\n/);
  assert.match(h.out, /b\.yaml → b\.lv: 1 error \(written anyway\)\n/);
  assert.match(h.out, /2 of 2 files migrated; 1 with errors, 0 with warnings only\n/);
  assert.match(h.err, /LV3002/, "the check's diagnostics are printed beside the translation");

  h.files.set("/p/a.lv", "// mine\n");
  h.out = "";
  h.err = "";
  assert.is(await runCli(["migrate", "--write", "a.yaml"], h), 1);
  assert.is(h.files.get("/p/a.lv"), "// mine\n");
  assert.match(h.err, /a\.lv already exists; use --force/);
  assert.is(await runCli(["migrate", "--write", "--force", "a.yaml"], h), 0);
  assert.ok(h.files.get("/p/a.lv")!.startsWith("// Copyright"));
});

test("migrate says which keys it wrote with LAVIS's own value (the YAML left them to LAVIS's code)", async () => {
  const h = host({ "/p/a.yaml": caption.replace(/^  test_splits:.*\n/m, "") });
  assert.is(await runCli(["migrate", "--write", "a.yaml"], h), 0, h.err);
  assert.match(h.out, /a\.yaml → a\.lv: ok; LAVIS's own value written for `run\.test_splits`, which the YAML leaves out\n/);
  assert.match(h.files.get("/p/a.lv")!, /\/\/ The YAML leaves `test_splits` out; LAVIS's code then uses \[\] \(lavisc's default would be \["test"\]\)\.\n    test_splits = \[\]\n/);
});

test("migrate carries lavisc: ignore comments to the line they silence, and leaves out codes the .lv has nothing for", async () => {
  const yaml = caption
    .replace(/^run:$/m, "run:  # lavisc: ignore[LV4019]")
    .replace(/^(          prompt: "a picture of "\n)/m, "$1          max_words: 80  # lavisc: ignore[LV5006]\n")
    .replace(/^  test_splits:.*\n/m, "");
  const h = host({ "/p/a.yaml": yaml });
  assert.is(await runCli(["check", "a.yaml"], h), 0);
  assert.match(h.out, /no problems/, "both comments silence a warning in the YAML");
  h.out = "";
  assert.is(await runCli(["migrate", "--write", "a.yaml"], h), 0, h.err);
  const lv = h.files.get("/p/a.lv")!;
  assert.match(lv, /max_words = 80 \/\/ lavisc: ignore\[LV5006\]\n/, "the processor's warning stays silenced on its line");
  assert.match(lv, /\n  recipe \{\n/, "the .lv writes LAVIS's test_splits, so LV4019 has nothing to silence and its comment is left out");
  assert.match(h.out, /a\.yaml → a\.lv: ok; LAVIS's own value written for `run\.test_splits`, which the YAML leaves out; `lavisc: ignore` left out for LV4019, which the \.lv does not warn about\n/);
  assert.is(h.err, "");
  // Printed to stdout (no summary there), the left-out comment is a note on stderr; `ignore-next-line` the same.
  const printed = host({ "/p/a.yaml": yaml.replace("run:  # lavisc: ignore[LV4019]", "# lavisc: ignore-next-line[LV4019]\nrun:") });
  assert.is(await runCli(["migrate", "a.yaml"], printed), 0, printed.err);
  assert.not.match(printed.out, /LV4019/);
  assert.is(printed.err, "note: a.yaml; `lavisc: ignore` left out for LV4019, which the .lv does not warn about\n");

  // A code that silences nothing in the YAML either is kept, and reported in both.
  const stale = host({ "/p/a.yaml": yaml.replace("ignore[LV4019]", "ignore[LV4019, LV4010]") });
  assert.is(await runCli(["migrate", "--write", "a.yaml"], stale), 0);
  assert.match(stale.files.get("/p/a.lv")!, /\n  recipe \{ \/\/ lavisc: ignore\[LV4010\]\n/, "a comment on `run:` goes on the `recipe {` line");
  assert.match(stale.err, /a\.lv:\d+:\d+[\s\S]*LV1022|LV1022[\s\S]*a\.lv/);
  assert.match(stale.err, /LV1022[\s\S]*a\.yaml|a\.yaml[\s\S]*LV1022/);
});

test("migrate writes a reference to a key no .lv name spells as a template, not a .lv that does not parse", async () => {
  for (const key of ["a-b", "kéy", "0"]) {
    const h = host({ "/p/a.yaml": caption.replace("init_lr: 1e-5", `"${key}": 1e-5\n  init_lr: \${run.${key}}`) });
    assert.is(await runCli(["migrate", "a.yaml"], h), 1, `${key}: the unknown key is an error, not an internal one\n${h.err}`);
    assert.ok(h.out.includes(`init_lr = "\${recipe.${key}}"`), h.out);
    assert.not.match(h.err, /internal error/);
  }
});

test("export leaves out a default processor's parameters that the processor written does not read, so the export checks clean", async () => {
  const yaml = [
    "model: {arch: blip2_t5_instruct, model_type: flant5xl}",
    "datasets:",
    "  msrvtt_qa_instruct:",
    "    text_processor:",
    "      train: {name: blip_question}",
    "run: {task: gqa, init_lr: 1e-5, min_lr: 0, max_epoch: 1, batch_size_train: 16, batch_size_eval: 1, output_dir: out}",
    "",
  ].join("\n");
  const h = host({ "/p/a.yaml": yaml });
  assert.is(await runCli(["export", "a.yaml", "-o", "b.yaml"], h), 0, h.err);
  const out = h.files.get("/p/b.yaml")!;
  assert.match(out, /# \(LAVIS merges them back from that default and ignores them\): msrvtt_qa_instruct\.text_processor\.train\.task, msrvtt_qa_instruct\.text_processor\.train\.modality\.\n/);
  assert.match(out, /\n      train:\n        name: blip_question\n        max_words: 50\n/, "the processor's own parameters are written");
  h.out = "";
  h.err = "";
  assert.is(await runCli(["check", "b.yaml", "--format", "json"], h), 0, h.out);
  assert.not.match(h.out, /LV2001/);
});

test("migrate -o writes one file; usage errors exit 2", async () => {
  const h = host({ "/p/a.yaml": caption });
  assert.is(await runCli(["migrate", "a.yaml", "-o", "out/x.lv", "--minimal"], h), 0);
  assert.ok(h.files.get("/p/out/x.lv")?.includes("experiment a {"));
  assert.not.match(h.files.get("/p/out/x.lv")!, /weight_decay/);
  assert.is(await runCli(["migrate", "a.yaml", "a.yaml", "-o", "x.lv"], h), 2);
  assert.is(await runCli(["migrate", "a.yaml", "a.yaml"], h), 2);
  assert.is(await runCli(["migrate", "a.yaml", "-o", "a.yaml"], h), 2);
});

test("-o replaces a file only when lavisc wrote it, or with --force: a hand-written file is never lost", async () => {
  const h = host({ "/p/a.yaml": caption, "/p/mine.yaml": "hand-written\n", "/p/mine.lv": "hand-written\n", "/p/mine.json": "{}\n" });
  for (const argv of [["export", "a.yaml", "-o", "mine.yaml"], ["schema", "-o", "mine.json"]]) {
    assert.is(await runCli(argv, h), 2, argv.join(" "));
    assert.match(h.err, /mine\.\w+ exists and was not written by lavisc; pass --force to overwrite it/);
  }
  assert.is(await runCli(["migrate", "a.yaml", "-o", "mine.lv"], h), 1);
  assert.match(h.err, /mine\.lv already exists; use --force to overwrite it/);
  assert.equal([h.files.get("/p/mine.yaml"), h.files.get("/p/mine.lv"), h.files.get("/p/mine.json")], ["hand-written\n", "hand-written\n", "{}\n"]);
  // lavisc's own outputs are regenerated without --force; --force replaces anything.
  assert.is(await runCli(["export", "a.yaml", "-o", "a.export.yaml"], h), 0);
  assert.is(await runCli(["export", "a.yaml", "-o", "a.export.yaml"], h), 0);
  assert.is(await runCli(["schema", "-o", "s.json"], h), 0);
  assert.is(await runCli(["schema", "-o", "s.json"], h), 0);
  assert.is(await runCli(["export", "a.yaml", "-o", "mine.yaml", "--force"], h), 0);
  assert.match(h.files.get("/p/mine.yaml")!, /^# Generated by lavisc from a\.yaml/);
  assert.is(await runCli(["migrate", "a.yaml", "-o", "mine.lv", "--force"], h), 0);
});

test("a flow list continued at column 0 checks clean and migrates with its values, as LAVIS (PyYAML) reads it", async () => {
  // PyYAML checks no indentation inside `[...]` (yamlFlowIndent.ts); lavisc reported LV1008s and migrate refused it.
  const h = host({ "/p/a.yaml": caption.replace('  test_splits: ["test"]\n', '  test_splits: ["test",\n"val"]\n') });
  assert.is(await runCli(["check", "a.yaml"], h), 0, h.out);
  h.out = "";
  assert.is(await runCli(["migrate", "a.yaml"], h), 0, h.err);
  assert.match(h.out, /\n    test_splits = \["test", "val"\]\n/);
});

test("migrate refuses YAML that does not parse, with the error located", async () => {
  const h = host({ "/p/bad.yaml": "model:\n  arch: [blip\nrun: {}\n" });
  assert.is(await runCli(["migrate", "bad.yaml"], h), 1);
  assert.match(h.err, /LV1008/);
  assert.match(h.err, /bad\.yaml:\d+:\d+/);
  assert.is(h.out, "");
});

test("an escaped OmegaConf interpolation migrates as literal text and exports escaped again", async () => {
  const yaml = caption.replace('output_dir: "output/BLIP/Caption_coco"', 'output_dir: "out/\\\\${x}"');
  const h = host({ "/p/a.yaml": yaml });
  assert.is(await runCli(["migrate", "a.yaml", "-o", "a.lv"], h), 0);
  assert.match(h.files.get("/p/a.lv")!, /output_dir = "out\/\\\$\{x\}"/);
  assert.not.match(h.err, /LV3005/, "an escaped `${` is not an interpolation");
  assert.is(await runCli(["export", "a.lv"], h), 0);
  assert.match(h.out, /\n  output_dir: "out\/\\\\\$\{x\}"\n/);
  const live = host({ "/p/b.yaml": caption.replace('output_dir: "output/BLIP/Caption_coco"', 'output_dir: "out/${oc.select:run.nope,x}"') });
  assert.is(await runCli(["migrate", "b.yaml"], live), 1);
  assert.match(live.err, /LV3005/, "an interpolation lavisc cannot read (a resolver) is reported");
  assert.match(live.err, /b\.yaml has 1 error; its translation was printed anyway\./);
  assert.match(live.out, /output_dir = "out\/\\\$\{oc\.select:run\.nope,x\}"/, "and kept as text");
});

test("an interpolation lavisc cannot resolve is one error (LV3005), not also a wrong type or a missing value", async () => {
  const h = host({ "/p/a.yaml": caption.replace(/min_lr: \S+/, "min_lr: ${oc.decode:0}") });
  assert.is(await runCli(["check", "a.yaml"], h), 1);
  const codes = [...h.out.matchAll(/^error\[(LV\d+)\]/gm)].map((m) => m[1]);
  assert.equal(codes, ["LV3005"], h.out);
});

test("export writes every resolved value, refuses an experiment with errors", async () => {
  const h = host({ "/p/a.yaml": caption, "/p/bad.yaml": caption.replace("init_lr: 1e-5", "init_lr: -1") });
  assert.is(await runCli(["export", "a.yaml", "-o", "a.export.yaml"], h), 0);
  const out = h.files.get("/p/a.export.yaml")!;
  assert.match(out, /^# Generated by lavisc from a\.yaml/);
  assert.match(out, /\nmodel:\n  arch: blip_caption\n  model_type: base_coco\n/);
  assert.match(out, /\n  init_lr: 1e-05\n/);
  assert.match(out, /\n  warmup_lr: 1e-05\n/, "schema defaults are written out");
  assert.not.match(out, /\npreprocess:/);
  assert.is(await runCli(["export", "bad.yaml"], h), 1);
  assert.match(h.err, /LV3002[\s\S]*bad\.yaml was not exported because it has errors/);
});

test("export and --engine lavis refuse lavisc's own task feature_extraction (LV4018)", async () => {
  const h = host({ "/p/f.lv": readFileSync(fromRoot("projects", "quickstart", "features_shapes.lv"), "utf8") });
  assert.is(await runCli(["export", "f.lv", "-o", "f.yaml"], h), 1);
  assert.match(h.err, /error\[LV4018\]: Task `feature_extraction` is lavisc's own; LAVIS has no such task, so this experiment cannot be exported\./);
  assert.match(h.err, /help: LAVIS extracts features in Python: `load_model_and_preprocess\("blip_feature_extractor", "base"\)`/);
  assert.match(h.err, /f\.lv was not exported because it has errors/);
  assert.not.ok(h.files.has("/p/f.yaml"));
  const l = host({ "/p/f.lv": readFileSync(fromRoot("projects", "quickstart", "features_shapes.lv"), "utf8") });
  assert.is(await runCli(["run", "f.lv", "--engine", "lavis", "--dry-run"], l), 1);
  assert.match(l.err, /LV4018\]: .*cannot be run with LAVIS/);
  assert.is(l.out, "");
});

test("diff: equal experiments exit 0, different ones list each key with both origins and exit 1", async () => {
  const lv = `experiment b {\n  task captioning\n  model blip_caption(base_coco) { load_finetuned = false }\n  data coco_caption {\n    vis_processor { train = blip_image_train {}, eval = blip_image_eval {} }\n    text_processor { train = blip_caption { prompt = "a picture of " }, eval = blip_caption {} }\n  }\n  recipe {\n    init_lr = 2e-5\n    min_lr = 0\n    max_epoch = 5\n    batch_size_train = 32\n    batch_size_eval = 64\n    output_dir = "output/BLIP/Caption_coco"\n    resume_ckpt_path = null\n    seed = 7\n  }\n}\n`;
  const h = host({ "/p/a.yaml": caption, "/p/a2.yaml": caption, "/p/b.lv": lv });
  assert.is(await runCli(["diff", "a.yaml", "a2.yaml"], h), 0);
  assert.match(h.out, /resolve to the same experiment/);
  h.out = "";
  assert.is(await runCli(["diff", "a.yaml", "b.lv"], h), 1);
  assert.match(h.out, /\n  run\.init_lr: 1e-05 \(set at a\.yaml:31\) → 2e-05 \(set at b\.lv:9\)\n/);
  assert.match(h.out, /\n  run\.seed: 42 \(set at a\.yaml:43\) → 7 \(set at b\.lv:16\)\n/);
  assert.match(h.out, /run\.warmup_lr: 1e-05 \(derived "= init_lr"/);
  h.out = "";
  assert.is(await runCli(["diff", "a.yaml", "b.lv", "--format", "json"], h), 1);
  const j = JSON.parse(h.out) as { equal: boolean; differences: { path: string; kind: string; a: { value: unknown; origin: { line: number } }; b: { value: unknown } }[] };
  assert.is(j.equal, false);
  const init = j.differences.find((d) => d.path === "run.init_lr")!;
  assert.equal([init.kind, init.a.value, init.b.value, init.a.origin.line], ["changed", 1e-5, 2e-5, 31]);
  assert.is(await runCli(["diff", "a.yaml"], h), 2);
  assert.is(await runCli(["diff", "a.yaml", "missing.lv"], h), 2);
});

test("diff --format json names a file outside the working folder as its origins do: absolute", async () => {
  const h = host({ "/p/a.yaml": caption, "/elsewhere/b.yaml": caption.replace("init_lr: 1e-5", "init_lr: 2e-5") });
  assert.is(await runCli(["diff", "a.yaml", "/elsewhere/b.yaml", "--format", "json"], h), 1);
  const j = JSON.parse(h.out) as { a: string; b: string; differences: { path: string; b: { origin: { file: string } } }[] };
  const init = j.differences.find((d) => d.path === "run.init_lr")!;
  assert.equal([j.a, j.b, init.b.origin.file], ["a.yaml", "/elsewhere/b.yaml", "/elsewhere/b.yaml"]);
});

test("diff shows keys only on one side as added and removed", async () => {
  const h = host({ "/p/a.yaml": caption, "/p/b.yaml": caption.replace("  num_workers: 4\n", "  num_workers: 4\n  accum_grad_iters: 2\n").replace("  resume_ckpt_path: null\n", "") });
  assert.is(await runCli(["diff", "a.yaml", "b.yaml"], h), 1);
  assert.match(h.out, /\n- run\.resume_ckpt_path: null \(set at a\.yaml:\d+\)\n/);
  assert.match(h.out, /\n  run\.accum_grad_iters: 1 \(default "= 1"[^\n]*→ 2 \(set at b\.yaml:\d+\)\n/);
});

test("schema prints a JSON Schema; --format accepts only json-schema", async () => {
  const h = host({});
  assert.is(await runCli(["schema", "--format", "json-schema", "-o", "s.json"], h), 0);
  const s = JSON.parse(h.files.get("/p/s.json")!) as Record<string, unknown>;
  assert.is(s.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.is(await runCli(["schema", "--format", "yaml"], h), 2);
});

test("schema has the names the current folder's `.lavisc/` extension registers, as check accepts them", async () => {
  const fork = {
    "/p/.lavisc/registry.lv": "processor my_proc {\n  size: int = 3\n}\n",
    "/p/.lavisc/more.lv": "arch my_blip: BlipEncoders {\n  type base { }\n}\n",
  };
  const names = async (h: ReturnType<typeof host>) => {
    assert.is(await runCli(["schema", "-o", "s.json"], h), 0);
    const text = h.files.get("/p/s.json")!;
    return ["my_proc", "my_blip"].filter((n) => text.includes(`"${n}"`));
  };
  assert.equal(await names(host(fork)), ["my_proc", "my_blip"], "both extension files");
  assert.equal(await names(host({})), [], "no extension, no fork names");
  const elsewhere = memoryHost(Object.fromEntries(Object.entries(fork).map(([k, v]) => [k.replace("/p/", "/fork/"), v])), "/p");
  assert.is(await runCli(["--stdlib-ext", "/fork/.lavisc", "schema", "-o", "s.json"], elsewhere), 0);
  assert.match(elsewhere.files.get("/p/s.json")!, /"my_blip"/, "--stdlib-ext names the extension");
});

test.run();
