// Where a config may make lavisc write: inside a root that lavisc owns (the annotation storage root, the download
// cache). A path is inside when it is lexically below the root and stays below it after following the symbolic links
// of the part that exists already (a link inside the root that points elsewhere does not count as inside).
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** `path` with the links of its longest existing prefix followed; the rest appended as written. */
function realish(path: string): string {
  let head = resolve(path);
  const rest: string[] = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    rest.unshift(head.slice(up.length).replace(/^[\\/]/, ""));
    head = up;
  }
  let real = head;
  try { real = realpathSync(head); } catch { /* keep the lexical form */ }
  return rest.length ? join(real, ...rest) : real;
}

function below(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** True when `path` is strictly inside `root`, lexically and after following existing links. */
export function isInside(root: string, path: string): boolean {
  return below(resolve(root), resolve(path)) && below(realish(root), realish(path));
}
