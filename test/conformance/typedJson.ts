// JSON with OmegaConf's scalar types kept: Python writes `1.0` for a float and `1` for an int, and JSON.parse
// would make both the number 1. Conformance compares types, so numbers keep the spelling's kind here.

export type TScalarType = "int" | "float" | "string" | "bool" | "null";

export type TNode =
  | { readonly t: TScalarType; readonly v: string | number | boolean | null; readonly origin?: TOrigin }
  | { readonly t: "map"; readonly v: Map<string, TNode>; readonly origin?: TOrigin }
  | { readonly t: "list"; readonly v: TNode[]; readonly origin?: TOrigin }
  | { readonly t: "expr"; readonly v: string; readonly origin?: TOrigin };

/** Where lavisc says a value came from: the origin kind and the file of its span. */
export interface TOrigin {
  readonly kind: string;
  readonly file: string | null;
}

/** Parses JSON text (with Python's NaN/Infinity) into a typed tree; throws on malformed input. */
export function parseTypedJson(text: string): TNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`typed JSON: ${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) fail(`expected '${c}'`);
    i++;
  };
  const stringToken = /"(?:[^"\\]|\\.)*"/y;
  const str = (): string => {
    stringToken.lastIndex = i;
    const m = stringToken.exec(text);
    if (!m) fail("bad string");
    i += m![0].length;
    return JSON.parse(m![0]) as string;
  };
  const words: [string, TNode][] = [
    ["true", { t: "bool", v: true }],
    ["false", { t: "bool", v: false }],
    ["null", { t: "null", v: null }],
    ["NaN", { t: "float", v: NaN }],
    ["Infinity", { t: "float", v: Infinity }],
    ["-Infinity", { t: "float", v: -Infinity }],
  ];
  const value = (): TNode => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const m = new Map<string, TNode>();
      ws();
      if (text[i] === "}") return i++, { t: "map", v: m };
      for (;;) {
        ws();
        const k = str();
        expect(":");
        m.set(k, value());
        ws();
        if (text[i] === ",") { i++; continue; }
        expect("}");
        return { t: "map", v: m };
      }
    }
    if (c === "[") {
      i++;
      const a: TNode[] = [];
      ws();
      if (text[i] === "]") return i++, { t: "list", v: a };
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        expect("]");
        return { t: "list", v: a };
      }
    }
    if (c === '"') return { t: "string", v: str() };
    for (const [w, node] of words) if (text.startsWith(w, i)) return (i += w.length), node;
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail("unexpected character");
    i += m![0].length;
    return { t: m![1] || m![2] ? "float" : "int", v: Number(m![0]) };
  };
  const out = value();
  ws();
  if (i !== text.length) fail("trailing text");
  return out;
}

/** Short text of a node for messages: `float 1`, `string "x"`, `["val"]`, `{map}`. */
export function showNode(n: TNode | undefined): string {
  if (!n) return "(absent)";
  if (n.t === "map") return `{${[...n.v.keys()].slice(0, 4).join(", ")}${n.v.size > 4 ? ", ..." : ""}}`;
  if (n.t === "list") return `[${n.v.map(showNode).join(", ")}]`;
  if (n.t === "string") return JSON.stringify(n.v);
  return `${n.t} ${String(n.v)}`;
}

/** Every leaf (scalar, list, empty map) with its dotted path. */
export function* typedLeaves(n: TNode, path: string): Generator<[string, TNode]> {
  if (n.t === "map" && n.v.size > 0) for (const [k, v] of n.v) yield* typedLeaves(v, path ? `${path}.${k}` : k);
  else yield [path, n];
}

/** Type-aware deep equality: 1 (int) and 1.0 (float) differ; NaN equals NaN. */
export function sameTyped(a: TNode, b: TNode): boolean {
  if (a.t !== b.t) return false;
  if (a.t === "map" && b.t === "map") {
    if (a.v.size !== b.v.size) return false;
    for (const [k, v] of a.v) {
      const w = b.v.get(k);
      if (!w || !sameTyped(v, w)) return false;
    }
    return true;
  }
  if (a.t === "list" && b.t === "list") return a.v.length === b.v.length && a.v.every((x, j) => sameTyped(x, b.v[j]!));
  return a.v === b.v || (Number.isNaN(a.v) && Number.isNaN(b.v));
}
