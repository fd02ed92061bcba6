// Which file a checkpoint path names is decided by what exists before its extension: `resume_ckpt_path =
// "/nonexistent/ckpt.pth"` was reported as "a PyTorch pickle, which lavisc cannot read" instead of missing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { locateCheckpoint } from "../../src/runtime/checkpoint/checkpointLocation.js";

const dir = mkdtempSync(join(tmpdir(), "lavisc-ckpt-location-"));

test("a missing file is missing, whatever its extension", () => {
  for (const name of ["ckpt.pth", "ckpt.json", "ckpt.safetensors"]) {
    const r = loadCheckpoint(join(dir, "nowhere", name));
    assert.not.ok(r.ok);
    assert.match((r as { error: string }).error, new RegExp(`checkpoint \\S+/nowhere/${name.replace(".", "\\.")} not found$`));
  }
  assert.match((loadCheckpoint(join(dir, "nowhere", "ckpt")) as { error: string }).error, /not found \(nor \S+ckpt\.json, nor \S+ckpt\.safetensors\)/);
});
test("a PyTorch pickle that exists is refused with the conversion; a bare safetensors file and a JSON half are told apart", () => {
  writeFileSync(join(dir, "model.pth"), "PK\u0003\u0004");
  assert.match((loadCheckpoint(join(dir, "model.pth")) as { error: string }).error, /is a PyTorch pickle, which lavisc cannot read/);
  writeFileSync(join(dir, "w.safetensors"), "");
  assert.equal(locateCheckpoint(join(dir, "w.safetensors")), { kind: "weights", path: join(dir, "w.safetensors") });
  assert.equal(locateCheckpoint(join(dir, "w")), { kind: "weights", path: join(dir, "w.safetensors") });
  writeFileSync(join(dir, "c.json"), "{}");
  assert.equal(locateCheckpoint(join(dir, "c")), { kind: "lavisc", jsonPath: join(dir, "c.json") });
  assert.equal(locateCheckpoint(join(dir, "c.safetensors")), { kind: "lavisc", jsonPath: join(dir, "c.json") });
});
test.run();
