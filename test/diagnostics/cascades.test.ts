import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { diag, withoutCascades } from "../../src/diagnostics/index.js";

// One problem, one error (src/diagnostics/cascades.ts): a value lavisc cannot read is reported once, by its cause.
// Found by checking corpus projects with one value replaced at random and listing the paths with two error codes.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");

async function errorsAt(text: string, path: string): Promise<string[]> {
  const h = memoryHost({ "/p/a.yaml": text }, "/p");
  await runCli(["check", "a.yaml", "--format", "json"], h);
  const out = JSON.parse(h.out) as { diagnostics: { code: string; severity: string; path?: string }[] };
  return out.diagnostics.filter((d) => d.severity === "error" && d.path === path).map((d) => d.code);
}

test("a list merged over the default config's map is LV4070 alone, not also a value of the wrong type", async () => {
  const text = caption.replace(/(\n  coco_caption:.*\n)/, "$1    build_info: [1, 2]\n");
  assert.match(text, /build_info: \[1, 2\]/);
  assert.equal(await errorsAt(text, "datasets.coco_caption.build_info"), ["LV4070"]);
});

test("a section left `???` is LV3007 alone, not also 'the experiment has no ...'", async () => {
  const text = caption.replace(/\ndatasets:\n(?:(?: .*)?\n)*?(?=run:)/, "\ndatasets: ???\n");
  assert.match(text, /\ndatasets: \?\?\?\nrun:/);
  assert.equal(await errorsAt(text, "datasets"), ["LV3007"]);
});

test("an interpolation lavisc cannot resolve is LV3005 alone, not also its text as a value of the wrong type", async () => {
  const text = caption.replace("init_lr: 1e-5", 'init_lr: "x${oc.select:run.min_lr}y"');
  assert.match(text, /init_lr: "x\$\{oc\.select:run\.min_lr\}y"/);
  assert.equal(await errorsAt(text, "run.init_lr"), ["LV3005"]);
});

test("a sweep's trials are reported the same way: one error per problem", async () => {
  const text = caption.replace(/(\n  coco_caption:.*\n)/, "$1    build_info: [1, 2]\n");
  const h = memoryHost({ "/p/a.yaml": text }, "/p");
  await runCli(["sweep", "a.yaml", "--sweep", "run.max_epoch=1,2"], h);
  const codes = [...`${h.out}${h.err}`.matchAll(/error\[(LV\d+)\]: `datasets\.coco_caption\.build_info`/g)].map((m) => m[1]);
  assert.equal(codes, ["LV4070"]);
});

test("other codes at other paths, warnings, and errors without a path are kept", () => {
  const at = (code: string, path: string | null, severity: "error" | "warning" = "error") => ({ ...diag(code as "LV3001", null, {}), path, severity });
  const kept = withoutCascades([at("LV3005", "run.a"), at("LV3001", "run.a"), at("LV3001", "run.b"), at("LV4019", "run.a", "warning"), at("LV2018", null)]);
  assert.equal(kept.map((d) => `${d.code} ${d.path ?? "-"}`), ["LV3005 run.a", "LV3001 run.b", "LV4019 run.a", "LV2018 -"]);
});

test("LV4098 and LV4099 say what LV4019 would at their path (test_splits left to LAVIS's []), so it is dropped there alone", () => {
  const at = (code: string, path: string, severity: "error" | "warning" = "warning") => ({ ...diag(code as "LV3001", null, {}), path, severity });
  const kept = withoutCascades([at("LV4099", "run.test_splits"), at("LV4019", "run.test_splits"), at("LV4019", "run.valid_splits")]);
  assert.equal(kept.map((d) => `${d.code} ${d.path}`), ["LV4099 run.test_splits", "LV4019 run.valid_splits"]);
  const error = withoutCascades([at("LV4019", "run.test_splits"), at("LV4098", "run.test_splits", "error")]);
  assert.equal(error.map((d) => d.code), ["LV4098"]);
});

test.run();
