import { diag, type Diagnostic } from "../diagnostics/index.js";
import { describeOrigin, getPath, isOmegaConfMissing, type CNode } from "./configTree.js";

// OmegaConf.merge replaces a value with one of another kind, except a mapping with a list or a list with a mapping:
// that raises ConfigTypeError ("Cannot merge DictConfig with ListConfig"), so LAVIS stops before it starts. lavisc's
// merge replaces there too (configTree.merge); this finds those places, for LV4070, before a layer is merged. An
// override whose key goes on through a list (`--options a.0=x`) is a map over that list to OmegaConf.

/** LV4070 for each place where `over`, merged at `path` of `base`, puts a mapping on a list or a list on a mapping. */
export function mergeConflicts(base: CNode | undefined, path: readonly string[], over: CNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = [...path]; // one array for the walk: every key of every layer is visited
  const walk = (b: CNode | undefined, o: CNode) => {
    if (!b || isOmegaConfMissing(o)) return;
    if (b.kind === "map" && o.kind === "map") {
      o.entries.forEach((v, k) => {
        p.push(k);
        walk(b.entries.get(k), v);
        p.pop();
      });
      return;
    }
    if ((b.kind === "map" && o.kind === "list") || (b.kind === "list" && o.kind === "map")) {
      const dotted = p.join(".");
      const kind = (n: CNode) => (n.kind === "map" ? "a map" : "a list");
      out.push(diag("LV4070", o.span ?? o.keySpan, { path: dotted, over: kind(o), base: kind(b), where: describeOrigin(b.origin) }, { path: dotted }));
    }
  };
  const through = listOnTheWay(base, path);
  if (through) {
    // An override `a.b.0=x` is the map {a: {b: {"0": x}}} to OmegaConf (from_dotlist), merged over the list at a.b.
    const dotted = through.path.join(".");
    out.push(diag("LV4070", over.span ?? over.keySpan, { path: dotted, over: "a map", base: "a list", where: describeOrigin(through.list.origin) }, { path: dotted }));
    return out;
  }
  walk(getPath(base, path), over);
  return out;
}

/** The first list that `path` goes on through in `base` (a key below it), if any: a scalar on the way is replaced. */
function listOnTheWay(base: CNode | undefined, path: readonly string[]): { list: CNode; path: readonly string[] } | null {
  let cur = base;
  for (let i = 0; i < path.length - 1; i++) {
    cur = cur?.kind === "map" ? cur.entries.get(path[i]!) : undefined;
    if (cur?.kind === "list") return { list: cur, path: path.slice(0, i + 1) };
    if (cur?.kind !== "map") return null;
  }
  return null;
}
