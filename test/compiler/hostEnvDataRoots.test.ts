// The data roots the compiler counts local annotation files under ($LAVISC_DATA for built-in datasets, $LAVISC_CACHE,
// LAVIS's cache_root, for the others) come from the host the command runs with, not from the process: a memory host
// whose env differs from process.env finds the files its env names, in `plan`'s steps, in the checker's split-size
// rules (LV4053) and in the graph's rules (LV5007). The process's own roots point at empty folders here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { prepareDataset } from "../../src/data/index.js";
import { repoRoot } from "../harness/repoRoot.js";

const tmp = mkdtempSync(join(tmpdir(), "lavisc-host-env-"));
const hostEnv = { LAVISC_DATA: join(tmp, "host-data"), LAVISC_CACHE: join(tmp, "host-cache") };
process.env["LAVISC_DATA"] = join(tmp, "process-data");
process.env["LAVISC_CACHE"] = join(tmp, "process-cache");

// The quickstart's shapes data under the host's data root only.
prepareDataset("shapes", { root: hostEnv.LAVISC_DATA });
// coco_retrieval's val annotations (relative storage, under cache_root) in the host's cache only: 2 images.
mkdirSync(join(hostEnv.LAVISC_CACHE, "coco", "annotations"), { recursive: true });
writeFileSync(join(hostEnv.LAVISC_CACHE, "coco", "annotations", "coco_karpathy_val.json"), JSON.stringify([{ image: "a.jpg", caption: ["x"] }, { image: "b.jpg", caption: ["y"] }]));

const SHAPES = "projects/quickstart/retrieval_shapes.lv";

async function lavisc(...args: string[]): Promise<string> {
  const host = memoryHost({}, repoRoot());
  Object.assign(host.env, hostEnv);
  await runCli(args, host);
  return host.out + host.err;
}

test("plan counts a built-in dataset's records under the host's $LAVISC_DATA", async () => {
  const out = await lavisc("plan", SHAPES);
  assert.match(out, /shapes_retrieval\/train: 1920 records/);
});

test("check's split-size rules read the host's $LAVISC_DATA (LV4053: warm-up longer than epoch 0)", async () => {
  const out = await lavisc("check", SHAPES, "--set", "recipe.warmup_steps=100");
  assert.match(out, /warning\[LV4053\]: `warmup_steps` is 100, but epoch 0 has at most 60 iterations/);
});

test("the graph's rules read relative storage under the host's $LAVISC_CACHE (LV5007: k_test over the split)", async () => {
  const out = await lavisc("check", "test/cases/compiler/lavis_retrieval_coco_ft.yaml");
  assert.match(out, /error\[LV5007\]: `k_test` is 256, but evaluation split `val` of `coco_retrieval` has only 2 images/);
});

test.run();
