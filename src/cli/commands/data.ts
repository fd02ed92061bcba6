import type { Command } from "commander";
import type { Action } from "../main.js";
import { UsageError } from "../main.js";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";

/** `lavisc data prepare NAME [--root DIR]`: writes a built-in dataset (generated shapes, or Fashion-MNIST from Debian). */
export async function dataPrepareCommand(host: Host, name: string, o: { root?: string; seed?: string }): Promise<number> {
  const data = await import("../../data/index.js");
  if (!(data.BUILTIN_DATASETS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown dataset '${name}'; built-in datasets: ${data.BUILTIN_DATASETS.join(", ")}`);
  }
  const root = o.root ?? data.defaultDataRoot(host.env as NodeJS.ProcessEnv);
  try {
    const started = Date.now();
    const r = data.prepareDataset(name, { root, ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}) });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    host.stdout(`${name}: ${r.created ? `prepared in ${secs} s` : "already prepared"} at ${r.root}\n`);
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof data.DataError) {
      host.stderr(`error: ${e.message}\n`);
      return ExitCode.Diagnostics;
    }
    throw e;
  }
}

export const registerDataCommand = (program: Command, setAction: (a: Action) => void): void => {
  const data = program.command("data").description("built-in datasets");
  data
    .command("prepare")
    .description("write a built-in dataset: shapes (generated) or fashion-mnist (Debian's dataset-fashion-mnist)")
    .argument("<name>")
    .option("--root <dir>", "data root (default: $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--seed <n>", "generator seed (shapes)")
    .action((name: string, o) => setAction((h) => dataPrepareCommand(h, name, o)));
};
