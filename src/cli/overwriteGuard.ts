import type { Host } from "./host.js";
import { UsageError } from "./usageError.js";

// Nothing the user wrote is lost: an output file (`-o`) that exists is replaced only when lavisc wrote it (its header
// says so, so regenerating one just works) or when the command says `--force`.

/**
 * Throws a usage error when `path` holds a file lavisc did not write (`writtenByLavisc` reads its text; null for a
 * format with no header to tell, where any existing file is kept) and `force` is off.
 */
export function guardOverwrite(host: Host, path: string, force: boolean | undefined, writtenByLavisc: ((text: string) => boolean) | null): void {
  if (force || !host.exists(path) || host.isDirectory(path)) return;
  if (!writtenByLavisc) throw new UsageError(`${path} exists; pass --force to overwrite it`);
  let text = "";
  try {
    text = host.readFile(path);
  } catch {
    /* unreadable: not one of lavisc's files as far as can be told */
  }
  if (!writtenByLavisc(text)) throw new UsageError(`${path} exists and was not written by lavisc; pass --force to overwrite it`);
}

/** True when `a` and `b` name one file: the same path, or a link to the other (so `-o link.yaml` cannot replace its input). */
export function sameFile(host: Host, a: string, b: string): boolean {
  if (a === b) return true;
  const real = (p: string) => {
    try {
      return host.realPath?.(p) ?? p;
    } catch {
      return p; // not there yet: a new file
    }
  };
  return real(a) === real(b);
}
