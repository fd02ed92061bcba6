// Benchmark (issue 13): the quickstart end to end on one replica and on two with half the per-replica batch, so both
// take the project's 32 samples per step: `lavisc run projects/quickstart/retrieval_shapes.lv` with
// `recipe.world_size=1, batch_size_train=32` and `world_size=2, batch_size_train=16`, each a whole process (data
// preparation, model building, training, evaluation, checkpoints), the two settings taking turns for BENCH_ROUNDS
// rounds (default 2) so that a host whose speed drifts affects both alike. Reports wall and CPU time (GNU time), the
// test r_mean of every run (the runs are deterministic, so a setting's runs must agree) and, last line,
// `replicas: world_size 2 took X% of world_size 1's wall time (median over N rounds: ...); test r_mean A (1), B (2)`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const PROJECT = join(repo, "projects", "quickstart", "retrieval_shapes.lv");
const ROUNDS = Math.max(1, Number(process.env["BENCH_ROUNDS"] ?? 2));
/** The project's batch_size_train is 32: one replica takes all of it, each of two replicas half. */
const SETTINGS = [{ world: 1, batch: 32 }, { world: 2, batch: 16 }] as const;

interface Run {
  readonly wallSecs: number;
  readonly cpuSecs: number;
  readonly testRMean: string;
}

function runOnce(world: number, batch: number): Run {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-bench-replicas-"));
  try {
    const timeFile = join(dir, "time.txt");
    const args = [join(repo, "bin", "lavisc.cjs"), "run", PROJECT, "--set", `recipe.world_size=${world}`, "--set", `recipe.batch_size_train=${batch}`, "--set", `recipe.output_dir=${JSON.stringify(join(dir, "output"))}`];
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, process.execPath, ...args], { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.error) throw new Error(`GNU time is needed (apt-get install time): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`lavisc run exited ${r.status}:\n${(r.stdout + r.stderr).slice(-2000)}`);
    const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number) as [number, number, number];
    const testLine = r.stdout.split("\n").find((l) => l.startsWith("test: ")) ?? "";
    return { wallSecs: wall, cpuSecs: user + sys, testRMean: /\br_mean ([\d.]+)/.exec(testLine)?.[1] ?? "n/a" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const runs = new Map<number, Run[]>(SETTINGS.map((s) => [s.world, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const { world, batch } of SETTINGS) {
    const run = runOnce(world, batch);
    runs.get(world)!.push(run);
    console.log(`round ${round + 1}: world_size ${world}, batch_size_train ${batch}: ${run.wallSecs.toFixed(1)} s wall, ${run.cpuSecs.toFixed(1)} s CPU, test r_mean ${run.testRMean}`);
  }
}
const [one, two] = SETTINGS.map((s) => runs.get(s.world)!) as [Run[], Run[]];
const rMeans = (rs: Run[]) => [...new Set(rs.map((r) => r.testRMean))].join(" / ");
console.log(`medians: world_size 1 ${median(one.map((r) => r.wallSecs)).toFixed(1)} s (CPU ${median(one.map((r) => r.cpuSecs)).toFixed(1)} s), world_size 2 ${median(two.map((r) => r.wallSecs)).toFixed(1)} s (CPU ${median(two.map((r) => r.cpuSecs)).toFixed(1)} s)`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
// Each round's two runs are next to each other in time: their ratio cancels most of the host's drift between rounds.
const shares = one.map((r, i) => (100 * two[i]!.wallSecs) / r.wallSecs);
console.log(`replicas: world_size 2 took ${median(shares).toFixed(0)}% of world_size 1's wall time (median over ${ROUNDS} rounds: ${shares.map((x) => `${x.toFixed(0)}%`).join(", ")}; goal at most 70%); test r_mean ${rMeans(one)} (1), ${rMeans(two)} (2)`);
