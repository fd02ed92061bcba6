import type { Token } from "./pythonTokens.js";
import { closing, splitArgs } from "./pythonModule.js";

// Values of the constant Python expressions registrations are written with: literals, names bound to constants,
// subscripts, `"...".format(...)`, `os.path.join(...)`, string concatenation. Anything else is `unknown`, with its
// text, so a reader can say what it could not evaluate instead of guessing.

export type PyValue =
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "int" | "float"; readonly v: number }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "none" }
  | { readonly k: "list"; readonly items: readonly PyValue[] }
  | { readonly k: "dict"; readonly entries: ReadonlyMap<string, PyValue> }
  | { readonly k: "unknown"; readonly text: string };

/** Looks a bare name up (class attributes so far, then the module's constants, then the repository's). */
export type NameLookup = (name: string) => PyValue | undefined;

export function evaluate(tokens: readonly Token[], lookup: NameLookup = () => undefined): PyValue {
  try {
    const p = new Evaluator(tokens, lookup);
    const v = p.expression();
    return p.atEnd() ? v : unknown(tokens);
  } catch {
    return unknown(tokens);
  }
}

export function unknown(tokens: readonly Token[]): PyValue {
  return { k: "unknown", text: tokens.map((t) => t.text).join(" ").replace(/ ?([.,()[\]{}]) ?/g, "$1").replace(/,/g, ", ") };
}

/** Python's spelling of a value, for doc comments. */
export function pyText(v: PyValue): string {
  switch (v.k) {
    case "str": return JSON.stringify(v.v);
    case "int": return String(v.v);
    case "float": return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case "bool": return v.v ? "True" : "False";
    case "none": return "None";
    case "list": return `[${v.items.map(pyText).join(", ")}]`;
    case "dict": return `{${[...v.entries].map(([k, x]) => `${JSON.stringify(k)}: ${pyText(x)}`).join(", ")}}`;
    case "unknown": return v.text;
  }
}

class Evaluator {
  private i = 0;
  constructor(private readonly t: readonly Token[], private readonly lookup: NameLookup) {}

  atEnd(): boolean {
    return this.i >= this.t.length;
  }

  private peek(): Token | undefined {
    return this.t[this.i];
  }

  expression(): PyValue {
    let left = this.postfix();
    while (this.peek()?.text === "+" || this.peek()?.text === "-" || this.peek()?.text === "*") {
      const op = this.t[this.i++]!.text;
      const right = this.postfix();
      left = arith(op, left, right);
    }
    return left;
  }

  private postfix(): PyValue {
    const start = this.i;
    let v = this.atom();
    let dotted = this.t[start]?.kind === "name" ? this.t[start]!.text : null;
    for (;;) {
      const x = this.peek()?.text;
      if (x === ".") {
        const name = this.t[this.i + 1]?.text ?? "";
        this.i += 2;
        if (this.peek()?.text === "(") {
          const close = closing(this.t, this.i);
          const args = this.t.slice(this.i + 1, close);
          this.i = close + 1;
          v = this.call(dotted ? `${dotted}.${name}` : null, name, v, args);
          dotted = null;
        } else {
          dotted = dotted ? `${dotted}.${name}` : null;
          v = dotted ? this.lookup(dotted) ?? { k: "unknown", text: dotted } : { k: "unknown", text: name };
        }
      } else if (x === "[") {
        const close = closing(this.t, this.i);
        const key = evaluate(this.t.slice(this.i + 1, close), this.lookup);
        this.i = close + 1;
        v = subscript(v, key);
        dotted = null;
      } else if (x === "(") {
        const close = closing(this.t, this.i);
        const args = this.t.slice(this.i + 1, close);
        this.i = close + 1;
        v = this.call(dotted, dotted ?? "", v, args);
        dotted = null;
      } else return v;
    }
  }

  private call(qualified: string | null, method: string, target: PyValue, args: readonly Token[]): PyValue {
    const parts = splitArgs(args);
    const positional = parts.filter((p) => !(p[0]?.kind === "name" && p[1]?.text === "=")).map((p) => evaluate(p, this.lookup));
    const keywords = new Map(parts.filter((p) => p[0]?.kind === "name" && p[1]?.text === "=").map((p) => [p[0]!.text, evaluate(p.slice(2), this.lookup)] as const));
    if (method === "format" && target.k === "str") return format(target.v, positional, keywords);
    if (qualified === "os.path.join" || qualified === "osp.join") {
      return positional.every((p) => p.k === "str") ? { k: "str", v: positional.map((p) => (p as { v: string }).v).join("/").replace(/\/+/g, "/") } : unknownOf(qualified, args);
    }
    if (qualified === "dict" && !positional.length) return { k: "dict", entries: keywords };
    if ((qualified === "str" || qualified === "int" || qualified === "float") && positional.length === 1) {
      const a = positional[0]!;
      if (qualified === "str" && a.k === "str") return a;
      if (qualified !== "str" && (a.k === "int" || a.k === "float")) return { k: qualified === "int" ? "int" : "float", v: qualified === "int" ? Math.trunc(a.v) : a.v };
    }
    return unknownOf(qualified ?? method, args);
  }

