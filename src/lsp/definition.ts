import { dirname, resolve as resolvePath } from "node:path";
import type { Location } from "vscode-languageserver";
import type { FileReader } from "../index.js";
import { resolveModule } from "../project/moduleSet.js";
import { findExperiment } from "../project/experimentLookup.js";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../diagnostics/index.js";
import type { Analysis } from "./analysis.js";
import { targetAt } from "./locate.js";
import { locationOf, pathToUri } from "./convert.js";
import { declarationOf, nameRefAt } from "./describe.js";
import { referenceAt } from "./interpolations.js";
import { getPath } from "../semantic/configTree.js";

// Go to definition: from a key to its field declaration in the stdlib, from a registry name (arch, model type,
// builder, dataset type, processor, task, scheduler, runner, enum value) to its declaration, and from an `import` or
// `extends` to the file (or the experiment) it names, and from a `${key}` inside a value to where that key is set.

const fileStart = (path: string): Location => ({ uri: pathToUri(path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
const inside = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

export function definitionAt(a: Analysis, offset: number, reader: FileReader): Location | null {
  const module = a.ast ? moduleLinkAt(a, a.ast, offset, reader) : null;
  if (module) return module;
  const reference = referenceAt(a, offset);
  if (reference?.env) return null;
  if (reference) {
    // Where the value it reads is set (this file, a base, a default config), else the key's declaration.
    const value = a.resolved ? getPath(a.resolved.root, reference.path) : undefined;
    const at = value?.span ?? a.resolved?.fieldAt(reference.path)?.span;
    return at ? locationOf(at, a.sources) : null;
  }
  const target = targetAt(a, offset);
  if (!target) return null;
  if (target.kind === "value" && target.node.kind === "scalar" && typeof target.node.value === "string") {
    const ref = nameRefAt(target.path, target.node.value, a.resolved, a.registry);
    const decl = ref && declarationOf(ref, a.registry);
    if (decl) return locationOf(nameSpanOf(decl) ?? decl.span, a.sources);
  }
  if (target.kind === "key" && target.path[0] === "datasets" && target.path.length === 2) {
    const builder = a.registry.builders.get(target.path[1]!);
    if (builder) return locationOf(builder.decl.name.span, a.sources);
  }
  const field = a.resolved?.fieldAt(target.path);
  return field ? locationOf(field.span, a.sources) : null;
}

function nameSpanOf(d: ReturnType<typeof declarationOf>): Span | null {
  if (d?.clause) return d.clause.name.span;
  if (d?.entry) return d.entry.decl.name.span;
  return null;
}

/** `import "./common.lv"`, `extends "./base.lv"` or `extends base.caption` under the cursor. */
function moduleLinkAt(a: Analysis, ast: A.File, offset: number, reader: FileReader): Location | null {
  for (const imp of ast.imports) {
    if (!inside(imp.path.span, offset)) continue;
    const target = resolveModule(imp.path.value, a.path, reader);
    return target ? fileStart(target) : null;
  }
  for (const d of ast.declarations) {
    if (d.kind !== "ExperimentDecl" || !d.extends) continue;
    if (!Array.isArray(d.extends)) {
      if (!inside(d.extends.span, offset)) continue;
      const target = resolvePath(dirname(a.path), d.extends.value);
      return reader.exists(target) ? fileStart(target) : null;
    }
    const first = d.extends[0], last = d.extends.at(-1);
    if (!first || !last || !inside({ file: a.path, start: first.span.start, end: last.span.end }, offset)) continue;
    return experimentNamed(a, ast, d.extends.map((i) => i.name), reader);
  }
  return null;
}

/** The experiment `extends NAME` / `extends ALIAS.NAME` names, found as `lavisc check` finds it. */
function experimentNamed(a: Analysis, ast: A.File, parts: readonly string[], reader: FileReader): Location | null {
  const read = new Map(a.dependencies.filter((p) => p.endsWith(".lv")).map((p) => [p, parse(a.sources.get(p)?.text ?? "", p).ast] as const));
  const imported = (imp: A.Import, from: string) => {
    const target = resolveModule(imp.path.value, from, reader);
    return target ? read.get(target) ?? null : null;
  };
  const found = findExperiment(parts, ast, imported);
  return found.kind === "found" ? locationOf(found.decl.name.span, a.sources) : null;
}
