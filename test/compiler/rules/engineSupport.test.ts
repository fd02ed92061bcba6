// LV5013: a scheduler or runner that the tfjs engine does not implement (declared by a fork's module) is never turned
// into cosine / runner_base: `plan` and `run` refuse it, naming the key and `--engine lavis`; `check` warns.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";
import { shapesRetrieval } from "../harness.js";

const fork = `/// A fork's lr scheduler.
scheduler cyclic_lr {
  reads = []
}

/// A fork's training loop.
runner runner_fork {
  reads = []
}
`;
const experiment = (recipe: string) => `import "./fork.lv"\n\n${shapesRetrieval("blip_retrieval(tiny)", recipe)}`;
const host = (recipe: string) => memoryHost({ "/w/fork.lv": fork, "/w/exp.lv": experiment(recipe) }, "/w");

const t = suite("graph rule engineSupport (LV5013)");
t("a fork's scheduler: check warns (LAVIS may run it), plan refuses and never shows cosine", async () => {
  const c = host("    lr_sched = cyclic_lr");
  assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
  assert.match(c.out, /warning\[LV5013\]: `run.lr_sched` is `cyclic_lr`, which the tfjs engine cannot execute/);
  assert.match(c.out, /lavisc run --engine lavis/);
  const p = host("    lr_sched = cyclic_lr");
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], p), 1);
  assert.match(p.err, /error\[LV5013\]: `run.lr_sched` is `cyclic_lr`/);
  assert.match(p.out, /learning rate \(cyclic_lr\)\n  unknown: the tfjs engine does not implement this scheduler/);
  assert.not.match(p.out, /linear_warmup_cosine_lr/);
  const g = host("    lr_sched = cyclic_lr");
  assert.is(await runCli(["graph", "exp.lv", "--format", "json"], g), 1);
  const graph = JSON.parse(g.out) as { run: { schedule: { name: string } } };
  assert.is(graph.run.schedule.name, "cyclic_lr");
});
t("a fork's runner: plan shows it and refuses; run refuses before any data or training", async () => {
  const p = host("    runner = runner_fork");
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], p), 1);
  assert.match(p.err, /error\[LV5013\]: `run.runner` is `runner_fork`, which the tfjs engine cannot execute \(it runs runner_base, runner_iter\)/);
  assert.match(p.out, /steps \(runner_fork\)/);
  const r = host("    runner = runner_fork");
  assert.is(await runCli(["run", "exp.lv", "--data-root", "/nonexistent/data", "--quiet"], r), 1);
  assert.match(r.err, /error\[LV5013\]: `run.runner`/);
  assert.not.match(r.err + r.out, /prepared the built-in dataset/);
});
t("the tfjs engine's own schedulers and runners pass", async () => {
  const c = host("    lr_sched = constant_lr\n    runner = runner_base");
  assert.is(await runCli(["check", "exp.lv"], c), 0);
  assert.not.match(c.out, /LV5013/);
});
t.run();
