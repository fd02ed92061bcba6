import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { walkFolder } from "../../src/project/walkFolder.js";
import { MAX_CONFIG_BYTES, readTextFile } from "../../src/project/readTextFile.js";
import { fromRoot } from "../harness/repoRoot.js";
import { decodeUtf8 } from "../../src/project/utf8Text.js";

// Hostile file systems and terminal text: a folder that links to itself, a config the size of a disk image, control
// characters in a value, a key thousands of characters long. Each ends in a clear line and a normal exit.

const MODEL = "model:\n  arch: blip_caption\n  model_type: base_coco\n";

function withFolder(body: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "lavisc-hostile-fs-"));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function cli(argv: string[], cwd: string, host = memoryHost({}, cwd)): Promise<{ code: number; out: string; err: string }> {
  const code = await runCli(argv, host);
  return { code, out: host.out, err: host.err };
}

const Links = suite("hostile: linked folders");
Links("a link back to a parent folder is entered once: each file is checked once and the summary says what was not entered", withFolder(async (dir) => {
  mkdirSync(join(dir, "configs", "inner"), { recursive: true });
  writeFileSync(join(dir, "configs", "a.yaml"), MODEL);
  writeFileSync(join(dir, "configs", "inner", "b.yaml"), MODEL);
  symlinkSync("..", join(dir, "configs", "inner", "up")); // configs/inner/up -> configs
  symlinkSync("inner", join(dir, "configs", "same")); // a second name for configs/inner
  const r = await cli(["check", "configs"], dir);
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /configs: 2 LAVIS config files checked/);
  assert.match(r.out, /not entered: configs\/inner\/up, the same folder as configs \(checked once\)/);
  assert.match(r.out, /not entered: configs\/same, the same folder as configs\/inner \(checked once\)/);
  const json = JSON.parse((await cli(["check", "configs", "--format", "json"], dir)).out) as { folders: { files: unknown[]; notEntered: { folder: string; sameAs: string }[] }[] };
  assert.is(json.folders[0]!.files.length, 2);
  assert.equal(json.folders[0]!.notEntered.map((n) => [n.folder, n.sameAs]), [["configs/inner/up", "configs"], ["configs/same", "configs/inner"]]);
}));
Links("a folder that cannot be listed is an LV1011 error, and the rest is checked", withFolder(async (dir) => {
  mkdirSync(join(dir, "configs", "locked"), { recursive: true });
  writeFileSync(join(dir, "configs", "a.yaml"), MODEL);
  const host = memoryHost({}, dir);
  const listDir = host.listDir.bind(host);
  host.listDir = (p: string) => {
    if (p.endsWith("locked")) throw new Error(`EACCES: permission denied, scandir '${p}'`);
    return listDir(p);
  };
  const r = await cli(["check", "configs"], dir, host);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV1011\]: File could not be read: .*configs\/locked: EACCES: permission denied/);
  assert.match(r.out, /configs: 1 LAVIS config file checked/);
}));
Links("walkFolder: a folder is walked under the first name that reaches it", () => {
  const tree: Record<string, string[]> = { "/r": ["a", "b", "x.yaml"], "/r/a": ["y.yaml", "loop"], "/r/b": ["z.yaml"], "/r/a/loop": [] };
  const real: Record<string, string> = { "/r/a/loop": "/r", "/r/b": "/r/a" };
  const w = walkFolder("/r", {
    listDir: (p) => tree[p] ?? [],
    isDirectory: (p) => p in tree,
    realPath: (p) => real[p] ?? p,
  }, { enter: () => true, keep: (n) => n.endsWith(".yaml") });
  assert.equal(w.files, ["/r/a/y.yaml", "/r/x.yaml"]);
  assert.equal(w.notEntered, [{ path: "/r/a/loop", reason: "link", sameAs: "/r" }, { path: "/r/b", reason: "link", sameAs: "/r/a" }]);
});
Links.run();

