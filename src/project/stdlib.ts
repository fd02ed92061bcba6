import { readdirSync, readFileSync, statSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../syntax/parse.js";
import type * as A from "../syntax/ast.js";
import { SourceFile, type Diagnostic } from "../diagnostics/index.js";
import { buildRegistry, type Registry } from "../semantic/registry.js";
import { writeFileAtomic } from "../storage/index.js";
import { packageRoot, stdlibDir } from "./paths.js";
import { readStdlibImage, writeStdlibImage } from "./stdlibImage.js";

export interface Stdlib {
  readonly sources: readonly SourceFile[];
  readonly registry: Registry;
  /** Problems in the stdlib itself (a bug in lavisc, shown so it cannot hide). */
  readonly diagnostics: readonly Diagnostic[];
}

let cached: Stdlib | undefined;

/** The stdlib's files are named `stdlib/<file>.lv` in spans and messages, wherever lavisc is installed. */
const logical = (name: string) => `stdlib/${name}`;

/** The precompiled stdlib, next to the build (`npm run build` writes it; refreshed when a stdlib file changes). */
export function stdlibImagePath(): string {
  return join(packageRoot(), "dist", "stdlib.image");
}

function stdlibNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith(".lv")).sort();
}

/** Identity of the stdlib sources: folder, names, sizes and modification times. */
function sourceKey(dir: string, names: readonly string[]): string {
  return dir + "|" + names.map((n) => {
    const st = statSync(join(dir, n));
    return `${n}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  }).join("|");
}

/**
 * The stdlib's registry, once per process. It comes from the precompiled image (the bound registry serialized at
 * build time, each entry decoded on first use), so a cold check reads a few kilobytes instead of parsing 240 kB of
 * `.lv`; when `stdlib/` changed since the build, it is parsed and the image rewritten.
 */
export function loadStdlib(): Stdlib {
  if (cached) return cached;
  const dir = stdlibDir();
  const names = stdlibNames(dir);
  const key = sourceKey(dir, names);
  const sources = names.map((n) => new SourceFile(logical(n), () => readFileSync(join(dir, n), "utf8")));
  // LAVISC_NO_STDLIB_IMAGE: parse the stdlib as if there were no image (the benchmark's cold-start comparison). Only
  // the package's own stdlib has an image; a copy named by $LAVISC_STDLIB is parsed each time.
  const noImage = !!process.env.LAVISC_NO_STDLIB_IMAGE || dir !== join(packageRoot(), "stdlib");
  let image = noImage ? null : readStdlibImage(stdlibImagePath(), key);
  if (!image) {
    const parsed = parseStdlib(dir, names);
    image = { registry: parsed.registry, diagnostics: parsed.diagnostics };
    try {
      if (!noImage) {
        mkdirSync(join(packageRoot(), "dist"), { recursive: true });
        writeFileAtomic(stdlibImagePath(), writeStdlibImage(key, parsed.files, parsed.diagnostics, parsed.registry));
      }
    } catch {
      /* a read-only install parses each time; still correct */
    }
  }
  cached = { sources, registry: image.registry, diagnostics: image.diagnostics };
  return cached;
}

/** Parses and binds every `stdlib/*.lv` file (the build does this once; so does a stale image). */
function parseStdlib(dir: string, names: readonly string[]): { files: A.File[]; registry: Registry; diagnostics: Diagnostic[] } {
  const files: A.File[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const n of names) {
    const r = parse(readFileSync(join(dir, n), "utf8"), logical(n));
    files.push(r.ast);
    diagnostics.push(...r.diagnostics);
  }
  const registry = buildRegistry(files);
  return { files, registry, diagnostics: [...diagnostics, ...registry.diagnostics] };
}

/** Writes the image now (the build runs this, so the first `lavisc check` is already fast). */
export function refreshStdlibImage(): void {
  const dir = stdlibDir();
  const names = stdlibNames(dir);
  const parsed = parseStdlib(dir, names);
  mkdirSync(join(packageRoot(), "dist"), { recursive: true });
  writeFileAtomic(stdlibImagePath(), writeStdlibImage(sourceKey(dir, names), parsed.files, parsed.diagnostics, parsed.registry));
}

/**
 * The stdlib plus extension files (a fork's registry module, `--stdlib-ext FILE`, a project's own declarations),
 * layered on top in order: their declarations add to or extend the stdlib's, as a later stdlib file would. The
 * stdlib's own registry is not changed (its lazy tables are forked), so a long-lived process keeps one stdlib.
 * `diagnostics` holds the problems of the extension files only.
 */
export function layerOnStdlib(std: Stdlib, files: readonly A.File[]): { registry: Registry; diagnostics: Diagnostic[] } {
  if (!files.length) return { registry: std.registry, diagnostics: [] };
  const registry = buildRegistry(files, std.registry);
  return { registry, diagnostics: registry.diagnostics };
}
