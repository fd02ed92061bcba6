import type { FieldInfo, Registry } from "./registry.js";

// What every check asks of all the tasks, schedulers and runners: the run keys they declare as fields or read
// (`reads = [...]`), which keys are specific to some entry, who reads each, which entry declares each field, and
// which tasks claim an arch (`archs = [...]`). Finding out decodes every one of them, which a check otherwise does
// only for those it chose. So the precompiled stdlib carries the stdlib's index (project/stdlibImage.ts), and a
// registry with extension files layered on computes its own.

type RecipeEntryKind = "task" | "scheduler" | "runner";

export interface RecipeIndex {
  /** Keys some task, scheduler or runner reads or declares. */
  readonly specific: ReadonlySet<string>;
  /** Key → who reads or declares it ("task `retrieval`"), tasks first, then schedulers, then runners. */
  readonly readers: ReadonlyMap<string, string[]>;
  /** Key → the entry that declares it as a field (tasks first, then runners, then schedulers; the first wins). */
  readonly fieldOwners: ReadonlyMap<string, { readonly kind: RecipeEntryKind; readonly name: string }>;
  /** Arch → the tasks that name it in their `archs`, in declaration order. */
  readonly tasksClaiming: ReadonlyMap<string, string[]>;
}

const indexOf = new WeakMap<Registry, RecipeIndex>();

/** Gives a registry its index computed beforehand (the precompiled stdlib's). */
export function seedRecipeIndex(reg: Registry, index: RecipeIndex): void {
  indexOf.set(reg, index);
}

export function recipeIndex(reg: Registry): RecipeIndex {
  const hit = indexOf.get(reg);
  if (hit) return hit;
  const specific = new Set<string>();
  const readers = new Map<string, string[]>();
  for (const kind of ["task", "scheduler", "runner"] as const) {
    for (const e of reg.entries[kind].values()) {
      for (const k of [...(reg.metaNames(e, "reads") ?? []), ...e.schema.fields.keys()]) {
        specific.add(k);
        const list = readers.get(k) ?? [];
        list.push(`${kind} \`${e.name}\``);
        readers.set(k, list);
      }
    }
  }
  const fieldOwners = new Map<string, { kind: RecipeEntryKind; name: string }>();
  for (const kind of ["task", "runner", "scheduler"] as const) {
    for (const e of reg.entries[kind].values()) for (const k of e.schema.fields.keys()) if (!fieldOwners.has(k)) fieldOwners.set(k, { kind, name: e.name });
  }
  const tasksClaiming = new Map<string, string[]>();
  for (const t of reg.tasks.values()) for (const a of reg.metaNames(t, "archs") ?? []) tasksClaiming.set(a, [...(tasksClaiming.get(a) ?? []), t.name]);
  const index = { specific, readers, fieldOwners, tasksClaiming };
  indexOf.set(reg, index);
  return index;
}

/** A run key declared as a field of some task, runner or scheduler (a fork's own task keys): the first declaration. */
export function recipeEntryField(reg: Registry, key: string): FieldInfo | null {
  const owner = recipeIndex(reg).fieldOwners.get(key);
  return owner ? reg.entries[owner.kind].get(owner.name)?.schema.fields.get(key) ?? null : null;
}

/** The index as JSON (for the precompiled stdlib) and back. */
export interface RecipeIndexJson {
  readonly specific: string[];
  readonly readers: [string, string[]][];
  readonly fieldOwners: [string, RecipeEntryKind, string][];
  readonly tasksClaiming: [string, string[]][];
}

export function recipeIndexToJson(i: RecipeIndex): RecipeIndexJson {
  return { specific: [...i.specific], readers: [...i.readers], fieldOwners: [...i.fieldOwners].map(([k, o]) => [k, o.kind, o.name]), tasksClaiming: [...i.tasksClaiming] };
}

export function recipeIndexFromJson(j: RecipeIndexJson): RecipeIndex {
  return { specific: new Set(j.specific), readers: new Map(j.readers), fieldOwners: new Map(j.fieldOwners.map(([k, kind, name]) => [k, { kind, name }])), tasksClaiming: new Map(j.tasksClaiming) };
}
