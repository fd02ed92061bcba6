import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { GraphFormatError, graphFromJson, graphToJson, type Graph } from "../../src/compiler/graph.js";
import { renderDot } from "../../src/compiler/render/dot.js";
import { renderMermaid } from "../../src/compiler/render/mermaid.js";
import { compareBaseline } from "../harness/compareBaseline.js";
import { fromRoot, repoRoot } from "../harness/repoRoot.js";
import { GRAPHVIZ, testWith } from "../harness/requires.js";

/** The golden inputs: every experiment under projects/, and the cases of test/cases/compiler/. */
function inputs(): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(lv|ya?ml)$/.test(f)) out.push({ name: relative(repoRoot(), p).replace(/\.(lv|ya?ml)$/, "").replace(/[/\\]/g, "__"), path: p });
    }
  };
  walk(fromRoot("projects"));
  walk(fromRoot("test/cases/compiler"));
  return out;
}

function lower(path: string): Graph {
  // A file with a sweep: the graph of its first trial.
  const sweep = checkFile(path, nodeHost()).loaded.input?.sweep;
  const r = checkFile(sweep ? `${path}#t01` : path, nodeHost());
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.resolved || errors.length) throw new Error(`${path} has errors: ${errors.map((d) => d.message).join("; ")}`);
  // For any engine: what only the tfjs engine refuses (LV5016: blip_pretrain; LV5018) leaves LAVIS's graph as it is.
  const { graph, diagnostics } = lowerToGraph(r.resolved, {}, "any");
  const graphErrors = diagnostics.filter((d) => d.severity === "error");
  if (graphErrors.length) throw new Error(`${path}: ${graphErrors.map((d) => d.message).join("; ")}`);
  return graph;
}


const t = suite("golden graphs (JSON, DOT, Mermaid)");
const cases = inputs();
t("there are golden inputs", () => assert.ok(cases.length >= 6, `only ${cases.length} inputs`));
for (const c of cases) {
  t(c.name, () => {
    const graph = lower(c.path);
    const json = graphToJson(graph);
    compareBaseline(`test/baselines/compiler/${c.name}.graph.json`, json);
    const dot = renderDot(graph);
    compareBaseline(`test/baselines/compiler/${c.name}.dot`, dot);
    compareBaseline(`test/baselines/compiler/${c.name}.mmd`, renderMermaid(graph));
    // Deterministic: a second lowering gives the same bytes; JSON round-trips.
    assert.is(graphToJson(lower(c.path)), json);
    assert.is(graphToJson(graphFromJson(json)), json);
    assert.equal(runSpecOf(graphFromJson(json)), JSON.parse(JSON.stringify(graph.run)));
    assert.not.match(json, new RegExp(repoRoot().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "no absolute paths of this machine");
  });
  testWith(t, GRAPHVIZ)(`${c.name}: graphviz renders the DOT output`, () => {
    const r = spawnSync("dot", ["-Tsvg"], { input: renderDot(lower(c.path)), encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /<svg/);
  });
}
t.run();

const j = suite("graph JSON format");
const sample = () => graphToJson(lower(fromRoot("test/cases/compiler/captionExperiment.lv")));
j("run.config keeps LAVIS's section order; other keys are sorted", () => {
  const parsed = JSON.parse(sample());
  assert.equal(Object.keys(parsed), ["edges", "name", "nodes", "run", "task", "version"]);
  assert.equal(Object.keys(parsed.run.config), ["model", "preprocess", "datasets", "run"]);
});
j("a different version is refused", () => {
  const text = sample().replace('"version": 1\n}', '"version": 2\n}');
  assert.throws(() => graphFromJson(text), (e: unknown) => e instanceof GraphFormatError && /version 2/.test((e as Error).message));
});
j("an edge to an unknown node is refused", () => {
  const g = JSON.parse(sample());
  g.edges.push({ from: "model:nowhere", to: g.nodes[0].id, label: "x" });
  assert.throws(() => graphFromJson(JSON.stringify(g)), (e: unknown) => e instanceof GraphFormatError && /unknown node/.test((e as Error).message));
});
j("every node records the config paths it came from, and they resolve in the experiment", () => {
  const r = checkFile(fromRoot("test/cases/compiler/captionExperiment.lv"), nodeHost());
  const { graph } = lowerToGraph(r.resolved!);
  for (const n of graph.nodes) assert.ok(n.from.length > 0, n.id);
  const model = graph.nodes.find((n) => n.kind === "model")!;
  assert.equal(model.from, ["model"]);
  assert.ok(graph.nodes.some((n) => n.from.includes("datasets.coco_caption.vis_processor.train")));
});
j.run();

const m = suite("graph Mermaid labels");
m("characters Mermaid or its HTML labels would read as markup are written as Mermaid's numeric codes", () => {
  const g = JSON.parse(sample());
  g.nodes[0].label = `<job_id> & "a|b" #quot; 100%`;
  const out = renderMermaid(graphFromJson(JSON.stringify(g)));
  assert.ok(out.includes(`["#60;job_id#62; #38; #34;a#124;b#34; #35;quot; 100%<br/>`), out.split("\n")[2]);
  assert.not.match(out, /<job_id>/);
});
m.run();
