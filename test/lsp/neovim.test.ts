import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captureExample, runNeovimSession } from "../../tools/neovimSession.js";
import { NEOVIM, testWith } from "../harness/requires.js";

// The language server in a real editor: headless Neovim's built-in LSP client (Debian's neovim 0.7.2) starts
// `lavisc lsp --stdio`, receives the diagnostics of a file with mistakes, and shows a hover and a completion menu.

const Neovim = suite("lsp: Neovim's built-in client");
const test = testWith(Neovim, NEOVIM);

test("diagnostics, hover and completion reach Neovim", () => {
  const s = runNeovimSession(captureExample.file, captureExample.at);
  assert.equal(s.errors, []);
  const byCode = new Map(s.diagnostics.map((d) => [d.code, d]));
  // LV4019: the example relies on a documented default LAVIS's code does not share (a warning).
  assert.equal([...byCode.keys()].sort(), ["LV2001", "LV3003", "LV4001", "LV4019"]);
  const typo = byCode.get("LV2001")!;
  assert.is(typo.severity, "ERROR");
  assert.is(typo.line, 19);
  assert.match(typo.message, /^Unknown key `lerning_rate` in `run`\.\nhelp: Did you mean `init_lr`\?/);
  assert.match(byCode.get("LV4001")!.message, /`min_len` must not exceed max_len/);
  const hover = s.hover.join("\n");
  assert.match(hover, /\*\*min_len\*\*: `int/);
  assert.match(hover, /`run\.min_len = 25`/);
  assert.match(hover, /set at .*caption_typo\.lv:26/);
  assert.ok(s.completion.includes("base_coco") && s.completion.includes("large_coco"), `model types: ${s.completion}`);
});

Neovim.run();
