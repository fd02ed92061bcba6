import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";

/** The package root (where package.json and stdlib/ live), found from this compiled file's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "stdlib"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("cannot find the lavisc package root (stdlib/ is missing)");
}

/** The stdlib's folder: `$LAVISC_STDLIB` when set (a modified copy, e.g. to try another default), else the package's. */
export function stdlibDir(): string {
  return process.env["LAVISC_STDLIB"] || join(packageRoot(), "stdlib");
}
