// `lavisc data vocab`: writes the vocabulary the runtime builds from the training texts, and `vocab_file = <it>`
// gives the runtime the same tokenizer as building it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { dataModuleFactory } from "../../src/runtime/train/dataModuleFactory.js";
import { chooseVocabulary } from "../../src/runtime/train/vocabulary.js";
import { modelTextSettings } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer } from "../../src/runtime/nn/tokenizer.js";
import { repoRoot } from "../harness/repoRoot.js";

const tmp = mkdtempSync(join(tmpdir(), "lavisc-vocab-"));
const dataRoot = join(tmp, "data");
const experiment = join(repoRoot(), "projects/quickstart/caption_shapes.lv");

async function vocabCli(args: string[], files: Record<string, string> = {}) {
  const host = memoryHost(files, repoRoot());
  const code = await runCli(["data", "vocab", ...args, "--data-root", dataRoot], host);
  return { code, host };
}

test("writes the built vocabulary, a summary line and the vocab_file line", async () => {
  const out = join(tmp, "caption.vocab.txt");
  const { code, host } = await vocabCli([experiment, "--out", out]);
  assert.is(code, 0, host.err);
  const text = host.files.get(out);
  assert.ok(text, "written through the host (atomically)");
  const lines = text!.split("\n");
  assert.is(lines.pop(), "", "ends with a newline");
  assert.equal(lines.slice(0, 7), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[ENC]", "[DEC]"]);
  assert.ok(lines.includes("square") && lines.includes("picture"), "caption words (prompt included, as the train text processor adds it)");
  assert.match(host.out, new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${lines.length} tokens \\(7 special, \\d+ single characters, \\d+ words\\) from \\d+ texts of shapes_caption/train$`, "m"));
  assert.match(host.out, new RegExp(`^vocab_file = ${JSON.stringify(out).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
});

test("vocab_file = the written file gives the runtime the tokenizer it builds from the training texts", async () => {
  const out = join(tmp, "same.vocab.txt");
  const { code, host } = await vocabCli([experiment, "--out", out]);
  assert.is(code, 0, host.err);
  writeFileSync(out, host.files.get(out)!);

  const checked = checkFile(experiment, memoryHost({}, repoRoot()));
  const spec = runSpecOf(lowerToGraph(checked.resolved!, { dataRoot }).graph);
  const settings = modelTextSettings(spec.model);
  if (Array.isArray(settings)) throw new Error(settings.join("; "));
  assert.is(settings.vocabFile, null);
  // The runtime's own path: the data module's train loader texts, then the runner's choice of vocabulary.
  const data = dataModuleFactory();
  let texts: string[];
  try {
    const ds = spec.datasets[0]!;
    texts = [...((await data.train(ds, "train", { batchSize: 8, seed: 1, dropLast: true })).texts ?? [])];
  } finally {
    await data.close();
  }
  const built = chooseVocabulary(settings, null, () => texts);
  const fromFile = chooseVocabulary({ ...settings, vocabFile: out }, null, () => {
    throw new Error("texts are not read with a vocab_file");
  });
  assert.ok(built.ok && fromFile.ok);
  if (!built.ok || !fromFile.ok) return;
  assert.is(built.source, "built");
  assert.is(fromFile.source, "file");
  assert.equal(fromFile.vocab, built.vocab);
  const a = new WordPieceTokenizer(built.vocab);
  const b = new WordPieceTokenizer(fromFile.vocab);
  const sample = [...texts.slice(0, 200), "a picture of an unseen purple zigzag!"];
  assert.equal(Array.from(b.encode(sample, 24).ids), Array.from(a.encode(sample, 24).ids));
  assert.equal([b.encId, b.decId, b.size], [a.encId, a.decId, a.size]);
});

test("a vocab_file without [PAD], [UNK], [CLS] or [SEP] is a message naming them, not an internal error", () => {
  const bad = join(tmp, "words.txt");
  writeFileSync(bad, "foo\nbar\n[CLS]\n");
  const settings = { vocabFile: bad, vocabSize: 100, maxTxtLen: 20, addedTokens: [] };
  const r = chooseVocabulary(settings, null, () => []);
  assert.not.ok(r.ok);
  if (r.ok) return;
  assert.match(r.error, /^model\.vocab_file .*words\.txt lacks \[PAD\], \[UNK\], \[SEP\], which the tokenizer needs: it is not a BERT WordPiece vocab\.txt/);
});

test("refuses to overwrite without --force; --size and --min-count bound what is kept", async () => {
  const out = join(tmp, "exists.txt");
  const first = await vocabCli([experiment, "--out", out]);
  assert.is(first.code, 0, first.host.err);
  const full = first.host.files.get(out)!.trim().split("\n");

  const again = await vocabCli([experiment, "--out", out], { [out]: "keep me\n" });
  assert.is(again.code, 2, "a usage error, as export -o and schema -o");
  assert.match(again.host.err, /exists; pass --force to overwrite it/);
  assert.is(again.host.files.get(out), "keep me\n", "left alone");

  const small = await vocabCli([experiment, "--out", out, "--force", "--size", "60"], { [out]: "old\n" });
  assert.is(small.code, 0, small.host.err);
  const smallLines = small.host.files.get(out)!.trim().split("\n");
  assert.ok(smallLines.length <= 60 && smallLines.length < full.length, `${smallLines.length} of ${full.length}`);
  assert.equal(smallLines, full.slice(0, smallLines.length), "the same order, cut at --size");

  const frequent = await vocabCli([experiment, "--out", join(tmp, "min.txt"), "--min-count", "1000000"]);
  assert.is(frequent.code, 0, frequent.host.err);
  const kept = frequent.host.files.get(join(tmp, "min.txt"))!.trim().split("\n");
  assert.ok(kept.every((t) => t.startsWith("[") || [...t.replace(/^##/, "")].length === 1), "no word is that frequent: specials and characters only");
  assert.match(frequent.host.out, / 0 words\)/);
});

test("errors: missing experiment (1), unknown dataset (1), no training split (1), bad option (2)", async () => {
  const missing = await vocabCli([join(tmp, "nope.lv")]);
  assert.is(missing.code, 1);
  assert.match(missing.host.err, /LV1011/);

  const bad = join(tmp, "bad.lv");
  const src = `experiment bad {\n  task captioning\n  model blip_caption(tiny)\n  data no_such_dataset\n}\n`;
  const unknown = await vocabCli([bad], { [bad]: src });
  assert.is(unknown.code, 1);
  assert.match(unknown.host.err, /LV2005\]: Unknown dataset builder `no_such_dataset`/);

  const emptied = await vocabCli([experiment, "--out", join(tmp, "x.txt"), "--set", "recipe.train_splits=[]"]);
  assert.is(emptied.code, 1);
  assert.match(emptied.host.err, /LV5003/, "a training run needs train_splits");
  const noTrain = await vocabCli([experiment, "--out", join(tmp, "x.txt"), "--set", "recipe.train_splits=[]", "--set", "recipe.evaluate=true"]);
  assert.is(noTrain.code, 1, noTrain.host.err);
  assert.match(noTrain.host.err, /no dataset of caption_shapes\.lv has a training split/);
  assert.not.ok(noTrain.host.files.has(join(tmp, "x.txt")));

  for (const args of [["--size", "0"], ["--min-count", "two"]]) {
    const usage = await vocabCli([experiment, ...args]);
    assert.is(usage.code, 2, args.join(" "));
    assert.match(usage.host.err, /expects a positive integer/);
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
