import { test } from "uvu";
import * as assert from "uvu/assert";
import { memoryHost, snapshotHost } from "../../src/cli/host.js";
import { extensionFilesFor } from "../../src/project/stdlibExtension.js";

// A folder check asks for the nearest `.lavisc/` of every file; a snapshot host (a read-only command's view of the
// file system) answers each folder once, and forgets when the command writes a file.

const files = {
  "/p/.lavisc/registry.lv": "",
  "/p/.lavisc/more.lv": "",
  "/p/a/x/one.yaml": "",
  "/p/a/y/two.yaml": "",
  "/q/three.yaml": "",
};

test("the nearest .lavisc/ above a file, its .lv files sorted; none above: no files", () => {
  const host = memoryHost(files);
  assert.equal(extensionFilesFor("/p/a/x/one.yaml", host), ["/p/.lavisc/more.lv", "/p/.lavisc/registry.lv"]);
  assert.equal(extensionFilesFor("/q/three.yaml", host), []);
});

test("a snapshot host lists each folder once for many files, and gives what the plain host gives", () => {
  const base = memoryHost(files);
  const listed: string[] = [];
  const asked: string[] = [];
  const counting = Object.assign(Object.create(base) as typeof base, {
    listDir: (p: string) => (listed.push(p), base.listDir(p)),
    isDirectory: (p: string) => (asked.push(p), base.isDirectory(p)),
  });
  const host = snapshotHost(counting);
  for (const f of ["/p/a/x/one.yaml", "/p/a/y/two.yaml", "/p/a/x/one.yaml"]) {
    assert.equal(extensionFilesFor(f, host), extensionFilesFor(f, base));
  }
  // Each folder is asked once whether it has a `.lavisc/`; only the one that has it is listed (a failed listing throws).
  assert.equal(asked.sort(), ["/p/.lavisc", "/p/a/.lavisc", "/p/a/x/.lavisc", "/p/a/y/.lavisc"]);
  assert.equal(listed, ["/p/.lavisc"]);
});

test("a write through the snapshot host forgets the extensions it found", () => {
  const base = memoryHost(files);
  const host = snapshotHost(base);
  assert.equal(extensionFilesFor("/q/three.yaml", host), []);
  host.writeFileAtomic("/q/.lavisc/registry.lv", "");
  assert.equal(extensionFilesFor("/q/three.yaml", host), ["/q/.lavisc/registry.lv"]);
});

test.run();
