import type { Token, LogicalLine } from "./pythonTokens.js";
import { closing, splitArgs } from "./pythonModule.js";
import { evaluate, type NameLookup, type PyValue } from "./pythonValue.js";

// Which configuration keys a class's code reads, found statically: `cfg.get("key", default)`, `cfg.key`,
// `cfg["key"]`, `getattr(cfg, "key", default)`, `"key" in cfg`, `x.key if x.key else default` and its statement form
// (`if x.key:` / `v = x.key` / `else:` / `v = default`, TimeChat's builders), through local aliases
// (`run_cfg = cfg.run_cfg`, `build_info = self.config.build_info`). `.run_cfg`, `.model_cfg` and `.datasets_cfg`
// anywhere in a chain lead to those sections, as LAVIS's Config names them.

export type Section = "model" | "run" | "dataset" | "datasets" | "processor";

export interface ConfigRead {
  readonly section: Section;
  /** Keys below the section (`["generate_cfg", "max_len"]`). */
  readonly path: readonly string[];
  /** The code default: present for `.get(key, default)` and friends; absent for `cfg.key` (no default). */
  readonly default?: PyValue;
  /** Offsets of the default's expression in the module, where the scan found it. */
  readonly defaultAt?: { readonly start: number; readonly end: number };
  readonly line: number;
  /** The module whose code reads it (repository-relative), set by the caller that knows it. */
  readonly file?: string;
}

export interface Root {
  readonly section: Section;
  readonly path: readonly string[];
}

const SECTION_ATTRS: Readonly<Record<string, Section>> = { run_cfg: "run", model_cfg: "model", datasets_cfg: "datasets" };
/** Methods of config objects: `cfg.get(...)` is a read, these others are not keys. */
const METHODS = new Set(["get", "items", "keys", "values", "pop", "copy", "update", "setdefault", "__dict__", "_get_node", "_content"]);

/** The reads of a function body, given what its parameters and `self.x` chains stand for (`cfg` -> the model section). */
export function configReads(lines: readonly LogicalLine[], roots: ReadonlyMap<string, Root>, lookup: NameLookup): ConfigRead[] {
  const aliases = new Map(roots);
  const out: ConfigRead[] = [];
  for (const [n, line] of lines.entries()) {
    const t = line.tokens;
    const reads = new ChainReader(t, aliases, lookup, line.line, out);
    if (t[0]?.text === "if" && reads.defaultFromIfElse(lines.slice(n, n + 4))) continue;
    // `name = <chain>` makes `name` an alias of what the chain reaches.
    if (t[0]?.kind === "name" && t[1]?.text === "=") {
      const reached = reads.chainAt(2);
      if (reached && reached.end === t.length && reached.root) aliases.set(t[0].text, reached.root);
      // A parameter set to something else keeps its meaning (`if cfg is None: cfg = OmegaConf.create()`).
      else if (!roots.has(t[0].text)) aliases.delete(t[0].text);
      if (reached) reads.defaultFromConditional(reached);
      reads.scan(reached ? reached.end : 2);
    } else reads.scan(0);
  }
  return out;
}

class ChainReader {
  constructor(
    private readonly t: readonly Token[],
    private readonly aliases: ReadonlyMap<string, Root>,
    private readonly lookup: NameLookup,
    private readonly line: number,
    private readonly out: ConfigRead[],
  ) {}

  scan(from: number): void {
    for (let i = from; i < this.t.length; i++) {
      const tok = this.t[i]!;
      if (tok.kind === "name" && this.t[i - 1]?.text !== ".") {
        if (tok.text === "getattr" || tok.text === "hasattr") this.attrCall(i);
        const c = this.chainAt(i);
        if (c) {
          this.defaultFromConditional(c);
          i = c.end - 1;
        }
      } else if (tok.kind === "string" && this.t[i + 1]?.text === "in") this.membership(i);
    }
  }

  /** Walks `name(.attr | .get(k, d) | [k])*` from `i`, recording the reads; null when `i` starts no config chain. */
  chainAt(i: number): { root: Root | null; end: number; text: string } | null {
    const head = this.t[i];
    if (head?.kind !== "name") return null;
    let root: Root | null = this.aliases.get(head.text) ?? null;
    let j = i + 1;
    let seen = !!root;
    let selfChain = head.text;
    while (j < this.t.length) {
      const x = this.t[j]!;
      if (x.text === "." && this.t[j + 1]?.kind === "name") {
        const attr = this.t[j + 1]!.text;
        if (!root && this.aliases.has(`${selfChain}.${attr}`)) {
          root = this.aliases.get(`${selfChain}.${attr}`)!;
          seen = true;
          selfChain += `.${attr}`;
          j += 2;
          continue;
        }
        selfChain += `.${attr}`;
        if (SECTION_ATTRS[attr]) {
          root = { section: SECTION_ATTRS[attr]!, path: [] };
          seen = true;
          j += 2;
          continue;
        }
        if (this.t[j + 2]?.text === "(") {
          if (root && attr === "get") {
            const close = closing(this.t, j + 2);
            const args = splitArgs(this.t.slice(j + 3, close));
            const key = args[0] ? evaluate(args[0], this.lookup) : null;
            if (key?.k === "str") {
              const def = args[1] ? evaluate(args[1], this.lookup) : { k: "none" as const };
              root = this.record(root, key.v, def, args[1]);
              j = close + 1;
              continue;
            }
          }
          return seen ? { root: null, end: j, text: "" } : null; // a method call ends the chain
        }
        if (root && !METHODS.has(attr)) root = this.record(root, attr, undefined);
        j += 2;
        continue;
      }
      if (x.text === "[" && root) {
        const close = closing(this.t, j);
        const key = evaluate(this.t.slice(j + 1, close), this.lookup);
        if (key.k !== "str") return { root: null, end: close + 1, text: "" };
        root = this.record(root, key.v, undefined);
        j = close + 1;
        continue;
      }
      break;
    }
    if (!seen) return null;
    return { root, end: j, text: this.t.slice(i, j).map((x) => x.text).join("") };
  }

