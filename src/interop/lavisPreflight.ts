import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { toPlain, type CMap } from "../semantic/configTree.js";
import type { Registry } from "../semantic/registry.js";
import { blockOf, memberOf, namesOf } from "../checker/rules/contractData.js";
import { shadowedLocalUrl, shadowedUrlMessage } from "../runtime/data/shadowedUrl.js";

// Checks before handing an experiment to LAVIS that depend on the machine and the LAVIS checkout, so `check` cannot
// make them: where LAVIS's cache_root is, whether the files a run reads are there, and whether the installed LAVIS's
// model methods take what its task passes. Each finding says what LAVIS would do and what to do instead.

export interface PreflightProblem {
  readonly message: string;
  readonly fix: string;
}

type Plain = Record<string, unknown>;
const asMap = (v: unknown): Plain | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Plain) : null);
const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const isUrl = (s: string) => /^[a-z]+:\/\//i.test(s);

/** LAVIS's cache_root: env.cache_root of lavis/configs/default.yaml, joined to the repository root (lavis/__init__.py). Null when unknown. */
export function lavisCacheRoot(lavisRoot: string): string | null {
  const file = join(lavisRoot, "lavis", "configs", "default.yaml");
  if (!existsSync(file)) return null;
  try {
    const root = asMap(asMap(parseYaml(readFileSync(file, "utf8")))?.["env"])?.["cache_root"];
    return typeof root === "string" ? (isAbsolute(root) ? root : join(lavisRoot, root)) : null;
  } catch {
    return null;
  }
}

