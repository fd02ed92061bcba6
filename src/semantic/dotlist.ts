import { diag, type Diagnostic } from "../diagnostics/index.js";
import { merge, type CNode } from "./configTree.js";
import type { Override } from "./resolve.js";

// LAVIS's `--options` become one config before anything is merged: OmegaConf.from_dotlist updates an empty config
// with each option in turn (a map value merges into a map already there; any other value replaces; a key that goes
// through a value that is not a map turns it into a map), and LAVIS merges that config over the rest. So an option
// that a later one writes through (`a=~` then `a.b=1`, or `a=5` then `a={x: 1}`) merges nothing: the file's `a`
// keeps its other keys, where merging the options one by one would have replaced it. An option that goes on into a
// list another one gives updates one element (`a=[1,2] a.0=x` is [x, 2]); from_dotlist stops where the key is not an
// index or is out of range (LV2048), and where a map and a list meet (LV4070, as in the merge). Checked against
// OmegaConf by test/conformance/optionsFuzz.test.ts.

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
    if (next?.kind === "value" && next.node.kind === "list") {
      // OmegaConf.update goes on into the list: one element changes.
      const updated = setInNode(next.node, path.slice(i + 1), option, { earlier: next.option, at: path.slice(0, i + 1) });
      if (isDiagnostic(updated)) return updated;
      at.entries.set(path[i]!, { kind: "value", option: next.option, node: updated });
      at.touched = true;
      return null;
    }
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

/** Where an option goes into a list an earlier option gave: that option, and the list's path. */
interface IntoList {
  readonly earlier: Override;
  readonly at: readonly string[];
}

const isDiagnostic = (x: CNode | Diagnostic): x is Diagnostic => "code" in x;

/**
 * `node` with the option's value set at `keys` below it, as OmegaConf.update sets it: a key into a list is an index
 * (Python's int(), negative from the end), a scalar on the way becomes an empty map, and the last key takes the value
 * (a map merged into a map there, a list replacing a list).
 */
function setInNode(node: CNode | undefined, keys: readonly string[], option: Override, into: IntoList): CNode | Diagnostic {
  const [key, ...rest] = keys as [string, ...string[]];
  if (node?.kind === "list") {
    if (!/^[+-]?\d+$/.test(key.trim())) return throughList(option, into, `OmegaConf's from_dotlist stops on it: \`${key}\` is not a list index`);
    const n = Number(key);
    const index = n < 0 ? n + node.items.length : n;
    if (index < 0 || index >= node.items.length) return throughList(option, into, `index ${key} is out of range for its ${node.items.length} item${node.items.length === 1 ? "" : "s"} (from_dotlist stops: ConfigIndexError)`);
    const element = rest.length ? setInNode(node.items[index], rest, option, into) : assigned(node.items[index], option, [...into.at, key]);
    if (isDiagnostic(element)) return element;
    return { ...node, items: node.items.map((x, i) => (i === index ? element : x)) };
  }
  const map = node?.kind === "map" ? node : { kind: "map" as const, entries: new Map<string, CNode>(), origin: option.node.origin, span: null, keySpan: null };
  const child = rest.length ? setInNode(map.entries.get(key), rest, option, into) : assigned(map.entries.get(key), option, [...into.at, key]);
  if (isDiagnostic(child)) return child;
  return { ...map, entries: new Map(map.entries).set(key, child) };
}

/** The option's value where `there` was: maps merge, a list and a map meet (LV4070), anything else is replaced. */
function assigned(there: CNode | undefined, option: Override, path: readonly string[]): CNode | Diagnostic {
  const value = fromOption(option.node, option);
  const containers = there && (there.kind === "map" || there.kind === "list") && (value.kind === "map" || value.kind === "list");
  if (!containers) return value;
  if (there.kind !== value.kind) {
    const kind = (k: string) => (k === "map" ? "a map" : "a list");
    return diag("LV4070", value.span ?? value.keySpan, { path: path.join("."), over: kind(value.kind), base: kind(there.kind), where: "an earlier --options" }, { path: path.join(".") });
  }
  return merge(there, value);
}

/** An option that goes on through a list an earlier option gives, where from_dotlist stops. */
function throughList(option: Override, into: IntoList, why: string): Diagnostic {
  return diag("LV2048", option.node.origin.span, { option: option.text, earlier: into.earlier.text, list: into.at.join("."), why }, { path: into.at.join(".") });
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
