// What decides a project's result, as one sha256: its lowered run spec (every resolved setting, dataset and weights
// location), the generator version and parameters of the built-in data it reads, and the digests of the projects
// whose checkpoints it loads. Code changes are not in it: rerun with --force after changing the runtime.
import { createHash } from "node:crypto";
import { datasetForRun, defaultDataRoot } from "../data/index.js";
import type { RunSpec } from "../runtime/runSpec.js";

export function inputsDigest(spec: RunSpec, dependencies: readonly string[] = [], dataRoot = defaultDataRoot()): string {
  const data = [...new Set(spec.datasets.flatMap((d) => (d.prepare ? [d.prepare] : [])))].sort().map((name) => {
    const m = datasetForRun(name, dataRoot).manifest;
    return { name, generatorVersion: m.generatorVersion, params: m.params };
  });
  const { outputDir: _outputDir, ...rest } = spec;
  const h = createHash("sha256");
  h.update(JSON.stringify({ spec: rest, data, dependencies }));
  return h.digest("hex");
}