const Size = suite("hostile: a config file too large to be one");
Size("a 2 GiB file is refused from its size (LV1011 with the limit), before a byte is read", withFolder(async (dir) => {
  const big = join(dir, "huge.yaml");
  writeFileSync(big, "");
  truncateSync(big, 2 * 1024 ** 3); // sparse: no disk space used
  const r = await cli(["check", "huge.yaml"], dir);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV1011\]: File could not be read: .*huge\.yaml: 2048 MiB, over the 16 MiB lavisc reads of a config file/);
  assert.is(MAX_CONFIG_BYTES, 16 * 1024 * 1024);
}));
Size("the limit is the file's size in bytes: one byte over is refused, at the limit is read", withFolder((dir) => {
  const f = join(dir, "a.yaml");
  writeFileSync(f, "run:\n  seed: 42\n");
  assert.is(readTextFile(f, 16), "run:\n  seed: 42\n");
  assert.throws(() => readTextFile(f, 15), /0\.0 MiB, over the 0\.0 MiB/);
}));
Size.run();

const Terminal = suite("hostile: what reaches the terminal");
Terminal("control characters of a config are shown as control pictures, never sent to the terminal", withFolder(async (dir) => {
  writeFileSync(join(dir, "esc.yaml"), 'model:\n  arch: blip_caption\n  model_type: "\\e]0;owned\\a\\e[31mred"\n');
  const r = await cli(["check", "esc.yaml"], dir);
  assert.is(r.code, 1);
  assert.not.match(r.out, /[\x00-\x09\x0b-\x1f\x7f]/, "no control character but line breaks");
  assert.match(r.out, /Unknown model type `␛\]0;owned␇␛\[31mred`/);
}));
Terminal("a control character in a source line: the caret stands under its control picture", withFolder(async (dir) => {
  writeFileSync(join(dir, "raw.yaml"), "model:\n  arch: blip_caption\n  model_type: \"\x1b[1mbold\"\n");
  const r = await cli(["check", "raw.yaml"], dir);
  const lines = r.out.split("\n");
  const source = lines.findIndex((l) => l.includes("model_type: \"␛[1mbold\""));
  assert.ok(source > 0, r.out);
  // OmegaConf's reader refuses the raw ESC (LV1008 at it): the caret stands under its control picture.
  const carets = lines[source + 1]!;
  assert.is(carets.indexOf("^"), lines[source]!.indexOf("␛"), `${lines[source]}\n${carets}`);
  assert.is(carets.replace(/[^^]/g, "").length, 1);
  assert.match(r.out, /error\[LV1008\]: The YAML could not be parsed: unacceptable character #x001b/);
}));
Terminal("a key of 40,000 characters is shown by its start and end in the message", withFolder(async (dir) => {
  writeFileSync(join(dir, "a.yaml"), MODEL);
  const key = Array(20_000).fill("a").join(".");
  const r = await cli(["check", "a.yaml", "--set", `${key}=1`], dir);
  assert.is(r.code, 2);
  const message = r.out.split("\n")[0]!;
  assert.ok(message.length < 600, `${message.length} characters`);
  assert.match(message, /Unknown override section `a` in `a\.a\.a.*…\(39539 characters\)…[a.]{60}`\./);
}));
Terminal("a control character in output_dir reaches plan, graph and the run's messages as a control picture", withFolder(async (dir) => {
  const quickstart = fromRoot("projects", "quickstart", "retrieval_shapes.lv");
  writeFileSync(join(dir, "esc.lv"), `experiment e extends ${JSON.stringify(quickstart)} {\n  recipe { output_dir = "out\\u{1b}]0;owned\\u{7}" }\n}\n`);
  for (const argv of [["plan", "esc.lv"], ["graph", "esc.lv"], ["graph", "esc.lv", "--format", "mermaid"]]) {
    const r = await cli(argv, dir);
    assert.is(r.code, 0, `${argv.join(" ")}: ${r.out}${r.err}`);
    assert.not.match(r.out, /[\x00-\x08\x0b-\x1f\x7f]/, argv.join(" "));
    assert.match(r.out, /out␛\]0;owned␇/, argv.join(" "));
  }
}));
Terminal("a key with control characters typed on the command line is echoed as control pictures (explain)", withFolder(async (dir) => {
  writeFileSync(join(dir, "a.yaml"), MODEL);
  const r = await cli(["explain", "a.yaml", "run.\u001b]0;owned\u0007seed"], dir);
  assert.is(r.code, 2);
  assert.not.match(r.out + r.err, /[\x00-\x09\x0b-\x1f\x7f]/);
  assert.match(r.out + r.err, /`run\.␛\]0;owned␇seed` has no value in a\.yaml/);
}));
Terminal("a line break or tab in a value is shown in the headline, which stays one line (a .lv string, --options)", withFolder(async (dir) => {
  const quickstart = fromRoot("projects", "quickstart", "caption_shapes.lv");
  writeFileSync(join(dir, "nl.lv"), `experiment e extends ${JSON.stringify(quickstart)} {\n  recipe { max_epoch = "a\\nb\\tc" }\n}\n`);
  const written = await cli(["check", "nl.lv"], dir);
  assert.is(written.code, 1);
  assert.match(written.out, /^error\[LV3001\]: `run\.max_epoch` expects an integer but got the string "a␊b␉c"\.\n  --> nl\.lv:2:24\n/);
  const option = await cli(["check", "nl.lv", "--options", "run.max_epoch=x\ny"], dir);
  assert.is(option.code, 2);
  assert.match(option.out, /^error\[LV3001\]: `run\.max_epoch` expects an integer but got the string "x␊y"\.\n  --> <--options #1>:1:15\n/);
}));
Terminal.run();

const Chain = suite("hostile: a long `extends` chain");
Chain("3,000 experiments extending each other: LV2037 at the 65th, not a stack overflow; 64 are read", withFolder(async (dir) => {
  for (let i = 0; i < 3000; i++) {
    writeFileSync(join(dir, `e${i}.lv`), `experiment e${i} ${i < 2999 ? `extends "e${i + 1}.lv" ` : ""}{\n  recipe { seed = ${i} }\n}\n`);
  }
  const deep = await cli(["check", "e0.lv"], dir);
  assert.is(deep.code, 1);
  assert.match(deep.out, /error\[LV2037\]: The `extends` chain is longer than 64 experiments: e0 \(e0\.lv\) → e1 \(e1\.lv\) → … → e64 \(e64\.lv\)\.\n --> e63\.lv:1:24/);
  assert.not.match(deep.out + deep.err, /internal error|Maximum call stack/);
  const longest = await cli(["check", "e2936.lv"], dir); // e2936 .. e2999: 64 experiments
  assert.not.match(longest.out, /LV2037/);
  assert.match((await cli(["explain", "e2936.lv", "run.seed"], dir)).out, /run\.seed = 2936/);
}));
Chain("3,000 schemas each based on the next: LV2038 where a chain passes 64 bases, not a stack overflow", withFolder(async (dir) => {
  const schemas = Array.from({ length: 2999 }, (_, i) => `schema T${i}: T${i + 1} {}`).join("\n");
  writeFileSync(join(dir, "m.lv"), `${schemas}\nschema T2999 { z: int = 0 }\n`);
  writeFileSync(join(dir, "exp.lv"), 'import "m.lv"\nexperiment x {\n  recipe { seed = 1 }\n}\n');
  const r = await cli(["check", "exp.lv"], dir);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV2038\]: Schema `T64` inherits through more than 64 schemas; its bases are not read\.\n {2}--> m\.lv:65:13/);
  assert.not.match(r.out + r.err, /internal error|Maximum call stack/);
}));
/** A YAML whose run.init_lr reads run.x0, which reads run.x1, ..., run.x{hops - 1} = 0.001. */
const referenceChain = (hops: number) => {
  const links = Array.from({ length: hops - 1 }, (_, i) => `  x${i}: \${run.x${i + 1}}\n`).join("");
  return `${MODEL}run:\n  task: captioning\n  init_lr: \${run.x0}\n${links}  x${hops - 1}: 0.001\n`;
};
Chain("a chain of 10,000 references is LV2039 (OmegaConf stops after about 60), not a stack overflow; 50 resolve", withFolder(async (dir) => {
  writeFileSync(join(dir, "long.yaml"), referenceChain(10_000));
  const long = await cli(["check", "long.yaml"], dir);
  assert.match(long.out, /error\[LV2039\]: The reference `\$\{run\.x50\}` leads through more than 50 references, one to the next\.\n {2}--> long\.yaml:\d+:8/);
  assert.not.match(long.out + long.err, /internal error|Maximum call stack/);
  writeFileSync(join(dir, "fifty.yaml"), referenceChain(50));
  const fifty = await cli(["explain", "fifty.yaml", "run.init_lr"], dir);
  assert.match(fifty.out, /run\.init_lr = 0\.001/);
  assert.not.match((await cli(["check", "fifty.yaml"], dir)).out, /LV2039/);
  writeFileSync(join(dir, "fifty_one.yaml"), referenceChain(51));
  assert.match((await cli(["check", "fifty_one.yaml"], dir)).out, /LV2039/);
}));
Chain("a key of 10,000 dotted segments, in a file or on the command line, is LV1013 like any nesting, not a stack overflow", withFolder(async (dir) => {
  const key = Array.from({ length: 10_000 }, (_, i) => `k${i}`).join(".");
  writeFileSync(join(dir, "dotted.lv"), `experiment e {\n  model blip_caption(base_coco)\n  recipe {\n    ${key} = 1\n  }\n}\n`);
  for (const command of ["check", "fmt", "explain", "export"]) {
    const r = await cli([command, "dotted.lv"], dir);
    assert.is(r.code, 1, `${command}: ${r.err}`);
    assert.match(r.out + r.err, /LV1013\]: This value is nested more than 64 levels deep \(brackets and the segments of a dotted key\)/, command);
  }
  writeFileSync(join(dir, "a.yaml"), MODEL);
  for (const [flag, section] of [["--set", "recipe"], ["--options", "run"]]) {
    const r = await cli(["check", "a.yaml", flag!, `${section}.${key}=1`], dir);
    assert.match(r.out, /LV1013\]: This value is nested more than 64 levels deep \(the segments of a key\)/, flag);
    assert.not.match(r.out + r.err, /internal error/, flag);
  }
}));
Chain("a chain of 20,000 imports is LV2047 at the 65th file, not a stack overflow; 64 files are read", withFolder(async (dir) => {
  for (let i = 0; i < 20_000; i++) writeFileSync(join(dir, `m${i}.lv`), `${i < 19_999 ? `import "m${i + 1}.lv"\n` : ""}schema S${i} { x: int = 1 }\n`);
  writeFileSync(join(dir, "exp.lv"), 'import "m0.lv"\nexperiment x {\n  recipe { seed = 1 }\n}\n');
  const r = await cli(["check", "exp.lv"], dir);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV2047\]: The chain of imports is longer than 64 files: exp\.lv → m0\.lv → … → m63\.lv\.\n --> m62\.lv:1:8/);
  assert.not.match(r.out + r.err, /internal error|Maximum call stack/);
  writeFileSync(join(dir, "m62.lv"), "schema S62 { x: int = 1 }\n"); // the chain now ends at the 64th file
  assert.not.match((await cli(["check", "exp.lv"], dir)).out, /LV2047/);
}));
Chain.run();

