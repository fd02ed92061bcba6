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

test("digits follow the interval: up to the first significant digit of its half-width; bounds rounded outwards", () => {
  assert.is(decimalsFor({ low: 40.2, high: 49.9, method: "" }), 0, "half-width 4.85: whole points");
  assert.is(decimalsFor({ low: 80.0, high: 83.4, method: "" }), 0, "half-width 1.7");
  assert.is(decimalsFor({ low: 0.78, high: 0.83, method: "" }), 2, "half-width 0.025");
  assert.is(decimalsFor({ low: 0.801, high: 0.809, method: "" }), 3);
  assert.is(decimalsFor({ low: 0.5, high: 0.5, method: "" }), 3, "no width: three decimals");
  assert.is(withInterval(0.808, { low: 0.7824, high: 0.8312, method: "" }), "0.81 [0.78, 0.84]");
  assert.is(withInterval(45.71, { low: 41.0, high: 50.2, method: "" }), "46 [41, 51]");
  // The audit's case: rounded to one decimal, 0.379 [0.325, 0.437] read "0.4 [0.3, 0.4]", the estimate on its bound.
  assert.is(withInterval(0.379, { low: 0.3246, high: 0.4365, method: "" }), "0.38 [0.32, 0.44]");
  assert.is(withInterval(25.0556, { low: 20.61, high: 29.44, method: "" }), "25 [20, 30]");
  assert.is(withInterval(0.8, { low: 0.78, high: 0.83, method: "" }), "0.80 [0.78, 0.83]", "bounds on the grid stay");
});

test.run();
