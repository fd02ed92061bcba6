// `run.seed` is bounded as numpy's np.random.seed bounds it (LAVIS's setup_seeds calls it): 0 to 2^32 - 1. Beyond,
// LAVIS stops with ValueError, and lavisc's engine would have reduced the seed modulo 2^32 (1e300 ran as seed 0).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { base, diagnose } from "../harness.js";

const seeded = (seed: string) => diagnose(base, { sets: [`recipe.seed=${seed}`] }).diags.filter((d) => d.path === "run.seed").map((d) => `${d.code} ${d.message}`);

test("seeds from 0 to 2^32 - 1 are fine; 2^32 and beyond are LV3002", () => {
  assert.equal(seeded("0"), []);
  assert.equal(seeded("4294967295"), []);
  assert.equal(seeded("4294967296"), ["LV3002 `run.seed` must be <= 4294967295 but is 4294967296."]);
  assert.equal(seeded("1000000000000000000000000000000"), ["LV3002 `run.seed` must be <= 4294967295 but is 1000000000000000000000000000000."]);
});

test.run();
