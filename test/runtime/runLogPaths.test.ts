// The run's messages name its folder on one line: output_dir may hold a line break (LAVIS creates such a folder), and
// a raw one split `saved …/out/a` and `b/…/checkpoint_0.json` into what looked like two paths.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunLog } from "../../src/runtime/train/runLog.js";

test("a line break in the run folder is shown as ␊ in the start and checkpoint messages", () => {
  const lines: string[] = [];
  const logger = { info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m) };
  const runDir = join(mkdtempSync(join(tmpdir(), "lavisc-runlog-")), "a\nb");
  const log = new RunLog(runDir, logger, undefined, []);
  log.start("wasm", "cpu", "asked for");
  log.checkpoint(join(runDir, "checkpoint_0.json"), "epoch");
  assert.ok(lines.every((l) => !l.includes("\n")), lines.join(" | "));
  assert.match(lines[0]!, /; output \S+a␊b$/);
  assert.match(lines[1]!, /^saved \S+a␊b\/checkpoint_0\.json$/);
});

test.run();
