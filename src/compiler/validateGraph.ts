// Static checks across stages on the lowered graph. Each rule is its own file under rules/; diagnostics point back
// at the experiment's source through the config paths the nodes were lowered from.
import type { Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { createContext, type RuleContext } from "../checker/context.js";
import type { Graph, GraphNode, NodeKind } from "./graph.js";
import type { MissingInput, UnsupportedInput } from "./lowerRunSpec.js";
import { splitStats, readLocalFile, type FileReader, type SplitStats } from "./annotationStats.js";
import { boundInputsRule } from "./rules/boundInputs.js";
import { imageSizeRule } from "./rules/imageSize.js";
import { textLengthRule } from "./rules/textLength.js";
import { kTestRule } from "./rules/kTest.js";
import { batchSizeRule } from "./rules/batchSize.js";
import { numBeamsRule } from "./rules/numBeams.js";
import { engineSupportRule } from "./rules/engineSupport.js";
import { trainingLengthRule } from "./rules/trainingLength.js";
import { emptyEvalSplitRule } from "./rules/emptyEvalSplit.js";
import { tfjsEngineIgnoresRule } from "./rules/tfjsEngineIgnores.js";
import { medConfigSupportRule } from "./rules/medConfigSupport.js";
import { tfjsModelDataRule } from "./rules/tfjsModelData.js";
import { evaluatedWeightsRule } from "./rules/evaluatedWeights.js";

export interface GraphRuleContext extends RuleContext {
  readonly graph: Graph;
  readonly missing: readonly MissingInput[];
  readonly unsupported: readonly UnsupportedInput[];
  /** "tfjs" when the run is for the tfjs engine (plan, run); "any" for check, where LAVIS may still run it. */
  readonly engine: "tfjs" | "any";
  nodesOf(kind: NodeKind): GraphNode[];
  /** Local annotation sizes of one dataset split, or null when the files are not local. */
  stats(dataset: string, split: string): SplitStats | null;
  /** `run.k_test` → ["run", "k_test"]. */
  pathOf(dotted: string): string[];
}

export type GraphRule = (ctx: GraphRuleContext) => void;

export const graphRules: readonly GraphRule[] = [boundInputsRule, imageSizeRule, textLengthRule, kTestRule, batchSizeRule, numBeamsRule, engineSupportRule, tfjsModelDataRule, trainingLengthRule, emptyEvalSplitRule, tfjsEngineIgnoresRule, medConfigSupportRule, evaluatedWeightsRule];

/** `env`: the command's (its host's), whose data roots the rules count local annotation files under. */
export function validateGraph(
  lowered: { graph: Graph; missing: readonly MissingInput[]; unsupported: readonly UnsupportedInput[] }, resolved: Resolved,
  env: NodeJS.ProcessEnv, read: FileReader = readLocalFile, engine: "tfjs" | "any" = "tfjs",
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const base = createContext(resolved, out, env);
  const cache = new Map<string, SplitStats | null>();
  const ctx: GraphRuleContext = {
    ...base,
    graph: lowered.graph,
    missing: lowered.missing,
    unsupported: lowered.unsupported,
    engine,
    nodesOf: (kind) => lowered.graph.nodes.filter((n) => n.kind === kind),
    stats(dataset, split) {
      const key = `${dataset}/${split}`;
      if (!cache.has(key)) {
        const ds = lowered.graph.run.datasets.find((d) => d.name === dataset);
        cache.set(key, ds ? splitStats(ds, split, env, read) : null);
      }
      return cache.get(key)!;
    },
    pathOf: (dotted) => dotted.split("."),
  };
  for (const rule of graphRules) rule(ctx);
  return out;
}
