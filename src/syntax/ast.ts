import type { Span } from "../diagnostics/index.js";

// The AST of `.lv` files: a readonly union tagged by `kind`; every node has a span. Nodes built from input that the
// parser recovered from may lack parts (a missing value becomes a `Missing` node), so later stages never see undefined.

export interface Node {
  readonly kind: string;
  readonly span: Span;
}

export interface Ident extends Node {
  readonly kind: "Ident";
  readonly name: string;
  /** True when written as a string (`"ViT-B-16"`), so the formatter keeps the quotes. */
  readonly quoted: boolean;
}

export interface Comment extends Node {
  readonly kind: "Comment";
  readonly style: "line" | "block" | "doc";
  readonly text: string;
}

export interface File extends Node {
  readonly kind: "File";
  readonly path: string;
  readonly imports: readonly Import[];
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
}

export interface Import extends Node {
  readonly kind: "Import";
  readonly path: StringLit;
  readonly alias: Ident | null;
}

export type Declaration = ExperimentDecl | SchemaDecl | EnumDecl | RegistryDecl;

export interface ExperimentDecl extends Node {
  readonly kind: "ExperimentDecl";
  readonly name: Ident;
  readonly extends: StringLit | Ident[] | null;
  readonly members: readonly Member[];
  readonly doc: string | null;
}

export interface SchemaDecl extends Node {
  readonly kind: "SchemaDecl";
  readonly name: Ident;
  readonly bases: readonly Ident[];
  readonly members: readonly Member[];
  readonly doc: string | null;
}

export interface EnumDecl extends Node {
  readonly kind: "EnumDecl";
  readonly name: Ident;
  readonly values: readonly Ident[];
  readonly doc: string | null;
}

export type RegistryKind = "arch" | "builder" | "processor" | "task" | "scheduler" | "runner";

export interface RegistryDecl extends Node {
  readonly kind: "RegistryDecl";
  readonly registry: RegistryKind;
  readonly name: Ident;
  readonly bases: readonly Ident[];
  readonly members: readonly Member[];
  readonly doc: string | null;
}

export type Member = TaskClause | ModelClause | DataClause | RecipeClause | SweepClause | TypeClause | Constraint | FieldDecl | Assignment | Block;

export interface TaskClause extends Node {
  readonly kind: "TaskClause";
  readonly name: Ident;
}

export interface ModelClause extends Node {
  readonly kind: "ModelClause";
  readonly arch: Ident;
  readonly modelType: Ident | null;
  readonly members: readonly Member[] | null;
}

export interface DataClause extends Node {
  readonly kind: "DataClause";
  readonly builder: Ident;
  readonly dataType: Ident | null;
  readonly members: readonly Member[] | null;
}

export interface RecipeClause extends Node {
  readonly kind: "RecipeClause";
  readonly members: readonly Member[];
}

/** `sweep { ... }`: the trials of an experiment (see `src/sweep/`). Members keep their source order. */
export interface SweepClause extends Node {
  readonly kind: "SweepClause";
  readonly members: readonly SweepMember[];
}

export type SweepMember = SweepAxis | SweepZip | SweepFilter | SweepLimit;

/** `key in [v1, v2]` or `key in log(a, b, count = n)`. */
export interface SweepAxis extends Node {
  readonly kind: "SweepAxis";
  readonly key: KeyPath;
  readonly domain: ListLit | SweepRange | Missing;
}

export interface SweepRange extends Node {
  readonly kind: "SweepRange";
  readonly scale: "linear" | "log";
  readonly from: Expr;
  readonly to: Expr;
  /** The `count = n` literal (a `Missing` after error recovery). */
  readonly count: IntLit | Missing;
}

/** `zip { ... }`: axes that move together. */
export interface SweepZip extends Node {
  readonly kind: "SweepZip";
  readonly axes: readonly SweepAxis[];
}

export interface SweepFilter extends Node {
  readonly kind: "SweepFilter";
  readonly condition: Expr;
}

export interface SweepLimit extends Node {
  readonly kind: "SweepLimit";
  readonly count: IntLit | Missing;
}

export interface TypeClause extends Node {
  readonly kind: "TypeClause";
  readonly name: Ident;
  readonly members: readonly Member[];
  readonly doc: string | null;
}

export interface Constraint extends Node {
  readonly kind: "Constraint";
  readonly severity: "check" | "warn";
  readonly condition: Expr;
  readonly message: StringLit | null;
}

export interface FieldDecl extends Node {
  readonly kind: "FieldDecl";
  readonly key: KeyPath;
  readonly type: TypeExpr;
  readonly default: Expr | null;
  readonly doc: string | null;
}

export interface Assignment extends Node {
  readonly kind: "Assignment";
  readonly key: KeyPath;
  readonly value: Expr;
  readonly doc: string | null;
}

/** `key { ... }`: a nested map written without `=`. */
export interface Block extends Node {
  readonly kind: "Block";
  readonly key: KeyPath;
  readonly members: readonly Member[];
  readonly doc: string | null;
}

export interface KeyPath extends Node {
  readonly kind: "KeyPath";
  readonly segments: readonly Ident[];
}

