// Benchmark: lavisc's front end against the peer (LAVIS's merge on OmegaConf, ../shared/peer/lavis_merge.py), in the
// same run. (a) all 424 LAVIS project files in one process each, (b) one file, cold process, (c) cold `fmt --check`
// and `check` of a typical .lv experiment, (e) what each start-up measure is worth, (d) parse throughput (with, for
// scale, chevrotain's own JSON example grammar on this machine: bench/chevrotainCalibration.ts), (f) checks with
// COCO-size annotation files present, as on a LAVIS user's machine (bench/cocoAnnotations.ts), (g) the corpus again
// and again in one process, and what (a)'s ratio could be with no warm-up left. Times are
// whole processes unless noted; peak memory is the child's maximum resident set size. Last line: "compile: lavisc X s, peer Y s, ratio Z" (all 424 files).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const shared = join(repo, "..", "shared");
const corpus = join(shared, "lavis-configs");
const peerScript = join(shared, "peer", "lavis_merge.py");
const python = process.env["PYTHON"] ?? "/usr/bin/python3";
const lavisc = join(repo, "bin", "lavisc.cjs");
const self = fileURLToPath(import.meta.url);
/** Repeats of the whole-corpus comparison (the machine may be shared; the median is reported). */
const REPEAT = Number(process.env["BENCH_REPEAT"] ?? 3);
/** Runs per cold single-process measurement. */
const COLD_RUNS = 5;
const ONE_FILE = "projects/blip/train/caption_coco_ft.yaml";
const LV_FILE = join(repo, "bench", "fixtures", "caption_coco_ft.lv");

