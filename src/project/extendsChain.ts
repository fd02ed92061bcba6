import { basename, dirname, relative, resolve as resolvePath } from "node:path";
import type * as A from "../syntax/ast.js";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { lowerExperiment } from "../semantic/fromLv.js";
import { merge, type CMap } from "../semantic/configTree.js";
import type { FileReader } from "./loadExperiment.js";
import { findExperiment } from "./experimentLookup.js";
import type { ModuleSet } from "./moduleSet.js";

// An experiment's file layer over the layers of what it extends (a base's values are overridden key by key).
// `extends "base.lv"` names the one experiment of a file, which is brought in as an import (its declarations and
// imports); `extends base` and `extends b.base` name an experiment as `experimentLookup.ts` finds it.

/** An experiment in an `extends` chain: where it is declared and its name. */
export interface ChainLink {
  readonly key: string;
  readonly name: string;
  readonly file: string;
}

export interface Layered {
  readonly root: CMap;
  readonly constraints: A.Constraint[];
  readonly sweep: A.SweepClause | null;
  /** A base could not be found or read: what seems missing may be in it. */
  readonly incomplete: boolean;
}

/** The longest `extends` chain followed (each link is a level of recursion; LAVIS experiments need a handful). */
const MAX_EXTENDS = 64;

export const chainLink = (file: A.File, decl: A.ExperimentDecl): ChainLink =>
  ({ key: `${resolvePath(file.path)}#${decl.name.name}`, name: decl.name.name, file: basename(file.path) });

/** `a → b → a`, with each experiment's file when the chain goes through several files. */
function chainText(links: readonly ChainLink[]): string {
  const oneFile = links.every((l) => l.file === links[0]!.file);
  return links.map((l) => (oneFile ? l.name : `${l.name} (${l.file})`)).join(" → ");
}

export function layerExtends(
  decl: A.ExperimentDecl, file: A.File, modules: ModuleSet, reader: FileReader, diagnostics: Diagnostic[], chain: readonly ChainLink[],
): Layered {
  const own = { ...lowerExperiment(decl, diagnostics), incomplete: false };
  if (!decl.extends) return own;
  const failed = { ...own, incomplete: true };
  const found = Array.isArray(decl.extends)
    ? baseByName(decl, decl.extends, file, modules, diagnostics)
    : baseByPath(decl.extends, file, modules, reader, diagnostics);
  if (!found) return failed;
  const { base, span } = found;
  const link = chainLink(base.file, base.decl);
  const open = chain.findIndex((c) => c.key === link.key);
  if (open >= 0) {
    diagnostics.push(diag("LV2035", span, { chain: chainText([...chain.slice(open), link]) }));
    return failed;
  }
  if (chain.length >= MAX_EXTENDS) {
    const [first, second, last] = chainText([chain[0]!, chain[1]!, link]).split(" → ");
    diagnostics.push(diag("LV2037", span, { max: MAX_EXTENDS, chain: `${first} → ${second} → … → ${last}` }));
    return failed;
  }
  const parent = layerExtends(base.decl, base.file, modules, reader, diagnostics, [...chain, link]);
  // A sweep of the extending file replaces the base's whole sweep.
  return { root: merge(parent.root, own.root) as CMap, constraints: [...parent.constraints, ...own.constraints], sweep: own.sweep ?? parent.sweep, incomplete: parent.incomplete };
}

type Base = { base: { decl: A.ExperimentDecl; file: A.File }; span: Span };

/** `extends base` / `extends b.base`: an experiment of this file or of a module it imports. */
function baseByName(decl: A.ExperimentDecl, ext: readonly A.Ident[], file: A.File, modules: ModuleSet, diagnostics: Diagnostic[]): Base | null {
  const name = ext.map((i) => i.name).join(".");
  const span = { file: file.path, start: ext[0]!.span.start, end: ext.at(-1)!.span.end };
  const found = findExperiment(ext.map((i) => i.name), file, (imp, from) => modules.imported(imp, from), decl);
  if (found.kind === "found") return { base: found, span };
  if (found.kind === "ambiguous") {
    const spec = relative(dirname(resolvePath(file.path)), found.files[1]!.path);
    const alias = basename(spec, ".lv").replace(/\W/g, "_").replace(/^(?=\d)/, "_");
    diagnostics.push(diag("LV2051", span, { name, files: listOf(found.files.map((f) => `\`${modules.show(f.path)}\``)) }, {
      hint: `Import the one you mean with a name (\`import "${spec}" as ${alias}\`) and extend \`${alias}.${name}\`, or rename one of them.`,
    }));
    return null;
  }
  // `experiment a extends a`: the shortest cycle.
  if (ext.length === 1 && name === decl.name.name) return { base: { decl, file }, span };
  // A base named after a module that failed to import is that module's error, not a second one.
  if (modules.failed) return null;
  const hint = found.qualifier ? `\`${found.qualifier}\` names no import of this file; \`import "FILE.lv" as ${found.qualifier}\` names one.` : undefined;
  diagnostics.push(diag("LV2014", span, { name }, hint ? { hint } : {}));
  return null;
}

/** `extends "base.lv"`: the one experiment of that file, which comes in as an import of it would. */
function baseByPath(ext: A.StringLit, file: A.File, modules: ModuleSet, reader: FileReader, diagnostics: Diagnostic[]): Base | null {
  const span = ext.span;
  const target = resolvePath(dirname(file.path), ext.value);
  // A YAML file is not read as `.lv` (its first key would be a syntax error there).
  if (/\.ya?ml$/i.test(target)) {
    diagnostics.push(diag("LV2014", span, { name: ext.value }, { hint: "A YAML file can be extended after `lavisc migrate` turns it into `.lv`." }));
    return null;
  }
  // A folder (`extends "."`, `extends ""`) holds no experiment: it is not found, as a missing file.
  if (!reader.exists(target) || reader.isDirectory?.(target)) {
    diagnostics.push(diag("LV2014", span, { name: ext.value }));
    return null;
  }
  // A base that cannot be read has its error (LV1011) at the string that names it.
  const base = modules.extended(target, span);
  if (!base) return null;
  // A base file with syntax errors has been reported; its experiment is not layered.
  if (diagnostics.some((x) => x.severity === "error" && x.span?.file === base.path)) return null;
  const experiments = base.declarations.filter((d): d is A.ExperimentDecl => d.kind === "ExperimentDecl");
  if (experiments.length > 1) {
    // Checked on its own, that file is LV2019; extending it cannot say which one is meant.
    const names = experiments.map((d) => d.name.name);
    diagnostics.push(diag("LV2052", span, { file: ext.value, count: experiments.length, names: listOf(names.map((n) => `\`${n}\``)) }, {
      hint: `Import the file (\`import "${ext.value}"\`) and extend the one you mean by name (\`extends ${names[0]}\`).`,
    }));
    return null;
  }
  const decl = experiments[0];
  if (!decl) {
    diagnostics.push(diag("LV2014", span, { name: ext.value }));
    return null;
  }
  return { base: { decl, file: base }, span };
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
