// RunnerBase's parameter group without weight decay (`p.ndim < 2 or "bias" in n or "ln" in n or "bn" in n`,
// lavis/runners/runner_base.py @eb3189b) is read from runner_base's stdlib `adamw` block, not written in TypeScript:
// a copy of stdlib/ (named by $LAVISC_STDLIB) that declares another ndim bound and another name changes the
// RunSpec's rule, the parameters AdamW decays, and the rule the graph's optimizer node describes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-nodecay-copy-", [
  ["training.lv", '    no_decay_below_ndim = 2\n    no_decay_names = ["bias", "ln", "bn"]\n', '    no_decay_below_ndim = 3\n    no_decay_names = ["bias", "ln", "bn", "patch_embed"]\n'],
]);
const { compiledNoDecay, decayedParams } = await import("../runtime/decayedParams.js");
const { checkFile } = await import("../../src/index.js");
const { nodeHost } = await import("../../src/cli/host.js");
const { lowerToGraph } = await import("../../src/compiler/lower.js");
const { fromRoot } = await import("../harness/repoRoot.js");

test("the RunSpec carries the copy's rule", () => {
  assert.equal(compiledNoDecay(), { belowNdim: 3, nameContains: ["bias", "ln", "bn", "patch_embed"] });
});

test("blip_retrieval: ndim >= 3 and no patch_embed in the name leave cls_token and pos_embed decayed", () => {
  // Under the stdlib's own rule its 2-d weights and patch_embed.proj.weight are decayed too (weightDecayGroups.test.ts).
  assert.equal(decayedParams("blip_retrieval", compiledNoDecay()).decayed, ["visual_encoder.cls_token", "visual_encoder.pos_embed"]);
});

test("the graph's optimizer node describes the copy's rule", () => {
  const r = checkFile(fromRoot("projects", "quickstart", "retrieval_shapes.lv"), nodeHost());
  assert.ok(r.resolved);
  const opt = lowerToGraph(r.resolved!, { dataRoot: "/nonexistent" }).graph.nodes.find((n) => n.kind === "optimizer");
  assert.equal(opt?.attrs["parameterGroups"], [
    { name: "decay", weightDecay: 0.05, rule: "parameters with ndim >= 3 whose names contain none of bias, ln, bn, patch_embed" },
    { name: "no_decay", weightDecay: 0, rule: "parameters with ndim < 3, or names containing bias, ln, bn or patch_embed" },
  ]);
});

test.after(remove);
test.run();
