import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { graphFromJson } from "../../src/compiler/graph.js";
import { captioning, edit } from "./harness.js";

const file = "/work/exp.lv";
const run = async (argv: string[], source = captioning) => {
  const h = memoryHost({ [file]: source });
  const code = await runCli(argv, h);
  return { code, out: h.out, err: h.err };
};

const t = suite("cli: lavisc graph and plan");
t("graph --format json prints a graph that reads back", async () => {
  const r = await run(["graph", file, "--format", "json"]);
  assert.is(r.code, 0, r.err);
  assert.is(graphFromJson(r.out).run.task, "captioning");
});
t("graph prints DOT by default, Mermaid on request", async () => {
  assert.match((await run(["graph", file])).out, /^digraph "exp" \{/);
  assert.match((await run(["graph", file, "--format", "mermaid"])).out, /^flowchart LR\n  subgraph data/);
});
t("plan prints text and JSON", async () => {
  assert.match((await run(["plan", file])).out, /^plan for exp: train, task captioning/);
  const j = JSON.parse((await run(["plan", file, "--format", "json"])).out);
  assert.is(j.model.arch, "blip_caption");
});
t("a graph error exits 1 and is reported on stderr", async () => {
  const r = await run(["graph", file], edit(captioning, "num_beams = 3", "num_beams = 100"));
  assert.is(r.code, 1);
  assert.match(r.err, /error\[LV5009\]: `num_beams` is 100/);
  assert.match(r.out, /^digraph/);
});
t("checker errors stop before the graph", async () => {
  const r = await run(["plan", file], edit(captioning, "task captioning", "task captionin"));
  assert.is(r.code, 1);
  assert.is(r.out, "");
});
t("an unknown format is a usage error", async () => {
  assert.is((await run(["graph", file, "--format", "png"])).code, 2);
});
t.run();
