import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";

// `--format json` is for programs: when a command cannot show what was asked for because of errors, its stdout still
// carries the reason, in `check --format json`'s form, instead of being empty (the human form stays on stderr).

const test = suite("--format json on errors");

// A string learning rate (LV3001) and no dataset (LV2018): nothing to plan or draw.
const BAD = "model:\n  arch: blip_retrieval\n  model_type: coco\nrun:\n  task: retrieval\n  init_lr: \"x\"\n";

async function cli(argv: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string }> {
  const h = memoryHost({ "/w/bad.yaml": BAD }, "/w");
  const code = await runCli(argv, h);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(h.out) as Record<string, unknown>;
  } catch {
    throw new Error(`${argv.join(" ")}: stdout is not JSON:\n${h.out.slice(0, 500)}`);
  }
  return { code, json, err: h.err };
}

const codes = (json: Record<string, unknown>) => (json["diagnostics"] as { code: string }[]).map((d) => d.code);

for (const command of ["plan", "graph"]) {
  test(`${command} --format json prints the diagnostics that stop it`, async () => {
    const r = await cli([command, "bad.yaml", "--format", "json"]);
    assert.is(r.code, 1);
    assert.ok(codes(r.json).includes("LV3001"), JSON.stringify(r.json).slice(0, 300));
    assert.ok(codes(r.json).includes("LV2018"));
    assert.ok((r.json["errors"] as number) >= 2);
    assert.match(r.err, /error\[LV3001\]/, "the human form still goes to stderr");
  });
}

test("explain --format json shows the config with its errors", async () => {
  const r = await cli(["explain", "bad.yaml", "--format", "json"]);
  assert.is(r.code, 1);
  assert.ok(r.json["config"], "the config that resolved");
  const init = (r.json["diagnostics"] as { code: string; path: string | null; line: number | null }[]).find((d) => d.code === "LV3001");
  assert.ok(init, JSON.stringify(r.json["diagnostics"]));
  assert.is(init!.path, "run.init_lr");
  assert.is(init!.line, 6);
});

test("explain --format json of a file that cannot be read prints the diagnostic", async () => {
  const r = await cli(["explain", "missing.yaml", "--format", "json"]);
  assert.is(r.code, 1);
  assert.equal(codes(r.json), ["LV1011"]);
});

test("a clean project's JSON has no diagnostics key, and its plan and graph print only themselves", async () => {
  const file = "projects/blip/retrieval_coco_ft.lv";
  for (const command of ["explain", "plan", "graph"]) {
    const h = memoryHost({}, repoRoot());
    const code = await runCli([command, file, "--format", "json"], h);
    assert.is(code, 0, `${command}: ${h.err.slice(0, 300)}`);
    assert.not.ok("diagnostics" in (JSON.parse(h.out) as object), command);
  }
});

test.run();
