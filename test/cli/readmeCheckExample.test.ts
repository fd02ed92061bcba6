import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";

// README's "What it catches" shows `$ lavisc check exp.lv` and its output; exp.lv is docs/examples/exp.lv. The block is
// read from README and the command it shows is run there with the binary, so a change of the message, of the
// rendering or of the stdlib's line numbers (the check's `stdlib/recipe.lv:LINE`) fails here until README shows it.

interface ShownCommand {
  readonly argv: string[];
  readonly output: string;
}

/** The README's ```text block that starts with `$ lavisc check `: the command's arguments and the output shown. */
function readmeCheckExample(): ShownCommand {
  const readme = readFileSync(fromRoot("README.md"), "utf8");
  const block = /```text\n\$ lavisc (check [^\n]+)\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README has no ```text block starting with `$ lavisc check`");
  return { argv: block[1]!.trim().split(/\s+/), output: block[2]! };
}

test("README's `lavisc check exp.lv` block is what the command prints for docs/examples/exp.lv", () => {
  const shown = readmeCheckExample();
  assert.equal(shown.argv, ["check", "exp.lv"]);
  // A cache and data root of its own: nothing the machine has already downloaded or counted changes the output.
  const cache = mkdtempSync(join(tmpdir(), "lavisc-readme-check-"));
  try {
    const r = spawnSync(process.execPath, [fromRoot("bin", "lavisc.cjs"), ...shown.argv], {
      cwd: fromRoot("docs", "examples"),
      encoding: "utf8",
      env: { ...process.env, LAVISC_CACHE: cache, LAVISC_DATA: join(cache, "data"), NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    assert.is(r.stderr, "");
    assert.is(r.status, 1, "exit 1: the example has an error");
    // README leaves out the summary line that ends the report.
    const summary = "\n1 error\n";
    assert.ok(r.stdout.endsWith(summary), `the report ends with "1 error":\n${r.stdout}`);
    assert.fixture(r.stdout.slice(0, -summary.length), shown.output);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
