import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, TextEdit } from "vscode-languageserver-protocol";
import { parse } from "../../src/syntax/index.js";
import { format } from "../../src/format/index.js";
import { LspClient } from "../../tools/lspClient.js";
import { checkAsProtocol } from "./checkAsProtocol.js";

// `lavisc lsp --stdio` driven over stdio by a protocol client, as an editor drives it: the same diagnostics as
// `lavisc check` (cross-file ones included), hover, completion, definitions, formatting, symbols and quick fixes.

const Lsp = suite("lsp: the language server over stdio");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const baseLv = `experiment base {
  task captioning
  recipe {
    max_len = 20
    min_len = 30
  }
}
`;
const expLv = `experiment caption_ft extends "./base.lv" {
  model blip_caption(base_coco) { load_finetuned = false }
  data coco_caption {
    vis_processor.train = blip_image_train { image_size = 384 }
    text_processor.eval = blip_caption
  }
  recipe {
    lerning_rate = 1e-5
    init_lr = 1e-5
    min_lr = 0
    max_epoch = 5
    batch_size_train = 24
    batch_size_eval = 64
    lr_sched = linear_warmup_cosine_lr
    output_dir = "output/caption"
  }
}
`;
const expYaml = `model:
  arch: blip_caption
  model_type: base_coco
  load_finetuned: False

datasets:
  coco_caption:
    vis_processor:
      train:
        name: "blip_image_train"
        image_size: 384

run:
  task: captioning
  lr_sched: "linear_warmup_cosine_lr"
  init_lr: 1e-5
  min_lr: 0
  max_epoch: 5
  batch_size_train: 24
  batch_size_eval: 64
  output_dir: "output/caption"
  max_lenn: 20
`;

const basePath = file("base.lv", baseLv);
const expPath = file("exp.lv", expLv);
const yamlPath = file("exp.yaml", expYaml);
const otherYaml = file("other.yaml", "name: not a lavis config\nitems: [1, 2]\n");

let client: LspClient;
let expUri = "", yamlUri = "";
const uriOf = (p: string) => pathToFileURL(p).href;
const at = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });

Lsp.before(async () => {
  client = await LspClient.start(dir, { debounceMs: 20 });
  expUri = client.open(expPath, expLv);
  yamlUri = client.open(yamlPath, expYaml);
});

Lsp.after(async () => {
  const code = await client.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.is(code, 0, "the server exits 0 after shutdown and exit");
});

const markdown = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? "";
const asCheck = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, message: d.message, line: d.range.start.line, character: d.range.start.character, related: (d.relatedInformation ?? []).map((x) => x.message) }));

Lsp("diagnostics on open are `lavisc check`'s, including a constraint broken in the extended file", async () => {
  const own = await client.diagnostics(expUri, (d) => d.length > 0);
  assert.equal(asCheck(own), checkAsProtocol(expPath, expPath));
  const typo = own.find((d) => d.code === "LV2001")!;
  assert.match(String(typo.message), /Unknown key `lerning_rate` in `run`\.\nhelp: Did you mean `init_lr`\?/);
  // LV4001 (min_len > max_len) is in base.lv, which is not open: published for base.lv, with its related locations.
  const base = await client.diagnostics(uriOf(basePath), (d) => d.some((x) => x.code === "LV4001"));
  assert.equal(asCheck(base), checkAsProtocol(expPath, basePath));
  const related = base.find((d) => d.code === "LV4001")!.relatedInformation!;
  assert.ok(related.some((r) => r.location.uri.endsWith("/stdlib/recipe.lv") && /required by this check/.test(r.message)));
  assert.ok(related.some((r) => r.location.uri === uriOf(basePath) && /`max_len` is 20 here/.test(r.message)));
});

Lsp("LAVIS YAML gets diagnostics; other YAML gets none", async () => {
  const ds = await client.diagnostics(yamlUri, (d) => d.length > 0);
  assert.equal(asCheck(ds), checkAsProtocol(yamlPath, yamlPath));
  assert.ok(ds.some((d) => d.code === "LV2001" && /max_lenn/.test(String(d.message))));
  const other = client.open(otherYaml, readFileSync(otherYaml, "utf8"));
  assert.equal(await client.diagnostics(other), []);
  client.close(other);
});

Lsp("a document over the 16 MiB a config may have gets one LV1011 diagnostic, not a long analysis", async () => {
  const big = `${expYaml}# ${"x".repeat(17 * 1024 * 1024)}\n`;
  const uri = client.open(join(dir, "big.yaml"), big);
  const ds = await client.diagnostics(uri, (d) => d.length > 0);
  assert.equal(ds.map((d) => d.code), ["LV1011"]);
  assert.match(String(ds[0]!.message), /over the 16 MiB lavisc reads of a config file/);
  client.close(uri);
});

