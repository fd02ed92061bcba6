// `-o` never replaces the input, also when it names a link to it; migrate writes `.lv` text only to a `.lv` name.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { captureHost } from "../harness/captureHost.js";
import { fromRoot } from "../harness/repoRoot.js";


test("export -o and migrate -o/--write through a link to the input are refused (usage, exit 2); the input is kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-overwrite-"));
  const input = join(dir, "a.yaml");
  copyFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), input);
  const original = readFileSync(input, "utf8");
  symlinkSync(input, join(dir, "link.yaml"));
  symlinkSync(input, join(dir, "a.lv"));
  for (const argv of [["export", "a.yaml", "-o", "link.yaml", "--force"], ["migrate", "a.yaml", "-o", "link.yaml", "--force"], ["migrate", "a.yaml", "--write", "--force"]]) {
    const h = captureHost(dir);
    assert.is(await runCli(argv, h), 2, argv.join(" "));
    assert.match(h.err, /refusing to overwrite the input a\.yaml/);
  }
  const h = captureHost(dir);
  assert.is(await runCli(["migrate", "a.yaml", "-o", "out.yaml"], h), 2);
  assert.match(h.err, /-o out\.yaml: migrate writes \.lv text, so the output's name ends in \.lv/);
  assert.is(readFileSync(input, "utf8"), original);
});

test.run();
