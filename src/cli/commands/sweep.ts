import type { Command } from "commander";
import { choiceOption, integerIn, positiveInteger } from "../optionValues.js";
import type { Action } from "../main.js";

/** `lavisc sweep FILE`: every trial of the file's `sweep` block (and `--sweep` axes) checked, then run or exported. */
export function registerSweepCommand(program: Command, setAction: (a: Action) => void): void {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("sweep")
    .description("check every trial of a sweep, then run them (TensorFlow.js) or export them for LAVIS (--engine lavis --export DIR)")
    .argument("<file>")
    .option("--sweep <key=values>", "an axis: recipe.seed=1,2,3 or recipe.init_lr=log(1e-5, 1e-3, count = 3) (repeatable)", collect, [])
    .option("--set <key=value>", "override a value in every trial (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides for every trial")
    .option("--dry-run", "check every trial and print the table; run nothing")
    .addOption(choiceOption("--format <format>", "--dry-run output format", ["text", "json"], "text"))
    .option("--out <dir>", "the sweep's folder (default <output_dir>/sweep)")
    .option("--jobs <n>", "trials at a time, each in its own process (a number or auto = one per core)", "1")
    .option("--trial <id>", "run this trial only (e.g. t03)")
    .addOption(choiceOption("--engine <engine>", "tfjs (default) or lavis", ["tfjs", "lavis"], "tfjs"))
    .option("--export <dir>", "with --engine lavis: write one LAVIS YAML per trial, launch.sh and sweep.sbatch there")
    .option("--nproc-per-node <n>", "processes per trial (--engine lavis)", positiveInteger("--nproc-per-node"))
    .option("--lavis-root <dir>", "LAVIS checkout the launchers cd into (--engine lavis; default $LAVIS_ROOT)")
    .option("--python <exe>", "Python interpreter of the launchers (--engine lavis)", "python3")
    .option("--torchrun-arg <arg>", "extra argument for torch.distributed.run (repeatable; --engine lavis)", collect, [])
    .option("--sbatch-arg <directive>", "extra #SBATCH directive, e.g. --partition=gpu (repeatable; --engine lavis)", collect, [])
    .option("--force", "replace files in --out or --export that lavisc did not write")
    .option("--quiet", "no progress output")
    .option("--data-root <dir>", "root of the built-in datasets (default $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--storage-root <dir>", "LAVIS's cache_root, for relative storage paths of LAVIS datasets")
    .option("--workers <n>", "image decoding worker threads per trial (default 1, as lavisc run)", integerIn("--workers", 0, 256))
    .option("--allow-http", "accept weights by plain http:// URL (default: https only)")
    .action((file: string, o) => setAction(async (h) => (await import("../../sweep/sweepCommand.js")).sweepCommand(h, file, o)));
}
