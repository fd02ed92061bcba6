import type { CMap, CNode } from "../semantic/configTree.js";
import type { YamlFile } from "./repositoryFiles.js";
import { TypeEvidence } from "./typeEvidence.js";

// The keys a repository's YAML files give values to, by where they appear: a model arch's section, a dataset
// builder's entry, a processor's parameters, the run recipe. Each key keeps the values' type evidence and the files.

export interface KeyUse {
  readonly evidence: TypeEvidence;
  readonly files: Set<string>;
  /** The first place it is written (for messages). */
  first: CNode;
  /** For run keys: the tasks of the files that set it. */
  readonly tasks: Set<string>;
}

/** Scopes: `arch:<name>`, `builder:<name>`, `processor:<name>`, `run`. */
export class Usage {
  readonly scopes = new Map<string, Map<string, KeyUse>>();

  add(scope: string, key: string, node: CNode, file: string, task?: string): void {
    let keys = this.scopes.get(scope);
    if (!keys) this.scopes.set(scope, (keys = new Map()));
    let use = keys.get(key);
    if (!use) keys.set(key, (use = { evidence: new TypeEvidence(), files: new Set(), first: node, tasks: new Set() }));
    use.evidence.addNode(node);
    use.files.add(file);
    if (task) use.tasks.add(task);
  }

  keys(scope: string): ReadonlyMap<string, KeyUse> {
    return this.scopes.get(scope) ?? new Map();
  }
}

/** Which arch a model default file belongs to: the arch whose model type names it, else the `arch` it writes. */
export type ArchOfFile = (file: YamlFile) => string | null;

export function collectUsage(files: readonly YamlFile[], archOf: ArchOfFile): Usage {
  const usage = new Usage();
  for (const f of files) {
    if (!f.root || !f.role || f.role === "not-lavis" || f.role === "runtime-defaults") continue;
    const model = f.root.entries.get("model");
    const arch = f.role === "model-defaults" ? archOf(f) : nameOf(model?.kind === "map" ? model.entries.get("arch") : undefined);
    if (model?.kind === "map" && arch) {
      for (const [k, v] of model.entries) if (k !== "arch" && k !== "model_type") usage.add(`arch:${arch}`, k, v, f.rel);
    }
    const pre = f.root.entries.get("preprocess");
    if (f.role === "model-defaults" && pre?.kind === "map") processors(usage, pre, f.rel);
    const datasets = f.root.entries.get("datasets");
    if (datasets?.kind === "map") {
      for (const [name, cfg] of datasets.entries) {
        if (cfg.kind !== "map") continue;
        for (const [k, v] of cfg.entries) if (k !== "type") usage.add(`builder:${name}`, k, v, f.rel);
        processors(usage, cfg, f.rel);
      }
    }
    const run = f.root.entries.get("run");
    if (run?.kind === "map") {
      const task = nameOf(run.entries.get("task")) ?? undefined;
      for (const [k, v] of run.entries) if (k !== "task") usage.add("run", k, v, f.rel, task);
    }
  }
  return usage;
}

function processors(usage: Usage, owner: CMap, file: string): void {
  for (const [slot, slots] of owner.entries) {
    if (!slot.endsWith("_processor") || slots.kind !== "map") continue;
    for (const proc of slots.entries.values()) {
      const name = proc.kind === "map" ? nameOf(proc.entries.get("name")) : null;
      if (!name || proc.kind !== "map") continue;
      for (const [k, v] of proc.entries) if (k !== "name") usage.add(`processor:${name}`, k, v, file);
    }
  }
}

function nameOf(n: CNode | undefined): string | null {
  return n?.kind === "scalar" && typeof n.value === "string" ? n.value : null;
}
