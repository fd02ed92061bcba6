import { logicalLines, type LogicalLine, type Token } from "./pythonTokens.js";

// The outline of a Python module: imports, module-level assignments, classes (decorators, bases, class-level
// assignments, methods) and functions, each with the logical lines of its body. Statements are grouped into blocks
// by indentation, as Python does; nothing is evaluated here.

export interface PyStatement {
  readonly line: LogicalLine;
  /** The indented block of a compound statement (`class`, `def`, `if`, ...). */
  readonly body: readonly PyStatement[];
}

export interface PyFunction {
  readonly name: string;
  readonly params: readonly string[];
  readonly body: readonly PyStatement[];
  readonly line: number;
}

export interface PyClass {
  readonly name: string;
  /** Base classes as written (`BaseDatasetBuilder`, `blip2.Blip2Base`). */
  readonly bases: readonly string[];
  /** Each decorator's tokens, without the `@`. */
  readonly decorators: readonly (readonly Token[])[];
  /** Class-level `NAME = expr` statements, in order (the value's tokens). */
  readonly assignments: readonly { readonly name: string; readonly value: readonly Token[] }[];
  readonly methods: readonly PyFunction[];
  /** The docstring's first non-empty line. */
  readonly doc: string | null;
  readonly line: number;
  readonly start: number;
}

export interface PyModule {
  readonly path: string;
  /** `from a.b import c as d` and `import a.b as c`: the local name and the module/attribute it stands for. */
  readonly imports: readonly { readonly local: string; readonly module: string; readonly name: string | null }[];
  readonly assignments: readonly { readonly name: string; readonly value: readonly Token[] }[];
  readonly classes: readonly PyClass[];
  readonly functions: readonly PyFunction[];
}

export function readModule(path: string, src: string): PyModule {
  const statements = blocks(logicalLines(src));
  const imports: { local: string; module: string; name: string | null }[] = [];
  const assignments: { name: string; value: readonly Token[] }[] = [];
  const classes: PyClass[] = [];
  const functions: PyFunction[] = [];
  let decorators: Token[][] = [];
  const visitTop = (list: readonly PyStatement[]) => {
    for (const s of list) {
      const t = s.line.tokens;
      const head = t[0]!.text;
      if (head === "@") {
        decorators.push(t.slice(1));
        continue;
      }
      if (head === "class") classes.push(readClass(s, decorators));
      else if (head === "def" || (head === "async" && t[1]?.text === "def")) functions.push(readFunction(s));
      else if (head === "import" || head === "from") imports.push(...readImport(t));
      else if (head === "if" || head === "try" || head === "else" || head === "elif" || head === "except" || head === "finally") visitTop(s.body);
      else {
        const a = simpleAssignment(t);
        if (a) assignments.push(a);
      }
      decorators = [];
    }
  };
  visitTop(statements);
  return { path, imports, assignments, classes, functions };
}

/** Groups logical lines into statements with their indented blocks. */
function blocks(lines: readonly LogicalLine[]): PyStatement[] {
  let i = 0;
  const parse = (indent: number): PyStatement[] => {
    const out: PyStatement[] = [];
    while (i < lines.length && lines[i]!.indent >= indent) {
      const line = lines[i++]!;
      let body: PyStatement[] = [];
      if (line.tokens.at(-1)?.text === ":" && i < lines.length && lines[i]!.indent > line.indent) body = parse(lines[i]!.indent);
      out.push({ line, body });
    }
    return out;
  };
  const all: PyStatement[] = [];
  while (i < lines.length) all.push(...parse(lines[i]!.indent));
  return all;
}

