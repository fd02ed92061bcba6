import type { RegistryKind } from "../syntax/ast.js";
import { flatLines, type PyClass, type PyFunction, type PyModule } from "./pythonModule.js";
import { evaluate, type NameLookup, type PyValue } from "./pythonValue.js";
import { configReads, type ConfigRead, type Root } from "./configReads.js";

// The names a repository registers (`@registry.register_model("x")` and its siblings), each with its class, the
// default files it names (PRETRAINED_MODEL_CONFIG_DICT, DATASET_CONFIG_DICT; inherited from base classes the
// repository defines) and the configuration keys its code reads.

const DECORATORS: Readonly<Record<string, RegistryKind>> = {
  register_model: "arch", register_builder: "builder", register_processor: "processor",
  register_task: "task", register_lr_scheduler: "scheduler", register_runner: "runner",
};
const DEFAULT_DICTS: Partial<Record<RegistryKind, string>> = { arch: "PRETRAINED_MODEL_CONFIG_DICT", builder: "DATASET_CONFIG_DICT" };

export interface Registration {
  readonly kind: RegistryKind;
  readonly name: string;
  readonly className: string;
  /** Repository-relative path of the module, and the line of the class. */
  readonly file: string;
  readonly line: number;
  /** Offsets of the decorator in the module's text. */
  readonly start: number;
  readonly end: number;
  /** The registry object's module (`vigc.common.registry`, `lavis.common.registry`), when the import says. */
  readonly registryModule: string | null;
  /** Model types or dataset types -> default file, as the class's dict writes it (a path, or what could not be evaluated). */
  readonly defaults: ReadonlyMap<string, PyValue>;
  /** Keys the class's code reads, with the classes of the repository it inherits from. */
  readonly reads: readonly ConfigRead[];
  /** The first line of the class's docstring, when it has one. */
  readonly doc: string | null;
}

export interface Unevaluated {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly what: string;
  readonly text: string;
}

export function findRegistrations(modules: readonly PyModule[]): { registrations: Registration[]; unevaluated: Unevaluated[] } {
  const index = new RepositoryIndex(modules);
  const registrations: Registration[] = [];
  const unevaluated: Unevaluated[] = [];
  for (const m of modules) {
    for (const c of m.classes) {
      for (const d of c.decorators) {
        const kind = decoratorKind(d.map((t) => t.text));
        if (!kind) continue;
        const open = d.findIndex((t) => t.text === "(");
        const name = evaluate(d.slice(open + 1, -1), index.lookupIn(m));
        if (name.k !== "str") {
          unevaluated.push({ file: m.path, start: d[0]?.start ?? c.start, end: d.at(-1)?.end ?? c.start, what: "the name a decorator registers", text: d.map((t) => t.text).join("") });
          continue;
        }
        registrations.push({
          kind,
          name: name.v,
          className: c.name,
          file: m.path,
          line: c.line,
          start: d[0]?.start ?? c.start,
          end: d.at(-1)?.end ?? c.start,
          registryModule: index.registryModule(m, d[0]?.text ?? ""),
          defaults: DEFAULT_DICTS[kind] ? index.defaultsOf(m, c, DEFAULT_DICTS[kind]!) : new Map(),
          reads: index.readsOf(m, c, kind),
          doc: index.docOf(c),
        });
      }
    }
  }
  return { registrations, unevaluated };
}

/** `registry.register_model` (any object name) -> arch. */
function decoratorKind(texts: readonly string[]): RegistryKind | null {
  const open = texts.indexOf("(");
  const callee = open < 0 ? texts : texts.slice(0, open);
  const last = callee.at(-1);
  return last && callee.at(-2) === "." ? DECORATORS[last] ?? null : null;
}

class RepositoryIndex {
  private readonly classes = new Map<string, { module: PyModule; cls: PyClass }[]>();
  private readonly constants = new Map<string, { module: PyModule; tokens: PyModule["assignments"][number]["value"] }[]>();
  private readonly evaluating = new Set<string>();

  constructor(modules: readonly PyModule[]) {
    for (const m of modules) {
      for (const c of m.classes) this.classes.set(c.name, [...(this.classes.get(c.name) ?? []), { module: m, cls: c }]);
      for (const a of m.assignments) this.constants.set(a.name, [...(this.constants.get(a.name) ?? []), { module: m, tokens: a.value }]);
    }
  }

