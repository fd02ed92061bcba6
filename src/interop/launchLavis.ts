import { spawnSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import type { Host } from "../cli/host.js";
import type { CheckResult } from "../index.js";
import { ExitCode } from "../cli/exitCodes.js";
import { checkExported, reportExportedErrors } from "./exportedCheck.js";
import { exportYaml } from "./exportYaml.js";
import { preflightLavis } from "./lavisPreflight.js";

export interface LaunchOptions {
  readonly nprocPerNode?: number;
  readonly nnodes?: number;
  readonly nodeRank?: number;
  readonly masterAddr?: string;
  readonly masterPort?: number;
  readonly lavisRoot?: string;
  readonly python?: string;
  readonly dryRun?: boolean;
  /** Extra arguments for torch.distributed.run, before the script (e.g. `--redirects=1`). */
  readonly torchrunArg?: readonly string[];
}

/** Quotes an argument for a POSIX shell, so the printed command can be pasted. */
export const shq = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/**
 * Scale-out through LAVIS: exports the checked experiment as LAVIS YAML (every value explicit) and launches LAVIS's
 * `train.py` (or `evaluate.py` when `evaluate` is set) under `python -m torch.distributed.run`, passing its exit
 * status through. `--dry-run` prints the command instead. A missing python, torch or LAVIS checkout is a clear error,
 * and so is anything the preflight (lavisPreflight.ts) finds that would make LAVIS fail once started.
 */
export async function launchLavis(host: Host, path: string, checked: CheckResult, o: LaunchOptions): Promise<number> {
  const root = checked.resolved!.root;
  const lavisRoot = resolve(host.cwd, o.lavisRoot ?? host.env.LAVIS_ROOT ?? ".");
  const evaluate = (() => {
    const run = root.entries.get("run");
    const e = run?.kind === "map" ? run.entries.get("evaluate") : undefined;
    return e?.kind === "scalar" && e.value === true;
  })();
  const script = evaluate ? "evaluate.py" : "train.py";
  const outDir = join(lavisRoot, ".lavisc");
  // `sweep.lv#t03` (one trial of a sweep) exports as sweep_t03.yaml.
  const cfgPath = join(outDir, `${basename(path).replace(/\.(lv|ya?ml)(#(t\d+))?$/i, (_m, _e, _t, id?: string) => (id ? `_${id}` : ""))}.yaml`);
  const python = o.python ?? "python3";
  const args = ["-m", "torch.distributed.run", `--nproc_per_node=${o.nprocPerNode ?? 1}`];
  if (o.nnodes !== undefined) args.push(`--nnodes=${o.nnodes}`);
  if (o.nodeRank !== undefined) args.push(`--node_rank=${o.nodeRank}`);
  if (o.masterAddr) args.push(`--master_addr=${o.masterAddr}`);
  if (o.masterPort !== undefined) args.push(`--master_port=${o.masterPort}`);
  args.push(...(o.torchrunArg ?? []), script, "--cfg-path", cfgPath);
  const shown = [python, ...args].map(shq).join(" ");

  const yaml = exportYaml(checked.resolved!, path);
  const exported = checkExported(yaml, path, host);
  if (exported.errors.length) {
    reportExportedErrors(host, basename(path), exported, checked.resolved!);
    host.stderr("LAVIS was not started.\n");
    return ExitCode.Diagnostics;
  }
  if (o.dryRun) {
    host.stdout(`cd ${shq(lavisRoot)} && ${shown}\n`);
    return ExitCode.Ok;
  }

  // Preconditions, each with what to do.
  const py = spawnSync(python, ["-c", "import torch, sys; sys.stdout.write(torch.__version__)"], { encoding: "utf8" });
  if (py.error) {
    host.stderr(`error: cannot run \`${python}\` (${(py.error as NodeJS.ErrnoException).code ?? py.error.message}).\n  Install Python 3, or pass --python /path/to/python.\n`);
    return ExitCode.Diagnostics;
  }
  if (py.status !== 0) {
    host.stderr(`error: \`${python}\` cannot import torch.\n  Install PyTorch (pip install torch, or Debian's python3-torch), or pass --python for an environment that has it.\n`);
    return ExitCode.Diagnostics;
  }
  if (!existsSync(join(lavisRoot, script))) {
    host.stderr(`error: no LAVIS checkout at ${lavisRoot} (${script} is missing).\n  Pass --lavis-root DIR (or set LAVIS_ROOT) to a clone of https://github.com/salesforce/LAVIS.\n`);
    return ExitCode.Diagnostics;
  }
  const problems = preflightLavis({ root, registry: checked.resolved!.registry, lavisRoot, python });
  if (problems.length) {
    for (const p of problems) host.stderr(`error: ${p.message}.\n  ${p.fix[0]!.toUpperCase()}${p.fix.slice(1)}.\n`);
    host.stderr(`${problems.length} preflight problem${problems.length > 1 ? "s" : ""}; LAVIS was not started.\n`);
    return ExitCode.Diagnostics;
  }
  mkdirSync(outDir, { recursive: true });
  host.writeFileAtomic(cfgPath, yaml);
  host.stderr(`exported ${cfgPath}\n$ ${shown}\n`);
  return new Promise<number>((done) => {
    const child = spawn(python, args, { cwd: lavisRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...host.env } as NodeJS.ProcessEnv });
    child.stdout.on("data", (b: Buffer) => host.stdout(b.toString()));
    child.stderr.on("data", (b: Buffer) => host.stderr(b.toString()));
    child.on("error", (e) => {
      host.stderr(`error: ${e.message}\n`);
      done(ExitCode.Diagnostics);
    });
    child.on("close", (code, signal) => done(code ?? (signal ? 128 + 2 : ExitCode.Internal)));
  });
}