interface Measured {
  readonly secs: number;
  /** User + system CPU seconds: less sensitive than wall time to other processes loading the machine. */
  readonly cpuSecs: number;
  /** Peak resident set size of the child, MiB. */
  readonly peakMiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command under GNU time: wall seconds, CPU seconds and peak RSS of the whole process. */
function timed(cmd: string, args: readonly string[], cwd = repo, env: Record<string, string> = {}): Measured {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-bench-"));
  const out = join(dir, "time.txt");
  try {
    const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", out, cmd, ...args], { cwd, encoding: "utf8", maxBuffer: 256 << 20, env: { ...process.env, ...env } });
    const [secs, user, sys, kib] = readFileSync(out, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    return { secs: secs!, cpuSecs: user! + sys!, peakMiB: kib! / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A cold process: wall ms measured from here (GNU time's %e has only 10 ms resolution) and CPU ms from GNU time. */
function cold(cmd: string, args: readonly string[], env: Record<string, string> = {}): { ms: number; cpuMs: number; status: number | null } {
  const t0 = performance.now();
  const m = timed(cmd, args, repo, env);
  return { ms: performance.now() - t0, cpuMs: m.cpuSecs * 1000, status: m.status };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface ColdCommand {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly expectStatus: readonly number[];
}

/**
 * Median wall and CPU ms of each command over `runs` rounds, the commands taking turns within a round (after one
 * unmeasured round that warms the OS file cache), so that a disturbance of the machine falls on all of them alike.
 */
function coldInterleaved(commands: readonly ColdCommand[], runs: number): { ms: number; cpuMs: number; rounds: number[] }[] {
  for (const c of commands) cold(c.cmd, c.args);
  const measured = commands.map(() => [] as { ms: number; cpuMs: number }[]);
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => {
      const r = cold(c.cmd, c.args);
      if (!c.expectStatus.includes(r.status ?? -1)) throw new Error(`${c.cmd} ${c.args.join(" ")} exited ${r.status}`);
      measured[j]!.push(r);
    });
  }
  return measured.map((m) => ({ ms: median(m.map((r) => r.ms)), cpuMs: median(m.map((r) => r.cpuMs)), rounds: m.map((r) => r.ms) }));
}

/** Passes of (g) over the corpus in one process. */
const WARM_PASSES = 6;

/** Rounds of (b), the cold one-file comparison with the peer (31: the median ratio's interval spans ranks 10-22). */
const ONE_FILE_RUNS = 31;

/** Median wall and CPU ms of COLD_RUNS runs, after one unmeasured run that warms the OS file cache. */
function coldMedian(cmd: string, args: readonly string[], expectStatus: number[], env: Record<string, string> = {}): { ms: number; cpuMs: number } {
  cold(cmd, args, env);
  const runs = Array.from({ length: COLD_RUNS }, () => {
    const r = cold(cmd, args, env);
    if (!expectStatus.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    return r;
  });
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
}

function projectFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(corpus, rel)).sort()) {
      const r = `${rel}/${name}`;
      if (statSync(join(corpus, r)).isDirectory()) walk(r);
      else if (name.endsWith(".yaml")) out.push(r);
    }
  };
  walk("projects");
  return out;
}

/**
 * The child process of (a): checks and resolves every project file with lavisc and writes, like the peer, one JSON per
 * file (the resolved config, or the diagnostics) under OUTDIR, on THREADS threads as `lavisc check DIR` does
 * (checkAcrossThreads: the main thread and THREADS - 1 workers). Prints "files errors ms" for the in-process time.
 */
async function driver(outDir: string, threads: number): Promise<void> {
  // The library as the CLI loads it: the bundle with its code cache (bin/lavisc.cjs), else the compiled modules.
  const bundled = (createRequire(import.meta.url)(lavisc) as { loadBundle(): { exports: typeof import("../src/cli/entry.js") } | null }).loadBundle();
  const { checkAcrossThreads, nodeHost, snapshotHost } = bundled?.exports ?? (await import("../src/cli/entry.js"));
  const t0 = performance.now();
  const files = projectFiles();
  const results = await checkAcrossThreads(files.map((rel) => join(corpus, rel)), snapshotHost(nodeHost()), { sets: [], options: [], withResolved: true }, threads);
  let errors = 0;
  const folders = new Set<string>();
  files.forEach((rel, i) => {
    const r = results[i]!;
    if (r.outcome.diagnostics.some((d) => d.severity === "error")) errors++;
    const doc = r.resolved ?? { diagnostics: r.outcome.diagnostics.map((d) => ({ code: d.code, message: d.message, path: d.path })) };
    const out = join(outDir, rel.replace(/\.yaml$/, ".json"));
    if (!folders.has(dirname(out))) mkdirSync(dirname(out), { recursive: true }), folders.add(dirname(out));
    writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
  });
  console.log(`${files.length} ${errors} ${(performance.now() - t0).toFixed(0)}`);
}

/**
 * The child process of (g): checks the whole corpus PASSES times in one process (no output written) and prints each
 * pass's milliseconds: the first as cold as (a)'s, the later ones with V8's code warm.
 */
async function passesDriver(passes: number): Promise<void> {
  const bundled = (createRequire(import.meta.url)(lavisc) as { loadBundle(): { exports: typeof import("../src/cli/entry.js") } | null }).loadBundle();
  const { checkAcrossThreads, nodeHost, snapshotHost } = bundled?.exports ?? (await import("../src/cli/entry.js"));
  const files = projectFiles().map((rel) => join(corpus, rel));
  const times: string[] = [];
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    await checkAcrossThreads(files, snapshotHost(nodeHost()), { sets: [], options: [], withResolved: true }, 1);
    times.push((performance.now() - t0).toFixed(0));
  }
  console.log(times.join(" "));
}

/** The lavisc rows of (a): 1 thread, `lavisc check DIR`'s default (the headline), and every core (`--jobs N`; BENCH_THREADS to change). */
function rowThreads(defaultThreads: number): number[] {
  return [...new Set([1, defaultThreads, Number(process.env["BENCH_THREADS"] ?? availableParallelism())])];
}

type DriverRun = Measured & { readonly inProcessMs: number; readonly files: number };

interface CorpusRun {
  /** By thread count. */
  readonly lavisc: ReadonlyMap<number, DriverRun>;
  readonly peer: Measured;
}

function wholeCorpus(threadRows: readonly number[]): CorpusRun {
  const out = mkdtempSync(join(tmpdir(), "lavisc-bench-out-"));
  try {
    const run = (threads: number): DriverRun => {
      const lv = timed(process.execPath, [self, "--driver", join(out, `lavisc-${threads}`), String(threads)]);
      if (lv.status !== 0) throw new Error(`lavisc driver failed:\n${lv.stderr}`);
      const [files, , ms] = lv.stdout.trim().split(" ").map(Number);
      return { ...lv, inProcessMs: ms!, files: files! };
    };
    const lavisc = new Map(threadRows.map((t) => [t, run(t)] as const));
    const peer = timed(python, [peerScript, "--all", join(out, "peer")]);
    if (peer.status !== 0) throw new Error(`peer failed:\n${peer.stderr}`);
    return { lavisc, peer };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(corpus, "projects")) || !existsSync(peerScript)) {
    console.error(`bench:compile needs ${corpus} and ${peerScript}`);
    process.exitCode = 1;
    return;
  }
  const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`load average at start: ${load()} (${cpus().length} cores)`);
  const fmtSecs = (s: number) => s.toFixed(2);
  const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;
  const fmtCold = (c: { ms: number; cpuMs: number }) => `${fmtMs(c.ms)} (CPU ${fmtMs(c.cpuMs)})`;

  // (a) All project files, one process each side, REPEAT times.
  // Loaded here, not at the top: the driver child runs this file too, and its start-up is part of what is measured.
  const DEFAULT_THREADS = (await import("../src/cli/commands/checkAcrossThreads.js")).defaultThreads(availableParallelism());
  const ROW_THREADS = rowThreads(DEFAULT_THREADS);
  const runs = Array.from({ length: REPEAT }, () => wholeCorpus(ROW_THREADS));
  const row = (threads: number, pick: (m: DriverRun) => number) => median(runs.map((r) => pick(r.lavisc.get(threads)!)));
  const lvSecs = row(DEFAULT_THREADS, (m) => m.secs);
  const peerSecs = median(runs.map((r) => r.peer.secs));
  const lvMiB = Math.max(...runs.map((r) => r.lavisc.get(DEFAULT_THREADS)!.peakMiB));
  const peerMiB = Math.max(...runs.map((r) => r.peer.peakMiB));
  console.log(`(a) all ${runs[0]!.lavisc.get(1)!.files} project YAMLs, one process, median of ${REPEAT} (whole process incl. start-up):`);
  for (const t of ROW_THREADS) {
    const label = `lavisc, ${t} thread${t > 1 ? "s" : ""}${t === DEFAULT_THREADS ? " (default)" : ""}`.padEnd(26);
    console.log(`    ${label}${fmtSecs(row(t, (m) => m.secs))} s  (in-process ${fmtMs(row(t, (m) => m.inProcessMs))}, CPU ${fmtSecs(row(t, (m) => m.cpuSecs))} s)`);
  }
  console.log(`    peer lavis_merge.py       ${fmtSecs(peerSecs)} s, peak RSS ${peerMiB.toFixed(0)} MiB (lavisc ${lvMiB.toFixed(0)} MiB)`);
  console.log(`    runs: ${ROW_THREADS.map((t) => `lavisc ${t} thread(s) ${runs.map((r) => fmtSecs(r.lavisc.get(t)!.secs)).join(" ")} s; `).join("")}peer ${runs.map((r) => fmtSecs(r.peer.secs)).join(" ")} s`);
  const lvCpu = row(DEFAULT_THREADS, (m) => m.cpuSecs);
  const peerCpu = median(runs.map((r) => r.peer.cpuSecs));
  console.log(`    CPU (user+sys): lavisc ${fmtSecs(lvCpu)} s, peer ${fmtSecs(peerCpu)} s, ratio ${(peerCpu / lvCpu).toFixed(1)}x`);
  console.log(`    ratio peer/lavisc ${(peerSecs / lvSecs).toFixed(1)}x wall with the default threads (target >= 30x), memory lavisc/peer ${(lvMiB / peerMiB).toFixed(1)}x`);

  // (b) One file, cold process.
  const oneFile = coldInterleaved([
    { cmd: process.execPath, args: ["-e", "0"], expectStatus: [0] },
    { cmd: process.execPath, args: [lavisc, "check", join(corpus, ONE_FILE)], expectStatus: [0, 1] },
    { cmd: python, args: [peerScript, ONE_FILE], expectStatus: [0] },
  ], ONE_FILE_RUNS);
  const [nodeZero, lvOne, peerOne] = [oneFile[0]!, oneFile[1]!, oneFile[2]!];
  const lvOneMem = timed(process.execPath, [lavisc, "check", join(corpus, ONE_FILE)]).peakMiB;
  const peerOneMem = timed(python, [peerScript, ONE_FILE]).peakMiB;
  console.log(`(b) one file cold (${ONE_FILE}), median of ${ONE_FILE_RUNS} rounds taking turns:`);
  console.log(`    lavisc check          ${fmtCold(lvOne)}, peak RSS ${lvOneMem.toFixed(0)} MiB`);
  console.log(`    peer lavis_merge.py   ${fmtCold(peerOne)}, peak RSS ${peerOneMem.toFixed(0)} MiB`);
  console.log(`    node -e 0             ${fmtCold(nodeZero)}  (Node start-up, for reference)`);
  console.log(`    ratio peer/lavisc ${(peerOne.ms / lvOne.ms).toFixed(2)}x wall, ${(peerOne.cpuMs / lvOne.cpuMs).toFixed(2)}x CPU`);
  // Each round runs both back to back, so a round's ratio cancels most of the host's drift; its median's interval
  // says whether lavisc is faster, slower or indistinguishable (issue 14: at or under the peer).
  const { medianInterval } = await import("../src/results/intervals.js");
  const roundRatios = peerOne.rounds.map((ms, i) => ms / lvOne.rounds[i]!);
  const ci = medianInterval(roundRatios);
  console.log(`    per-round ratio: median ${median(roundRatios).toFixed(2)}x, 95% interval ${ci.low.toFixed(2)}-${ci.high.toFixed(2)}x (${ci.method})`);

  // (c) A typical .lv experiment, cold.
  const fmtCheck = coldMedian(process.execPath, [lavisc, "fmt", "--check", LV_FILE], [0]);
  const lvCheck = coldMedian(process.execPath, [lavisc, "check", LV_FILE], [0]);
  console.log(`(c) .lv experiment cold (bench/fixtures/caption_coco_ft.lv), median of ${COLD_RUNS}:`);
  console.log(`    lavisc fmt --check    ${fmtCold(fmtCheck)}  (target < 150 ms)`);
  console.log(`    lavisc check          ${fmtCold(lvCheck)}  (target < 200 ms)`);

  // (e) What each start-up measure is worth: the cold one-file check of (b) with one measure off at a time.
  const variants: [string, Record<string, string>, string[]][] = [
    ["all measures (as (b))", {}, []],
    ["without the code cache", { LAVISC_NO_CODE_CACHE: "1" }, []],
    ["without the bundle (ES modules)", { LAVISC_NO_BUNDLE: "1" }, []],
    ["without the stdlib image", { LAVISC_NO_STDLIB_IMAGE: "1" }, []],
    ["with a plain --set value", {}, ["--set", "recipe.max_epoch=5"]],
    ["with the .lv parser built (--set 2 * 3)", {}, ["--set", "recipe.max_epoch=2 * 3"]],
  ];
  console.log(`(e) cold start, one file, one measure off at a time, median of ${COLD_RUNS}:`);
  for (const [label, env, extra] of variants) {
    const c = coldMedian(process.execPath, [lavisc, "check", join(corpus, ONE_FILE), ...extra], [0, 1], env);
    console.log(`    ${label.padEnd(40)} ${fmtCold(c)}`);
  }

  // (d) Parse throughput, in process.
  const { measureParseThroughput, fullParserLine } = await import("./parseThroughput.js");
  const p = measureParseThroughput();
  const cpuRate = p.bytes / 1e6 / (p.cpuMs / 1000);
  console.log(`(d) parse: ${p.lines} generated lines, ${(p.bytes / 1e6).toFixed(2)} MB in ${p.ms.toFixed(1)} ms = ${p.mbPerSec.toFixed(2)} MB/s (CPU ${p.cpuMs.toFixed(1)} ms = ${cpuRate.toFixed(2)} MB/s)`);
  console.log(`    ${fullParserLine()}`);
  // What chevrotain alone reaches on this machine, for scale (bench/chevrotainCalibration.ts).
  const { chevrotainCalibrationLine } = await import("./chevrotainCalibration.js");
  console.log(`    for scale: ${chevrotainCalibrationLine()}`);

  // (g) What a warm process would reach: the corpus checked again and again in one process (one thread).
  const passes = timed(process.execPath, [self, "--passes", String(WARM_PASSES)]);
  if (passes.status !== 0) throw new Error(`passes driver failed:\n${passes.stderr}`);
  const passMs = passes.stdout.trim().split(" ").map(Number);
  const bound = (nodeZero.ms + Math.min(...passMs)) / 1000;
  console.log(`(g) the corpus ${WARM_PASSES} times in one process, one thread (ms per pass): ${passMs.join(" ")}`);
  console.log(`    bound: Node's start-up (${fmtMs(nodeZero.ms)}, (b)) + the fastest pass = ${fmtSecs(bound)} s, at most ${(peerSecs / bound).toFixed(1)}x the peer's ${fmtSecs(peerSecs)} s of (a), if no warm-up were left`);

  // (f) The same checks where a LAVIS user's annotation files are (src/compiler/annotationStatsCache.ts).
  await withAnnotationFiles(fmtMs, fmtSecs);

  console.log(`load average at the end: ${load()}`);
  console.log(`compile: lavisc ${fmtSecs(lvSecs)} s, peer ${fmtSecs(peerSecs)} s, ratio ${(peerSecs / lvSecs).toFixed(1)}`);
}