/** A directory LAVIS will create, or its nearest existing parent: can this user write there? */
function creatable(dir: string): boolean {
  let d = dir;
  while (!existsSync(d)) {
    const up = dirname(d);
    if (up === d) return false;
    d = up;
  }
  try {
    if (!statSync(d).isDirectory()) return false;
    accessSync(d, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PreflightInput {
  readonly root: CMap;
  readonly registry: Registry;
  readonly lavisRoot: string;
  readonly python: string;
}

export function preflightLavis(input: PreflightInput): PreflightProblem[] {
  const cfg = asMap(toPlain(input.root)) ?? {};
  const cacheRoot = lavisCacheRoot(input.lavisRoot);
  return [
    ...cacheRootProblems(cacheRoot),
    ...datasetFileProblems(asMap(cfg["datasets"]) ?? {}, cacheRoot),
    ...languageModelProblems(asMap(cfg["model"]) ?? {}, input),
    ...methodProblems(cfg, input),
  ];
}

/** LAVIS#703, LAVIS#110: the shipped default.yaml points cache_root at an internal /export path. */
function cacheRootProblems(cacheRoot: string | null): PreflightProblem[] {
  if (!cacheRoot || creatable(cacheRoot)) return [];
  return [{
    message: `LAVIS's cache_root is ${cacheRoot}, which cannot be created here; LAVIS downloads annotations and reads relative storage paths under it`,
    fix: "set env.cache_root in lavis/configs/default.yaml to a writable folder (the shipped value is an internal path of its authors)",
  }];
}

/** LAVIS#24 (annotation url neither a URL nor a local file, when the storage file is missing), LAVIS#110 and LAVIS#648 (media folder missing). */
function datasetFileProblems(datasets: Plain, cacheRoot: string | null): PreflightProblem[] {
  const out: PreflightProblem[] = [];
  const under = (p: string) => (isAbsolute(p) ? p : cacheRoot ? join(cacheRoot, p) : null);
  for (const [name, raw] of Object.entries(datasets)) {
    const ds = asMap(raw);
    const info = asMap(ds?.["build_info"]);
    if (!ds || !info) continue;
    for (const [split, a] of Object.entries(asMap(info["annotations"]) ?? {})) {
      const ann = asMap(a);
      const urls = strings(ann?.["url"]);
      const storage = strings(ann?.["storage"]);
      storage.forEach((s, i) => {
        const path = under(s);
        const url = urls[i];
        if (path && url && shadowedLocalUrl(url, path)) {
          out.push({
            message: `datasets.${name}: annotation ${s} (split ${split}) exists at ${path}, and ${shadowedUrlMessage(url, path)}`,
            fix: `move ${path} away so that LAVIS copies ${url} there, or give the url's file a storage name of its own`,
          });
          return;
        }
        if (!path || existsSync(path) || !url || isUrl(url) || existsSync(url)) return;
        out.push({
          message: `datasets.${name}: annotation ${s} (split ${split}) is not under cache_root, and its url ${url} is neither a URL nor a file here, so LAVIS cannot fetch it ("unknown url type")`,
          fix: `put the file at ${path}, or set the url to where it is`,
        });
      });
    }
    for (const type of strings(ds["data_type"])) {
      const media = strings(asMap(info[type])?.["storage"]);
      for (const m of media) {
        const path = under(m);
        if (!path || existsSync(path)) continue;
        out.push({
          message: `datasets.${name}: the ${type} folder ${path} does not exist; LAVIS only warns, then every sample fails to load (FileNotFoundError, or "'NoneType' object is not iterable" when batches are collated)`,
          fix: `download the ${type} to ${path}, or set build_info.${type}.storage to where they are`,
        });
      }
    }
  }
  return out;
}

/** LAVIS#313: a language model named by a local folder (the shipped "./llm/vicuna-7b") that does not exist. */
function languageModelProblems(model: Plain, input: PreflightInput): PreflightProblem[] {
  const arch = typeof model["arch"] === "string" ? model["arch"] : "";
  const key = namesOf(memberOf(blockOf(input.registry.archs.get(arch), "language_model"), "key"))?.[0];
  const value = key ? model[key] : undefined;
  if (!key || typeof value !== "string" || value === "") return [];
  const written = /^(\.{1,2}\/|\/|~)/.test(value);
  // from_pretrained reads a folder of that name if there is one, else a Hub id; a value that cannot be an id (two
  // `/`, a trailing `/`, blanks: MiniGPT-4#308, Video-LLaMA#76) is a folder the user meant, whatever its spelling.
  if (!written && canBeHubId(value)) return [];
  const path = isAbsolute(value) ? value : join(input.lavisRoot, value);
  if (existsSync(path)) return [];
  const what = written ? "a local folder that does not exist here" : "not a Hugging Face id (`namespace/name`), and no folder of that name exists here";
  return [{
    message: `model.${key} is ${value}, ${what} (${path}); from_pretrained then fails with "Repo id must be in the form 'repo_name' or 'namespace/repo_name'"`,
    fix: `download the weights to ${path}, or set model.${key} to a Hugging Face id or another folder`,
  }];
}

/** huggingface_hub's validate_repo_id, which from_pretrained applies to a name that is not a folder. */
export function canBeHubId(value: string): boolean {
  return /^(?:\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/.test(value) && !value.includes("--") && !value.includes("..") && !value.endsWith(".git");
}

/**
 * LAVIS#625: the installed LAVIS's model method does not take what the task passes (CaptionTask passes length_penalty
 * and temperature, which BlipCaption.generate of some versions lacks). Asks the checkout's own Python; skipped when
 * LAVIS cannot be imported there.
 */
function methodProblems(cfg: Plain, input: PreflightInput): PreflightProblem[] {
  const task = asMap(cfg["run"])?.["task"];
  const arch = asMap(cfg["model"])?.["arch"];
  if (typeof task !== "string" || typeof arch !== "string") return [];
  const ev = blockOf(input.registry.tasks.get(task), "evaluation");
  const method = namesOf(memberOf(ev, "calls"))?.[0];
  const passes = namesOf(memberOf(ev, "passes"));
  if (!method || method === "none" || !passes?.length) return [];
  const script = [
    "import inspect, json, sys",
    "try:",
    "    from lavis.common.registry import registry",
    "    import lavis.models",
    "except Exception as e:",
    "    print(json.dumps({'skip': str(e)})); sys.exit(0)",
    "cls = registry.get_model_class(sys.argv[1])",
    "fn = getattr(cls, sys.argv[2], None) if cls else None",
    "if fn is None:",
    "    print(json.dumps({'missing': True})); sys.exit(0)",
    "ps = inspect.signature(fn).parameters",
    "if any(p.kind == p.VAR_KEYWORD for p in ps.values()):",
    "    print(json.dumps({'rejects': []})); sys.exit(0)",
    "print(json.dumps({'rejects': [a for a in sys.argv[3:] if a not in ps], 'file': inspect.getsourcefile(fn)}))",
  ].join("\n");
  const r = spawnSync(input.python, ["-c", script, arch, method, ...passes], { cwd: input.lavisRoot, encoding: "utf8", timeout: 120_000 });
  let answer: { skip?: string; missing?: boolean; rejects?: string[]; file?: string } = {};
  try {
    answer = JSON.parse((r.stdout ?? "").trim().split("\n").pop() ?? "{}");
  } catch {
    return [];
  }
  if (answer.missing) {
    return [{ message: `the installed LAVIS's ${arch} has no ${method}, which task ${task} calls to evaluate`, fix: "use an architecture that evaluates this task, or train without validation and test splits" }];
  }
  if (!answer.rejects?.length) return [];
  return [{
    message: `task ${task} calls ${arch}.${method}(..., ${answer.rejects.map((a) => `${a}=...`).join(", ")}), which the installed LAVIS's ${method} does not accept (${answer.file ?? "?"}): "got an unexpected keyword argument '${answer.rejects[0]}'" at the first evaluation`,
    fix: `update LAVIS, or add **kwargs to ${method} in ${answer.file ?? "the model"}`,
  }];
}
