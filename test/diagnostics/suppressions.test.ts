import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// `lavisc: ignore[CODE]` and `lavisc: ignore-file[CODE]` comments (src/diagnostics/suppressions.ts): warnings only,
// on the comment's line or in its file; a comment that silences nothing, names no code or an unknown one is reported.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
const lvCaption = readFileSync(fromRoot("projects", "quickstart", "caption_shapes.lv"), "utf8");

interface Reported { code: string; severity: string; line: number | null; path: string | null; message: string; hint: string | null }

async function check(files: Record<string, string>, entry: string, format = "json"): Promise<{ diagnostics: Reported[]; code: number; out: string }> {
  const h = memoryHost(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/p/${k}`, v])), "/p");
  const code = await runCli(["check", entry, "--format", format], h);
  return { diagnostics: format === "json" ? (JSON.parse(h.out) as { diagnostics: Reported[] }).diagnostics : [], code, out: h.out };
}
const codes = (ds: readonly Reported[]) => ds.map((d) => d.code).sort();

// Two LV4019 warnings anchored at `run:` (max_len, min_len left out) and an LV4002 at warmup_steps.
const yaml = caption.replace(/\n  max_len: .*\n  min_len: .*\n/, "\n").replace("init_lr: 1e-5", "init_lr: 1e-5\n  warmup_steps: 100");

test("the YAML fixture has the warnings the tests below silence", async () => {
  const { diagnostics } = await check({ "a.yaml": yaml }, "a.yaml");
  assert.equal(codes(diagnostics), ["LV4002", "LV4019", "LV4019"]);
});

test("`# lavisc: ignore[CODE]` silences that code on its line only", async () => {
  const { diagnostics, code } = await check({ "a.yaml": yaml.replace(/\nrun:\n/, "\nrun:  # lavisc: ignore[LV4019]\n") }, "a.yaml");
  assert.equal(codes(diagnostics), ["LV4002"]);
  assert.is(code, 0);
  const elsewhere = await check({ "a.yaml": yaml.replace("init_lr: 1e-5", "init_lr: 1e-5  # lavisc: ignore[LV4019, LV4002]") }, "a.yaml");
  assert.equal(codes(elsewhere.diagnostics), ["LV1022", "LV1022", "LV4002", "LV4019", "LV4019"], "a comment on another line silences nothing");
});

test("`lavisc: ignore-next-line[CODE]` on a line of its own silences the code on the next line only", async () => {
  const { diagnostics, code } = await check({ "a.yaml": yaml.replace(/\nrun:\n/, "\n# lavisc: ignore-next-line[LV4019]\nrun:\n") }, "a.yaml");
  assert.equal(codes(diagnostics), ["LV4002"]);
  assert.is(code, 0);
  const lv = lvCaption.replace("    warmup_lr = 1e-5", "    warmup_lr = 1e-3").replace("    warmup_steps = 20", "    // lavisc: ignore-next-line[LV4002]\n    warmup_steps = 20");
  assert.equal((await check({ "x.lv": lv }, "x.lv")).diagnostics, []);
  // Two lines below, or the comment's own line: nothing silenced, and the comment says which line it looked at.
  const far = await check({ "a.yaml": yaml.replace(/\nrun:\n/, "\n# lavisc: ignore-next-line[LV4019]\n\nrun:\n") }, "a.yaml");
  assert.equal(codes(far.diagnostics), ["LV1022", "LV4002", "LV4019", "LV4019"]);
  assert.match(far.diagnostics.find((d) => d.code === "LV1022")!.message, /silences nothing: the next line has no LV4019 warning/);
  const own = await check({ "a.yaml": yaml.replace(/\nrun:\n/, "\nrun:  # lavisc: ignore-next-line[LV4019]\n") }, "a.yaml");
  assert.equal(codes(own.diagnostics), ["LV1022", "LV4002", "LV4019", "LV4019"]);
});

test("`# lavisc: ignore-file[CODE]` silences the code in the whole file, several codes in one comment", async () => {
  const { diagnostics } = await check({ "a.yaml": `# lavisc: ignore-file[LV4019, LV4002]\n${yaml}` }, "a.yaml");
  assert.equal(diagnostics, []);
  const inside = await check({ "a.yaml": yaml.replace(/\nrun:\n/, "\nrun:\n# lavisc: ignore-file[LV4019]\n") }, "a.yaml");
  assert.equal(codes(inside.diagnostics), ["LV4002"], "a whole-line comment in the middle of the file");
});

test("an error is never silenced: it stays, and the comment gets LV1023", async () => {
  const text = caption.replace("batch_size_eval: 64", 'batch_size_eval: "64"  # lavisc: ignore[LV3001]');
  const { diagnostics, code } = await check({ "a.yaml": text }, "a.yaml");
  assert.is(code, 1);
  assert.equal(codes(diagnostics), ["LV1023", "LV3001"]);
  const line = text.split("\n").findIndex((l) => l.includes("batch_size_eval")) + 1;
  assert.ok(diagnostics.every((d) => d.line === line));
});