Lsp("an edit is checked again: fixing the typo clears its diagnostic", async () => {
  client.change(expUri, expLv.replace("lerning_rate = 1e-5\n", ""));
  const ds = await client.diagnostics(expUri, (d) => !d.some((x) => x.code === "LV2001"), 20_000, false);
  assert.ok(!ds.some((d) => d.code === "LV2001"));
  client.change(expUri, expLv.replace("init_lr = 1e-5", "init_lr = \"fast\""));
  const typed = await client.diagnostics(expUri, (d) => d.some((x) => String(x.code).startsWith("LV3")), 20_000, false);
  assert.ok(typed.some((d) => /init_lr/.test(String(d.message))));
  client.change(expUri, expLv);
  await client.diagnostics(expUri, (d) => d.some((x) => x.code === "LV2001"), 20_000, false);
});

Lsp("an unsaved edit of the extended file re-checks the file that extends it", async () => {
  const baseUri = client.open(basePath, baseLv);
  client.change(baseUri, baseLv.replace("min_len = 30", "min_len = 10"));
  await client.diagnostics(baseUri, (d) => !d.some((x) => x.code === "LV4001"), 20_000, false);
  client.change(baseUri, baseLv);
  await client.diagnostics(baseUri, (d) => d.some((x) => x.code === "LV4001"), 20_000, false);
  client.close(baseUri);
});

Lsp("hover on a key: type, default, doc and where the value comes from", async () => {
  const h = await client.request<Hover>("textDocument/hover", at(expUri, 8, 6)); // init_lr
  const text = markdown(h);
  assert.match(text, /\*\*init_lr\*\*: `float\(> 0\)`/);
  assert.match(text, /Declared in `Recipe` at stdlib\/recipe\.lv:\d+/);
  assert.match(text, /`run\.init_lr = 1e-05`/);
  assert.match(text, /set at exp\.lv:9/);
  // A value the file does not set: its default and explain's words for it.
  const warm = await client.request<Hover>("textDocument/hover", at(yamlUri, 15, 4)); // init_lr in YAML
  assert.match(markdown(warm), /set at exp\.yaml:16/);
});

