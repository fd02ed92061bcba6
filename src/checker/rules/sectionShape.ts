import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { describeValue, type CNode } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

// `model`, `datasets` and `run` are mappings, and so are each dataset's entry, its `build_info.annotations` and each
// split there: LAVIS stops on anything else
// (`'int' object has no attribute 'arch'`, `'float' object is not iterable`, `'bool' object has no attribute 'get'`).
// A null section is an absent one (LV2018 says what is missing); a null dataset entry makes the builder load its
// default config, as LAVIS's builders do.

const SECTIONS = ["model", "datasets", "run"] as const;

/** LV3001 at a section, dataset entry or annotation list that is not a mapping; later rules stay quiet about it. */
export const sectionShapeRule: Rule = (ctx) => {
  const wrong = (path: string[], node: CNode | undefined, what: string) => {
    if (!node || node.kind === "map" || (node.kind === "scalar" && node.type === "null")) return;
    const dotted = path.join(".");
    ctx.invalid.add(dotted);
    ctx.report(diag("LV3001", node.span ?? node.keySpan, { path: dotted, expected: `a map (${what})`, actual: describeValue(node) }, { path: dotted }));
  };
  for (const s of SECTIONS) wrong([s], ctx.root.entries.get(s), s === "datasets" ? "builder names to their settings" : `the \`${s}:\` section's keys`);
  const datasets = ctx.root.entries.get("datasets");
  if (datasets?.kind !== "map") return;
  for (const [name, entry] of datasets.entries) {
    wrong(["datasets", name], entry, `the settings of builder \`${name}\``);
    // LAVIS's builders read `build_info.annotations.<split>.url` and `.storage` (BaseDatasetBuilder._download_ann); a
    // fork's own builder may read them otherwise (a path string), so only what the user wrote for a LAVIS builder.
    if (!ctx.registry.builders.get(name)?.decl.span.file.startsWith("stdlib/")) continue;
    const info = entry.kind === "map" ? entry.entries.get("build_info") : undefined;
    const anns = info?.kind === "map" ? info.entries.get("annotations") : undefined;
    const at = ["datasets", name, "build_info", "annotations"];
    if (anns && ctx.isUserValue(anns)) wrong(at, anns, "splits to their `url` and `storage`");
    if (anns?.kind === "map") for (const [split, v] of anns.entries) if (ctx.isUserValue(v)) wrong([...at, split], v, `the \`url\` and \`storage\` of split \`${split}\``);
  }
};

/**
 * A section, a dataset entry or a processor slot of the wrong shape (this rule's, or valueType's LV3001 on a
 * `*_processor` key): nothing sound to lower into an execution graph, whose rules would only repeat it.
 */
export function isSectionShapeError(d: Diagnostic): boolean {
  return d.code === "LV3001" && d.severity === "error" && !!d.path && SHAPE_PATH.test(d.path);
}

/** The paths whose shape is checked here (and the processor slots valueType checks). */
export const SHAPE_PATH = /^(?:model|datasets|run|datasets\.[^.]+(?:\.\w+_processor(?:\.[^.]+)?|\.build_info\.annotations(?:\.[^.]+)?)?)$/;
