import { join, resolve } from "node:path";
import type { Host } from "../cli/host.js";
import { ExitCode } from "../cli/exitCodes.js";
import { loadStdlib } from "../project/stdlib.js";
import { extendStdlib, extensionFilesFor } from "../project/stdlibExtension.js";
import type { Registry } from "../semantic/registry.js";
import { SCHEMA_ID, lavisJsonSchema } from "./jsonSchema.js";
import { guardOverwrite } from "../cli/overwriteGuard.js";

export interface SchemaCommandOptions {
  readonly format: "json-schema";
  readonly output?: string;
  readonly force?: boolean;
}

/**
 * `lavisc schema --format json-schema`: the JSON Schema of LAVIS project YAML, from the stdlib this lavisc ships and
 * the stdlib extension a config in the current folder is checked with (the nearest `.lavisc/`, or `--stdlib-ext`), so
 * a fork's registered archs, processors and builders are among the schema's names as `lavisc check` accepts them.
 */
export async function schemaCommand(host: Host, o: SchemaCommandOptions): Promise<number> {
  const text = JSON.stringify(lavisJsonSchema(registryAt(host)), null, 2) + "\n";
  if (o.output) {
    const out = resolve(host.cwd, o.output);
    guardOverwrite(host, out, o.force, (old) => old.includes(`"$id": "${SCHEMA_ID}"`));
    host.writeFileAtomic(out, text);
  }
  else host.stdout(text);
  return ExitCode.Ok;
}

/** The registry a config in the current folder gets (its extension's files that do not load are left out, as in check). */
function registryAt(host: Host): Registry {
  const std = loadStdlib();
  const files = extensionFilesFor(join(resolve(host.cwd), "config.yaml"), host);
  return files.length ? extendStdlib(std, files, host).registry : std.registry;
}
