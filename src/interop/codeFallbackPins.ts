import type { Document, Node as YNode, Pair, YAMLMap } from "yaml";
import type { Resolved } from "../semantic/resolve.js";
import { codeDefaultDifferences } from "../semantic/facts.js";
import type { CNode } from "../semantic/configTree.js";
import { valueText } from "../semantic/valueText.js";
import { pairOf } from "./yamlPairs.js";

/**
 * A key a LAVIS YAML leaves out where LAVIS's code falls back to one value and lavisc's documented default is another
 * (warning LV4019: `test_splits` [] against ["test"], `load_finetuned`, captioning's lengths, ...). LAVIS ran the file
 * with the code's value, so migrate writes that value into the `.lv`, with a comment saying why: the `.lv` then means
 * what the YAML did in LAVIS, where lavisc's default would add a test split or load another checkpoint.
 */
export interface CodeFallbackPin {
  /** `["run", "test_splits"]`. */
  readonly path: readonly string[];
  /** LAVIS's code fallback. */
  readonly value: CNode;
  /** The comment written above the key. */
  readonly note: string;
}

export function codeFallbackPins(resolved: Resolved): CodeFallbackPin[] {
  // A default file is not an experiment LAVIS runs (it migrates to a registry declaration); a file whose bases did not
  // load has errors, and takes no code fallback.
  if ((resolved.input.role ?? "project") !== "project" || resolved.input.incomplete) return [];
  // The keys the YAML took LAVIS's code fallback for (origin `code-default`, semantic/codeFallbacks.ts).
  return codeDefaultDifferences(resolved).filter((d) => d.taken === "code").map(({ path, code, documented }) => ({
    path,
    value: code,
    note: ` The YAML leaves \`${path.at(-1)}\` out; LAVIS's code then uses ${valueText(code)} (lavisc's default would be ${valueText(documented)}).`,
  }));
}

/**
 * Adds each pin to the parsed YAML document as a key of its own (the section created when the file has none), and
 * returns the pairs added. A pin whose place is not a map in the file (`run: 5`) is left out: that file has errors.
 */
export function addPins(doc: Document.Parsed, pins: readonly CodeFallbackPin[], y: typeof import("yaml")): Set<Pair> {
  const added = new Set<Pair>();
  if (!doc.contents || !y.isMap(doc.contents)) return added;
  for (const pin of pins) {
    const map = mapAt(doc.contents, pin.path.slice(0, -1), y);
    if (!map || pairOf(map, pin.path.at(-1)!)) continue;
    const key = new y.Scalar(pin.path.at(-1)!);
    key.commentBefore = pin.note;
    const pair = new y.Pair(key, yamlNode(pin.value, y));
    map.items.push(pair);
    added.add(pair);
  }
  return added;
}

/** The map at `path` under `top`, made where the file has no key; null where a key holds something else. */
function mapAt(top: YAMLMap, path: readonly string[], y: typeof import("yaml")): YAMLMap | null {
  let map = top;
  for (const key of path) {
    const pair = pairOf(map, key);
    if (pair && !y.isMap(pair.value)) return null;
    if (pair) map = pair.value as YAMLMap;
    else {
      const inner = new y.YAMLMap();
      map.items.push(new y.Pair(new y.Scalar(key), inner));
      map = inner;
    }
  }
  return map;
}

/** A value as the failsafe-schema nodes migrate reads: scalars as their YAML text, strings quoted. */
function yamlNode(value: CNode, y: typeof import("yaml")): YNode {
  switch (value.kind) {
    case "list": {
      const seq = new y.YAMLSeq();
      seq.items = value.items.map((v) => yamlNode(v, y));
      return seq;
    }
    case "map": {
      const map = new y.YAMLMap();
      for (const [k, v] of value.entries) map.items.push(new y.Pair(new y.Scalar(k), yamlNode(v, y)));
      return map;
    }
    case "scalar": {
      const scalar = new y.Scalar(value.type === "string" ? String(value.value) : valueText(value));
      scalar.type = value.type === "string" ? "QUOTE_DOUBLE" : "PLAIN";
      return scalar;
    }
    case "expr":
      return new y.Scalar("null");
  }
}
