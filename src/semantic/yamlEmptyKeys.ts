import type { CST } from "yaml";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { tokensAsPyYaml } from "./yamlFlowIndent.js";

// A mapping entry with nothing before its `:` (`: 1`, `{: 1}`, `[: 1]`) has an empty key to the `yaml` package, but
// PyYAML's parser needs a key there and stops OmegaConf's loader ("expected <block end>, but found ':'", in a flow
// collection "expected the node content, but found ':'"). After `?`, the tag `!` or an anchor the key is an empty
// node, which PyYAML resolves to None and OmegaConf refuses (KeyValidationError); `!!str` makes it the text "", which
// loads. lavisc reports both (LV1008) instead of reading a key "".
//
// The `yaml` package gives the tag or anchor of a nested mapping's empty first key (`a:\n  !!str : 1`) to the mapping;
// PyYAML gives properties on the key's line to the key, as for any key. So properties are found on the line.

/** Where a `:` with no key stands: in a block mapping or inside a flow collection (PyYAML's messages differ). */
type KeylessColons = ReadonlyMap<number, "block" | "flow">;

/** The offsets of the `:`s that start an entry with no key, no `?` and no tag or anchor before them. */
export function keylessColons(text: string, lib: typeof import("yaml")): KeylessColons {
  const found = new Map<number, "block" | "flow">();
  for (const token of tokensAsPyYaml(lib, text)) {
    if (token.type !== "document") continue;
    lib.CST.visit(token, (item, path) => {
      const colon = keylessColon(item, text);
      if (colon !== null) found.set(colon, lib.CST.visit.parentCollection(token, path).type === "flow-collection" ? "flow" : "block");
    });
  }
  return found;
}

function keylessColon(item: CST.CollectionItem, text: string): number | null {
  if (item.key != null || !item.sep) return null;
  const marked = item.start.some((t) => t.type === "explicit-key-ind" || t.type === "anchor" || t.type === "tag");
  const colon = item.sep.find((t) => t.type === "map-value-ind");
  return marked || !colon || propertiesBefore(text, colon.offset).length ? null : colon.offset;
}

/** The tags and anchors (`!!str`, `&x`) that stand right before the `:` at `colon`, on its line. */
export function propertiesBefore(text: string, colon: number): string[] {
  const words = text.slice(text.lastIndexOf("\n", colon - 1) + 1, colon).trim().split(/ +/);
  const properties: string[] = [];
  for (let i = words.length - 1; i >= 0 && (words[i]![0] === "!" || words[i]![0] === "&"); i--) properties.push(words[i]!);
  return properties;
}

/**
 * LV1008 for an empty plain key, untagged or tagged `!` (`colon` is where it is keyless, from keylessColons, else
 * undefined: then `?`, the tag or an anchor stands before it).
 */
export function emptyKeyProblem(at: Span | null, colon: "block" | "flow" | undefined, path: readonly string[]): Diagnostic {
  const where = { path: path.join(".") };
  if (colon) {
    const found = colon === "block" ? "expected <block end>, but found ':'" : "expected the node content, but found ':'";
    const span = at && { ...at, end: at.start + 1 };
    return diag("LV1008", span, { detail: `a \`:\` with no key before it: OmegaConf's loader (PyYAML) stops on it ("${found}"); write the key, or \`"":\` for the empty text` }, where);
  }
  return diag("LV1008", at, { detail: "an empty key after `?`, the tag `!` or an anchor is None to OmegaConf's loader (PyYAML), and OmegaConf refuses a None key (KeyValidationError); write the key, or `\"\"` for the empty text" }, where);
}