  private record(root: Root, key: string, def: PyValue | undefined, expr?: readonly Token[]): Root {
    const path = [...root.path, key];
    const at = expr?.length ? { defaultAt: { start: expr[0]!.start, end: expr.at(-1)!.end } } : {};
    this.out.push({ section: root.section, path, ...(def ? { default: def, ...at } : {}), line: this.line });
    return { section: root.section, path };
  }

  /** `x.k if x.k else default`: the default of the read just recorded. */
  defaultFromConditional(c: { root: Root | null; end: number; text: string }): void {
    if (!c.root || this.t[c.end]?.text !== "if") return;
    const elseAt = this.t.findIndex((x, k) => k > c.end && x.text === "else");
    if (elseAt < 0) return;
    const cond = this.t.slice(c.end + 1, elseAt).map((x) => x.text).join("");
    if (cond !== c.text) return;
    this.setDefault(c.root, untilTopLevelEnd(this.t, elseAt + 1));
  }

  /**
   * The statement form, on this `if` line and the three after it: `if x.k:` / `v = x.k` / `else:` / `v = default`
   * (each branch one line, the `else` at the `if`'s indentation). True when it is that form and its reads are recorded.
   */
  defaultFromIfElse(block: readonly LogicalLine[]): boolean {
    const [head, then, otherwise, fallback] = block;
    if (!head || !then || !otherwise || !fallback || this.t.at(-1)?.text !== ":") return false;
    const text = (t: readonly Token[]) => t.map((x) => x.text).join("");
    const assigned = (l: LogicalLine) => (l.indent > head.indent && l.tokens[0]?.kind === "name" && l.tokens[1]?.text === "=" ? l.tokens[0].text : null);
    const name = assigned(then);
    if (!name || assigned(fallback) !== name || otherwise.indent !== head.indent || text(otherwise.tokens) !== "else:") return false;
    if (text(then.tokens.slice(2)) !== text(this.t.slice(1, -1))) return false;
    const c = this.chainAt(1);
    if (!c?.root || c.end !== this.t.length - 1) return false;
    this.setDefault(c.root, fallback.tokens.slice(2));
    return true;
  }

  /** Gives the read of `root` recorded last the code default written by `expr` (unless it cannot be evaluated). */
  private setDefault(root: Root, expr: readonly Token[]): void {
    const def = evaluate(expr, this.lookup);
    const key = root.path.join(".");
    let last = this.out.length - 1;
    while (last >= 0 && !(this.out[last]!.section === root.section && this.out[last]!.path.join(".") === key)) last--;
    if (last < 0 || def.k === "unknown") return;
    this.out[last] = { ...this.out[last]!, default: def, defaultAt: { start: expr[0]!.start, end: expr.at(-1)!.end } };
  }

  /** `getattr(cfg, "key", default)` and `hasattr(cfg, "key")`. */
  private attrCall(i: number): void {
    if (this.t[i + 1]?.text !== "(") return;
    const close = closing(this.t, i + 1);
    const args = splitArgs(this.t.slice(i + 2, close));
    if (args.length < 2 || args[0]!.length !== 1) return;
    const root = this.aliases.get(args[0]![0]!.text);
    const key = evaluate(args[1]!, this.lookup);
    if (!root || key.k !== "str") return;
    this.record(root, key.v, args[2] ? evaluate(args[2], this.lookup) : { k: "none" }, args[2]);
  }

  /** `"key" in cfg`: an optional key. */
  private membership(i: number): void {
    const target = this.t[i + 2];
    const root = target?.kind === "name" ? this.aliases.get(target.text) : undefined;
    const key = this.t[i]!.value;
    if (root && key !== undefined) this.record(root, key, { k: "none" });
  }
}

function untilTopLevelEnd(t: readonly Token[], from: number): Token[] {
  let depth = 0;
  const out: Token[] = [];
  for (let k = from; k < t.length; k++) {
    const x = t[k]!.text;
    if (x === "(" || x === "[" || x === "{") depth++;
    else if (x === ")" || x === "]" || x === "}") {
      if (depth === 0) break;
      depth--;
    } else if (x === "," && depth === 0) break;
    out.push(t[k]!);
  }
  return out;
}
