// The run directory as LAVIS lays it out: <output_dir>/<job_id>/{log.txt, evaluate.txt, checkpoint_*, result/}.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isInside, makeFolder, StorageError, storageFault, writeFileAtomic } from "../../storage/index.js";
import { LOG_FILE, RESULT_FOLDER } from "./runFiles.js";

/** LAVIS's job id: strftime("%Y%m%d%H%M")[:-1] (local time, 11 digits). */
export function lavisJobId(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}`.slice(0, -1);
}

/** Creates a fresh run directory; an existing one is never reused (suffix _1, _2, ...). */
export function createRunDir(outputDir: string, now: Date): string {
  const root = resolve(outputDir);
  makeFolder(root);
  const id = lavisJobId(now);
  for (let n = 0; ; n++) {
    const dir = join(root, n === 0 ? id : `${id}_${n}`);
    try {
      mkdirSync(dir); // fails if it exists, which makes the choice race-free
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw storageFault(e, join(dir, LOG_FILE), null) ?? e;
    }
    makeFolder(join(dir, RESULT_FOLDER));
    return dir;
  }
}

/** `<run dir>/result/<name>`; a name (made from a split name of the config) that would leave that folder is refused. */
export function resultFile(runDir: string, name: string): string {
  const folder = join(runDir, RESULT_FOLDER);
  const path = join(folder, name);
  if (!isInside(folder, path) || name.includes("/") || name.includes("\\")) {
    throw new StorageError("outside-root", `the result file name ${JSON.stringify(name)} (made from a split name) would be written outside ${folder}; name the split without path separators`, path);
  }
  return path;
}

/** Append-only text file whose every update is an atomic replace (a crash never leaves a torn line). */
export class AtomicLog {
  private content: string;

  constructor(readonly path: string) {
    this.content = existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  append(text: string): void {
    this.content += text;
    writeFileAtomic(this.path, this.content);
  }
}

/** Python's "{:.3f}": correctly rounded, exact binary ties to even (JS toFixed rounds ties up). */
export function fmt3(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  // A binary double sits exactly halfway between two 3-decimal values iff it is an odd multiple of 1/16.
  const sixteenths = Math.abs(x) * 16;
  if (Number.isInteger(sixteenths) && sixteenths % 2 === 1 && sixteenths < 2 ** 48) {
    let n = Math.floor(Math.abs(x) * 1000);
    if (n % 2 === 1) n++;
    const s = `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, "0")}`;
    return x < 0 ? `-${s}` : s;
  }
  return x.toFixed(3);
}
