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

/** The file an installed package's main entry resolves to, from lavisc's own location; null when not installed. */
export function packageEntry(name: string): string | null {
  try {
    return require.resolve(name);
  } catch {
    return null;
  }
}