  private atom(): PyValue {
    const tok = this.t[this.i++];
    if (!tok) throw new Error("end");
    if (tok.kind === "string") {
      if (tok.formatted) return { k: "unknown", text: tok.text };
      let s = tok.value ?? "";
      while (this.peek()?.kind === "string" && !this.peek()!.formatted) s += this.t[this.i++]!.value ?? "";
      return { k: "str", v: s };
    }
    if (tok.kind === "number") {
      const text = tok.text.replace(/_/g, "");
      if (/[jJ]$/.test(text)) return { k: "unknown", text };
      if (/^0[xXoObB]/.test(text)) return { k: "int", v: Number(text) };
      return /[.eE]/.test(text) ? { k: "float", v: Number(text) } : { k: "int", v: Number(text) };
    }
    if (tok.text === "-" || tok.text === "+") {
      const v = this.postfix();
      if ((v.k === "int" || v.k === "float") && tok.text === "-") return { k: v.k, v: -v.v };
      return v;
    }
    if (tok.kind === "name") {
      if (tok.text === "True" || tok.text === "False") return { k: "bool", v: tok.text === "True" };
      if (tok.text === "None") return { k: "none" };
      if (this.peek()?.text === "." || this.peek()?.text === "(") return { k: "unknown", text: tok.text }; // resolved by postfix
      return this.lookup(tok.text) ?? { k: "unknown", text: tok.text };
    }
    if (tok.text === "(" || tok.text === "[") {
      const close = closing(this.t, this.i - 1);
      const inner = this.t.slice(this.i, close);
      this.i = close + 1;
      const parts = splitArgs(inner);
      if (tok.text === "(" && parts.length === 1 && inner.at(-1)?.text !== ",") return evaluate(parts[0]!, this.lookup);
      return { k: "list", items: parts.filter((p) => p.length).map((p) => evaluate(p, this.lookup)) };
    }
    if (tok.text === "{") {
      const close = closing(this.t, this.i - 1);
      const inner = this.t.slice(this.i, close);
      this.i = close + 1;
      const entries = new Map<string, PyValue>();
      for (const part of splitArgs(inner)) {
        const colon = topLevelColon(part);
        if (colon < 0) return { k: "unknown", text: "{...}" }; // a set, or a dict comprehension
        const key = evaluate(part.slice(0, colon), this.lookup);
        if (key.k !== "str" && key.k !== "int") return { k: "unknown", text: "{...}" };
        entries.set(String(key.v), evaluate(part.slice(colon + 1), this.lookup));
      }
      return { k: "dict", entries };
    }
    throw new Error(`unexpected ${tok.text}`);
  }
}

function topLevelColon(t: readonly Token[]): number {
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!.text;
    if (x === "(" || x === "[" || x === "{") depth++;
    else if (x === ")" || x === "]" || x === "}") depth--;
    else if (x === ":" && depth === 0) return k;
  }
  return -1;
}

function unknownOf(name: string, args: readonly Token[]): PyValue {
  return { k: "unknown", text: `${name}(${pyText(unknown(args))})` };
}

function subscript(v: PyValue, key: PyValue): PyValue {
  if (v.k === "dict" && (key.k === "str" || key.k === "int")) return v.entries.get(String(key.v)) ?? { k: "unknown", text: `[${pyText(key)}]` };
  if (v.k === "list" && key.k === "int") return v.items.at(key.v) ?? { k: "unknown", text: `[${key.v}]` };
  return { k: "unknown", text: `${pyText(v)}[${pyText(key)}]` };
}

function arith(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === "+" && a.k === "str" && b.k === "str") return { k: "str", v: a.v + b.v };
  if ((a.k === "int" || a.k === "float") && (b.k === "int" || b.k === "float")) {
    const v = op === "+" ? a.v + b.v : op === "-" ? a.v - b.v : a.v * b.v;
    return { k: a.k === "float" || b.k === "float" ? "float" : "int", v };
  }
  if (op === "+" && a.k === "list" && b.k === "list") return { k: "list", items: [...a.items, ...b.items] };
  return { k: "unknown", text: `${pyText(a)} ${op} ${pyText(b)}` };
}

/** `str.format`: `{}`, `{0}`, `{name}` fields (no format specs beyond the name). */
function format(template: string, positional: readonly PyValue[], keywords: ReadonlyMap<string, PyValue>): PyValue {
  let auto = 0;
  let failed = false;
  const out = template.replace(/\{\{|\}\}|\{([^{}:!]*)(?:[:!][^{}]*)?\}/g, (m, field: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const v = field === "" || field === undefined ? positional[auto++] : /^\d+$/.test(field) ? positional[Number(field)] : keywords.get(field);
    if (!v || (v.k !== "str" && v.k !== "int" && v.k !== "float")) {
      failed = true;
      return m;
    }
    return String(v.v);
  });
  return failed ? { k: "unknown", text: `${JSON.stringify(template)}.format(...)` } : { k: "str", v: out };
}
