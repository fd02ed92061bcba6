import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { prepareDataset } from "../../src/data/index.js";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, type Host } from "../../src/cli/host.js";
import { SHAPE_CLASSES } from "../../src/data/shapes.js";

const test = suite("shapes dataset");
const counts = { train: 30, val: 10, test: 5 };
const fresh = (): string => mkdtempSync(join(tmpdir(), "lavisc-shapes-"));
const read = (root: string, rel: string): Buffer => readFileSync(join(root, rel));

test("same seed gives byte-identical annotations and images; another seed differs", () => {
  const a = prepareDataset("shapes", { root: fresh(), seed: 4, counts, imageSize: 32 });
  const b = prepareDataset("shapes", { root: fresh(), seed: 4, counts, imageSize: 32 });
  const c = prepareDataset("shapes", { root: fresh(), seed: 5, counts, imageSize: 32 });
  assert.equal(a.manifest.files, b.manifest.files);
  for (const f of a.manifest.files) assert.ok(read(a.root, f).equals(read(b.root, f)), `${f} differs between two runs`);
  assert.not.ok(read(a.root, "annotations/captions_train.json").equals(read(c.root, "annotations/captions_train.json")));
  assert.ok(read(a.root, "manifest.json").equals(read(b.root, "manifest.json")));
});

test("writes LAVIS-format files for every format and split, and is reused when parameters match", async () => {
  const root = fresh();
  const p = prepareDataset("shapes", { root, seed: 0, counts, imageSize: 32 });
  assert.ok(p.created);
  assert.is(p.root, join(root, "shapes"));
  assert.equal(p.manifest.counts, counts);
  assert.is(readdirSync(join(p.root, "images", "train")).length, 30);
  const json = (rel: string): any => JSON.parse(read(p.root, rel).toString());

  const capTrain = json(p.manifest.annotations["caption"]!["train"]![0]!);
  assert.is(capTrain.length, 90);
  assert.ok(capTrain.every((r: any) => typeof r.caption === "string" && typeof r.image === "string" && typeof r.image_id === "string"));
  const capVal = json(p.manifest.annotations["retrieval"]!["val"]![0]!);
  assert.ok(capVal.every((r: any) => Array.isArray(r.caption) && r.caption.length === 3));
  assert.is(new Set(capVal.map((r: any) => r.caption[0])).size, 10, "first captions tell the val images apart");

  const [vqaVal, answerList, questions, annotations] = p.manifest.annotations["vqa"]!["val"]!.map(json);
  assert.is(vqaVal.length, 30);
  assert.ok(vqaVal.every((q: any) => q.answer.length === 10 && answerList.includes(q.answer[0])));
  assert.is(questions.questions.length, 30);
  assert.is(annotations.annotations[0].answers.length, 10);
  const ids = [...json("annotations/vqa_train.json"), ...vqaVal].map((q: any) => q.question_id);
  assert.is(new Set(ids).size, ids.length, "question ids are unique across splits");

  const [cls, names] = p.manifest.annotations["classification"]!["train"]!.map(json);
  assert.equal(names, [...SHAPE_CLASSES]);
  const single = capTrain.filter((r: any, i: number) => i % 3 === 0 && !/ of a | above a /.test(r.caption));
  assert.is(cls.length, single.length, "only one-shape images are classified");
  for (const r of cls) assert.ok(capTrain.find((c: any) => c.image === r.image).caption.includes(SHAPE_CLASSES[r.label]!));

  const meta = await sharp(join(p.root, "images", capTrain[0].image)).metadata();
  assert.equal([meta.width, meta.height, meta.channels], [32, 32, 3]);

  const again = prepareDataset("shapes", { root, seed: 0, counts, imageSize: 32 });
  assert.is(again.created, false);
  const changed = prepareDataset("shapes", { root, seed: 0, counts: { ...counts, test: 6 }, imageSize: 32 });
  assert.is(changed.created, true);
  assert.is(readdirSync(join(p.root, "images", "test")).length, 6);
});

test("a dataset folder holding the user's files is refused before anything is replaced (exit 2 from data prepare)", async () => {
  const root = fresh();
  mkdirSync(join(root, "shapes", "annotations"), { recursive: true });
  writeFileSync(join(root, "shapes", "manifest.json"), "mine\n");
  writeFileSync(join(root, "shapes", "annotations", "captions_train.json"), "[\"mine\"]\n");
  assert.throws(() => prepareDataset("shapes", { root, counts, imageSize: 32 }), /lavisc did not write/);
  const h: Host & { err: string } = { ...nodeHost(), cwd: root, isTTY: false, color: false, err: "", stdout() {}, stderr(t: string) { h.err += t; } };
  assert.is(await runCli(["data", "prepare", "shapes", "--root", root], h), 2, h.err);
  assert.match(h.err, /2 files that lavisc did not write \(manifest\.json, annotations\/captions_train\.json\)/);
  assert.is(readFileSync(join(root, "shapes", "manifest.json"), "utf8"), "mine\n");
  assert.is(readFileSync(join(root, "shapes", "annotations", "captions_train.json"), "utf8"), "[\"mine\"]\n");
});