const Args = suite("hostile: arguments and the working folder");
Args("an empty file or folder name (an unset variable) is a usage error, not a check of the whole working folder", withFolder(async (dir) => {
  for (const argv of [["check", ""], ["check", "a.yaml", " "], ["registry", "scan", ""]]) {
    const r = await cli(argv, dir);
    assert.is(r.code, 2, argv.join(" "));
    assert.match(r.err, /error: an empty (file|folder) name \(an unset variable\?\)/, argv.join(" "));
  }
  assert.is(existsSync(join(dir, ".lavisc")), false, "registry scan wrote nothing");
}));
Args("a working folder deleted under the shell is a one-line error, not a stack trace", withFolder((dir) => {
  const script = `mkdir gone && cd gone && rmdir ../gone && exec "${process.execPath}" "${fromRoot("bin", "lavisc.cjs")}" check "${fromRoot("projects", "quickstart", "retrieval_shapes.lv")}"`;
  const r = spawnSync("sh", ["-c", script], { cwd: dir, encoding: "utf8" });
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stderr, "error: the current folder no longer exists (deleted or unmounted); cd to a folder that exists and run again\n");
}));
Args("a file given where a folder goes (--export, --data-root, output_dir) is a one-line error naming it, not an internal error", withFolder(async (dir) => {
  const quickstart = fromRoot("projects", "quickstart", "retrieval_shapes.lv");
  writeFileSync(join(dir, "file"), "");
  for (const argv of [
    ["sweep", quickstart, "--sweep", "recipe.seed=1,2", "--engine", "lavis", "--export", "file"],
    ["run", quickstart, "--quiet", "--data-root", "file"],
    ["run", quickstart, "--quiet", "--set", `recipe.output_dir=${JSON.stringify(join(dir, "file", "out"))}`, "--data-root", join(dir, "data")],
  ]) {
    const r = await cli(argv, dir);
    assert.is(r.code, 1, `${argv.join(" ")}\n${r.err}`);
    assert.match(r.err, /error: cannot use \S+: \S*file is a file, not a folder; give a folder there/, argv.join(" "));
    assert.not.match(r.err, /internal error/);
  }
}));
Args.run();

