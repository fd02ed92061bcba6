import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { forkReport } from "../../tools/forkReport.js";
import { SHARED_FORKS } from "./forkHarness.js";
import { FORK_CONFIGS, testWith } from "../harness/requires.js";

// The two real repositories of ../shared/fork-configs (TimeChat, VIGC), scanned and checked as docs/forks.md
// reports them: the document's table is the measurement, and every remaining error is one it explains.

testWith(test, FORK_CONFIGS)("docs/forks.md shows each repository's table and every remaining error", async () => {
  const doc = readFileSync(fromRoot("docs", "forks.md"), "utf8");
  const reports = await forkReport(SHARED_FORKS);
  assert.equal(reports.map((r) => r.name), ["TimeChat", "VIGC"]);
  for (const r of reports) {
    const row = `| ${r.name} | ${r.totals.files} | ${r.totals.clean} | ${r.totals.warningsOnly} | ${r.totals.errors} |`;
    assert.ok(doc.includes(row), `docs/forks.md lacks the row ${row}`);
    for (const line of r.table) assert.ok(doc.includes(line), `docs/forks.md lacks the table line "${line}" of ${r.name}`);
    for (const e of r.errors) {
      const [where, code] = e.split(" ");
      assert.ok(doc.includes(`\`${where}\``) && doc.includes(code!), `docs/forks.md does not explain ${e}`);
    }
  }
  // What the measurement found: no error that is not a real problem (docs/forks.md says which each is).
  assert.is(reports[0]!.totals.errors, 0);
  assert.equal(reports[1]!.errors.map((e) => e.split(" ").slice(0, 2).join(" ")), [
    "vigc/projects/mini_gpt4_vicuna13b/vigc/llava-150k/lora_vig.yaml:95 LV3003",
    "vigc/projects/mini_gpt4_vicuna13b/vigc/llava-150k/lora_vig.yaml:95 LV3003",
    "vigc/projects/mini_gpt4_vicuna7b/vigc/llava-150k/normal_vigc.yaml:89 LV3003",
    "vigc/projects/mini_gpt4_vicuna7b/vigc/llava-150k/normal_vigc.yaml:89 LV3003",
  ]);
});

test.run();