Lsp("hover on an arch, a model type, a builder, a processor and a task", async () => {
  const value = async (line: number, ch: number) => markdown(await client.request<Hover>("textDocument/hover", at(expUri, line, ch)));
  assert.match(await value(1, 10), /\*\*arch `blip_caption`\*\*[\s\S]*Model types: .*`base_coco`/);
  const modelType = await value(1, 24);
  assert.match(modelType, /\*\*model type `blip_caption\(base_coco\)`\*\*/);
  assert.match(modelType, /```lv\ntype base_coco \{/);
  assert.match(await value(2, 8), /\*\*builder `coco_caption`\*\*/);
  assert.match(await value(3, 30), /\*\*processor `blip_image_train`\*\*/);
  const task = markdown(await client.request<Hover>("textDocument/hover", at(yamlUri, 13, 10)));
  assert.match(task, /\*\*task `captioning`\*\*/);
});

const labels = (items: CompletionItem[] | { items: CompletionItem[] }) => (Array.isArray(items) ? items : items.items).map((i) => i.label);

Lsp("completion: recipe keys, processor parameters, enum values, model types of the arch", async () => {
  const extra = expLv.replace("    output_dir", "    max_\n    output_dir").replace("image_size = 384 }", "image_size = 384, \n    }");
  client.change(expUri, extra);
  const lines = extra.split("\n");
  const keyLine = lines.findIndex((l) => l.trim() === "max_");
  const recipe = labels(await client.request("textDocument/completion", at(expUri, keyLine, 8)));
  assert.ok(recipe.includes("max_len") && recipe.includes("max_epoch") === false, `recipe keys offer max_len and not max_epoch (already set): ${recipe.slice(0, 10)}`);
  const procLine = lines.findIndex((l) => l.includes("image_size = 384,"));
  const proc = labels(await client.request("textDocument/completion", at(expUri, procLine + 1, 4)));
  assert.ok(proc.includes("min_scale") && proc.includes("max_scale"), `blip_image_train parameters: ${proc}`);
  const sched = labels(await client.request("textDocument/completion", at(expUri, lines.findIndex((l) => l.includes("lr_sched")), 15)));
  assert.ok(sched.includes("linear_warmup_step_lr") && sched.includes("constant_lr"), `lr_sched values: ${sched}`);
  const types = labels(await client.request("textDocument/completion", at(expUri, 1, 21)));
  assert.ok(types.includes("base_coco") && types.includes("large_coco"), `model types: ${types}`);
  client.change(expUri, expLv);
  // YAML: registry names for `arch:` and the keys of `run:`.
  const archs = labels(await client.request("textDocument/completion", at(yamlUri, 1, 8)));
  assert.ok(archs.includes("blip_retrieval") && archs.includes("albef_classification"), `archs: ${archs.slice(0, 10)}`);
  const resolved = await client.request<CompletionItem>("completionItem/resolve", (await client.request<CompletionItem[]>("textDocument/completion", at(yamlUri, 1, 8))).find((i) => i.label === "blip_retrieval"));
  assert.match((resolved.documentation as { value: string }).value, /\*\*arch `blip_retrieval`\*\*/);
  // The same completions whatever ends the lines (\r\n, or a lone \r as the protocol counts it): the keys of `run:`
  // under its last line, and the arch names.
  const withKey = expYaml.replace("  max_lenn: 20\n", "  max_lenn: 20\n  max_e\n");
  const runKeyLine = withKey.split("\n").findIndex((l) => l === "  max_e");
  const completions = async () => [
    labels(await client.request("textDocument/completion", at(yamlUri, runKeyLine, 7))),
    labels(await client.request("textDocument/completion", at(yamlUri, 1, 8))),
  ];
  client.change(yamlUri, withKey);
  const lf = await completions();
  assert.ok(lf[0]!.includes("max_epoch") || lf[0]!.includes("max_len"), `run keys: ${lf[0]!.slice(0, 10)}`);
  for (const end of ["\r\n", "\r"]) {
    client.change(yamlUri, withKey.replace(/\n/g, end));
    assert.equal(await completions(), lf, `completions with ${JSON.stringify(end)} line ends`);
  }
  client.change(yamlUri, expYaml);
});

Lsp("go to definition: a key, an arch name, the extended file", async () => {
  const key = await client.request<Location>("textDocument/definition", at(expUri, 8, 6));
  assert.ok(key.uri.endsWith("/stdlib/recipe.lv"), key.uri);
  const arch = await client.request<Location>("textDocument/definition", at(expUri, 1, 10));
  assert.match(arch.uri, /\/stdlib\/[a-z_]+\.lv$/);
  const ext = await client.request<Location>("textDocument/definition", at(expUri, 0, 35));
  assert.is(ext.uri, uriOf(basePath));
});

Lsp("formatting is `lavisc fmt`; symbols outline the experiment", async () => {
  const messy = expLv.replace("  task", "task").replace("    init_lr = 1e-5", "    init_lr=1e-5;");
  client.change(expUri, messy);
  const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: expUri }, options: { tabSize: 2, insertSpaces: true } });
  assert.is(edits.length, 1);
  assert.is(edits[0]!.newText, format(parse(messy, expPath).ast, messy));
  client.change(expUri, expLv);
  const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: expUri } });
  assert.is(symbols[0]!.name, "caption_ft");
  assert.equal(symbols[0]!.children!.map((c) => c.name), ["model blip_caption(base_coco)", "data coco_caption", "recipe"]);
});

Lsp("a did-you-mean diagnostic has a quick fix", async () => {
  const ds = await client.diagnostics(expUri, (d) => d.some((x) => x.code === "LV2001"));
  const typo = ds.find((d) => d.code === "LV2001")!;
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: expUri }, range: typo.range, context: { diagnostics: [typo] } });
  assert.is(actions[0]!.title, "Replace `lerning_rate` with `init_lr`");
  assert.is(actions[0]!.isPreferred, false, "a translation, not a typo: offered, never preferred (an editor's auto fix would make it unasked)");
  const edit = actions[0]!.edit!.changes![expUri]![0]!;
  assert.equal(edit.range, typo.range);
  assert.is(edit.newText, "init_lr");
});

Lsp("LV4019 has three quick fixes: LAVIS's value (preferred in a YAML file) and lavisc's, written in the section, or a `lavisc: ignore` comment", async () => {
  const ds = await client.diagnostics(yamlUri, (d) => d.some((x) => x.code === "LV4019" && (x.data as { path?: string }).path === "run.test_splits"));
  const warning = ds.find((d) => d.code === "LV4019" && (d.data as { path?: string }).path === "run.test_splits")!;
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: yamlUri }, range: warning.range, context: { diagnostics: [warning], only: ["quickfix"] } });
  assert.equal(actions.map((a) => [a.title, a.isPreferred]), [
    ["Set `test_splits` to [] (LAVIS's code)", true],
    ["Set `test_splits` to [\"test\"] (lavisc's documented default)", false],
    ["Silence LV4019 on this line (`lavisc: ignore[LV4019]`)", undefined],
  ]);
  const edit = actions[0]!.edit!.changes![yamlUri]![0]!;
  assert.is(edit.newText, "\n  test_splits: []");
  assert.equal(edit.range.start, { line: expYaml.split("\n").indexOf("  max_lenn: 20"), character: "  max_lenn: 20".length });
});

Lsp("source.fixAll (fix on save): lavisc check --fix on the document, as one edit", async () => {
  await client.diagnostics(yamlUri, (d) => d.some((x) => x.code === "LV2001"));
  const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: yamlUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] } });
  assert.equal(actions.map((a) => [a.kind, a.title]), [["source.fixAll.lavisc", "Fix 1 problem lavisc can fix for certain"]]);
  const [edit] = actions[0]!.edit!.changes![yamlUri]!;
  assert.is(edit!.newText, expYaml.replace("max_lenn: 20", "max_len: 20"));
  const quick = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: yamlUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["quickfix"] } });
  assert.equal(quick, [], "not offered where only quick fixes are asked for");
  const automatic = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: yamlUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], triggerKind: 2 } });
  assert.equal(automatic.filter((a) => a.kind === "source.fixAll.lavisc"), [], "not computed for the light bulb's automatic requests");
  const invoked = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: yamlUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], triggerKind: 1 } });
  assert.equal(invoked.map((a) => a.kind), ["source.fixAll.lavisc"], "offered when the user asks for actions");
});

Lsp.run();
