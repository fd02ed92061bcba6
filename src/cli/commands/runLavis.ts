import type { Host } from "../host.js";
import type { CheckResult } from "../../index.js";
import type { RunCommandOptions } from "./run.js";
import { ExitCode } from "../exitCodes.js";

/** `lavisc run --engine lavis`: export to LAVIS YAML and launch LAVIS under torch.distributed (see runLavisLaunch). */
export async function runWithLavis(host: Host, path: string, checked: CheckResult, o: RunCommandOptions): Promise<number> {
  const launch = await import("../../interop/launchLavis.js").catch(() => null);
  if (!launch) {
    host.stderr("error: --engine lavis is not available in this build\n");
    return ExitCode.Internal;
  }
  return launch.launchLavis(host, path, checked, o);
}
