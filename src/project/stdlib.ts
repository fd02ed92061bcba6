import { readdirSync, readFileSync, statSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../syntax/parse.js";
import type { File } from "../syntax/ast.js";
import { SourceFile, type Diagnostic } from "../diagnostics/index.js";
import { buildRegistry, type Registry } from "../semantic/registry.js";
import { writeFileAtomic } from "../storage/index.js";
import { packageRoot, stdlibDir } from "./paths.js";

export interface Stdlib {
  readonly files: readonly File[];
  readonly sources: readonly SourceFile[];
  readonly registry: Registry;
  /** Problems in the stdlib itself (a bug in lavisc, shown so it cannot hide). */
  readonly diagnostics: readonly Diagnostic[];
}

interface Cache {
  readonly key: string;
  readonly files: File[];
  readonly diagnostics: Diagnostic[];
}

let cached: Stdlib | undefined;

/** The stdlib's files are named `stdlib/<file>.lv` in spans and messages, wherever lavisc is installed. */
const logical = (name: string) => `stdlib/${name}`;

function cachePath(): string {
  return join(packageRoot(), "dist", "stdlib.cache.json");
}

/** Identity of the stdlib sources: folder, names, sizes and modification times. */
function sourceKey(dir: string, names: readonly string[]): string {
  return dir + "|" + names.map((n) => {
    const st = statSync(join(dir, n));
    return `${n}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  }).join("|");
}

/**
 * Parses and binds `stdlib/*.lv` once per process. The parsed ASTs are cached as JSON next to the build (written by
 * `npm run build`, refreshed whenever a stdlib file changes), which turns ~1 s of cold parsing into ~30 ms of JSON.parse.
 */
export function loadStdlib(): Stdlib {
  if (cached) return cached;
  const dir = stdlibDir();
  const names = readdirSync(dir).filter((n) => n.endsWith(".lv")).sort();
  const key = sourceKey(dir, names);
  const sources = names.map((n) => new SourceFile(logical(n), () => readFileSync(join(dir, n), "utf8")));
  // Only the package's own stdlib is cached; a copy named by $LAVISC_STDLIB is parsed each time.
  const own = dir === join(packageRoot(), "stdlib");
  let cache = own ? readCache(key) : null;
  if (!cache) {
    cache = parseAll(dir, names, key);
    if (own) try {
      mkdirSync(join(packageRoot(), "dist"), { recursive: true });
      writeFileAtomic(cachePath(), JSON.stringify(cache));
    } catch {
      /* a read-only install parses each time; still correct */
    }
  }
  const registry = buildRegistry(cache.files);
  cached = { files: cache.files, sources, registry, diagnostics: [...cache.diagnostics, ...registry.diagnostics] };
  return cached;
}

function readCache(key: string): Cache | null {
  try {
    const c = JSON.parse(readFileSync(cachePath(), "utf8")) as Cache;
    return c.key === key ? c : null;
  } catch {
    return null;
  }
}

export function parseAll(dir: string, names: readonly string[], key: string): Cache {
  const files: File[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const n of names) {
    const r = parse(readFileSync(join(dir, n), "utf8"), logical(n));
    files.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  return { key, files, diagnostics };
}

/** Writes the cache now (the build runs this, so the first `lavisc check` is already fast). */
export function refreshStdlibCache(): void {
  const dir = stdlibDir();
  const names = readdirSync(dir).filter((n) => n.endsWith(".lv")).sort();
  mkdirSync(join(packageRoot(), "dist"), { recursive: true });
  writeFileAtomic(cachePath(), JSON.stringify(parseAll(dir, names, sourceKey(dir, names))));
}
