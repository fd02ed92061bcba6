import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// A YAML file that is not a project (a model's default config, an inference config, YAML that is not LAVIS's) has no
// run to plan, draw, run, export, sweep or build a vocabulary for: those commands say so with an error (LV2049) at the file's first
// key, in text and in `--format json`, instead of exiting 1 with nothing printed. `check` and `explain` read it as
// what it is, and exit 0.

const test = suite("a file that is not a project");

const FILES: Record<string, string> = {
  "/w/model_default.yaml": "model:\n  arch: blip_caption\n  model_type: base_coco\n",
  "/w/inference.yaml": "model:\n  arch: blip_caption\n  model_type: base_coco\nrun:\n  task: captioning\n",
  "/w/not_lavis.yaml": "foo: 1\n",
};

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const h = memoryHost(FILES, "/w");
  const code = await runCli(argv, h);
  return { code, out: h.out, err: h.err };
}

const COMMANDS: Record<string, string[]> = {
  plan: ["plan"],
  graph: ["graph"],
  run: ["run"],
  "run --engine lavis": ["run", "--engine", "lavis", "--dry-run"],
  "data vocab": ["data", "vocab"],
  export: ["export"],
  "sweep --dry-run": ["sweep", "--sweep", "recipe.seed=1,2", "--dry-run"],
};

for (const file of Object.keys(FILES).map((f) => f.slice("/w/".length))) {
  for (const [name, argv] of Object.entries(COMMANDS)) {
    test(`${name} ${file}: an error that says why, at the file's first line`, async () => {
      const r = await cli([...argv, file]);
      assert.is(r.code, 1);
      assert.match(r.err, /error\[LV2049\]: `[\w.]+` is .*, so it holds no experiment to /);
      assert.match(r.err, new RegExp(`--> ${file.replace(".", "\\.")}:1:1`));
      assert.not.match(r.err, /LV5003|LV5008/, "no run lowered from it");
    });
  }
  for (const command of ["plan", "graph"]) {
    test(`${command} --format json ${file}: the error on stdout`, async () => {
      const r = await cli([command, file, "--format", "json"]);
      assert.is(r.code, 1);
      const json = JSON.parse(r.out) as { errors: number; diagnostics: { code: string; line: number | null }[] };
      assert.is(json.errors, 1);
      assert.equal(json.diagnostics.filter((d) => d.code === "LV2049").map((d) => d.line), [1]);
    });
  }
}

test("a model default: the help names what to give instead", async () => {
  const r = await cli(["plan", "model_default.yaml"]);
  assert.match(r.err, /model type's default config/);
  assert.match(r.err, /lavisc explain model_default\.yaml/);
});

test("check and explain read such files in their role, without an error", async () => {
  for (const file of ["model_default.yaml", "inference.yaml", "not_lavis.yaml"]) {
    for (const command of ["check", "explain"]) {
      const r = await cli([command, file]);
      assert.is(r.code, 0, `${command} ${file}: ${r.err}`);
      assert.not.match(r.err, /LV2049/);
    }
  }
});

test.run();
