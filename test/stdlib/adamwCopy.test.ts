// RunnerBase's AdamW (betas (0.9, beta2), torch's eps) is read from the stdlib's `adamw` block of runner_base, not
// written in TypeScript: a copy of stdlib/ (named by $LAVISC_STDLIB) that declares another beta1 and eps compiles
// into a RunSpec whose optimizer has them, for runner_base and for runner_iter, which declares none of its own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { repoRoot } from "../harness/repoRoot.js";
import { useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-adamw-copy-", [
  ["training.lv", "    beta1 = 0.9\n    eps = 1e-8\n", "    beta1 = 0.8\n    eps = 1e-6\n"],
]);
const { projectRunSpec } = await import("../../src/results/projectSpec.js");

const quickstart = join(repoRoot(), "projects", "quickstart", "retrieval_shapes.lv");

test("runner_base: the copy's beta1 and eps, the recipe's beta2", () => {
  const spec = projectRunSpec(quickstart);
  assert.is(spec.runner, "runner_base");
  assert.equal(spec.optimizer.betas, [0.8, 0.999]);
  assert.is(spec.optimizer.eps, 1e-6);
});

test("runner_iter builds RunnerBase's AdamW", () => {
  const spec = projectRunSpec(quickstart, ["recipe.runner=runner_iter", "recipe.max_iters=20", "recipe.iters_per_inner_epoch=10"]);
  assert.is(spec.runner, "runner_iter");
  assert.equal(spec.optimizer.betas, [0.8, 0.999]);
  assert.is(spec.optimizer.eps, 1e-6);
});

test.after(remove);
test.run();
