import type { CNode } from "./configTree.js";
import type { Override } from "./resolve.js";

// LAVIS's `--options` become one config before anything is merged: OmegaConf.from_dotlist updates an empty config
// with each option in turn (a map value merges into a map already there; any other value replaces; a key that goes
// through a value that is not a map turns it into a map), and LAVIS merges that config over the rest. So an option
// that a later one writes through (`a=~` then `a.b=1`, or `a=5` then `a={x: 1}`) merges nothing: the file's `a`
// keeps its other keys, where merging the options one by one would have replaced it. Checked against OmegaConf by
// test/conformance/optionsFuzz.test.ts.

type Slot = { readonly kind: "value"; readonly option: Override; readonly node: CNode } | MapSlot;
interface MapSlot {
  readonly kind: "map";
  readonly entries: Map<string, Slot>;
  /** The option whose map value made this map, and that value. */
  readonly from: { readonly option: Override; readonly node: CNode & { kind: "map" } } | null;
  /** A later option wrote into it: it is no longer the value as given. */
  touched: boolean;
}

/**
 * The options as OmegaConf.from_dotlist combines them: one override per value, and per map an option gave (kept whole,
 * so that merging it over a list is still the conflict it is); their paths are disjoint.
 */
export function asOneDotlist(options: readonly Override[]): Override[] {
  const root: MapSlot = { kind: "map", entries: new Map(), from: null, touched: false };
  for (const option of options) update(root, option);
  const out: Override[] = [];
  flatten(root, [], out);
  return out;
}

function update(root: MapSlot, option: Override): void {
  let at = root;
  for (const key of option.path.slice(0, -1)) {
    const next = at.entries.get(key);
    if (next?.kind === "map") at = next;
    else at.entries.set(key, (at = { kind: "map", entries: new Map(), from: null, touched: false }));
    at.touched = true;
  }
  const last = option.path.at(-1)!;
  const there = at.entries.get(last);
  if (option.node.kind === "map" && there?.kind === "map") mergeInto(there, option.node, option);
  else at.entries.set(last, slotOf(option.node, option));
}

function slotOf(node: CNode, option: Override): Slot {
  if (node.kind !== "map") return { kind: "value", option, node };
  const slot: MapSlot = { kind: "map", entries: new Map(), from: { option, node }, touched: false };
  for (const [key, child] of node.entries) slot.entries.set(key, slotOf(child, option));
  return slot;
}

function mergeInto(slot: MapSlot, node: CNode & { kind: "map" }, option: Override): void {
  slot.touched = true;
  for (const [key, child] of node.entries) {
    const there = slot.entries.get(key);
    if (child.kind === "map" && there?.kind === "map") mergeInto(there, child, option);
    else slot.entries.set(key, slotOf(child, option));
  }
}

/** A value from inside an option's map keeps its own span, and says which option it came from. */
function fromOption(node: CNode, option: Override): CNode {
  return node === option.node || node.origin.from ? node : ({ ...node, origin: { ...node.origin, from: option.node.origin.from } } as CNode);
}

/** A map as the options left it: the option's own value when no later option wrote into it. */
function mapNode(slot: MapSlot, option: Override): CNode {
  if (slot.from && !slot.touched) return fromOption(slot.from.node, slot.from.option);
  const like = slot.from?.node ?? option.node;
  const entries = new Map<string, CNode>();
  for (const [key, child] of slot.entries) entries.set(key, child.kind === "value" ? fromOption(child.node, child.option) : mapNode(child, child.from?.option ?? option));
  return { kind: "map", entries, origin: fromOption(like, slot.from?.option ?? option).origin, span: like.span, keySpan: like.keySpan };
}

function flatten(slot: MapSlot, path: string[], out: Override[]): void {
  for (const [key, child] of slot.entries) {
    if (child.kind === "value") out.push({ ...child.option, path: [...path, key], node: fromOption(child.node, child.option) });
    else if (child.from) out.push({ ...child.from.option, path: [...path, key], node: mapNode(child, child.from.option) });
    else flatten(child, [...path, key], out);
  }
}
