import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";

// The catalog of configuration mistakes LAVIS users reported (test/conformance/reported/): one YAML file per mistake,
// its header saying where it was reported, what LAVIS did, how lavisc catches it and with what; `<name>.fixed.yaml`
// is the corrected version. Header lines are `# Key: value`.

export const REPORTED_DIR = fromRoot("test", "conformance", "reported");

export type CaughtBy = "check" | "preflight" | "prevented" | "no";

export interface ReportedCase {
  readonly name: string;
  readonly file: string;
  readonly fixed: string | null;
  readonly reported: string;
  readonly mistake: string;
  readonly lavis: string;
  readonly from: string;
  readonly caught: CaughtBy;
  /** Why not, for `prevented` and `no`. */
  readonly caughtNote: string;
  /** Diagnostics `check` must report: code and path. */
  readonly expect: readonly { readonly code: string; readonly path: string }[];
  /** Patterns a preflight problem must match. */
  readonly expectPreflight: readonly RegExp[];
}

export interface PreflightSetup {
  readonly cacheRoot: string | null;
  readonly files: readonly string[];
  readonly model: string | null;
}

function header(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^# ([A-Z][\w-]*): (.*)$/.exec(line);
    if (!m) {
      if (line.startsWith("#")) continue;
      break;
    }
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

export function reportedCases(): ReportedCase[] {
  return readdirSync(REPORTED_DIR).filter((n) => n.endsWith(".yaml") && !n.endsWith(".fixed.yaml")).sort().map((n) => {
    const file = join(REPORTED_DIR, n);
    const h = header(readFileSync(file, "utf8"));
    const one = (k: string) => h.get(k)?.[0] ?? "";
    const caughtText = one("Caught");
    const caught = (caughtText.split(" ")[0] ?? "no") as CaughtBy;
    const fixed = join(REPORTED_DIR, n.replace(/\.yaml$/, ".fixed.yaml"));
    return {
      name: n.replace(/\.yaml$/, ""),
      file,
      fixed: existsSync(fixed) ? fixed : null,
      reported: one("Reported"),
      mistake: one("Mistake"),
      lavis: one("LAVIS"),
      from: one("From"),
      caught,
      caughtNote: caughtText.replace(/^\w+\s*/, "").replace(/^\((.*)\)$/, "$1"),
      expect: (h.get("Expect") ?? []).map((e) => {
        const [code, path] = e.split(/\s+/);
        return { code: code!, path: path! };
      }),
      expectPreflight: (h.get("Expect-preflight") ?? []).map((r) => new RegExp(r)),
    };
  });
}

export function preflightSetup(file: string): PreflightSetup {
  const h = header(readFileSync(file, "utf8"));
  return { cacheRoot: h.get("Preflight-cache-root")?.[0] ?? null, files: h.get("Preflight-file") ?? [], model: h.get("Preflight-model")?.[0] ?? null };
}

/**
 * A stand-in LAVIS checkout for a preflight case: lavis/configs/default.yaml with the case's cache_root (a fresh
 * writable folder unless given), the files and folders the case says exist, and, for `Preflight-model:
 * arch.method(params)`, a `lavis` package registering a model class with that method signature.
 */
export function standInLavis(setup: PreflightSetup): { lavisRoot: string; cacheRoot: string } {
  const lavisRoot = mkdtempSync(join(tmpdir(), "lavisc-preflight-"));
  const cacheRoot = setup.cacheRoot?.replace("<lavis>", lavisRoot) ?? join(lavisRoot, "cache");
  mkdirSync(join(lavisRoot, "lavis", "configs"), { recursive: true });
  writeFileSync(join(lavisRoot, "lavis", "configs", "default.yaml"), `env:\n  cache_root: "${cacheRoot}"\n`);
  if (!setup.cacheRoot) mkdirSync(cacheRoot, { recursive: true });
  for (const f of setup.files) {
    const path = f.replace("<cache>", cacheRoot).replace("<lavis>", lavisRoot);
    if (path.endsWith("/")) mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, "[]");
    }
  }
  const m = setup.model ? /^(\w+)\.(\w+)\((.*)\)$/.exec(setup.model) : null;
  if (m) {
    const [, arch, method, params] = m;
    mkdirSync(join(lavisRoot, "lavis", "common"), { recursive: true });
    mkdirSync(join(lavisRoot, "lavis", "models"), { recursive: true });
    writeFileSync(join(lavisRoot, "lavis", "__init__.py"), "");
    writeFileSync(join(lavisRoot, "lavis", "common", "__init__.py"), "");
    writeFileSync(join(lavisRoot, "lavis", "common", "registry.py"), [
      "class _Registry:",
      "    def __init__(self):",
      "        self.models = {}",
      "    def register_model(self, name):",
      "        def wrap(cls):",
      "            self.models[name] = cls",
      "            return cls",
      "        return wrap",
      "    def get_model_class(self, name):",
      "        return self.models.get(name)",
      "registry = _Registry()",
      "",
    ].join("\n"));
    writeFileSync(join(lavisRoot, "lavis", "models", "__init__.py"), [
      "from lavis.common.registry import registry",
      `@registry.register_model("${arch}")`,
      "class StandIn:",
      `    def ${method}(${params}):`,
      "        return None",
      "",
    ].join("\n"));
  }
  return { lavisRoot, cacheRoot };
}
