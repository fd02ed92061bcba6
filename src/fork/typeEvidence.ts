import type { CNode } from "../semantic/configTree.js";
import type { PyValue } from "./pythonValue.js";

// What a key's values say about its type: the code default and every value the repository's YAML gives it. The
// declared type is the narrowest that accepts all of them (int and float make float; null makes it nullable); kinds
// that share no type make a union; no evidence at all makes `any`, with the reason.

type Kind = "int" | "float" | "string" | "bool" | "map" | "list";

export class TypeEvidence {
  private readonly kinds = new Set<Kind>();
  private nullable = false;
  private elements: TypeEvidence | null = null;
  /** Values of no known kind (a code default the scan could not evaluate). */
  private opaque = 0;

  addPy(v: PyValue): void {
    switch (v.k) {
      case "str": this.kinds.add("string"); break;
      case "int": case "float": this.kinds.add(v.k); break;
      case "bool": this.kinds.add("bool"); break;
      case "none": this.nullable = true; break;
      case "dict": this.kinds.add("map"); break;
      case "list":
        this.kinds.add("list");
        for (const i of v.items) this.elementEvidence().addPy(i);
        break;
      case "unknown": this.opaque++; break;
    }
  }

  addNode(n: CNode): void {
    switch (n.kind) {
      case "scalar":
        if (n.type === "null") this.nullable = true;
        else this.kinds.add(n.type === "string" ? "string" : n.type);
        break;
      case "map": this.kinds.add("map"); break;
      case "list":
        this.kinds.add("list");
        for (const i of n.items) this.elementEvidence().addNode(i);
        break;
      case "expr": this.opaque++; break;
    }
  }

  /** Adds what another evidence saw. */
  absorb(other: TypeEvidence): void {
    other.kinds.forEach((k) => this.kinds.add(k));
    this.nullable ||= other.nullable;
    this.opaque += other.opaque;
    if (other.elements) this.elementEvidence().absorb(other.elements);
  }

  /**
   * This evidence (a code default, which says what the code expects) widened by what files give the key: an int
   * default becomes a float when files give floats, and null is allowed; a value of another kind is not taken in, so
   * `temperature: "0.9"` against a code default of 0.7 stays a type error in that file.
   */
  widenedBy(files: TypeEvidence): TypeEvidence {
    const out = new TypeEvidence();
    out.absorb(this);
    if (this.kinds.has("int") && files.kinds.has("float")) out.kinds.add("float");
    out.nullable ||= files.nullable;
    if (this.kinds.has("list") && files.elements) {
      out.elements = this.elements && !this.elements.empty ? this.elements.widenedBy(files.elements) : files.elements;
    }
    return out;
  }

  /** True when a value of a definite kind was seen (not only None or what could not be evaluated). */
  get definite(): boolean {
    return this.kinds.size > 0;
  }

  /** The kinds of the values seen, `null` included. */
  seenKinds(): string[] {
    return [...this.kinds, ...(this.nullable ? ["null"] : [])];
  }

  get empty(): boolean {
    return this.kinds.size === 0 && !this.nullable && this.opaque === 0;
  }

  /** The `.lv` type, and why it is `any` when it is. */
  lvType(): { type: string; unknown: string | null } {
    const kinds = new Set(this.kinds);
    if (kinds.has("int") && kinds.has("float")) kinds.delete("int");
    if (kinds.size === 0) {
      const why = this.opaque ? "its code default could not be evaluated" : this.nullable ? "it is only ever null (or defaults to None)" : "no code default and no file gives it a value";
      return { type: "any", unknown: why };
    }
    const names = [...kinds].sort().map((k) => (k === "map" ? "map<any>" : k === "list" ? `list<${this.elements?.lvType().type ?? "any"}>` : k));
    if (names.length === 1) return { type: this.nullable ? `${names[0]}?` : names[0]!, unknown: null };
    return { type: [...names, ...(this.nullable ? ["null"] : [])].join(" | "), unknown: null };
  }

  private elementEvidence(): TypeEvidence {
    return (this.elements ??= new TypeEvidence());
  }
}
