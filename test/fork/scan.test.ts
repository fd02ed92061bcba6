import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";
import { parse } from "../../src/syntax/parse.js";
import { format } from "../../src/format/index.js";
import { compareBaseline } from "../harness/compareBaseline.js";
import { cli, fixture, repoHost } from "./forkHarness.js";

// `lavisc registry scan DIR` on the synthetic forks: the extension it writes (golden), its report, and that it is
// formatted, parses and is the same every time.

const PROVENANCE = ["--repository", "example.org/tinyfork", "--commit", "0123456789abcdef0123456789abcdef01234567"];

test("scan writes DIR/.lavisc/registry.lv: registrations, inferred types and defaults, default files as types (golden)", async () => {
  const h = repoHost();
  const r = await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
  assert.is(r.code, 0, r.out + r.err);
  const text = h.files.get(join(fixture("tinyfork"), ".lavisc", "registry.lv"));
  assert.ok(text, "the extension is written");
  compareBaseline("test/baselines/forks/tinyfork.registry.lv", text!);
  compareBaseline("test/baselines/forks/tinyfork.scan.txt", r.out);
  // What the report must say, whatever the layout: redefinitions, missing default files, a probable typo.
  assert.match(r.out, /LV2027\].*processor `blip_caption`/);
  assert.match(r.out, /LV2029\].*`configs\/models\/tiny_llm_chat\.yaml`/);
  assert.match(r.out, /LV2031\].*`num_framse`.*`num_frames`/);
  assert.match(r.out, /LV2050\].*falls back to `\/mnt\/workspace\/ckpt\/tiny-llm\/` when `tokenizer_name` is not set/);
  assert.is((r.out.match(/LV2050/g) ?? []).length, 1, "once for the base class's code that two builders could inherit");
  assert.match(r.out, /2 redefine LAVIS's \(processor `blip_caption`, runner `runner_base`\)/);
});

test("the extension is in the canonical layout, parses without errors and is the same on a second scan", async () => {
  const h = repoHost();
  await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
  const path = join(fixture("tinyfork"), ".lavisc", "registry.lv");
  const first = h.files.get(path)!;
  const parsed = parse(first, path);
  assert.equal(parsed.diagnostics.filter((d) => d.severity === "error"), []);
  assert.is(format(parsed.ast, first), first);
  await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
  assert.is(h.files.get(path), first);
});

