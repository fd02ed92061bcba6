// npm run tune -- NAME...: runs the candidates of results/tuning/NAME.json that have no outcome yet (one at a time,
// test split hidden), records each one's validation curve, wall time and machine load as soon as it finishes (so an
// interrupted tuning resumes), then names the chosen candidate and checks that the project file holds its settings.
// --force reruns candidates that already have an outcome.
import { readFileSync, readdirSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { parseLogTxt } from "../src/report/runLogText.js";
import { gitCommit, logPath, runProject } from "../src/results/runProject.js";
import { bestOf, chooseCandidate, HIDE_TEST, type Candidate, type TuningRecord } from "../src/results/tuning.js";
import { settingsNotHeld } from "../src/results/projectHolds.js";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const dir = join(root, "results", "tuning");

function save(path: string, record: TuningRecord): void {
  writeFileSync(path + ".tmp", JSON.stringify(record, null, 2) + "\n");
  renameSync(path + ".tmp", path);
}

async function tune(name: string, force: boolean): Promise<boolean> {
  const path = join(dir, `${name}.json`);
  let record = JSON.parse(readFileSync(path, "utf8")) as TuningRecord;
  for (let i = 0; i < record.candidates.length; i++) {
    const c = record.candidates[i]!;
    if (c.outcome && c.outcome.exitCode === 0 && !force) continue;
    console.log(`${name}/${c.id}: ${c.set.join(" ") || "(the project as it is)"}`);
    const run = await runProject(root, record.project, [HIDE_TEST, ...c.set, `recipe.output_dir="output/tuning/${name}/${c.id}"`], logPath(root, "tuning", `${name}-${c.id}.log`));
    const log = run.runDir ? parseLogTxt(readFileSync(join(root, run.runDir, "log.txt"), "utf8")) : null;
    const valPerEpoch = log ? log.epochs.map((e) => e.valid["val"]?.["agg_metrics"] ?? NaN) : [];
    const done: Candidate = {
      ...c,
      outcome: {
        command: run.command, commit: gitCommit(root), date: new Date().toISOString(), exitCode: run.exitCode, runDir: run.runDir,
        wallSeconds: Math.round(run.wallSeconds), load: run.load, valPerEpoch, bestVal: bestOf(valPerEpoch),
      },
    };
    record = { ...record, candidates: record.candidates.map((x, j) => (j === i ? done : x)) };
    save(path, record);
    console.log(`  exit ${run.exitCode}, ${Math.round(run.wallSeconds)} s, load ${run.load.before.toFixed(1)}→${run.load.after.toFixed(1)}; best val ${done.outcome!.bestVal?.value ?? "none"} (epoch ${done.outcome!.bestVal?.epoch ?? "-"})`);
    if (run.exitCode !== 0) return false;
  }
  const chosen = chooseCandidate(record);
  if (!chosen) return false;
  save(path, { ...record, chosen: chosen.id });
  const differs = settingsNotHeld(root, record.project, chosen.set);
  console.log(`${name}: chosen ${chosen.id} (val ${chosen.outcome!.bestVal!.value})${differs.length ? `; the project does not hold it yet: ${differs.join(" ")}` : "; the project holds it"}`);
  return differs.length === 0;
}

const args = process.argv.slice(2);
const force = args.includes("--force");
const names = args.filter((a) => !a.startsWith("--"));
const all = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
let ok = true;
for (const name of names.length ? names : all) ok = (await tune(name, force)) && ok;
process.exitCode = ok ? 0 : 1;
