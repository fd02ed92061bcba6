import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { shadowedLocalUrl } from "../../../src/runtime/data/shadowedUrl.js";
import { preflightData } from "../../../src/runtime/data/preflight.js";
import type { DatasetSpec } from "../../../src/runtime/runSpec.js";
import { checkFile } from "../../../src/index.js";
import { preflightLavis } from "../../../src/interop/lavisPreflight.js";
import { standInLavis } from "../../conformance/reportedCases.js";
import { readFileSync, existsSync } from "node:fs";

// LAVIS#720: a local annotation url is copied to its storage path only when nothing is there, so an earlier file at
// that path (the builder's default COCO annotations from another run) is read instead of the user's, in silence.

const test = suite("a local annotation url shadowed by an existing storage file");

function files(): { dir: string; mine: string; theirs: string } {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-shadow-"));
  const mine = join(dir, "my_train.json"), theirs = join(dir, "coco_karpathy_train.json");
  writeFileSync(mine, JSON.stringify([{ image: "a.png", caption: "my own caption", image_id: 0 }]));
  writeFileSync(theirs, JSON.stringify([{ image: "a.png", caption: "a COCO caption", image_id: 0 }]));
  return { dir, mine, theirs };
}

test("another file with other bytes shadows the url; the same bytes, the same file, a remote url or no file do not", () => {
  const { dir, mine, theirs } = files();
  assert.is(shadowedLocalUrl(mine, theirs), mine);
  assert.is(shadowedLocalUrl(pathToFileURL(mine).href, theirs), mine, "file: urls are local files too");
  const copy = join(dir, "copy.json");
  writeFileSync(copy, JSON.stringify([{ image: "a.png", caption: "my own caption", image_id: 0 }]));
  assert.is(shadowedLocalUrl(mine, copy), null, "an earlier copy of the same file");
  const link = join(dir, "link.json");
  linkSync(mine, link);
  assert.is(shadowedLocalUrl(mine, link), null, "the very file");
  assert.is(shadowedLocalUrl("https://example.org/train.json", theirs), null, "a download is not re-fetched over an existing file either, as LAVIS");
  assert.is(shadowedLocalUrl(mine, join(dir, "absent.json")), null, "nothing there: the url is copied");
  assert.is(shadowedLocalUrl(join(dir, "absent.json"), theirs), null, "a url that is not a file is another problem");
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  assert.is(shadowedLocalUrl(fifo, theirs), null, "a pipe is never read");
});

test("run's data preflight warns, naming the file it reads", async () => {
  const { dir, mine } = files();
  mkdirSync(join(dir, "images"));
  writeFileSync(join(dir, "images", "a.png"), "x");
  const ds: DatasetSpec = {
    name: "coco_caption", builder: "coco_caption", type: "default", dataType: "images", format: "caption",
    imageRoot: join(dir, "images"), storageRoot: dir,
    splits: [{ split: "train", annotations: [{ url: mine, storage: "coco_karpathy_train.json" }] }],
    visProcessor: { train: { name: "blip_image_train", params: { image_size: 16 } }, eval: { name: "blip_image_eval", params: { image_size: 16 } } },
    textProcessor: { train: { name: "blip_caption", params: {} }, eval: { name: "blip_caption", params: {} } },
  };
  const { findings } = await preflightData([ds], { trainSplits: ["train"], evalSplits: [] });
  const shadow = findings.filter((f) => f.code === "shadowed-url");
  assert.equal(shadow.map((f) => f.severity), ["warning"]);
  assert.match(shadow[0]!.message, new RegExp(`the run reads ${join(dir, "coco_karpathy_train.json")}, not ${mine} \\(LAVIS#720\\)`));
});

test("the preflight of `run --engine lavis` stops on it, with what to do", () => {
  const { dir, mine, theirs } = files();
  const exp = join(dir, "exp.yaml");
  const src = [
    "model:", "  arch: blip_retrieval", "  model_type: coco",
    "datasets:", "  coco_retrieval:", "    build_info:", "      annotations:", "        test:", `          url: ${mine}`, `          storage: ${theirs}`,
    "run:", "  task: retrieval", "  evaluate: True", "  test_splits: [\"test\"]", "  k_test: 256", "  batch_size_eval: 64", "  output_dir: out", "",
  ].join("\n");
  writeFileSync(exp, src);
  const r = checkFile(exp, { readFile: (p: string) => readFileSync(p, "utf8"), exists: existsSync });
  assert.ok(r.resolved, r.diagnostics.map((d) => d.message).join("; "));
  const { lavisRoot } = standInLavis({ cacheRoot: null, files: [], model: null });
  const problems = preflightLavis({ root: r.resolved!.root, registry: r.resolved!.registry, lavisRoot, python: "/usr/bin/python3" });
  const shadow = problems.filter((p) => p.message.includes("LAVIS#720"));
  assert.is(shadow.length, 1, problems.map((p) => p.message).join("\n"));
  assert.match(shadow[0]!.message, /^datasets\.coco_retrieval: annotation \S+ \(split test\) exists at \S+, and its url \S+ is a local file with other content/);
  assert.match(shadow[0]!.fix, /move \S+ away so that LAVIS copies \S+ there/);
});

test.run();
