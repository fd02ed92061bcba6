// Runs `lavisc run PROJECT` as a child process, as anyone would from a shell, and says what it did: the exact
// command, the run folder it printed, the wall time and the machine's load around it.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";

export interface ProjectRun {
  /** What to type in the repository root to do the same run. */
  readonly command: string;
  readonly exitCode: number;
  /** The run folder (`output: DIR` on stdout), relative to the repository; null when the run did not start. */
  readonly runDir: string | null;
  readonly wallSeconds: number;
  /** os.loadavg()'s 1-minute value before and after, and the machine's cores. */
  readonly load: { readonly before: number; readonly after: number; readonly cores: number };
  readonly stdout: string;
}

/** Quotes a shell word only when it needs it. */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** `node bin/lavisc.cjs run PROJECT --quiet --set …`, in `root`; stderr goes to `logFile` (progress, warnings). */
export async function runProject(root: string, project: string, sets: readonly string[], logFile: string, extraArgs: readonly string[] = []): Promise<ProjectRun> {
  const args = ["bin/lavisc.cjs", "run", project, ...sets.flatMap((s) => ["--set", s]), ...extraArgs];
  const command = ["node", ...args].map(shellWord).join(" ");
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  log.write(`$ ${command}\n`);
  const before = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    log.write(d);
  });
  child.stderr.on("data", (d: Buffer) => log.write(d));
  const exitCode = await new Promise<number>((res) => child.on("close", (code) => res(code ?? 1)));
  const wallSeconds = (performance.now() - started) / 1000;
  await new Promise<void>((res) => log.end(res));
  const out = /^output: (.+)$/m.exec(stdout)?.[1] ?? null;
  return {
    command, exitCode, stdout, wallSeconds,
    runDir: out ? relative(root, out) || "." : null,
    load: { before, after: loadavg()[0]!, cores: cpus().length },
  };
}

/**
 * HEAD's commit, with "+dirty" when tracked files differ from it; null outside a git checkout. The files `npm run
 * results` and `npm run tune` write themselves (results/, README.md's table) do not count: the second project of a
 * run was otherwise recorded "+dirty" because the first one's result had been written.
 */
export function gitCommit(root: string): string | null {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) return null;
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results", ":(exclude)README.md"], { cwd: root, encoding: "utf8" });
  return head.stdout.trim() + (dirty.stdout.trim() ? "+dirty" : "");
}

export const logPath = (root: string, ...parts: string[]) => join(root, "output", "results-logs", ...parts);
