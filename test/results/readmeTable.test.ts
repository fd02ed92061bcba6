// README's results table is generated from results/*.json: it fails when someone edits one without the other.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decimalsFor, renderResultsTable, TABLE_BEGIN, TABLE_END, withInterval } from "../../src/results/readmeTable.js";
import { resultName, type ProjectEntry, type ProjectResult } from "../../src/results/resultFile.js";
import { repoRoot } from "../harness/repoRoot.js";

test("README's results table is what results/*.json generate (npm run results -- --table rewrites it)", () => {
  const root = repoRoot();
  const entries = JSON.parse(readFileSync(join(root, "results", "projects.json"), "utf8")) as ProjectEntry[];
  const results = new Map<string, ProjectResult>();
  for (const e of entries) {
    const p = join(root, "results", `${resultName(e.project)}.json`);
    if (existsSync(p)) results.set(e.project, JSON.parse(readFileSync(p, "utf8")) as ProjectResult);
  }
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const shown = readme.slice(readme.indexOf(TABLE_BEGIN), readme.indexOf(TABLE_END) + TABLE_END.length);
  assert.fixture(shown, renderResultsTable(entries, results));
});

test("digits follow the interval: one decimal when it is wider than 0.1, two when wider than 0.01", () => {
  assert.is(decimalsFor({ low: 40.2, high: 49.9, method: "" }), 1);
  assert.is(decimalsFor({ low: 0.78, high: 0.83, method: "" }), 2);
  assert.is(decimalsFor({ low: 0.801, high: 0.809, method: "" }), 3);
  assert.is(withInterval(0.808, { low: 0.7824, high: 0.8312, method: "" }), "0.81 [0.78, 0.83]");
  assert.is(withInterval(45.71, { low: 41.0, high: 50.2, method: "" }), "45.7 [41.0, 50.2]");
});

test.run();