/**
 * (f): cold checks with COCO-size annotation files in $LAVISC_CACHE (bench/cocoAnnotations.ts), which the split-size
 * rules count: the first check counts them (and keeps the count), later ones read the count. The peer reads no
 * annotation files, so its times above stand.
 */
async function withAnnotationFiles(fmtMs: (ms: number) => string, fmtSecs: (s: number) => string): Promise<void> {
  const { writeCocoSizeAnnotations } = await import("./cocoAnnotations.js"); // not in the driver child's start-up
  const cache = mkdtempSync(join(tmpdir(), "lavisc-bench-annotations-"));
  try {
    const bytes = writeCocoSizeAnnotations(cache);
    const env = { LAVISC_CACHE: cache };
    const args = [lavisc, "check", join(corpus, ONE_FILE)];
    const first = cold(process.execPath, args, env);
    const later = coldMedian(process.execPath, args, [0, 1], env);
    rmSync(join(cache, "annotation-stats"), { recursive: true, force: true });
    const out = join(cache, "out");
    const corpusRun = () => timed(process.execPath, [self, "--driver", out, "1"], repo, env).secs;
    const corpusFirst = corpusRun();
    const corpusLater = corpusRun();
    console.log(`(f) with COCO-size annotation files in $LAVISC_CACHE (generated; the training file ${(bytes / 1e6).toFixed(0)} MB), which the split-size rules count:`);
    console.log(`    lavisc check, one file, first (counts them)    ${fmtMs(first.ms)}`);
    console.log(`    lavisc check, one file, later (count kept)     ${fmtMs(later.ms)} (median of ${COLD_RUNS})`);
    console.log(`    all project files, 1 thread, first / later     ${fmtSecs(corpusFirst)} s / ${fmtSecs(corpusLater)} s`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--driver") await driver(process.argv[3]!, Number(process.argv[4] ?? 1));
else if (process.argv[2] === "--passes") await passesDriver(Number(process.argv[3] ?? 6));
else await main();
