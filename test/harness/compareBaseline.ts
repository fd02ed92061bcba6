import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import * as assert from "uvu/assert";
import { fromRoot, repoRoot } from "./repoRoot.js";

export const updatingBaselines = process.env.UPDATE_BASELINES === "1";

/**
 * Golden-file check: `actual` must equal the checked-in baseline at `baselinePath` (relative to the repo root).
 * With UPDATE_BASELINES=1 the baseline is rewritten instead, and the test passes.
 */
export function compareBaseline(baselinePath: string, actual: string): void {
  const file = fromRoot(baselinePath);
  if (updatingBaselines) {
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, "utf8") !== actual) writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    assert.unreachable(`missing baseline ${relative(repoRoot(), file)}; run with UPDATE_BASELINES=1 to create it`);
  }
  // uvu's fixture assertion prints a line diff; the message says how to accept an intended change.
  assert.fixture(actual, readFileSync(file, "utf8"), `${baselinePath} differs (UPDATE_BASELINES=1 rewrites it after review)`);
}