// --- types ---------------------------------------------------------------------------------------

export type TypeExpr = TypeRef | NullableType | UnionType | ListTypeSugar | NullType | MissingType;

export interface TypeRef extends Node {
  readonly kind: "TypeRef";
  readonly name: Ident;
  readonly args: readonly TypeExpr[];
  readonly refinements: readonly Refinement[];
}

export interface ListTypeSugar extends Node {
  readonly kind: "ListTypeSugar";
  readonly element: TypeExpr;
}

export interface NullableType extends Node {
  readonly kind: "NullableType";
  readonly inner: TypeExpr;
}

export interface UnionType extends Node {
  readonly kind: "UnionType";
  readonly options: readonly TypeExpr[];
}

export interface NullType extends Node {
  readonly kind: "NullType";
}

export interface MissingType extends Node {
  readonly kind: "MissingType";
}

export type CompareOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export interface Refinement extends Node {
  readonly kind: "Refinement";
  readonly op: CompareOperator;
  readonly bound: Expr;
}

// --- expressions -------------------------------------------------------------------------------

export type Expr =
  | StringLit
  | Template
  | IntLit
  | FloatLit
  | BoolLit
  | NullLit
  | ListLit
  | MapLit
  | Ref
  | ObjectLit
  | Unary
  | Binary
  | IsCheck
  | InCheck
  | IfExpr
  | Paren
  | Missing;

export interface StringLit extends Node {
  readonly kind: "StringLit";
  readonly value: string;
  readonly raw: string;
}

/**
 * A string with references in it, `"output/${model.arch}/x"`: OmegaConf's string interpolation. Its value is the
 * text with each reference's value as Python's `str()` writes it. `parts` alternate text and references.
 */
export interface Template extends Node {
  readonly kind: "Template";
  readonly parts: readonly (string | Ref | EnvPart)[];
  /** The source text (a `.lv` string literal), or the text a YAML value reads as, quoted as a `.lv` string. */
  readonly raw: string;
}

/** `${oc.env:NAME}` in a template: an environment variable's text, or the default written after a comma. */
export interface EnvPart extends Node {
  readonly kind: "Env";
  readonly name: string;
  /** Text, null (`null`), or absent: then an unset variable is an error, as in OmegaConf. */
  readonly fallback?: string | null;
}

export interface IntLit extends Node {
  readonly kind: "IntLit";
  readonly value: number;
  readonly raw: string;
}

export interface FloatLit extends Node {
  readonly kind: "FloatLit";
  readonly value: number;
  readonly raw: string;
}

export interface BoolLit extends Node {
  readonly kind: "BoolLit";
  readonly value: boolean;
}

export interface NullLit extends Node {
  readonly kind: "NullLit";
}

export interface ListLit extends Node {
  readonly kind: "ListLit";
  readonly items: readonly Expr[];
}

export interface MapLit extends Node {
  readonly kind: "MapLit";
  readonly members: readonly Member[];
}

/** A name or dotted path: an enum/registry name or a reference to another key; the checker decides which by the expected type. */
export interface Ref extends Node {
  readonly kind: "Ref";
  readonly path: readonly Ident[];
  /** Written as `${a.b}` (OmegaConf interpolation syntax). */
  readonly interpolated: boolean;
}

/** A tagged map: `blip_image_train { image_size = 384 }` (a processor, or any value with a `name`). */
export interface ObjectLit extends Node {
  readonly kind: "ObjectLit";
  readonly tag: readonly Ident[];
  readonly members: readonly Member[];
}

export interface Unary extends Node {
  readonly kind: "Unary";
  readonly op: "-" | "not";
  readonly operand: Expr;
}

export type BinaryOperator = CompareOperator | "+" | "-" | "*" | "/" | "%" | "and" | "or";

export interface Binary extends Node {
  readonly kind: "Binary";
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface IsCheck extends Node {
  readonly kind: "IsCheck";
  readonly operand: Expr;
  readonly negated: boolean;
  readonly what: "set" | "null";
}

export interface InCheck extends Node {
  readonly kind: "InCheck";
  readonly operand: Expr;
  readonly negated: boolean;
  readonly collection: Expr;
}

export interface IfExpr extends Node {
  readonly kind: "IfExpr";
  readonly condition: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

export interface Paren extends Node {
  readonly kind: "Paren";
  readonly inner: Expr;
}

/** Stands in for a part the parser had to skip or insert during error recovery. */
export interface Missing extends Node {
  readonly kind: "Missing";
}

/** Members of any block-bearing node, for generic walks. */
export function membersOf(node: Declaration | Member | MapLit | ObjectLit): readonly Member[] {
  switch (node.kind) {
    case "ExperimentDecl":
    case "SchemaDecl":
    case "RegistryDecl":
    case "RecipeClause":
    case "TypeClause":
    case "Block":
    case "MapLit":
    case "ObjectLit":
      return node.members;
    case "ModelClause":
    case "DataClause":
      return node.members ?? [];
    default:
      return [];
  }
}

export const keyText = (k: KeyPath): string => k.segments.map((s) => s.name).join(".");
