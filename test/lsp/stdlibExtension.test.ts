import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { LspClient } from "../../tools/lspClient.js";
import { checkAsProtocol } from "./checkAsProtocol.js";

// A fork's `.lavisc/` folder is read as `lavisc check` reads it: every `.lv` file in it (docs/forks.md), not only
// registry.lv, and an extension file open in the editor, saved or not, is one of them with its unsaved text.

const Ext = suite("lsp: the `.lavisc/` stdlib extension");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-ext-"));
const processor = (name: string) => `processor ${name} {\n  size: int = 3\n}\n`;
const config = `experiment x {
  task captioning
  model blip_caption(base_coco) { load_finetuned = false }
  data coco_caption {
    vis_processor.train = my_first_proc { size = 4 }
    vis_processor.eval = my_extra_proc { size = 4 }
    text_processor.train = my_third_proc
  }
}
`;

Ext.after(() => rmSync(dir, { recursive: true, force: true }));

const asCheck = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, message: d.message, line: d.range.start.line, character: d.range.start.character, related: (d.relatedInformation ?? []).map((x) => x.message) }));
const unknownProcessor = (name: string) => (ds: Diagnostic[]) => ds.some((d) => String(d.message).startsWith(`Unknown processor \`${name}\``));

Ext("every `.lv` file of `.lavisc/` is loaded, and an open one with its unsaved text", async () => {
  mkdirSync(join(dir, ".lavisc"));
  mkdirSync(join(dir, "cfg"));
  writeFileSync(join(dir, ".lavisc", "registry.lv"), processor("my_first_proc"));
  writeFileSync(join(dir, ".lavisc", "more.lv"), processor("my_extra_proc"));
  const path = join(dir, "cfg", "e.lv");
  writeFileSync(path, config);
  const client = await LspClient.start(dir, { debounceMs: 5 });
  try {
    const uri = client.open(path, config);
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(asCheck(ds), checkAsProtocol(path, path), "lavisc check's diagnostics");
    assert.ok(!unknownProcessor("my_extra_proc")(ds), "more.lv's processor is known");
    assert.ok(unknownProcessor("my_third_proc")(ds), "no file declares my_third_proc yet");
    // A new extension file, not saved: the config that lists the folder is checked again with it.
    client.open(join(dir, ".lavisc", "third.lv"), processor("my_third_proc"));
    const later = await client.diagnostics(uri, (d) => !unknownProcessor("my_third_proc")(d), 20_000, false);
    assert.ok(!unknownProcessor("my_first_proc")(later) && !unknownProcessor("my_extra_proc")(later));
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Ext.run();
