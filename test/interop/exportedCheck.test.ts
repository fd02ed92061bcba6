import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, type Host } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { exportYaml } from "../../src/interop/exportYaml.js";
import { checkExported } from "../../src/interop/exportedCheck.js";
import { lavisOnlyDiagnostics } from "../../src/interop/lavisOnly.js";
import { fromRoot } from "../harness/repoRoot.js";
import { corpusProjects, corpusRoot } from "./interopHarness.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

// `export` and `run --engine lavis` check the YAML they hand LAVIS (src/interop/exportedCheck.ts): it writes every
// value out. A LAVIS YAML that leaves a key to LAVIS's code has LAVIS's value (X-InstructBLIP's MSR-VTT captioning
// leaves `test_splits` out: none is tested, in LAVIS and in the export), but for a key whose fallback no value means:
// BLIP's VQAv2 evaluation leaves `valid_splits` out, which the VQA task reads as ["val"] for its answer list and the
// runner as none, so the export's [] leaves the ranking without answers (LV4075), and the export is refused.

const CAPTIONING = "projects/xinstruct_blip/eval/vicuna13b/video/msrvtt_captioning.yaml";
const VQA = "projects/blip/eval/vqav2_eval.yaml";

function capture(): Host & { out: string; err: string } {
  const h = { ...nodeHost(), out: "", err: "", isTTY: false, color: false } as Host & { out: string; err: string };
  h.stdout = (s: string) => void (h.out += s);
  h.stderr = (s: string) => void (h.err += s);
  return h;
}

/** `lavisc export <corpus file> -o <temp>/x.yaml`: its exit code, what it printed, and the file written (null: none). */
async function exportCorpusFile(file: string): Promise<{ code: number; h: ReturnType<typeof capture>; text: string | null }> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-exported-"));
  try {
    const out = join(dir, "x.yaml");
    const h = capture();
    const code = await runCli(["export", join(corpusRoot, file), "-o", out], h);
    return { code, h, text: existsSync(out) ? readFileSync(out, "utf8") : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

testWith(test, LAVIS_CORPUS)("export writes LAVIS's code fallback for a key the YAML leaves out", async () => {
  const { code, h, text } = await exportCorpusFile(CAPTIONING);
  assert.is(code, 0, h.err);
  assert.match(text ?? "", /^  test_splits: \[\]$/m);
  assert.match(text ?? "", /^  valid_splits: \[val\]$/m);
});

testWith(test, LAVIS_CORPUS)("export refuses a YAML whose export LAVIS would stop on, says why, and writes nothing", async () => {
  const { code, h, text } = await exportCorpusFile(VQA);
  assert.is(code, 1, h.err);
  assert.match(h.err, /error\[LV4075\]/);
  assert.match(h.err, /vqav2_eval\.exported\.yaml:\d+:\d+/, "points into the YAML export would write");
  assert.match(h.err, /a VQA task looks up `valid_splits` as \["val"\] for its answer list/);
  assert.is(text, null, "nothing written");
});

testWith(test, LAVIS_CORPUS)("run --engine lavis stops before LAVIS starts (--dry-run too)", async () => {
  const h = capture();
  assert.is(await runCli(["run", join(corpusRoot, VQA), "--engine", "lavis", "--dry-run"], h), 1, h.err);
  assert.match(h.err, /error\[LV4075\]/);
  assert.match(h.err, /LAVIS was not started/);
  assert.not.match(h.out, /torch\.distributed\.run/);
});

testWith(test, LAVIS_CORPUS)("over the corpus and lavisc's projects, an export is refused only where the source relies on a default LAVIS's code does not share", () => {
  const host = nodeHost();
  const files = [...corpusProjects()];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".lv")) files.push(p);
    }
  };
  walk(fromRoot("projects"));
  const unexplained: string[] = [];
  let refused = 0;
  for (const f of files) {
    const r = checkFile(f, host);
    if (!r.resolved || [...r.diagnostics, ...lavisOnlyDiagnostics(r.resolved, "exported")].some((d) => d.severity === "error")) continue;
    const found = checkExported(exportYaml(r.resolved, f), f, host);
    if (!found.errors.length) continue;
    refused++;
    // The other cause: a VQA task reads an absent `valid_splits` as ["val"] for its answer list (stdlib
    // `valid_split_lookup`), where the runner reads it as none; no explicit value means both, so the export's []
    // leaves the ranking without answers (LV4075).
    const explained = r.diagnostics.some((d) => d.code === "LV4019") || found.errors.every((d) => d.code === "LV4075");
    if (!explained) unexplained.push(`${f}: ${found.errors.map((d) => d.code).join(", ")}`);
  }
  assert.equal(unexplained, []);
  // docs/lavis-compatibility.md: the 4 VQA evaluations that leave valid_splits out (42 while a YAML took the
  // documented defaults instead of LAVIS's code fallbacks).
  assert.is(refused, 4, "corpus files and projects whose export LAVIS would stop on");
});

test.run();
