// The built-in datasets a command's experiment reads, made ready and named with the parameters they were made with
// (a value lavisc chose is visible: `--seed 7` data is trained on as seed 7, and the log says so).
import type { Host } from "../host.js";
import type { DatasetSpec } from "../../runtime/runSpec.js";
import { dataParamsText, datasetForRun } from "../../data/index.js";

/** Prepares what is not there yet and uses what is (datasetForRun); one stderr line per dataset unless `quiet`. */
export function useBuiltinDatasets(host: Host, spec: { readonly datasets: readonly Pick<DatasetSpec, "prepare">[] }, dataRoot: string, quiet: boolean): void {
  for (const name of new Set(spec.datasets.flatMap((d) => (d.prepare ? [d.prepare] : [])))) {
    const r = datasetForRun(name, dataRoot);
    if (quiet) continue;
    const how = `version ${r.manifest.generatorVersion}, ${dataParamsText(r.manifest.params)}`;
    host.stderr(r.created ? `prepared the built-in dataset ${name} at ${r.root} (${how})\n` : `using the built-in dataset ${name} at ${r.root} as prepared (${how})\n`);
  }
}
