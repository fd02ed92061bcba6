import type { Registry, EntryInfo } from "../../semantic/registry.js";
import { SCHEMAS } from "../../semantic/resolve.js";
import { recipeIndex } from "../../semantic/recipeEntries.js";
import type * as A from "../../syntax/ast.js";
import { keyText } from "../../syntax/ast.js";

// The keys each section accepts: its schemas' fields plus every key its registry entry's default configs use. A
// registry never changes once bound, so each set is made once per registry and entry (every check asks).

type KeySets = Map<EntryInfo | undefined, ReadonlySet<string>>;
const modelSets = new WeakMap<Registry, KeySets>();
const datasetSets = new WeakMap<Registry, KeySets>();
const recipeSets = new WeakMap<Registry, ReadonlySet<string>>();

function remembered(sets: WeakMap<Registry, KeySets>, reg: Registry, entry: EntryInfo | undefined, make: () => Set<string>): ReadonlySet<string> {
  let byEntry = sets.get(reg);
  if (!byEntry) sets.set(reg, (byEntry = new Map()));
  let keys = byEntry.get(entry);
  if (!keys) byEntry.set(entry, (keys = make()));
  return keys;
}

function typeClauseKeys(entry: EntryInfo | undefined): Set<string> {
  const keys = new Set<string>();
  if (!entry) return keys;
  for (const t of entry.types.values()) addMemberKeys(t.members, keys);
  return keys;
}

function addMemberKeys(members: readonly A.Member[], keys: Set<string>): void {
  for (const m of members) if (m.kind === "Assignment" || m.kind === "Block") keys.add(m.key.segments[0]?.name ?? keyText(m.key));
}

export function modelKeys(reg: Registry, arch: EntryInfo | undefined): ReadonlySet<string> {
  return remembered(modelSets, reg, arch, () => makeModelKeys(reg, arch));
}

function makeModelKeys(reg: Registry, arch: EntryInfo | undefined): Set<string> {
  const keys = typeClauseKeys(arch);
  for (const s of [SCHEMAS.model, SCHEMAS.modelCommon]) for (const k of reg.schemas.get(s)?.fields.keys() ?? []) keys.add(k);
  for (const k of arch?.schema.fields.keys() ?? []) keys.add(k);
  keys.add("arch");
  keys.add("model_type");
  keys.delete("preprocess");
  return keys;
}

export function datasetKeys(reg: Registry, builder: EntryInfo | undefined): ReadonlySet<string> {
  return remembered(datasetSets, reg, builder, () => makeDatasetKeys(reg, builder));
}

function makeDatasetKeys(reg: Registry, builder: EntryInfo | undefined): Set<string> {
  const keys = typeClauseKeys(builder);
  for (const k of reg.schemas.get(SCHEMAS.dataset)?.fields.keys() ?? []) keys.add(k);
  for (const k of builder?.schema.fields.keys() ?? []) keys.add(k);
  keys.delete("default_key");
  keys.delete("invalid");
  return keys;
}

/** The recipe's keys, with those tasks, runners and schedulers declare as their own. */
export function recipeKeys(reg: Registry): ReadonlySet<string> {
  let keys = recipeSets.get(reg);
  if (!keys) recipeSets.set(reg, (keys = new Set([...(reg.schemas.get(SCHEMAS.recipe)?.fields.keys() ?? []), ...recipeIndex(reg).fieldOwners.keys()])));
  return keys;
}
