import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";
import { PYTHON } from "../harness/requires.js";
import type { FileReader } from "../../src/index.js";
import type { TypedJson } from "../../src/interop/configCompare.js";

// Shared by the interop tests: the LAVIS corpus and peer in ../shared, and the real OmegaConf through /usr/bin/python3.

export const sharedDir = fromRoot("..", "shared");
export const corpusRoot = join(sharedDir, "lavis-configs");
export const peerDir = join(sharedDir, "peer");

/** Runs test/interop/omegaconfLoad.py: `load` reads each file with OmegaConf, `merge` runs LAVIS's merge (the peer). */
export function omegaConf(mode: "load" | "merge", files: readonly string[]): Record<string, TypedJson> {
  const script = fromRoot("test", "interop", "omegaconfLoad.py");
  const args = mode === "merge" ? [script, "merge", peerDir, corpusRoot, ...files] : [script, "load", ...files];
  const r = spawnSync(PYTHON, args, { encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`omegaconfLoad.py ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, TypedJson>;
}

/** LAVIS's merge of each project file with its `--options` (the peer's build_config), by absolute file path. */
export function omegaConfWithOptions(cases: readonly { readonly file: string; readonly options: readonly string[] }[]): Record<string, TypedJson> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-options-"));
  try {
    const list = join(dir, "cases.json");
    writeFileSync(list, JSON.stringify(cases.map((c) => [c.file, c.options])));
    const r = spawnSync(PYTHON, [fromRoot("test", "interop", "omegaconfLoad.py"), "merge-options", peerDir, corpusRoot, list], { encoding: "utf8", maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`omegaconfLoad.py merge-options failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, TypedJson>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every project YAML of the corpus, sorted (the order the peer uses). */
export function corpusProjects(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".yaml")) out.push(p);
    }
  };
  walk(join(corpusRoot, "projects"));
  return out.sort();
}

/** A reader that sees `extra` files (in memory) over the real file system. */
export function overlayReader(base: FileReader, extra: ReadonlyMap<string, string>): FileReader {
  return {
    readFile: (p) => extra.get(p) ?? base.readFile(p),
    exists: (p) => extra.has(p) || base.exists(p),
  };
}

/** The typed JSON without one top-level key (LAVIS re-reads `preprocess`; export never writes it). */
export function withoutKey(v: TypedJson, key: string): TypedJson {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, TypedJson> = {};
  for (const [k, x] of Object.entries(v)) if (k !== key) out[k] = x;
  return out;
}
