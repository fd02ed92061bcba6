import { nodeHost, type Host } from "../../src/cli/host.js";

/** The real file system's host, in `cwd`, with stdout and stderr captured (no colour, not a terminal). */
export function captureHost(cwd: string): Host & { out: string; err: string } {
  const h = { ...nodeHost(), cwd, color: false, isTTY: false, out: "", err: "" };
  h.stdout = (t: string) => void (h.out += t);
  h.stderr = (t: string) => void (h.err += t);
  return h;
}