  /** A module's names: its own constants, then names it imports from the repository, then a name unique in it. */
  lookupIn(m: PyModule, local: Map<string, PyValue> = new Map()): NameLookup {
    return (name) => {
      const own = local.get(name);
      if (own) return own;
      const key = `${m.path}#${name}`;
      if (this.evaluating.has(key)) return undefined;
      this.evaluating.add(key);
      try {
        const mine = [...m.assignments].reverse().find((a) => a.name === name);
        if (mine) return evaluate(mine.value, this.lookupIn(m));
        const imported = m.imports.find((i) => i.local === name && i.name);
        const candidates = this.constants.get(imported?.name ?? name) ?? [];
        const from = imported ? candidates.filter((c) => moduleMatches(c.module.path, imported.module)) : [];
        const pick = from[0] ?? (candidates.length === 1 ? candidates[0] : undefined);
        return pick ? evaluate(pick.tokens, this.lookupIn(pick.module)) : undefined;
      } finally {
        this.evaluating.delete(key);
      }
    };
  }

  /** A base class as the repository defines it (through the module's imports, else a unique class of that name). */
  private base(m: PyModule, written: string): { module: PyModule; cls: PyClass } | null {
    const name = written.split(".").at(-1)!;
    const all = this.classes.get(name) ?? [];
    const imported = m.imports.find((i) => i.local === written.split(".")[0]);
    const fromImport = imported ? all.filter((c) => moduleMatches(c.module.path, imported.module)) : [];
    return fromImport[0] ?? all.find((c) => c.module === m) ?? (all.length === 1 ? all[0]! : null);
  }

  /** The class and the repository's classes it inherits from, nearest first. */
  private lineage(m: PyModule, c: PyClass): { module: PyModule; cls: PyClass }[] {
    const out = [{ module: m, cls: c }];
    const seen = new Set([c]);
    for (let i = 0; i < out.length; i++) {
      for (const b of out[i]!.cls.bases) {
        const found = this.base(out[i]!.module, b);
        if (found && !seen.has(found.cls)) {
          seen.add(found.cls);
          out.push(found);
        }
      }
    }
    return out;
  }

  /** Class attributes as Python's class body computes them: in order, seeing earlier ones and the module's names. */
  private attributes(m: PyModule, c: PyClass): Map<string, PyValue> {
    const local = new Map<string, PyValue>();
    for (const a of c.assignments) local.set(a.name, evaluate(a.value, this.lookupIn(m, local)));
    return local;
  }

  defaultsOf(m: PyModule, c: PyClass, dict: string): Map<string, PyValue> {
    for (const { module, cls } of this.lineage(m, c)) {
      const v = this.attributes(module, cls).get(dict);
      if (v?.k === "dict") return new Map(v.entries);
      if (v) return new Map([["?", v]]);
    }
    return new Map();
  }

  readsOf(m: PyModule, c: PyClass, kind: RegistryKind): ConfigRead[] {
    const out: ConfigRead[] = [];
    const lineage = this.lineage(m, c);
    const methods = (pick: (f: PyFunction) => boolean) => {
      // Each method once: the nearest class that defines it (an override hides its base's code).
      const seen = new Set<string>();
      const list: { module: PyModule; fn: PyFunction }[] = [];
      for (const { module, cls } of lineage) for (const fn of cls.methods) if (pick(fn) && !seen.has(fn.name)) { seen.add(fn.name); list.push({ module, fn }); }
      return list;
    };
    for (const { module, fn } of methods(() => true)) {
      const roots = new Map<string, Root>();
      if (fn.name === "from_config" && (kind === "arch" || kind === "processor") && fn.params[1]) {
        roots.set(fn.params[1], { section: kind === "arch" ? "model" : "processor", path: [] });
      }
      if (kind === "builder") roots.set("self.config", { section: "dataset", path: [] });
      out.push(...configReads(flatLines(fn.body), roots, this.lookupIn(module)).map((read) => ({ ...read, file: module.path })));
    }
    return out;
  }

  /** The module the decorator's registry object comes from (`from vigc.common.registry import registry`). */
  registryModule(m: PyModule, object: string): string | null {
    const imp = m.imports.find((i) => i.local === object);
    return imp ? (imp.name ? `${imp.module}.${imp.name}`.replace(/\.registry\.registry$/, ".registry") : imp.module) : null;
  }

  docOf(c: PyClass): string | null {
    return c.doc;
  }
}

/** Does a repository path (`vigc/datasets/builders/x.py`) hold the dotted module (`vigc.datasets.builders.x`)? */
function moduleMatches(path: string, dotted: string): boolean {
  const rel = dotted.replace(/^\.+/, "").replace(/\./g, "/");
  return path.endsWith(`${rel}.py`) || path.endsWith(`${rel}/__init__.py`);
}
