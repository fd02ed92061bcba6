// Mermaid flowchart, one subgraph per stage. Node ids are positional (n0, n1, ...) since Mermaid ids cannot hold `:` or `/`.
import type { Graph } from "../graph.js";
import { STAGES, nodeDetail } from "./nodeText.js";

// Mermaid reads `#code;` as a character and HTML labels drop what looks like a tag (`<job_id>`): characters that could
// be read either way are written as Mermaid's numeric codes, `#` first among them so user text never spells a code.
const text = (s: string): string => `"${s.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\n/g, "<br/>")}"`;

export function renderMermaid(g: Graph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ["flowchart LR"];
  for (const stage of STAGES) {
    const nodes = g.nodes.filter((n) => n.stage === stage);
    if (!nodes.length) continue;
    out.push(`  subgraph ${stage}[${text(stage)}]`);
    for (const n of nodes) out.push(`    ${ids.get(n.id)}[${text(`${n.label}\n${nodeDetail(n)}`)}]`);
    out.push("  end");
  }
  for (const e of g.edges) out.push(`  ${ids.get(e.from)} -->|${text(e.label)}| ${ids.get(e.to)}`);
  return out.join("\n") + "\n";
}
