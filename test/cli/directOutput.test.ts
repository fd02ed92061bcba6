import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";

// The binary writes its output with fs.writeSync (src/cli/directOutput.ts). A reader that stops early (`| head`) must
// end it quietly with the command's own exit code, never with Node's "Unhandled 'error' event" trace; a reader that
// reads everything gets every byte.

const BIN = fromRoot("bin", "lavisc.cjs");

/** A folder of 200 copies of a file with errors: about 245 kB of report, more than a pipe holds. */
function bigReportFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-output-"));
  for (let i = 0; i < 200; i++) copyFileSync(fromRoot("test", "cases", "hostile", "infinite_init_lr.yaml"), join(dir, `copy_${String(i).padStart(3, "0")}.yaml`));
  return dir;
}

function run(dir: string, stopAfterFirstChunk: boolean): Promise<{ code: number | null; stderr: string; bytes: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, "check", dir, "--jobs", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let bytes = 0;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      bytes += d.length;
      if (stopAfterFirstChunk) child.stdout.destroy();
    });
    child.on("close", (code) => done({ code, stderr, bytes }));
  });
}

test("a reader that stops early ends the output quietly, with exit 1 for the errors found", async () => {
  const dir = bigReportFolder();
  try {
    const all = await run(dir, false);
    assert.is(all.code, 1);
    assert.ok(all.bytes > 200_000, `${all.bytes} bytes`);
    const cut = await run(dir, true);
    assert.is(cut.code, 1, cut.stderr);
    assert.not.match(cut.stderr, /Unhandled|EPIPE|at /);
    assert.ok(cut.bytes < all.bytes, `${cut.bytes} of ${all.bytes} bytes read`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
