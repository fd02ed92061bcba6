// Graphviz DOT, one cluster per stage.
import type { Graph } from "../graph.js";
import { STAGES, nodeDetail } from "./nodeText.js";

const q = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function renderDot(g: Graph): string {
  const out = [`digraph ${q(g.name)} {`, "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const stage of STAGES) {
    const nodes = g.nodes.filter((n) => n.stage === stage);
    if (!nodes.length) continue;
    out.push(`  subgraph ${q(`cluster_${stage}`)} {`, `    label=${q(stage)};`);
    for (const n of nodes) out.push(`    ${q(n.id)} [label=${q(`${n.label}\n${nodeDetail(n)}`)}];`);
    out.push("  }");
  }
  for (const e of g.edges) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.label)}];`);
  out.push("}");
  return out.join("\n") + "\n";
}
