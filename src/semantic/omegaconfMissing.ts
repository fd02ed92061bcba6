import { diag, type Diagnostic } from "../diagnostics/index.js";
import { describeOrigin, getPath, isOmegaConfMissing, type CMap, type CNode, type Origin } from "./configTree.js";
import { valueText } from "./valueText.js";

// OmegaConf's missing value, `???` (quoted or not: OmegaConf reads the text as MISSING either way). Its meaning, as
// checked against the real OmegaConf:
//  - merged over a value, it changes nothing: `OmegaConf.merge({x: 1}, {x: ???})` is `{x: 1}` (configTree.merge, isOmegaConfMissing);
//  - left missing, the key reads as absent to `cfg.get("x", default)` (the default) and `"x" in cfg` (False), and
//    stops LAVIS with MissingMandatoryValue where the code reads `cfg.x`.
// So the resolver takes a `???` that no layer fills out of the tree (the documented default, if any, fills in) and
// says so: LV3007 when nothing fills it, LV4069 when a default does, LV4068 when a `???` was merged over a value.

/** The `???` values of a layer (mapping entries, depth first). */
export function missingIn(node: CNode | undefined, path: readonly string[] = []): [string[], CNode][] {
  const out: [string[], CNode][] = [];
  // One path array for the walk, copied only at a hit: every file of a folder check goes through here.
  const at = [...path];
  const walk = (n: CNode) => {
    if (isOmegaConfMissing(n)) out.push([[...at], n]);
    else if (n.kind === "map") {
      for (const [k, v] of n.entries) {
        at.push(k);
        walk(v);
        at.pop();
      }
    }
  };
  if (node) walk(node);
  return out;
}

/** Removes every `???` mapping entry of `root` (a tree the resolver owns) and returns them. */
export function takeMissing(root: CMap): [string[], CNode][] {
  const taken = missingIn(root);
  for (const [path] of taken) {
    const parent = getPath(root, path.slice(0, -1));
    if (parent?.kind === "map") (parent.entries as Map<string, CNode>).delete(path.at(-1)!);
  }
  return taken;
}

/** A `???` a layer wrote: `layer` 1 for the file, 2 + i for the i-th override (the defaults under them are 0). */
export interface WrittenMissing {
  readonly path: string[];
  readonly node: CNode;
  readonly layer: number;
}

/** The `???` values of the file and of each override, with their layers. */
export function missingWritten(file: CNode, overrides: readonly { readonly path: readonly string[]; readonly node: CNode }[]): WrittenMissing[] {
  return [
    ...missingIn(file).map(([path, node]) => ({ path, node, layer: 1 })),
    ...overrides.flatMap((o, i) => missingIn(o.node, o.path).map(([path, node]) => ({ path, node, layer: 2 + i }))),
  ];
}

/** The layer a merged value comes from (see WrittenMissing). */
function layerOf(o: Origin, overrides: readonly { readonly node: CNode }[]): number {
  if (o.kind === "file") return 1;
  if (o.kind !== "override") return 0;
  const i = overrides.findIndex((x) => x.node.origin === o || (!!o.from && x.node.origin.from === o.from));
  return 2 + Math.max(0, i);
}

/**
 * What became of each `???` written in the file or an override (`written`), once the layers are merged (`taken`: the
 * ones still missing) and the defaults filled in (`tree`). A `???` that a later layer fills is what `???` is for.
 */
export function missingDiagnostics(written: readonly WrittenMissing[], taken: readonly [string[], CNode][], tree: CMap, overrides: readonly { readonly node: CNode }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stillMissing = new Set(taken.map(([p]) => p.join(".")));
  for (const { path, node, layer } of written) {
    const dotted = path.join(".");
    const at = node.span ?? node.keySpan;
    const now = getPath(tree, path);
    if (stillMissing.has(dotted)) {
      if (!now) out.push(diag("LV3007", at, { path: dotted }, { path: dotted }));
      else out.push(diag("LV4069", at, { path: dotted, value: valueText(now), origin: describeOrigin(now.origin) }, { path: dotted }));
    } else if (now && layerOf(now.origin, overrides) < layer) {
      out.push(diag("LV4068", at, { path: dotted, value: valueText(now), origin: describeOrigin(now.origin) }, { path: dotted }));
    }
  }
  return out;
}
