import type { Pair, YAMLMap } from "yaml";

/** A pair's key as text (`null` for a null key). */
export function keyOf(pair: Pair): string {
  const k = pair.key as { value?: unknown } | null;
  return k && typeof k === "object" && "value" in k ? String(k.value ?? "null") : String(k);
}

/** The pair of a map with this key, if any. */
export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyOf(p) === key);
}
