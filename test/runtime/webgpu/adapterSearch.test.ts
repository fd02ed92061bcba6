import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { fromRoot } from "../../harness/repoRoot.js";
import { findWebGpuAdapters, pickAdapter } from "../../../src/runtime/backend/webgpuAdapter.js";
import { probeAdapterInChild } from "../../../src/runtime/backend/adapterProbeProcess.js";
import { parityTest, webgpuUnavailable } from "./parity.js";

// The adapter search asks Dawn for the OpenGL ES adapter in a child process (adapterProbeProcess.ts): Dawn's warnings
// about that adapter stay out of the user's terminal unless a run uses it, and a run still gets it.

const unavailable = await webgpuUnavailable();

parityTest(test, "the search prints nothing of Dawn's; the adapter it names opens in this process", unavailable, async () => {
  const module = pathToFileURL(fromRoot("dist/src/runtime/backend/webgpuAdapter.js")).href;
  const script = `import(${JSON.stringify(module)}).then(async (m) => console.log(JSON.stringify((await m.findWebGpuAdapters()).found.map((a) => a.name))))`;
  const searched = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.is(searched.status, 0, searched.stderr);
  assert.is(searched.stderr, "", "the search writes nothing to stderr");
  const names = JSON.parse(searched.stdout) as string[];
  assert.ok(names.length > 0);
  // Here, in this process: the same adapters, and the first one opens (as `device webgpu` would use it).
  assert.equal((await findWebGpuAdapters()).found.map((a) => a.name), names);
  const { adapter } = await pickAdapter(true);
  assert.ok(adapter, "the adapter opens");
  assert.is(adapter.name, names[0]);
});

test("a backend Dawn does not know gives no adapter and no error", async () => {
  const answer = await probeAdapterInChild("no-such-backend", {}, 30_000).answer;
  assert.ok("problem" in answer || "none" in answer, JSON.stringify(answer));
});

parityTest(test, "asking for the search's answer again and again adds no listener to the finished probe's pipes", unavailable, async () => {
  // A long-lived process (the language server, a test run) asks many times; each ask used to ref() the probe's
  // closed pipes, adding a listener each time until Node warned of a leak.
  const module = pathToFileURL(fromRoot("dist/src/runtime/backend/webgpuAdapter.js")).href;
  const script = `import(${JSON.stringify(module)}).then(async (m) => { m.startWebGpuAdapterSearch(); for (let i = 0; i < 25; i++) await m.findWebGpuAdapters(); })`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, "", "no MaxListenersExceededWarning");
});

test.run();
