import type { Alias, Document, Node as YNode } from "yaml";

// The node each alias of a document names. The `yaml` package's `Alias.resolve(doc)` walks the whole document on every
// call, so a file of many aliases took quadratic time (20,000 aliases: 25 s); one walk here serves them all.

/**
 * Every alias of `doc` with the node it names: the closest anchor of its name before it, as YAML says (an anchor may
 * be defined again; a later alias names the later node), or undefined when none comes before it.
 */
export function aliasTargets(doc: Document, y: typeof import("yaml")): Map<Alias, YNode | undefined> {
  const latest = new Map<string, YNode>();
  const targets = new Map<Alias, YNode | undefined>();
  // The same walk and order as `Alias.resolve`: a collection before its items, a key before its value.
  y.visit(doc, {
    Node: (_key, node) => {
      if (y.isAlias(node)) targets.set(node, latest.get(node.source));
      else if (typeof node.anchor === "string") latest.set(node.anchor, node);
    },
  });
  return targets;
}

/** Resolves aliases through one walk of the document, made when the first one is asked for. */
export class AliasResolver {
  private targets: Map<Alias, YNode | undefined> | null = null;

  constructor(
    private readonly doc: Document,
    private readonly y: typeof import("yaml"),
  ) {}

  /** The node `alias` names; an alias made after the walk (a copy) is resolved the `yaml` package's way. */
  target(alias: Alias): YNode | undefined {
    this.targets ??= aliasTargets(this.doc, this.y);
    return this.targets.has(alias) ? this.targets.get(alias) : (alias.resolve(this.doc) as YNode | undefined);
  }
}
