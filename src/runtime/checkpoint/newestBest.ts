// The best checkpoint of a project's newest run: LAVIS's layout puts each run in <output_dir>/<job id>/, job ids are
// start times (YYYYMMDDHHM, with _N for a second run in the same ten minutes), so the newest run sorts last.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** `<output_dir>/<newest job with one>/checkpoint_best.json`, or null when no run under output_dir has written one. */
export function newestBestCheckpoint(outputDir: string): string | null {
  if (!existsSync(outputDir)) return null;
  const order = (name: string): [string, number] => {
    const m = /^(\d+)(?:_(\d+))?$/.exec(name);
    return [m ? m[1]! : name, m?.[2] ? Number(m[2]) : 0];
  };
  const jobs = readdirSync(outputDir)
    .filter((name) => /^\d+(_\d+)?$/.test(name) && statSync(join(outputDir, name)).isDirectory() && existsSync(join(outputDir, name, "checkpoint_best.json")))
    .sort((a, b) => {
      const [x, i] = order(a), [y, j] = order(b);
      return x < y ? -1 : x > y ? 1 : i - j;
    });
  return jobs.length ? join(outputDir, jobs.at(-1)!, "checkpoint_best.json") : null;
}