test("inference: code defaults give types and defaults, files widen int to float, no evidence gives `any` with the reason", async () => {
  const h = repoHost();
  await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
  const text = h.files.get(join(fixture("tinyfork"), ".lavisc", "registry.lv"))!;
  assert.match(text, /temperature: float = 0\.7\n/, "the code default decides; a file's string stays a mistake");
  assert.match(text, /vision_layers: list<int> = \[2, 4\]\n/);
  assert.match(text, /\/\/\/ Read by TinyLLM \(tinyfork\/models\/tiny_llm\.py\), default None\. Set in 2 files\.\n  llm_path: string\? = null\n/);
  assert.match(text, /generate_cfg: map<any>\n/, "a key read inside makes it a map");
  assert.match(text, /max_words: int\(> 0\) = 64\n/, "a redefined processor keeps LAVIS's refinement and takes the fork's default");
  assert.match(text, /stride: int = 1\n/, "`x.k if x.k else 1` is a default");
  assert.match(text, /default "\/mnt\/workspace\/ckpt\/tiny-llm\/"\. The default is a path on the machine the code was written on: set it \(LV4079\)\. Set in 1 file\.\n  tokenizer_name: string = "\/mnt\/workspace\/ckpt\/tiny-llm\/"\n/, "`if x.k: v = x.k` / `else: v = d` is a default");
  assert.match(text, /type chat \{\n\s+invalid = "configs\/models\/tiny_llm_chat\.yaml: file does not exist"/);
  assert.match(text, /schema ModelConfig: ForkModelConfig \{\n.*\n  freeze_llm: bool = true\n/, "a model key a task reads goes to ModelConfig");
  assert.match(text, /generate_cfg: map<any>\n/);
  assert.ok(!/num_framse/.test(text), "a probable typo is not declared");
  assert.match(text, /type default \{\n\s+data_type = "videos"/);
});

test("a processor name .lv cannot write bare stays a map in the extension, which parses; check then names the processor", async () => {
  // Found by mutation fuzzing: `name: "tiny_vidéo"` became `train = "tiny_vidéo" { ... }`, which does not parse, and
  // the scan stopped with an internal error.
  const model = join(fixture("tinyfork"), "tinyfork", "configs", "models", "tiny_llm.yaml");
  const h = memoryHost({ [model]: readFileSync(model, "utf8").replace('name: "tiny_video"', 'name: "tiny_vid\u00e9o"') }, repoRoot());
  const r = await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
  assert.is(r.code, 0, r.out + r.err);
  const path = join(fixture("tinyfork"), ".lavisc", "registry.lv");
  const text = h.files.get(path)!;
  assert.match(text, /= \{ name = "tiny_vid\u00e9o", /);
  assert.equal(parse(text, path).diagnostics.filter((d) => d.severity === "error"), []);
  const checked = await cli(h, ["check", model]);
  assert.match(checked.out + checked.err, /LV2008\].*`tiny_vid\u00e9o`/);
});

test("--stdout prints the extension and writes nothing", async () => {
  const h = repoHost();
  const r = await cli(h, ["registry", "scan", fixture("tinyfork"), "--stdout", ...PROVENANCE]);
  assert.is(r.code, 0);
  assert.match(r.out, /^\/\/ Stdlib extension of example\.org\/tinyfork @ 0123456789abcdef0123456789abcdef01234567/);
  assert.is(h.files.size, 0);
  assert.match(r.err, /Scanned 1 arch, 2 builders, 2 processors, 1 task, 1 runner from 6 Python and 9 YAML files/);
});

test("a plugin in LAVIS's own registry: registering a LAVIS name again is an error, and it is not declared", async () => {
  const h = repoHost();
  const r = await cli(h, ["registry", "scan", fixture("plugin")]);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV2028\]: The repository registers processor `blip_caption` in LAVIS's own registry/);
  const text = h.files.get(join(fixture("plugin"), ".lavisc", "registry.lv"))!;
  assert.match(text, /Registry: lavis\.common\.registry \(LAVIS's own\)/);
  assert.ok(!/processor blip_caption/.test(text));
  assert.match(text, /arch blip_plus: ModelConfig/);
  const c = await cli(h, ["check", fixture("plugin")]);
  assert.is(c.code, 0, c.out);
  assert.match(c.out, /2 LAVIS config files checked/);
});

test("usage: a folder that is not one, and a missing one", async () => {
  const h = repoHost();
  const r = await cli(h, ["registry", "scan", fixture("nowhere")]);
  assert.is(r.code, 2);
  assert.match(r.err, /is not a folder/);
});

test("a line break in the repository name or commit (a folder's name, --repository) stays inside the header comment", async () => {
  const h = repoHost();
  const r = await cli(h, ["registry", "scan", fixture("tinyfork"), "--repository", "evil\nschema X {", "--commit", "a\r\nb"]);
  assert.is(r.code, 0, r.out + r.err);
  const text = h.files.get(join(fixture("tinyfork"), ".lavisc", "registry.lv"))!;
  assert.match(text, /^\/\/ Stdlib extension of evil schema X \{ @ a b, written by/);
  assert.not.match(text, /^schema X/m);
});

test("a file or folder the scan cannot read is LV1011, exit 1, and the extension is not replaced by an incomplete one", async () => {
  for (const unreadable of ["tinyfork/tasks", "tinyfork/models/tiny_llm.py"]) {
    const h = repoHost();
    const denied = join(fixture("tinyfork"), unreadable);
    const refuse = (p: string) => {
      if (p === denied) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: "EACCES" });
    };
    const { readFile, listDir } = h;
    h.readFile = (p: string) => (refuse(p), readFile.call(h, p));
    h.listDir = (p: string) => (refuse(p), listDir.call(h, p));
    const r = await cli(h, ["registry", "scan", fixture("tinyfork"), ...PROVENANCE]);
    assert.is(r.code, 1, unreadable);
    assert.match(r.out, /error\[LV1011\]: File could not be read: .*EACCES/);
    assert.match(r.out, /Did not write .*registry\.lv: 1 folder or file could not be read/);
    assert.not.ok(h.files.has(join(fixture("tinyfork"), ".lavisc", "registry.lv")), "nothing written");
  }
});

test.run();
