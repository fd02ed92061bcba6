import type { Registry, EntryInfo } from "../../semantic/registry.js";
import { SCHEMAS } from "../../semantic/resolve.js";
import { recipeIndex } from "../../semantic/recipeEntries.js";
import type * as A from "../../syntax/ast.js";
import { keyText } from "../../syntax/ast.js";

// The keys each section accepts: its schemas' fields plus every key its registry entry's default configs use.

function typeClauseKeys(entry: EntryInfo | undefined): Set<string> {
  const keys = new Set<string>();
  if (!entry) return keys;
  for (const t of entry.types.values()) addMemberKeys(t.members, keys);
  return keys;
}

function addMemberKeys(members: readonly A.Member[], keys: Set<string>): void {
  for (const m of members) if (m.kind === "Assignment" || m.kind === "Block") keys.add(m.key.segments[0]?.name ?? keyText(m.key));
}

export function modelKeys(reg: Registry, arch: EntryInfo | undefined): Set<string> {
  const keys = typeClauseKeys(arch);
  for (const s of [SCHEMAS.model, SCHEMAS.modelCommon]) for (const k of reg.schemas.get(s)?.fields.keys() ?? []) keys.add(k);
  for (const k of arch?.schema.fields.keys() ?? []) keys.add(k);
  keys.add("arch");
  keys.add("model_type");
  keys.delete("preprocess");
  return keys;
}

export function datasetKeys(reg: Registry, builder: EntryInfo | undefined): Set<string> {
  const keys = typeClauseKeys(builder);
  for (const k of reg.schemas.get(SCHEMAS.dataset)?.fields.keys() ?? []) keys.add(k);
  for (const k of builder?.schema.fields.keys() ?? []) keys.add(k);
  keys.delete("default_key");
  keys.delete("invalid");
  return keys;
}

/** The recipe's keys, with those tasks, runners and schedulers declare as their own. */
export function recipeKeys(reg: Registry): Set<string> {
  return new Set([...(reg.schemas.get(SCHEMAS.recipe)?.fields.keys() ?? []), ...recipeIndex(reg).fieldOwners.keys()]);
}
