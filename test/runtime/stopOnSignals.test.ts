// The second Ctrl-C must quit even when a thread is stuck in a system call (here open() of a named pipe with no
// writer), which process.exit would wait for forever.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const test = suite("stopOnSignals");
const moduleUrl = new URL("../../src/runtime/train/stopOnSignals.js", import.meta.url).href;

const CHILD = `
import { open } from "node:fs/promises";
const { stopOnSignals } = await import(process.argv[1]);
stopOnSignals(() => process.stderr.write("first\\n"));
open(process.argv[2]).catch(() => undefined); // blocks a libuv thread in open() until a writer comes
setTimeout(() => process.kill(process.pid, "SIGINT"), 200);
setTimeout(() => process.kill(process.pid, "SIGINT"), 400);
setInterval(() => undefined, 1000);
`;

test("a second SIGINT ends the process at once, by the signal, though a thread is blocked in open()", async () => {
  const fifo = join(mkdtempSync(join(tmpdir(), "lavisc-sig-")), "pipe");
  execFileSync("mkfifo", [fifo]);
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, moduleUrl, fifo], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => {
    try { closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)); } catch { /* nothing waits on it */ }
    setTimeout(() => child.kill("SIGKILL"), 1000);
  }, 8000);
  const { code, signal } = await ended;
  clearTimeout(timer);
  assert.is(stderr, "first\n");
  assert.equal({ code, signal }, { code: null, signal: "SIGINT" }, "died of the second SIGINT (the shell reports 130)");
});

test.run();
