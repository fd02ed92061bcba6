import { resolve } from "node:path";
import type { Host } from "../cli/host.js";
import { ExitCode } from "../cli/exitCodes.js";
import { loadStdlib } from "../project/stdlib.js";
import { SCHEMA_ID, lavisJsonSchema } from "./jsonSchema.js";
import { guardOverwrite } from "../cli/overwriteGuard.js";

export interface SchemaCommandOptions {
  readonly format: "json-schema";
  readonly output?: string;
  readonly force?: boolean;
}

/** `lavisc schema --format json-schema`: the JSON Schema of LAVIS project YAML, from the stdlib this lavisc ships. */
export async function schemaCommand(host: Host, o: SchemaCommandOptions): Promise<number> {
  const text = JSON.stringify(lavisJsonSchema(loadStdlib().registry), null, 2) + "\n";
  if (o.output) {
    const out = resolve(host.cwd, o.output);
    guardOverwrite(host, out, o.force, (old) => old.includes(`"$id": "${SCHEMA_ID}"`));
    host.writeFileAtomic(out, text);
  }
  else host.stdout(text);
  return ExitCode.Ok;
}