test("an unused comment is LV1022 once the file has no errors; with an error it is not judged", async () => {
  const unused = yaml.replace("  seed: 42", "  seed: 42  # lavisc: ignore[LV4002]");
  const clean = await check({ "a.yaml": unused }, "a.yaml");
  const lv1022 = clean.diagnostics.filter((d) => d.code === "LV1022");
  assert.is(lv1022.length, 1);
  assert.is(lv1022[0]!.line, unused.split("\n").findIndex((l) => l.includes("seed: 42")) + 1);
  assert.match(lv1022[0]!.message, /`lavisc: ignore\[LV4002\]` silences nothing: this line has no LV4002 warning/);
  const broken = await check({ "a.yaml": unused.replace("num_beams: 3", "num_beams: 3\n  num_beam: 5") }, "a.yaml");
  assert.equal(codes(broken.diagnostics).filter((c) => c.startsWith("LV10")), []);
});

test("a comment without codes is LV1020; an unknown code LV1021, with the nearest code", async () => {
  const text = yaml.replace(/\nrun:\n/, "\nrun:  # lavisc: ignore\n").replace("  seed: 42", "  seed: 42  # lavisc: ignore[LV40002]");
  const { diagnostics } = await check({ "a.yaml": text }, "a.yaml");
  const lv1020 = diagnostics.find((d) => d.code === "LV1020")!;
  assert.match(lv1020.message, /`lavisc: ignore` names no diagnostic codes/);
  const lv1021 = diagnostics.find((d) => d.code === "LV1021")!;
  assert.match(lv1021.message, /`LV40002` in `lavisc: ignore\[\.\.\.\]` is not a lavisc diagnostic code/);
  assert.match(lv1021.hint!, /Did you mean `LV\d{4}`\?/);
  assert.equal(codes(diagnostics).filter((c) => c === "LV4019").length, 2, "an unreadable comment silences nothing");
});

test("each syntax's own comments: `//` in a .lv, `#` in YAML, not the other way round", async () => {
  const lv = lvCaption.replace("    warmup_lr = 1e-5", "    warmup_lr = 1e-3");
  assert.ok(lv !== lvCaption);
  const before = await check({ "x.lv": lv }, "x.lv");
  assert.equal(codes(before.diagnostics), ["LV4002"]);
  const silenced = await check({ "x.lv": lv.replace("    warmup_steps = 20", "    warmup_steps = 20 // lavisc: ignore[LV4002]") }, "x.lv");
  assert.equal(silenced.diagnostics, []);
  const hash = await check({ "x.lv": lv.replace("    warmup_steps = 20", "    warmup_steps = 20\n    // # lavisc: ignore[LV4002] is text in a .lv comment") }, "x.lv");
  assert.equal(codes(hash.diagnostics), ["LV4002"]);
  const slashed = yaml.replace(/output_dir: .*/, 'output_dir: "x // lavisc: ignore-file[LV4019]"');
  assert.match(slashed, /ignore-file/);
  const slashes = await check({ "a.yaml": slashed }, "a.yaml");
  assert.equal(codes(slashes.diagnostics).filter((c) => c === "LV4019").length, 2);
});

test("`lavisc fmt` keeps the comment on its line", async () => {
  const lv = lvCaption.replace("    warmup_steps = 20", "    warmup_steps = 20   //lavisc: ignore[LV4002]");
  const h = memoryHost({ "/p/x.lv": lv }, "/p");
  assert.is(await runCli(["fmt", "x.lv"], h), 0);
  assert.match(h.out, /\n    warmup_steps = 20 \/\/lavisc: ignore\[LV4002\]\n/);
});

test("a sweep: the comment applies to every trial (the table counts no warning); an unused one is reported once", async () => {
  const swept = lvCaption
    .replace("    warmup_steps = 20", "    warmup_steps = 20 // lavisc: ignore[LV4002]")
    .replace("    seed = ", "    max_epoch = 1 // lavisc: ignore[LV4001]\n    seed = ")
    .replace(/\n}\s*$/, "\n  sweep {\n    recipe.warmup_lr in [1e-3, 1e-5]\n  }\n}\n");
  assert.match(swept, /sweep \{/);
  assert.match(swept, /max_epoch = 1 \/\/ lavisc/);
  const { diagnostics } = await check({ "s.lv": swept.replace(/\n    max_epoch = \d+\n/, "\n") }, "s.lv");
  assert.equal(codes(diagnostics).filter((c) => c !== "LV4030"), ["LV1022"]);
  assert.match(diagnostics.find((d) => d.code === "LV1022")!.message, /ignore\[LV4001\]/);
  const text = await check({ "s.lv": swept.replace(/\n    max_epoch = \d+\n/, "\n") }, "s.lv", "text");
  assert.match(text.out, /\nt01 +1e-3 +ok +\d/);
  assert.not.match(text.out, /warning\[LV4002\]/);
});

test("a file with 200,000 comments and a line of 200,000 codes: 100 problems shown and a count of the rest (LV1024), quickly", async () => {
  const many = `${yaml}${"# lavisc: ignore[LV9999]\n".repeat(200_000)}# lavisc: ignore[${"LV4002,".repeat(200_000)}]\n`;
  const t0 = performance.now();
  const { diagnostics } = await check({ "a.yaml": many }, "a.yaml");
  assert.ok(performance.now() - t0 < 60_000, "not a hang");
  const comments = diagnostics.filter((d) => d.code.startsWith("LV10"));
  assert.is(comments.length, 101);
  assert.equal(codes(comments).slice(0, 2), ["LV1021", "LV1021"]);
  assert.match(comments.find((d) => d.code === "LV1024")!.message, /^\d+ more problems with this file's `lavisc: ignore` comments are not shown\.$/);
});

test.run();
