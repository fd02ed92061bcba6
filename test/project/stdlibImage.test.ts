import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "../../src/syntax/index.js";
import { buildRegistry, type EntryInfo, type Registry } from "../../src/semantic/registry.js";
import { LazyMap } from "../../src/semantic/lazyMap.js";
import { loadStdlib, layerOnStdlib } from "../../src/project/stdlib.js";
import { readStdlibImage, writeStdlibImage } from "../../src/project/stdlibImage.js";
import { checkFile } from "../../src/index.js";
import { recipeIndex } from "../../src/semantic/recipeEntries.js";
import { nodeHost } from "../../src/cli/host.js";
import { fromRoot } from "../harness/repoRoot.js";

// The precompiled stdlib: the image's registry is the one parsing stdlib/*.lv gives, entries decode only when read,
// and extension files layer on top without changing the stdlib's registry.

const Image = suite("project: the precompiled stdlib");
const dir = mkdtempSync(join(tmpdir(), "lavisc-image-"));
const names = readdirSync(fromRoot("stdlib")).filter((n) => n.endsWith(".lv")).sort();
const files = names.map((n) => parse(readFileSync(fromRoot("stdlib", n), "utf8"), `stdlib/${n}`).ast);

/** What a registry entry binds, without the AST objects' identity. */
const shape = (e: EntryInfo) => JSON.stringify({
  name: e.name, decl: e.decl.span, fields: [...e.schema.fields.values()].map((f) => [f.name, f.span, f.owner]),
  constraints: e.schema.constraints.length, types: [...e.types.keys()], meta: [...e.meta.keys()], blocks: [...e.blocks.keys()],
});
const kinds = ["arch", "builder", "processor", "task", "scheduler", "runner"] as const;

Image.after(() => rmSync(dir, { recursive: true, force: true }));

Image("the image's registry is the parsed stdlib's: same entries in the same order, bound the same way", () => {
  const parsed = buildRegistry(files);
  writeFileSync(join(dir, "stdlib.image"), writeStdlibImage("k1", files, parsed.diagnostics, parsed));
  const image = readStdlibImage(join(dir, "stdlib.image"), "k1")!;
  const reg: Registry = image.registry;
  assert.equal([...reg.schemas.keys()], [...parsed.schemas.keys()]);
  assert.equal([...reg.enums.values()], [...parsed.enums.values()]);
  for (const kind of kinds) {
    assert.equal([...reg.entries[kind].keys()], [...parsed.entries[kind].keys()], kind);
    for (const [name, e] of parsed.entries[kind]) assert.is(shape(reg.entries[kind].get(name)!), shape(e), `${kind} ${name}`);
  }
  assert.equal(image.diagnostics, parsed.diagnostics);
  // The run keys each task, scheduler and runner reads come with the image, as computing them from the parsed stdlib gives them.
  const fromImage = recipeIndex(reg), fromParsed = recipeIndex(parsed);
  assert.equal([...fromImage.specific], [...fromParsed.specific]);
  assert.equal([...fromImage.readers], [...fromParsed.readers]);
  assert.equal([...fromImage.fieldOwners], [...fromParsed.fieldOwners]);
  assert.equal([...fromImage.tasksClaiming], [...fromParsed.tasksClaiming]);
  assert.ok(fromParsed.readers.get("k_test")?.some((r) => r.startsWith("task ")), "k_test is read by a task");
});

Image("an image written for other stdlib sources is not used", () => {
  writeFileSync(join(dir, "stale.image"), writeStdlibImage("old", files, [], buildRegistry(files)));
  assert.is(readStdlibImage(join(dir, "stale.image"), "new"), null);
  assert.is(readStdlibImage(join(dir, "missing.image"), "new"), null);
  writeFileSync(join(dir, "garbage.image"), "not an image\n{");
  assert.is(readStdlibImage(join(dir, "garbage.image"), "new"), null);
});

Image("a check decodes only the entries it reads", () => {
  const std = loadStdlib();
  const r = checkFile(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), nodeHost());
  assert.ok(r.resolved);
  const archs = std.registry.archs as LazyMap<string, EntryInfo>;
  const builders = std.registry.builders as LazyMap<string, EntryInfo>;
  assert.ok(archs.pendingCount > archs.size / 2, `${archs.pendingCount} of ${archs.size} archs still pending`);
  assert.ok(builders.pendingCount > builders.size / 2, `${builders.pendingCount} of ${builders.size} builders still pending`);
  // Which run keys every task, scheduler and runner reads is in the image: the ones the check does not use stay undecoded.
  for (const kind of ["task", "scheduler"] as const) {
    const table = std.registry.entries[kind] as LazyMap<string, EntryInfo>;
    assert.ok(table.pendingCount > 0, `every ${kind} decoded`);
  }
});

Image("extension files layer on the stdlib without changing it", () => {
  const std = loadStdlib();
  const ext = parse(`
arch blip_caption {
  type fork_small { vit_type = "base" }
}
builder fork_dataset {
  type default { data_type = images }
}
builder fork_dataset {
  type other { data_type = images }
}
/// A fork's task with a run key of its own.
task fork_task {
  fork_only_key: int = 3
}
`, "/fork/.lavisc/registry.lv").ast;
  const layered = layerOnStdlib(std, [ext]);
  // The stdlib's run readers came with the image; a layered registry finds its own, the extension's task included.
  assert.equal(recipeIndex(layered.registry).readers.get("fork_only_key"), ["task `fork_task`"]);
  assert.equal(recipeIndex(layered.registry).fieldOwners.get("fork_only_key"), { kind: "task", name: "fork_task" });
  assert.not.ok(recipeIndex(std.registry).readers.has("fork_only_key"));
  assert.ok(layered.registry.archs.get("blip_caption")!.types.has("fork_small"));
  assert.ok(layered.registry.archs.get("blip_caption")!.types.has("base_coco"), "the stdlib's types stay");
  assert.ok(layered.registry.builders.has("fork_dataset"));
  assert.not.ok(std.registry.archs.get("blip_caption")!.types.has("fork_small"), "the stdlib's registry is not changed");
  assert.not.ok(std.registry.builders.has("fork_dataset"));
  assert.equal(layered.diagnostics.map((d) => d.code), ["LV2016"], "a builder declared twice in one file");
  assert.is(layerOnStdlib(std, []).registry, std.registry);
});

Image("LazyMap: keys without loading, values on demand, forks share what is loaded", () => {
  let loads = 0;
  const m = new LazyMap<string, number>();
  m.defer("a", () => (loads++, 1)).defer("b", () => (loads++, 2));
  assert.equal([...m.keys()], ["a", "b"]);
  assert.ok(m.has("b") && m.size === 2 && loads === 0);
  const fork = m.fork();
  assert.is(fork.get("a"), 1);
  assert.is(m.get("a"), 1);
  assert.is(loads, 1, "the fork loaded through the original");
  fork.set("c", 3);
  assert.not.ok(m.has("c"));
  assert.equal([...m.values()], [1, 2]);
  assert.is(loads, 2);
});

Image.run();
