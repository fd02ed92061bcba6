// The execution graph IR: typed nodes and edges for people and tools, plus the `run` payload the runtime executes.
import type { RunSpec } from "../runtime/runSpec.js";

export const GRAPH_VERSION = 1;

export type Stage = "data" | "model" | "optimisation" | "evaluation" | "outputs";

export type NodeKind =
  | "dataset_source"
  | "processor"
  | "loader"
  | "weights"
  | "model"
  | "loss"
  | "optimizer"
  | "lr_schedule"
  | "train_step"
  | "eval_step"
  | "generation"
  | "checkpoint"
  | "logging"
  | "result_files";

export const STAGE_OF: Readonly<Record<NodeKind, Stage>> = {
  dataset_source: "data",
  processor: "data",
  loader: "data",
  weights: "model",
  model: "model",
  loss: "optimisation",
  optimizer: "optimisation",
  lr_schedule: "optimisation",
  train_step: "optimisation",
  eval_step: "evaluation",
  generation: "evaluation",
  checkpoint: "outputs",
  logging: "outputs",
  result_files: "outputs",
};

export interface GraphNode {
  /** Unique and stable: `<kind>:<qualifier>`, e.g. `loader:coco_caption/train`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly stage: Stage;
  readonly label: string;
  /** Resolved values of this node (plain JSON). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Config paths (dotted, LAVIS names) the node was lowered from; diagnostics point at their spans. */
  readonly from: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** What flows along the edge: `images`, `batches`, `parameters`, `lr`, ... */
  readonly label: string;
}

export interface Graph {
  readonly version: typeof GRAPH_VERSION;
  readonly name: string;
  readonly task: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Exactly the runtime's input. */
  readonly run: RunSpec;
}

/** Canonical JSON: object keys sorted (their order carries no meaning), arrays kept in order, 2-space indent. */
export function graphToJson(graph: Graph): string {
  return JSON.stringify(sortKeys(graph, ""), null, 2) + "\n";
}

/** `run.config` keeps LAVIS's order, since the runtime prints it at the top of log.txt as LAVIS does. */
const ORDERED = new Set(["run.config"]);

export function sortKeys(v: unknown, path = ""): unknown {
  if (ORDERED.has(path)) return v;
  if (Array.isArray(v)) return v.map((x) => sortKeys(x, `${path}[]`));
  if (v && typeof v === "object") {
    const sorted = Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    return Object.fromEntries(sorted.map((k) => [k, sortKeys((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k)]));
  }
  return v;
}

export class GraphFormatError extends Error {}

/** Parses graph JSON, checking the version and the shape of nodes and edges (the `run` payload is trusted as written). */
export function graphFromJson(text: string): Graph {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GraphFormatError(`not JSON: ${(e as Error).message}`);
  }
  const g = raw as Partial<Graph> | null;
  if (!g || typeof g !== "object") throw new GraphFormatError("a graph is a JSON object");
  if (g.version !== GRAPH_VERSION) throw new GraphFormatError(`unsupported graph version ${JSON.stringify(g.version)} (this lavisc reads version ${GRAPH_VERSION})`);
  if (!Array.isArray(g.nodes) || !Array.isArray(g.edges) || !g.run || typeof g.run !== "object") throw new GraphFormatError("a graph needs `nodes`, `edges` and `run`");
  for (const n of g.nodes) {
    if (typeof n?.id !== "string" || !(n.kind in STAGE_OF) || !Array.isArray(n.from)) throw new GraphFormatError(`malformed node ${JSON.stringify(n?.id ?? n)}`);
  }
  const ids = new Set(g.nodes.map((n) => n.id));
  for (const e of g.edges) if (!ids.has(e?.from) || !ids.has(e?.to)) throw new GraphFormatError(`edge ${JSON.stringify(e)} names an unknown node`);
  return g as Graph;
}
