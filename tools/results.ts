// npm run results [-- PROJECT... | --force | --table]: runs each project of results/projects.json (or the ones named,
// as projects/<name>.lv or <name>) with `lavisc run`, one at a time, and writes results/<name>.json; then regenerates
// README's results table from every results/*.json. A project whose result has the same inputs digest is skipped
// (rerun with --force, e.g. after a runtime change); --table only regenerates the table.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { agrees, baselinesOf, loadedWeights, loggedTest, testScore, validationOf } from "../src/results/collect.js";
import { inputsDigest } from "../src/results/inputsDigest.js";
import { projectRunSpec } from "../src/results/projectSpec.js";
import { renderResultsTable, replaceTable } from "../src/results/readmeTable.js";
import { RESULT_SCHEMA, resultName, type ProjectEntry, type ProjectResult } from "../src/results/resultFile.js";
import { gitCommit, logPath, runProject } from "../src/results/runProject.js";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const resultsDir = join(root, "results");
const entries = JSON.parse(readFileSync(join(resultsDir, "projects.json"), "utf8")) as ProjectEntry[];
const resultPath = (project: string) => join(resultsDir, `${resultName(project)}.json`);

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path + ".tmp", JSON.stringify(value, null, 2) + "\n");
  renameSync(path + ".tmp", path);
}

function readResult(project: string): ProjectResult | null {
  const p = resultPath(project);
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as ProjectResult) : null;
}

/** The projects whose checkpoints this one loads (model.finetuned_from), for the digest. */
function dependencies(project: string): string[] {
  const spec = projectRunSpec(join(root, project));
  return spec.model.weightsFrom ? [digestOf(spec.model.weightsFrom.replace(root + "/", ""))] : [];
}

function digestOf(project: string): string {
  return inputsDigest(projectRunSpec(join(root, project)), dependencies(project));
}

async function produce(entry: ProjectEntry): Promise<ProjectResult> {
  const spec = projectRunSpec(join(root, entry.project));
  const digest = digestOf(entry.project);
  const run = await runProject(root, entry.project, [], logPath(root, `${resultName(entry.project).replace(/\//g, "_")}.log`));
  if (run.exitCode !== 0 || !run.runDir) throw new Error(`${run.command} exited ${run.exitCode}; see ${logPath(root)}`);
  const runDir = join(root, run.runDir);
  const logged = loggedTest(runDir);
  const score = await testScore(spec, runDir);
  if (!agrees(score.value, logged[score.metric])) throw new Error(`${entry.project}: ${score.metric} recomputed from the result files is ${score.value}, the run logged ${logged[score.metric]}`);
  const weights = loadedWeights(runDir);
  const stderr = readFileSync(logPath(root, `${resultName(entry.project).replace(/\//g, "_")}.log`), "utf8");
  return {
    schema: RESULT_SCHEMA, project: entry.project, description: entry.description,
    command: run.command, commit: gitCommit(root), date: new Date().toISOString(), seed: spec.seed,
    backend: /^backend (\S+?)[;\s]/m.exec(stderr)?.[1] ?? null,
    wallSeconds: Math.round(run.wallSeconds), load: { before: round1(run.load.before), after: round1(run.load.after), cores: run.load.cores },
    inputsDigest: digest, runDir: run.runDir,
    test: { split: "test", metric: score.metric, value: score.value, interval: score.interval, items: score.items, logged },
    baselines: await baselinesOf(spec),
    validation: validationOf(runDir, weights, root),
    selection: entry.selection,
    ...(weights ? { weights: { path: weights.replace(root + "/", ""), sha256: sha256(weights) } } : {}),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function sha256(path: string): string | null {
  const meta = JSON.parse(readFileSync(path, "utf8")) as { weightsSha256?: string };
  return meta.weightsSha256 ?? createHash("sha256").update(readFileSync(path)).digest("hex");
}

function writeTable(): void {
  const results = new Map(entries.flatMap((e) => {
    const r = readResult(e.project);
    return r ? [[e.project, r] as const] : [];
  }));
  const readme = join(root, "README.md");
  const before = readFileSync(readme, "utf8");
  const after = replaceTable(before, renderResultsTable(entries, results));
  if (after !== before) writeFileSync(readme, after);
  console.log(`README.md: results table ${after === before ? "unchanged" : "regenerated"} (${results.size} of ${entries.length} rows)`);
}

const args = process.argv.slice(2);
const force = args.includes("--force");
const named = args.filter((a) => !a.startsWith("--")).map((a) => (a.startsWith("projects/") ? a : `projects/${a.replace(/\.lv$/, "")}.lv`));
const unknown = named.filter((p) => !entries.some((e) => e.project === p));
if (unknown.length) {
  console.error(`not in results/projects.json: ${unknown.join(", ")}`);
  process.exit(2);
}
let failed = 0;
if (!args.includes("--table")) {
  for (const entry of entries.filter((e) => !named.length || named.includes(e.project))) {
    const existing = readResult(entry.project);
    if (existing && !force && existing.inputsDigest === digestOf(entry.project)) {
      console.log(`${entry.project}: up to date (${existing.date}); --force reruns it`);
      continue;
    }
    console.log(`${entry.project}: running`);
    try {
      const r = await produce(entry);
      writeJson(resultPath(entry.project), r);
      console.log(`  ${r.test.metric} ${r.test.value} [${r.test.interval.low}, ${r.test.interval.high}], ${r.wallSeconds} s, load ${r.load.before}`);
    } catch (e) {
      failed++;
      console.error(`  failed: ${(e as Error).message}`);
    }
  }
}
writeTable();
process.exitCode = failed ? 1 : 0;
