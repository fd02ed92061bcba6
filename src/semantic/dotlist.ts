import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { CNode } from "./configTree.js";
import type { Override } from "./resolve.js";

// LAVIS's `--options` become one config before anything is merged: OmegaConf.from_dotlist updates an empty config
// with each option in turn (a map value merges into a map already there; any other value replaces; a key that goes
// through a value that is not a map turns it into a map), and LAVIS merges that config over the rest. So an option
// that a later one writes through (`a=~` then `a.b=1`, or `a=5` then `a={x: 1}`) merges nothing: the file's `a`
// keeps its other keys, where merging the options one by one would have replaced it. from_dotlist stops where an
// option goes through a list another one gives (a key that is not an index; lavisc does not update one element either)
// and where a map and a list meet (LV4070, as in the merge). Checked against OmegaConf by
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
export function asOneDotlist(options: readonly Override[], diagnostics: Diagnostic[]): Override[] {
  const root: MapSlot = { kind: "map", entries: new Map(), from: null, touched: false };
  for (const option of options) {
    const stop = update(root, option);
    if (stop) diagnostics.push(stop);
  }
  const out: Override[] = [];
  flatten(root, [], out);
  return out;
}

/** Applies one option as OmegaConf.update does; the error from_dotlist stops with, if any (the option is then left out). */
function update(root: MapSlot, option: Override): Diagnostic | null {
  let at = root;
  const path = option.path;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at.entries.get(path[i]!);
    if (next?.kind === "value" && next.node.kind === "list") return throughList(option, next.option, path.slice(0, i + 1), path[i + 1]!);
    if (next?.kind === "map") at = next;
    else at.entries.set(path[i]!, (at = { kind: "map", entries: new Map(), from: null, touched: false }));
    at.touched = true;
  }
  const last = path.at(-1)!;
  const there = at.entries.get(last);
  const conflict = mapMeetsList(there, option.node, path, option);
  if (conflict) return conflict;
  if (option.node.kind === "map" && there?.kind === "map") return mergeInto(there, option.node, option, [...path]);
  at.entries.set(last, slotOf(option.node, option));
  return null;
}

/** An option whose key goes on through a list that `earlier` gives at `list`. */
function throughList(option: Override, earlier: Override, list: readonly string[], key: string): Diagnostic {
  const why = /^-?\d+$/.test(key) ? "lavisc does not update one element of a list (LAVIS does)" : `OmegaConf's from_dotlist stops on it: \`${key}\` is not a list index`;
  return diag("LV2048", option.node.origin.span, { option: option.text, earlier: earlier.text, list: list.join("."), why }, { path: list.join(".") });
}

/** LV4070 where an option's map meets a list, or its list a map, that an earlier option gave at the same key. */
function mapMeetsList(there: Slot | undefined, node: CNode, path: readonly string[], option: Override): Diagnostic | null {
  const thereIsList = there?.kind === "value" && there.node.kind === "list";
  if (!(thereIsList && node.kind === "map") && !(there?.kind === "map" && node.kind === "list")) return null;
  const earlier = there.kind === "value" ? there.option : (there.from?.option ?? option);
  const kind = (map: boolean) => (map ? "a map" : "a list");
  return diag("LV4070", node.span ?? node.keySpan, { path: path.join("."), over: kind(node.kind === "map"), base: kind(!thereIsList), where: `--options ${earlier.text}` }, { path: path.join(".") });
}

function slotOf(node: CNode, option: Override): Slot {
  if (node.kind !== "map") return { kind: "value", option, node };
  const slot: MapSlot = { kind: "map", entries: new Map(), from: { option, node }, touched: false };
  for (const [key, child] of node.entries) slot.entries.set(key, slotOf(child, option));
  return slot;
}

function mergeInto(slot: MapSlot, node: CNode & { kind: "map" }, option: Override, path: string[]): Diagnostic | null {
  slot.touched = true;
  for (const [key, child] of node.entries) {
    const there = slot.entries.get(key);
    path.push(key);
    const stop = mapMeetsList(there, child, path, option) ?? (child.kind === "map" && there?.kind === "map" ? mergeInto(there, child, option, path) : null);
    path.pop();
    if (stop) return stop;
    if (!(child.kind === "map" && there?.kind === "map")) slot.entries.set(key, slotOf(child, option));
  }
  return null;
}

/** A value from an option's map keeps its own span, and says which option it came from (explain shows it), all the way down. */
function fromOption(node: CNode, option: Override): CNode {
  const from = option.node.origin.from;
  const origin = node.origin.from || !from ? node.origin : { ...node.origin, from };
  if (node.kind === "map") return { ...node, origin, entries: new Map([...node.entries].map(([k, v]) => [k, fromOption(v, option)])) };
  if (node.kind === "list") return { ...node, origin, items: node.items.map((v) => fromOption(v, option)) };
  return origin === node.origin ? node : ({ ...node, origin } as CNode);
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
