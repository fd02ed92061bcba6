import { closeSync, openSync, readSync } from "node:fs";
import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { Registry, bindEnum, bindSchemas, bindEntry, type EntryInfo } from "../semantic/registry.js";
import type { LazyMap } from "../semantic/lazyMap.js";
import { recipeIndex, recipeIndexFromJson, recipeIndexToJson, seedRecipeIndex, type RecipeIndexJson } from "../semantic/recipeEntries.js";

// The precompiled stdlib: what `stdlib/*.lv` declares, serialized at build time so that a cold check neither loads the
// parser nor parses 240 kB of `.lv`. One file: a decimal byte length and a newline, a header of that length (JSON:
// the sources' key, the stdlib's diagnostics, its schemas and enums, and an index of the registry entries), then every
// entry's declarations as JSON. Schemas and enums (read by every check) are bound at load; an entry is read from the
// file, decoded and bound the first time a check reads it (archs, builders and processors are most of the stdlib,
// and a check names a few), so a cold check reads about a tenth of the file. What every check derives from all
// the tasks, schedulers and runners (the run keys each reads) is in the header too, computed at build time.

const FORMAT = 2;

interface Header {
  readonly format: number;
  readonly key: string;
  readonly diagnostics: Diagnostic[];
  readonly schemas: A.SchemaDecl[];
  readonly enums: A.EnumDecl[];
  /** Registry kind → [entry name, byte offset in the body, byte length of its declarations' JSON], in declaration order. */
  readonly index: Record<A.RegistryKind, [string, number, number][]>;
  /** Which run keys the stdlib's tasks, schedulers and runners read and declare (semantic/recipeEntries.ts). */
  readonly recipeIndex: RecipeIndexJson;
}

/** The image text for the parsed stdlib files (in file order), their diagnostics and the registry bound from them. */
export function writeStdlibImage(key: string, files: readonly A.File[], diagnostics: readonly Diagnostic[], registry: Registry): string {
  const decls = files.flatMap((f) => f.declarations);
  const byEntry = new Map<string, A.RegistryDecl[]>();
  for (const d of decls) {
    if (d.kind !== "RegistryDecl") continue;
    const id = `${d.registry}\u0000${d.name.name}`;
    byEntry.set(id, [...(byEntry.get(id) ?? []), d]);
  }
  const index: Header["index"] = { arch: [], builder: [], processor: [], task: [], scheduler: [], runner: [] };
  const body: string[] = [];
  let offset = 0;
  for (const [id, list] of byEntry) {
    const [kind, name] = id.split("\u0000") as [A.RegistryKind, string];
    const json = JSON.stringify(list);
    const bytes = Buffer.byteLength(json);
    index[kind].push([name, offset, bytes]);
    body.push(json);
    offset += bytes;
  }
  const header: Header = {
    format: FORMAT,
    key,
    diagnostics: [...diagnostics],
    schemas: decls.filter((d): d is A.SchemaDecl => d.kind === "SchemaDecl"),
    enums: decls.filter((d): d is A.EnumDecl => d.kind === "EnumDecl"),
    index,
    recipeIndex: recipeIndexToJson(recipeIndex(registry)),
  };
  const head = JSON.stringify(header);
  return `${Buffer.byteLength(head)}\n${head}${body.join("")}`;
}

/** The registry of an image written for `key`, or null when the image is missing, of another format, or stale. */
export function readStdlibImage(path: string, key: string): { registry: Registry; diagnostics: Diagnostic[] } | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  let header: Header;
  let bodyStart: number;
  try {
    const first = Buffer.alloc(32);
    const got = readSync(fd, first, 0, first.length, 0);
    const newline = first.subarray(0, got).indexOf(10);
    const length = Number(first.subarray(0, newline).toString("latin1"));
    if (newline < 0 || !Number.isInteger(length)) throw new Error("not an image");
    header = JSON.parse(readBytes(fd, newline + 1, length)) as Header;
    bodyStart = newline + 1 + length;
  } catch {
    closeSync(fd);
    return null;
  }
  if (header.format !== FORMAT || header.key !== key) {
    closeSync(fd);
    return null;
  }
  // The descriptor stays open for the process's life: entries are read when first used.
  const registry = new Registry();
  const ignored: Diagnostic[] = []; // binding problems were found at build time and are in the header
  for (const e of header.enums) bindEnum(registry, e, ignored);
  bindSchemas(registry, header.schemas, ignored);
  for (const [kind, entries] of Object.entries(header.index) as [A.RegistryKind, Header["index"][A.RegistryKind]][]) {
    const table = registry.entries[kind] as LazyMap<string, EntryInfo>;
    for (const [name, at, length] of entries) {
      table.defer(name, () => {
        const decls = JSON.parse(readBytes(fd, bodyStart + at, length)) as A.RegistryDecl[];
        let entry: EntryInfo | undefined;
        for (const d of decls) entry = bindEntry(registry, d, entry, ignored);
        return entry!;
      });
    }
  }
  seedRecipeIndex(registry, recipeIndexFromJson(header.recipeIndex));
  return { registry, diagnostics: header.diagnostics };
}

function readBytes(fd: number, position: number, length: number): string {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new Error("the stdlib image is truncated");
    done += n;
  }
  return buf.toString("utf8");
}
