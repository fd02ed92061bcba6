import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { preflightData } from "../../../src/runtime/data/preflight.js";
import type { DatasetSpec } from "../../../src/runtime/runSpec.js";

const test = suite("data preflight");

function dataset(root: string, overrides: Partial<DatasetSpec> = {}): DatasetSpec {
  return {
    name: "toy_caption", builder: "toy_caption", type: "default", dataType: "images", format: "caption",
    imageRoot: join(root, "images"), storageRoot: root,
    splits: [{ split: "train", annotations: [{ storage: "train.json" }] }, { split: "val", annotations: [{ storage: "val.json" }] }],
    visProcessor: { train: { name: "blip_image_train", params: { image_size: 16 } }, eval: { name: "blip_image_eval", params: { image_size: 16 } } },
    textProcessor: { train: { name: "blip_caption", params: {} }, eval: { name: "blip_caption", params: {} } },
    ...overrides,
  };
}

test("lists missing images (first few and the count) and missing annotation files", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  mkdirSync(join(root, "images"));
  writeFileSync(join(root, "images", "present.png"), "x");
  const records = Array.from({ length: 9 }, (_, i) => ({ image: i === 0 ? "present.png" : `gone_${i}.png`, caption: "a cat", image_id: i }));
  writeFileSync(join(root, "train.json"), JSON.stringify(records));
  const { findings, splits } = await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: ["val", "test"], maxListed: 3 });
  const images = findings.find((f) => f.code === "missing-images")!;
  assert.is(images.split, "train");
  assert.is(images.count, 8);
  assert.equal(images.paths, [1, 2, 3].map((i) => join(root, "images", `gone_${i}.png`)));
  assert.match(images.message, /8 of 9 images/);
  const ann = findings.find((f) => f.code === "missing-file")!;
  assert.is(ann.split, "val");
  assert.equal(ann.paths, [join(root, "val.json")]);
  const split = findings.find((f) => f.code === "missing-split")!;
  assert.is(split.severity, "warning");
  assert.equal(splits["toy_caption/train"], { records: 9, images: 9 });
});

test("a train split one dataset lacks is fine when another has it; a split no dataset has is an error", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  mkdirSync(join(root, "images"));
  writeFileSync(join(root, "images", "a.png"), "x");
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "a.png", caption: "a cat", image_id: 0 }]));
  const trainer = dataset(root, { splits: [{ split: "train", annotations: [{ storage: "train.json" }] }] });
  const evalOnly = dataset(root, { name: "toy_eval", builder: "toy_eval", splits: [{ split: "val", annotations: [{ storage: "train.json" }] }] });
  const ok = await preflightData([trainer, evalOnly], { trainSplits: ["train"], evalSplits: [], maxListed: 3 });
  assert.equal(ok.findings.filter((f) => f.code === "missing-split"), []);
  const bad = await preflightData([evalOnly], { trainSplits: ["train"], evalSplits: [], maxListed: 3 });
  assert.equal(bad.findings.filter((f) => f.code === "missing-split").map((f) => f.severity), ["error"]);
});

test("an empty split is an error, evaluated or trained: a score on no records is no score", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  mkdirSync(join(root, "images"));
  writeFileSync(join(root, "images", "a.png"), "x");
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "a.png", caption: "a cat", image_id: 0 }]));
  writeFileSync(join(root, "val.json"), "[]");
  const { findings } = await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: ["val"], maxListed: 3 });
  const empty = findings.filter((f) => f.code === "empty-split");
  assert.equal(empty.map((f) => [f.split, f.severity]), [["val", "error"]]);
  assert.match(empty[0]!.message, /toy_caption\/val has no records: its metrics would be computed on nothing .*leave "val" out of the run's valid_splits \/ test_splits/);
});

test("a clean dataset has no findings; bad processors and a missing image folder are reported", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  mkdirSync(join(root, "images"));
  writeFileSync(join(root, "images", "a.png"), "x");
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "a.png", caption: "a", image_id: 1 }]));
  const clean = await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: [] });
  assert.equal(clean.findings, []);
  const bad = dataset(root, { imageRoot: join(root, "nowhere"), visProcessor: { train: { name: "blip_image_train", params: { image_size: "x" } } } });
  const { findings } = await preflightData([bad], { trainSplits: ["train"], evalSplits: [] });
  assert.ok(findings.some((f) => f.code === "unsupported" && /image_size must be a number/.test(f.message)));
  assert.ok(findings.some((f) => f.code === "missing-image-root"));
});

test("an evaluated retrieval split with an image whose caption list is empty: refused before training, naming the file, record and image", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  mkdirSync(join(root, "images"));
  for (const n of ["a", "b", "c"]) writeFileSync(join(root, "images", `${n}.png`), "x");
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "a.png", caption: "a cat", image_id: 0 }]));
  writeFileSync(join(root, "val.json"), JSON.stringify([{ image: "a.png", caption: ["a cat"] }, { image: "b.png", caption: [] }, { image: "c.png", caption: [] }]));
  const retrieval = dataset(root, { name: "toy_retrieval", builder: "toy_retrieval", format: "retrieval" });
  const { findings } = await preflightData([retrieval], { trainSplits: ["train"], evalSplits: ["val"] });
  const [f, ...rest] = findings.filter((x) => x.code === "uncaptioned-images");
  assert.equal(rest, []);
  assert.is(f!.severity, "error");
  assert.is(f!.split, "val");
  assert.equal(f!.paths, [join(root, "val.json")]);
  assert.match(f!.message, /^2 of 3 images of toy_retrieval\/val have an empty "caption" list \(first: .*val\.json record 1, image "b\.png"\)/);
  // What LAVIS does with them (RetrievalTask._report_metrics): a miss, not a refusal.
  assert.match(f!.message, /LAVIS would score each one as a miss/);
  assert.not.match(f!.message, /like LAVIS/);
});

test.run();
