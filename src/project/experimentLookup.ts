import { resolve as resolvePath } from "node:path";
import type * as A from "../syntax/ast.js";

// Which experiment `extends NAME` and `extends ALIAS.NAME` name, seen from the file that holds the `extends`:
// - `NAME` is an experiment of that file, else of the modules it imports without an alias (and those import without
//   one, transitively). Two such modules that both declare NAME make it ambiguous: nothing is picked.
// - `ALIAS.NAME` is the experiment NAME of the module that file imports `as ALIAS` (`import "base.lv" as b`, then
//   `extends b.caption`). A module imported with an alias is reached through its alias only.

export type ExperimentLookup =
  | { readonly kind: "found"; readonly decl: A.ExperimentDecl; readonly file: A.File }
  | { readonly kind: "ambiguous"; readonly files: readonly A.File[] }
  /** `qualifier` is set where the name's first part is no alias of that file (`extends nope.base`). */
  | { readonly kind: "missing"; readonly qualifier?: string };

/** The module an import of `from` brought in, or null where it was not found or not read. */
export type ImportedModule = (imp: A.Import, from: string) => A.File | null;

/** The experiment `parts` (`["base"]`, `["b", "base"]`) names from `from`; `except` (the extending one) never matches. */
export function findExperiment(parts: readonly string[], from: A.File, imported: ImportedModule, except?: A.ExperimentDecl): ExperimentLookup {
  if (parts.length > 1) {
    const alias = parts[0]!;
    const name = parts.slice(1).join(".");
    const imp = from.imports.find((i) => i.alias?.name === alias);
    if (!imp) return { kind: "missing", qualifier: alias };
    const mod = imported(imp, from.path);
    const decl = mod && experimentIn(mod, name, except);
    return mod && decl ? { kind: "found", decl, file: mod } : { kind: "missing" };
  }
  const name = parts[0]!;
  const own = experimentIn(from, name, except);
  if (own) return { kind: "found", decl: own, file: from };
  const hits = unaliasedModules(from, imported).filter((m) => experimentIn(m, name, except));
  if (hits.length > 1) return { kind: "ambiguous", files: hits };
  const file = hits[0];
  return file ? { kind: "found", decl: experimentIn(file, name, except)!, file } : { kind: "missing" };
}

function experimentIn(file: A.File, name: string, except?: A.ExperimentDecl): A.ExperimentDecl | undefined {
  return file.declarations.find((d): d is A.ExperimentDecl => d.kind === "ExperimentDecl" && d.name.name === name && d !== except);
}

/** The modules `from` imports without an alias, and those they import so, each once, nearest first. */
function unaliasedModules(from: A.File, imported: ImportedModule): A.File[] {
  const seen = new Set<string>([resolvePath(from.path)]);
  const found: A.File[] = [];
  const queue: A.File[] = [from];
  for (let f = queue.shift(); f; f = queue.shift()) {
    for (const imp of f.imports) {
      if (imp.alias) continue;
      const mod = imported(imp, f.path);
      if (!mod || seen.has(resolvePath(mod.path))) continue;
      seen.add(resolvePath(mod.path));
      found.push(mod);
      queue.push(mod);
    }
  }
  return found;
}
