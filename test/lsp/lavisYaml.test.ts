import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLavisYaml } from "../../src/lsp/analysis.js";
import { checkAsProtocol } from "./checkAsProtocol.js";

// Which YAML the language server checks: the files `lavisc check` reads as LAVIS configs (their parsed top-level
// keys), however the keys are written, and no other YAML of the workspace (a conda environment, a CI workflow).

const LAVIS = {
  "a quoted key": `"run": {task: captioning, initlr: 1}\n`,
  "a flow mapping": "{run: {task: captioning, initlr: 1}}\n",
  "a document marker": "--- {run: {task: captioning, initlr: 1}}\n",
  "an explicit key": "? run\n: {task: captioning, initlr: 1}\n",
  "a single-quoted model": "'model': {arch: blip_captoin}\n",
  "only preprocess": "preprocess:\n  vis_processorr: {}\n",
  "a byte order mark": "\uFEFFrun: {task: captioning, initlr: 1}\n",
  "a block mapping": "model:\n  arch: blip_captoin\n",
  "a syntax error mid-edit": "run:\n  task: captioning\n  init_lr: [1\n",
};
const OTHER = {
  "an empty file": "",
  "a conda environment": "name: lavis\nchannels: [defaults]\ndependencies: [python=3.8, {pip: [run]}]\n",
  "a workflow whose steps run": "on: push\njobs:\n  b:\n    steps:\n      - run: make\n",
  "a list": "- run: x\n- model: y\n",
  "a template that does not parse": "name: {{ .Values.name }}\nitems:\n  - run: [\n",
};

const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-yaml-"));

test("LAVIS YAML however its keys are written: the server checks it, and check reports on it", () => {
  for (const [what, text] of Object.entries(LAVIS)) {
    assert.ok(isLavisYaml(text), what);
    const path = join(dir, "c.yaml");
    writeFileSync(path, text);
    assert.ok(checkAsProtocol(path, path).length > 0, `check reports on ${what}`);
  }
});

test("other YAML is left alone", () => {
  for (const [what, text] of Object.entries(OTHER)) assert.not.ok(isLavisYaml(text), what);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