test("lavisc's own dataset folder is prepared again: other parameters, an interrupted run, one from before the marker", () => {
  const root = fresh();
  prepareDataset("shapes", { root, seed: 1, counts, imageSize: 32 });
  assert.ok(prepareDataset("shapes", { root, seed: 2, counts, imageSize: 32 }).created);
  rmSync(join(root, "shapes", "manifest.json")); // interrupted: images and annotations, no manifest yet
  assert.ok(prepareDataset("shapes", { root, seed: 1, counts, imageSize: 32 }).created);
  rmSync(join(root, "shapes", ".lavisc-dataset")); // prepared before the marker: its manifest says it is lavisc's
  assert.ok(prepareDataset("shapes", { root, seed: 3, counts, imageSize: 32 }).created);
  assert.ok(existsSync(join(root, "shapes", ".lavisc-dataset")));
});

test("preparing again removes only the files lavisc wrote: a user's file stops it, --force keeps it", async () => {
  const root = fresh();
  prepareDataset("shapes", { root, seed: 7, counts, imageSize: 32 });
  const folder = join(root, "shapes");
  writeFileSync(join(folder, "annotations", "my_captions.json"), "mine\n");
  mkdirSync(join(folder, "images", "mine"));
  writeFileSync(join(folder, "images", "mine", "photo.jpg"), "x\n");
  const manifestBefore = read(folder, "manifest.json");
  assert.throws(() => prepareDataset("shapes", { root, seed: 3, counts, imageSize: 32 }), /2 files that lavisc did not write \(images\/mine\/photo\.jpg, annotations\/my_captions\.json\).*--force/);
  assert.ok(read(folder, "manifest.json").equals(manifestBefore), "nothing was replaced");

  const h: Host & { err: string; out: string } = { ...nodeHost(), cwd: root, isTTY: false, color: false, err: "", out: "", stdout(t: string) { h.out += t; }, stderr(t: string) { h.err += t; } };
  assert.is(await runCli(["data", "prepare", "shapes", "--root", root, "--seed", "3", "--force"], h), 0, h.err);
  assert.match(h.out, /seed 3/);
  assert.is(readFileSync(join(folder, "annotations", "my_captions.json"), "utf8"), "mine\n");
  assert.is(readFileSync(join(folder, "images", "mine", "photo.jpg"), "utf8"), "x\n");
  assert.is(JSON.parse(read(folder, "manifest.json").toString()).params.seed, 3);
  // Folders lavisc emptied and does not write again go; those holding the user's files stay.
  prepareDataset("shapes", { root, seed: 3, counts: { ...counts, test: 0 }, imageSize: 32, force: true });
  assert.not.ok(existsSync(join(folder, "images", "test")));
  assert.ok(existsSync(join(folder, "images", "mine", "photo.jpg")));
});

test("an interrupted preparation is known by its marker: its files are replaced, the user's are not", () => {
  const root = fresh();
  prepareDataset("shapes", { root, seed: 1, counts, imageSize: 32 });
  const folder = join(root, "shapes");
  rmSync(join(folder, "manifest.json")); // as if stopped before the manifest: the marker lists what was written
  rmSync(join(folder, "annotations", "vqa_test.json"));
  assert.ok(prepareDataset("shapes", { root, seed: 2, counts, imageSize: 32 }).created);
  writeFileSync(join(folder, "annotations", "notes.txt"), "mine\n");
  rmSync(join(folder, "manifest.json"));
  assert.throws(() => prepareDataset("shapes", { root, seed: 1, counts, imageSize: 32 }), /a file that lavisc did not write \(annotations\/notes\.txt\)/);
});

test("a hand-edited file list never removes anything outside images/ and annotations/", () => {
  const root = fresh();
  prepareDataset("shapes", { root, seed: 1, counts, imageSize: 32 });
  const folder = join(root, "shapes");
  writeFileSync(join(root, "outside.txt"), "mine\n");
  writeFileSync(join(folder, "notes.txt"), "mine\n");
  const manifest = JSON.parse(read(folder, "manifest.json").toString());
  writeFileSync(join(folder, "manifest.json"), JSON.stringify({ ...manifest, files: [...manifest.files, "../outside.txt", "notes.txt"] }));
  writeFileSync(join(folder, ".lavisc-dataset"), "header\nannotations/../../outside.txt\n/etc/hostname\n");
  assert.ok(prepareDataset("shapes", { root, seed: 2, counts, imageSize: 32 }).created);
  assert.is(readFileSync(join(root, "outside.txt"), "utf8"), "mine\n");
  assert.is(readFileSync(join(folder, "notes.txt"), "utf8"), "mine\n");
});

test("unknown dataset names are rejected", () => {
  assert.throws(() => prepareDataset("imagenet", { root: fresh() }), /unknown built-in dataset "imagenet"/);
});

test.run();
