import type { Callback, Test } from "uvu";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fashionMnistUnavailable } from "../../src/data/fashionMnist.js";
import { fromRoot } from "./repoRoot.js";

// "This test needs X", stated once per test. A test whose dependency is absent is registered as uvu's skip (the runner
// counts it) with a `SKIP:` line saying why; under CI (`CI=true`) a dependency that `.ci/run` installs is a failure
// instead, because its absence there means the install broke, not that the test cannot run.

export interface Requirement {
  /** What is needed, in words ("python3-omegaconf"). */
  readonly name: string;
  /** `.ci/run` installs it: under CI its absence fails the test rather than skipping it. */
  readonly installedByCi: boolean;
  /** Null when present; otherwise why not and how to get it. */
  missing(): string | null;
}

export function requirement(name: string, installedByCi: boolean, probe: () => string | null): Requirement {
  let result: string | null | undefined;
  return { name, installedByCi, missing: () => (result === undefined ? (result = probe()) : result) };
}

export const PYTHON = "/usr/bin/python3";

function pythonImports(modules: string, install: string): () => string | null {
  return () => {
    if (!existsSync(PYTHON)) return `${PYTHON} is not installed (${install})`;
    const r = spawnSync(PYTHON, ["-c", `import ${modules}`], { encoding: "utf8" });
    return r.status === 0 ? null : `${PYTHON} cannot import ${modules} (${install})`;
  };
}

/** Debian's python3 itself (the LAVIS preflight asks a checkout's Python about its model methods). */
export const PYTHON3 = requirement("python3", true, pythonImports("inspect", "apt-get install python3"));
/** Debian's python3-omegaconf: the real OmegaConf, the oracle for how LAVIS reads YAML. */
export const OMEGACONF = requirement("python3-omegaconf", true, pythonImports("omegaconf", "apt-get install python3-omegaconf"));
/** Debian's python3-torch (with numpy): the PyTorch peer. */
export const TORCH = requirement("python3-torch", true, pythonImports("torch, numpy", "apt-get install python3-torch"));
/** The `safetensors` Python package (not packaged by Debian, so never installed by CI). */
export const PY_SAFETENSORS = requirement("python safetensors", false, pythonImports("safetensors.torch", "pip install safetensors"));
/** Debian's dataset-fashion-mnist. */
export const FASHION_MNIST = requirement("dataset-fashion-mnist", true, () => {
  const why = fashionMnistUnavailable();
  return why && `${why} (apt-get install dataset-fashion-mnist)`;
});
/** Graphviz's `dot`, to render the DOT output. */
export const GRAPHVIZ = requirement("graphviz", true, () =>
  spawnSync("dot", ["-V"]).status === 0 ? null : "graphviz `dot` is not installed (apt-get install graphviz)",
);
/** Debian's chromium, headless: draws the report and plan plots the tests measure. */
export const CHROMIUM = requirement("chromium", true, () =>
  ["/usr/bin/chromium", "/usr/bin/chromium-browser", process.env["CHROMIUM"]].some((p) => p && existsSync(p)) ? null : "chromium is not installed (apt-get install chromium)",
);
/** Neovim (Debian's neovim), a real LSP client for `lavisc lsp`. */
export const NEOVIM = requirement("neovim", true, () =>
  spawnSync("nvim", ["--version"]).status === 0 ? null : "nvim is not installed (apt-get install neovim)",
);
/** Debian's wabt (`wat2wasm`): rebuilds lavisc's own wasm SIMD modules from their .wat sources. */
export const WABT = requirement("wabt", true, () =>
  spawnSync("wat2wasm", ["--version"]).status === 0 ? null : "wat2wasm is not installed (apt-get install wabt)",
);
/** The LAVIS corpus, its oracle and the peer merge beside the repository (../shared). Absent in CI by design. */
export const LAVIS_CORPUS = requirement("the LAVIS corpus in ../shared", false, () => {
  const shared = fromRoot("..", "shared");
  const needed = [join("lavis-configs", "projects"), join("lavis-configs", "resolved"), join("lavis-configs", "registry.json"), join("peer", "lavis_merge.py")];
  const absent = needed.filter((p) => !existsSync(join(shared, p)));
  return absent.length ? `${shared}/${absent[0]} not found` : null;
});

/** The two LAVIS-based repositories of ../shared/fork-configs (TimeChat, VIGC). Absent in CI by design. */
export const FORK_CONFIGS = requirement("the fork repositories in ../shared", false, () => {
  const forks = fromRoot("..", "shared", "fork-configs");
  const absent = ["TimeChat", "VIGC"].filter((f) => !existsSync(join(forks, f)));
  return absent.length ? `${forks}/${absent[0]} not found` : null;
});

export const underCi = (): boolean => /^(?:true|1)$/i.test(process.env["CI"] ?? "");

/** Why the requirements are not met (the first unmet one), or null when all are. */
export function unmet(...reqs: readonly Requirement[]): { req: Requirement; why: string } | null {
  for (const req of reqs) {
    const why = req.missing();
    if (why) return { req, why };
  }
  return null;
}

/**
 * True when every requirement is met. Otherwise registers `name` on `t` as a skipped test (printing why), or under CI
 * as a failing one when `.ci/run` should have installed what is missing, and returns false.
 */
export function available(t: Test, name: string, ...reqs: readonly Requirement[]): boolean {
  const u = unmet(...reqs);
  if (!u) return true;
  if (u.req.installedByCi && underCi()) {
    t(name, () => {
      throw new Error(`${u.why}: .ci/run installs ${u.req.name}, so under CI its absence is a failure, not a skip`);
    });
  } else {
    console.log(`SKIP: ${name}: ${u.why}`);
    t.skip(name, () => undefined);
  }
  return false;
}

/** `t` for tests that need `reqs`: `const withTorch = testWith(t, TORCH); withTorch("...", () => ...)`. */
export function testWith(t: Test, ...reqs: readonly Requirement[]): (name: string, fn: Callback) => void {
  return (name, fn) => {
    if (available(t, name, ...reqs)) t(name, fn);
  };
}
