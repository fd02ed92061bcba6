// `lavisc sweep --engine lavis --export DIR`: one LAVIS YAML per trial, launch.sh (torch.distributed, one trial after
// another, resumable) and sweep.sbatch (a SLURM array). Tested by what they would run (a recording stand-in for
// python), by running the SLURM script's task body with bash, and with the stand-in LAVIS train.py on real torch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, type Host } from "../../src/cli/host.js";
import { fromRoot } from "../harness/repoRoot.js";
import { lavisTrainStandIn } from "../harness/lavisStandIn.js";
import { LAVIS_CORPUS, OMEGACONF, TORCH, testWith } from "../harness/requires.js";
import { corpusRoot } from "../interop/interopHarness.js";

function capture(): Host & { out: string; err: string } {
  const h = { ...nodeHost(), cwd: fromRoot(), isTTY: false, color: false, out: "", err: "", stdout(t: string) { h.out += t; }, stderr(t: string) { h.err += t; } };
  return h;
}

const withTorch = testWith(test, TORCH, OMEGACONF);

const exportArgs = (dir: string, lavis: string) => ["sweep", "projects/blip/caption_coco_ft.lv", "--sweep", "recipe.init_lr=1e-5,2e-5", "--engine", "lavis", "--export", dir,
  "--nproc-per-node", "2", "--lavis-root", lavis, "--sbatch-arg=--partition=gpu", "--torchrun-arg=--redirects=1"];

/** The sweep of projects/blip/caption_coco_ft.lv over two learning rates, exported for LAVIS into `dir`. */
async function exportSweep(dir: string, lavis: string): Promise<{ out: string; err: string }> {
  const h = capture();
  const code = await runCli(exportArgs(dir, lavis), h);
  assert.is(code, 0, h.err);
  return h;
}

/** A `python` that records its arguments, one line per call, instead of running anything. */
function recordingPython(dir: string): { exe: string; calls: () => string[] } {
  const exe = join(dir, "python-recorder");
  const log = join(dir, "calls.txt");
  writeFileSync(exe, `#!/bin/sh\necho "$(pwd) | $* | MASTER_PORT=$MASTER_PORT" >> ${JSON.stringify(log)}\n`);
  chmodSync(exe, 0o755);
  return { exe, calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []) };
}

