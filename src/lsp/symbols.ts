import type { DocumentSymbol, SymbolKind } from "vscode-languageserver";
import type { SourceSet, Span } from "../diagnostics/index.js";
import type * as A from "../syntax/ast.js";
import { keyText } from "../syntax/ast.js";
import type { CMap } from "../semantic/configTree.js";
import type { Analysis } from "./analysis.js";
import { rangeOf } from "./convert.js";

// Document symbols (the outline): in `.lv`, each declaration with its clauses and keys; in LAVIS YAML, the sections
// and their keys.

const KIND = { module: 2, class: 5, property: 7, field: 8, enum: 10, struct: 23, object: 19, key: 20 } as const satisfies Record<string, SymbolKind>;

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  if (a.format === "lv") return a.ast ? a.ast.declarations.map((d) => declarationSymbol(d, a.sources)) : [];
  return a.fileLayer ? mapSymbols(a.fileLayer, a, 0) : [];
}

function symbol(name: string, detail: string, kind: SymbolKind, span: Span, nameSpan: Span, sources: SourceSet, children: DocumentSymbol[] = []): DocumentSymbol {
  const range = rangeOf(span, sources);
  const selection = rangeOf(nameSpan.start >= span.start && nameSpan.end <= span.end ? nameSpan : span, sources);
  return { name: name || "(unnamed)", detail, kind, range, selectionRange: selection, children };
}

function declarationSymbol(d: A.Declaration, sources: SourceSet): DocumentSymbol {
  switch (d.kind) {
    case "ExperimentDecl": return symbol(d.name.name, "experiment", KIND.module, d.span, d.name.span, sources, membersSymbols(d.members, sources));
    case "SchemaDecl": return symbol(d.name.name, "schema", KIND.struct, d.span, d.name.span, sources, membersSymbols(d.members, sources));
    case "EnumDecl": return symbol(d.name.name, "enum", KIND.enum, d.span, d.name.span, sources);
    case "RegistryDecl": return symbol(d.name.name, d.registry, KIND.class, d.span, d.name.span, sources, membersSymbols(d.members, sources));
  }
}

function membersSymbols(members: readonly A.Member[], sources: SourceSet): DocumentSymbol[] {
  return members.flatMap((m): DocumentSymbol[] => {
    switch (m.kind) {
      case "TaskClause": return [symbol(`task ${m.name.name}`, "", KIND.property, m.span, m.name.span, sources)];
      case "ModelClause": {
        const name = `model ${m.arch.name}${m.modelType ? `(${m.modelType.name})` : ""}`;
        return [symbol(name, "", KIND.object, m.span, m.arch.span, sources, membersSymbols(m.members ?? [], sources))];
      }
      case "DataClause": {
        const name = `data ${m.builder.name}${m.dataType ? `(${m.dataType.name})` : ""}`;
        return [symbol(name, "", KIND.object, m.span, m.builder.span, sources, membersSymbols(m.members ?? [], sources))];
      }
      case "RecipeClause": return [symbol("recipe", "", KIND.object, m.span, m.span, sources, membersSymbols(m.members, sources))];
      case "TypeClause": return [symbol(`type ${m.name.name}`, "", KIND.object, m.span, m.name.span, sources, membersSymbols(m.members, sources))];
      case "Block": return [symbol(keyText(m.key), "", KIND.object, m.span, m.key.span, sources, membersSymbols(m.members, sources))];
      case "Assignment": return [symbol(keyText(m.key), "", KIND.property, m.span, m.key.span, sources)];
      case "FieldDecl": return [symbol(keyText(m.key), "field", KIND.field, m.span, m.key.span, sources)];
      case "SweepClause": return [symbol("sweep", "", KIND.object, m.span, m.span, sources)];
      case "Constraint": return [];
    }
  });
}

function mapSymbols(map: CMap, a: Analysis, depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const [key, node] of map.entries) {
    const keySpan = node.keySpan;
    if (!keySpan || keySpan.file !== a.path) continue;
    const end = node.span && node.span.file === a.path ? Math.max(node.span.end, keySpan.end) : keySpan.end;
    const span = { file: a.path, start: keySpan.start, end };
    const children = node.kind === "map" && depth < 4 ? mapSymbols(node, a, depth + 1) : [];
    out.push(symbol(key, "", node.kind === "map" ? KIND.object : KIND.key, span, keySpan, a.sources, children));
  }
  return out;
}
