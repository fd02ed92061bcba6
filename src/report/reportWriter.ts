// The run listener that keeps <run dir>/report.html current: every change of the records (a log interval's losses,
// an epoch's means, an evaluation, the end) re-renders the page and replaces the file atomically, so a browser
// watching it never sees half a page. A failed write is reported once and never stops the run.
import { join } from "node:path";
import { writeFileAtomic } from "../storage/index.js";
import { RunRecorder, type RecorderOptions } from "./runRecorder.js";
import { renderRunReport } from "./runReport.js";
import { REPORT_FILE } from "../runtime/train/runFiles.js";

export { REPORT_FILE };

export function reportWriter(o: Omit<RecorderOptions, "onChange"> & { readonly warn?: (message: string) => void }): RunRecorder {
  let failed = false;
  return new RunRecorder({
    ...o,
    onChange: (records) => {
      if (!records.runDir || failed) return;
      const path = join(records.runDir, REPORT_FILE);
      try {
        writeFileAtomic(path, renderRunReport(records));
      } catch (e) {
        failed = true;
        o.warn?.(`could not write ${path} (${(e as Error).message}); the run goes on without its report`);
      }
    },
  });
}