const Encoding = suite("hostile: text that is not UTF-8");
Encoding("a UTF-16 file and a Latin-1 byte are LV1011 naming what to do, as OmegaConf.load stops on them; a UTF-8 BOM reads", withFolder(async (dir) => {
  writeFileSync(join(dir, "utf16.yaml"), Buffer.from(`\ufeff${MODEL}`, "utf16le"));
  writeFileSync(join(dir, "latin1.yaml"), Buffer.concat([Buffer.from(`${MODEL}  prompt: "caf`), Buffer.from([0xe9]), Buffer.from('"\n')]));
  writeFileSync(join(dir, "bom.yaml"), `\ufeff${MODEL}`);
  const utf16 = await cli(["check", "utf16.yaml"], dir);
  assert.match(utf16.out, /error\[LV1011\]: File could not be read: \S+utf16\.yaml: UTF-16 text \(it starts with a UTF-16 byte-order mark, as PowerShell's `>` writes\), and LAVIS reads configs as UTF-8; save it as UTF-8\./);
  const latin1 = await cli(["check", "latin1.yaml"], dir);
  assert.match(latin1.out, /error\[LV1011\]: File could not be read: \S+latin1\.yaml: not UTF-8 text: byte 0xE9 at line 4, byte 15 of the line, is not part of a UTF-8 character/);
  const bom = await cli(["check", "bom.yaml"], dir);
  assert.is(bom.code, 0, bom.out);
}));
Encoding("decodeUtf8: the first byte that is not well-formed UTF-8, as Python's codec finds it", () => {
  const at = (bytes: number[]) => {
    try {
      decodeUtf8(Uint8Array.from(bytes));
      return null;
    } catch (e) {
      return /line (\d+), byte (\d+)/.exec((e as Error).message)!.slice(1).map(Number);
    }
  };
  assert.is(at([0x61, 0xc3, 0xa9]), null, "é");
  assert.is(at([0xf0, 0x9f, 0x98, 0x80]), null, "an emoji");
  assert.equal(at([0x61, 0xc0, 0x80]), [1, 2], "overlong");
  assert.equal(at([0x0a, 0x61, 0xed, 0xa0, 0x80]), [2, 2], "a surrogate");
  assert.equal(at([0xf5, 0x80, 0x80, 0x80]), [1, 1], "beyond U+10FFFF");
  assert.equal(at([0x61, 0x62, 0xe2, 0x82]), [1, 3], "cut short at the end");
  assert.equal(at([0xe0, 0x9f, 0x80]), [1, 1], "overlong three-byte");
});
Encoding("a file whose name is not UTF-8 is LV1011 saying so in a folder check, and the other files are checked", withFolder(async (dir) => {
  mkdirSync(join(dir, "configs"));
  writeFileSync(Buffer.concat([Buffer.from(join(dir, "configs", "bad")), Buffer.from([0xff]), Buffer.from(".yaml")]), MODEL);
  writeFileSync(join(dir, "configs", "good.yaml"), MODEL);
  const r = await cli(["check", "configs"], dir);
  assert.match(r.out, /error\[LV1011\]: File could not be read: \S+bad\ufffd\.yaml: its name is not UTF-8 text, so it cannot be opened by the name lavisc was given; rename the file\./);
  assert.match(r.out, /configs: 2 LAVIS config files checked/);
}));
Encoding.run();