function readClass(s: PyStatement, decorators: Token[][]): PyClass {
  const t = s.line.tokens;
  const name = t[1]?.kind === "name" ? t[1].text : "?";
  const bases: string[] = [];
  if (t[2]?.text === "(") {
    for (const arg of splitArgs(t.slice(3, closing(t, 2)))) {
      if (arg.some((x) => x.text === "=")) continue; // metaclass=...
      bases.push(arg.map((x) => x.text).join(""));
    }
  }
  const assignments: { name: string; value: readonly Token[] }[] = [];
  const methods: PyFunction[] = [];
  for (const m of s.body) {
    const mt = m.line.tokens;
    if (mt[0]!.text === "def" || (mt[0]!.text === "async" && mt[1]?.text === "def")) methods.push(readFunction(m));
    else {
      const a = simpleAssignment(mt);
      if (a) assignments.push(a);
    }
  }
  const first = s.body[0]?.line.tokens;
  const docstring = first?.length === 1 && first[0]!.kind === "string" ? first[0]!.value ?? "" : "";
  // The docstring's first sentence (of its first paragraph).
  const paragraph = docstring.trim().split(/\n\s*\n/)[0]!.split("\n").map((l) => l.trim()).join(" ");
  const doc = paragraph ? (/^.*?\.(?=\s|$)/.exec(paragraph)?.[0] ?? paragraph) : null;
  return { name, bases, decorators, assignments, methods, doc, line: s.line.line, start: t[0]!.start };
}

function readFunction(s: PyStatement): PyFunction {
  const t = s.line.tokens;
  const at = t[0]!.text === "async" ? 1 : 0;
  const name = t[at + 1]?.text ?? "?";
  const open = at + 2;
  const params = t[open]?.text === "(" ? splitArgs(t.slice(open + 1, closing(t, open))).map((p) => p.find((x) => x.kind === "name")?.text ?? "") : [];
  return { name, params, body: s.body, line: s.line.line };
}

function readImport(t: readonly Token[]): { local: string; module: string; name: string | null }[] {
  const text = (ts: readonly Token[]) => ts.map((x) => x.text).join("");
  if (t[0]!.text === "import") {
    return splitArgs(t.slice(1)).map((part) => {
      const as = part.findIndex((x) => x.text === "as");
      const module = text(as < 0 ? part : part.slice(0, as));
      return { local: as < 0 ? module.split(".")[0]! : text(part.slice(as + 1)), module, name: null };
    });
  }
  const imp = t.findIndex((x) => x.text === "import");
  if (imp < 0) return [];
  const module = text(t.slice(1, imp));
  const names = t.slice(imp + 1).filter((x) => x.text !== "(" && x.text !== ")");
  return splitArgs(names).flatMap((part) => {
    if (!part.length || part[0]!.text === "*") return [];
    const as = part.findIndex((x) => x.text === "as");
    const name = part[0]!.text;
    return [{ local: as < 0 ? name : text(part.slice(as + 1)), module, name }];
  });
}

/** `NAME = value` (one target, no augmented assignment or annotation), else null. */
export function simpleAssignment(t: readonly Token[]): { name: string; value: readonly Token[] } | null {
  if (t.length < 3 || t[0]!.kind !== "name" || t[1]!.text !== "=") return null;
  return { name: t[0]!.text, value: t.slice(2) };
}

/** Index of the bracket closing the one at `open` (or the end). */
export function closing(t: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < t.length; k++) {
    const x = t[k]!.text;
    if (x === "(" || x === "[" || x === "{") depth++;
    else if (x === ")" || x === "]" || x === "}") {
      depth--;
      if (depth === 0) return k;
    }
  }
  return t.length;
}

/** Splits tokens at top-level commas. */
export function splitArgs(t: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const x of t) {
    if (x.text === "(" || x.text === "[" || x.text === "{") depth++;
    else if (x.text === ")" || x.text === "]" || x.text === "}") depth--;
    if (x.text === "," && depth === 0) {
      out.push(cur);
      cur = [];
    } else cur.push(x);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Every logical line of a block, nested blocks included, in order. */
export function flatLines(body: readonly PyStatement[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  const walk = (b: readonly PyStatement[]) => {
    for (const s of b) {
      out.push(s.line);
      walk(s.body);
    }
  };
  walk(body);
  return out;
}
