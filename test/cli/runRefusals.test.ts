import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { fromRoot } from "../harness/repoRoot.js";

// `lavisc run` never starts what `lavisc plan` knows cannot work: an error with what to do instead, exit 1.

const t = suite("run: refusals before anything starts");
const scratch = mkdtempSync(join(tmpdir(), "lavisc-refusals-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

async function run(sets: string[]): Promise<{ code: number; err: string }> {
  const h = memoryHost({}, fromRoot());
  Object.assign(h.env, { LAVISC_DATA: join(scratch, "data"), LAVISC_CACHE: join(scratch, "cache") });
  const argv = ["run", "projects/quickstart/classification_shapes.lv", "--quiet", ...sets.flatMap((s) => ["--set", s]), "--set", `recipe.output_dir=${JSON.stringify(join(scratch, "out"))}`];
  return { code: await runCli(argv, h), err: h.err };
}

t("replicas beyond the machine's memory (LV6004) start no thread: the numbers, and a world_size that fits", async () => {
  const r = await run(["recipe.world_size=100000", "recipe.batch_size_train=1", "recipe.max_epoch=1"]);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /error\[LV6004\]: `world_size` 100000 starts 100000 replicas, .* about [\d.]+ GiB in all, per replica a training step of [\d.]+ GiB \(fp32 estimate\) plus about 0\.04 GiB for the thread's runtime; this machine has [\d.]+ GiB of memory/);
  assert.match(r.err, /Lower world_size to \d+ or fewer/);
  assert.not.ok(existsSync(join(scratch, "out")), "no run folder");
  assert.not.ok(existsSync(join(scratch, "data")), "not even the built-in data is prepared");
});
t("a replica's shard short of one batch (LV5011) starts no thread even when check could not count the split (data made by run)", async () => {
  // The built-in data does not exist yet when the experiment is checked: run prepares it, its preflight counts 199
  // training records, and 64 replicas would each get ceil(199 / 64) = 4 of them, fewer than a batch of 16.
  const r = await run(["recipe.world_size=64", "recipe.max_epoch=1"]);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /error\[LV5011\]: Training split `train` of `shapes_classification` has 199 records, and with world_size = 64 each replica's DistributedSampler shard has ceil\(199 \/ 64\) = 4, fewer than batch_size_train = 16/);
  assert.match(r.err, /set world_size to 13 or fewer/);
  assert.not.ok(existsSync(join(scratch, "out")), "no run folder");
});
t.run();