test("the export: YAML per trial, a launcher that runs each with torch.distributed, a SLURM array", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-lavis-"));
  try {
    const dir = join(tmp, "export");
    const lavis = join(tmp, "LAVIS");
    const h = await exportSweep(dir, lavis);
    assert.match(h.out, /wrote 2 trial configs \(t01\.yaml … t02\.yaml\), launch\.sh and sweep\.sbatch/);

    // Each trial is a complete LAVIS project config with its own value and output folder.
    const cfgs = ["t01", "t02"].map((id) => parseYaml(readFileSync(join(dir, `${id}.yaml`), "utf8")) as { run: Record<string, unknown>; model: Record<string, unknown> });
    assert.equal(cfgs.map((c) => c.run["init_lr"]), [1e-5, 2e-5]);
    assert.equal(cfgs.map((c) => c.run["output_dir"]), ["output/BLIP/Caption_coco/sweep/t01", "output/BLIP/Caption_coco/sweep/t02"]);
    assert.is(cfgs[0]!.model["arch"], "blip_caption");

    // launch.sh: what it runs, in order, and a second run skips what finished.
    const py = recordingPython(tmp);
    const env = { ...process.env, PYTHON: py.exe, LAVIS_ROOT: tmp };
    const r1 = spawnSync("bash", [join(dir, "launch.sh")], { env, encoding: "utf8" });
    assert.is(r1.status, 0, r1.stderr);
    assert.equal(py.calls(), ["t01", "t02"].map((id) =>
      `${tmp} | -m torch.distributed.run --nproc_per_node=2 --master_port=29500 --redirects=1 train.py --cfg-path ${dir}/${id}.yaml | MASTER_PORT=`));
    assert.match(r1.stdout, /^t01: recipe\.init_lr = 1e-5\nt02: recipe\.init_lr = 2e-5\n$/);
    const r2 = spawnSync("bash", [join(dir, "launch.sh")], { env, encoding: "utf8" });
    assert.match(r2.stdout, /t01: finished before, skipped\nt02: finished before, skipped/);
    assert.is(py.calls().length, 2);
    const r3 = spawnSync("bash", [join(dir, "launch.sh"), "t09"], { env, encoding: "utf8" });
    assert.is(r3.status, 2);
    assert.match(r3.stderr, /no trial t09/);

    // sweep.sbatch: its directives, and its body as SLURM runs it for array task 1.
    const sbatch = readFileSync(join(dir, "sweep.sbatch"), "utf8");
    const directives = [...sbatch.matchAll(/^#SBATCH (\S+)$/gm)].map((m) => m[1]);
    assert.equal(directives, ["--job-name=caption_coco_ft", "--array=0-1", "--nodes=1", "--ntasks-per-node=1", "--gpus-per-node=2", `--output=${dir}/slurm/%x_%A_%a.out`, "--partition=gpu"]);
    assert.ok(existsSync(join(dir, "slurm")), "SLURM does not make the output folder itself");
    rmSync(join(dir, "done"), { recursive: true });
    const r4 = spawnSync("bash", [join(dir, "sweep.sbatch")], { env: { ...env, SLURM_ARRAY_TASK_ID: "1" }, encoding: "utf8" });
    assert.is(r4.status, 0, r4.stderr);
    assert.equal(py.calls().slice(2), [`${tmp} | -m torch.distributed.run --nproc_per_node=2 --master_port=29501 --redirects=1 train.py --cfg-path ${dir}/t02.yaml | MASTER_PORT=29501`]);

  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

withTorch("the exported launcher runs the stand-in LAVIS train script on real torch (gloo, on CPU)", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-lavis-"));
  try {
    const dir = join(tmp, "export");
    await exportSweep(dir, join(tmp, "LAVIS"));
    const standin = join(tmp, "LAVIS-standin");
    spawnSync("mkdir", ["-p", standin]);
    writeFileSync(join(standin, "train.py"), lavisTrainStandIn);
    const r5 = spawnSync("bash", [join(dir, "launch.sh"), "t02"], {
      env: { ...process.env, PYTHON: "/usr/bin/python3", LAVIS_ROOT: standin, NPROC_PER_NODE: "1", MASTER_PORT: String(20000 + Math.floor(Math.random() * 20000)),
        // Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default "--redirects 0" (see launchLavis.test.ts).
        TORCHRUN_ARGS: `--tee=1 --log_dir=${join(tmp, "logs")}` },
      encoding: "utf8",
    });
    assert.is(r5.status, 0, r5.stderr + r5.stdout);
    const rank0 = JSON.parse(readFileSync(join(standin, "rank0.json"), "utf8"));
    assert.equal(rank0, { rank: 0, world: 1, task: "captioning", init_lr: 2e-5, arch: "blip_caption", output_dir: "output/BLIP/Caption_coco/sweep/t02" });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("an export into a folder with files lavisc did not write is refused before anything is written; lavisc's own are replaced", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-lavis-"));
  try {
    const dir = join(tmp, "export");
    await exportSweep(dir, join(tmp, "LAVIS"));
    await exportSweep(dir, join(tmp, "LAVIS")); // again over lavisc's own files: replaced
    const theirs = new Map<string, string>();
    for (const mine of ["launch.sh", "sweep.sbatch", "t01.yaml"]) {
      const path = join(dir, mine);
      theirs.set(mine, readFileSync(path, "utf8"));
      writeFileSync(path, "mine\n");
      const h = capture();
      assert.is(await runCli(exportArgs(dir, join(tmp, "LAVIS")), h), 2, h.err);
      assert.match(h.err, new RegExp(`${mine.replace(".", "\\.")} exists and was not written by lavisc; pass --force to overwrite it`));
      assert.is(readFileSync(path, "utf8"), "mine\n");
      writeFileSync(path, theirs.get(mine)!);
    }
    for (const mine of theirs.keys()) writeFileSync(join(dir, mine), "mine\n");
    assert.is(await runCli([...exportArgs(dir, join(tmp, "LAVIS")), "--force"], capture()), 0);
    for (const [file, text] of theirs) assert.is(readFileSync(join(dir, file), "utf8"), text);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("a line break in --sbatch-arg is a usage error: it would end sweep.sbatch's #SBATCH lines", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-lavis-"));
  try {
    const dir = join(tmp, "export");
    const h = capture();
    const code = await runCli(["sweep", "projects/blip/caption_coco_ft.lv", "--sweep", "recipe.init_lr=1e-5,2e-5", "--engine", "lavis", "--export", dir,
      "--sbatch-arg=--partition=gpu\nrm -rf ~"], h);
    assert.is(code, 2, h.err);
    assert.match(h.err, /--sbatch-arg "--partition=gpu\\nrm -rf ~" has a line break; each --sbatch-arg is written as one #SBATCH line/);
    assert.not.ok(existsSync(dir), "nothing written");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("a line break in the sweep file's name stays inside the comments of launch.sh, sweep.sbatch and the trial YAML (export's header too)", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-lavis-"));
  try {
    const file = join(tmp, "caption\nrm -rf ~\n.lv");
    writeFileSync(file, readFileSync(fromRoot("projects", "blip", "caption_coco_ft.lv"), "utf8"));
    const dir = join(tmp, "export");
    const h = capture();
    assert.is(await runCli(["sweep", file, "--sweep", "recipe.init_lr=1e-5,2e-5", "--engine", "lavis", "--export", dir], h), 0, h.err);
    for (const name of ["launch.sh", "sweep.sbatch", "t01.yaml"]) {
      const lines = readFileSync(join(dir, name), "utf8").split("\n");
      assert.not.ok(lines.some((l) => l.startsWith("rm -rf")), `${name}: a line of its own`);
    }
    assert.match(readFileSync(join(dir, "launch.sh"), "utf8"), /caption␊rm -rf ~␊\.lv --engine lavis --export/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("--engine lavis without --export is a usage error", async () => {
  const h = capture();
  assert.is(await runCli(["sweep", "projects/blip/caption_coco_ft.lv", "--sweep", "recipe.init_lr=1e-5,2e-5", "--engine", "lavis"], h), 2);
  assert.match(h.err, /--engine lavis needs --export DIR/);
});

testWith(test, LAVIS_CORPUS)("a trial whose YAML LAVIS would stop on is not exported, and the message says why", async () => {
  // BLIP's VQAv2 evaluation leaves valid_splits out: the VQA task then takes its answer list from val while the runner
  // validates nothing; the export (every value explicit) writes [], which leaves the ranking without answers (LV4075).
  const source = join(corpusRoot, "projects/blip/eval/vqav2_eval.yaml");
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-refused-"));
  try {
    const dir = join(tmp, "export");
    const h = capture();
    assert.is(await runCli(["sweep", source, "--sweep", "run.num_beams=1,3", "--engine", "lavis", "--export", dir], h), 1, h.err);
    assert.match(h.err, /error\[LV4075\]/);
    assert.match(h.err, /\(trial t01\) \(every value explicit\) has errors that LAVIS would stop on\. It writes lavisc's documented default for every key/);
    assert.not.ok(existsSync(dir), "nothing written");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
