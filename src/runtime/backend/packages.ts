// Whether an npm package is installed, resolved from lavisc's own location without loading it.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function packageInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
