import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { corpusRoot, peerDir } from "../interop/interopHarness.js";
import { LAVIS_CORPUS, OMEGACONF, PYTHON, testWith } from "../harness/requires.js";

// OmegaConf.merge cannot put a map on a list or a list on a map (ConfigTypeError), so LAVIS stops before it starts;
// lavisc replaced the value and said nothing (found by the merge fuzz: a project's `url: {x: 1}` over coco_vqa's list).

const test = suite("LV4070: a map merged over a list, or a list over a map");
const PROJECT = "/w/vqa.yaml";
const TEXT = `model:
  arch: blip_vqa
  model_type: vqav2
datasets:
  coco_vqa:
    build_info:
      annotations:
        val:
          url: URL
run:
  task: vqa
`;

async function codes(url: string, options: string[] = []): Promise<{ found: string[]; out: string }> {
  const h = memoryHost({ [PROJECT]: TEXT.replace("URL", url) }, "/w");
  await runCli(["check", "vqa.yaml", ...(options.length ? ["--options", ...options] : [])], h);
  return { found: [...h.out.matchAll(/^error\[(LV4070)\]: `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`), out: h.out };
}

const PATH = "datasets.coco_vqa.build_info.annotations.val.url";

test("a map in the file over the dataset default's list", async () => {
  const r = await codes("{x: 1}");
  assert.equal(r.found, [`LV4070 ${PATH}`]);
  assert.match(r.out, /is a map here but a list in the dataset's default config \(coco_vqa\(default\)\)/);
});

test("a map given with --options over the list; a list over a map (the annotations)", async () => {
  assert.equal((await codes("[a.json]", [`${PATH}={x: 1}`])).found, [`LV4070 ${PATH}`]);
  const listOverMap = await codes("[a.json]", ["datasets.coco_vqa.build_info.annotations=[a]"]);
  assert.equal(listOverMap.found, ["LV4070 datasets.coco_vqa.build_info.annotations"]);
});

test("an override whose key goes on through the list is a map over it (--options, and --set alike)", async () => {
  // from_dotlist makes {...: {url: {"0": x}}} of `url.0=x`; lavisc replaced the list by that map in silence.
  assert.equal((await codes("[a.json, b.json]", [`${PATH}.0=c.json`])).found, [`LV4070 ${PATH}`]);
  const h = memoryHost({ [PROJECT]: TEXT.replace("URL", "[a.json]") }, "/w");
  await runCli(["check", "vqa.yaml", "--set", `${PATH}.0="c.json"`], h);
  assert.match(h.out, /error\[LV4070\]: `datasets\.coco_vqa\.build_info\.annotations\.val\.url` is a map here but a list in this file/);
  // Options that give the list first update one element of it instead (dotlist.ts): no conflict.
  assert.equal((await codes("[a.json]", [`${PATH}=[x.json, y.json]`, `${PATH}.1=z.json`])).found, []);
});

test("what OmegaConf merges is no conflict: a string or null over the list, a list over the list", async () => {
  for (const url of ["a.json", "null", "[a.json, b.json]"]) assert.equal((await codes(url)).found, [], url);
});

testWith(test, OMEGACONF, LAVIS_CORPUS)("LAVIS's merge stops exactly there", () => {
  const run = (option: string) => spawnSync(PYTHON, [join(peerDir, "lavis_merge.py"), "projects/blip/train/vqav2_ft.yaml", "--options", option], { cwd: corpusRoot, encoding: "utf8" });
  assert.match(run(`${PATH}={x: 1}`).stdout, /ConfigTypeError: Cannot merge DictConfig with ListConfig/);
  assert.not.match(run(`${PATH}=null`).stdout, /"error"/);
  assert.match(run(`${PATH}.0=c.json`).stdout, /ConfigTypeError: Cannot merge DictConfig with ListConfig/);
});

test.run();
