import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import type { Action } from "../main.js";
import { integerIn, oneOf, positiveInteger } from "../optionValues.js";
import type { Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { guardOverwrite } from "../overwriteGuard.js";
import { UsageError } from "../usageError.js";

/**
 * `lavisc data prepare NAME [--root DIR] [--seed N] [--force]`: writes a built-in dataset (generated shapes, or
 * Fashion-MNIST from Debian), replacing only the files an earlier preparation wrote; files lavisc did not write in its
 * images/ or annotations/ stop it (exit 2) unless --force, which keeps them.
 */
export async function dataPrepareCommand(host: Host, name: string, o: { root?: string; seed?: number; force?: boolean }): Promise<number> {
  const data = await import("../../data/index.js");
  oneOf("data prepare NAME", data.BUILTIN_DATASETS, name);
  const root = o.root ?? data.defaultDataRoot(host.env as NodeJS.ProcessEnv);
  try {
    const started = Date.now();
    const r = data.prepareDataset(name, { root, force: !!o.force, ...(o.seed !== undefined ? { seed: o.seed } : {}) });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    host.stdout(`${name}: ${r.created ? `prepared in ${secs} s` : "already prepared"} at ${r.root} (${data.dataParamsText(r.manifest.params)})\n`);
    return ExitCode.Ok;
  } catch (e) {
    // A --root whose dataset folder holds the user's files is the command line's mistake, as with `-o` (overwriteGuard).
    if (e instanceof data.DataError && e.code === "refused-write") throw new UsageError(e.message);
    if (e instanceof data.DataError) {
      host.stderr(`error: ${e.message}\n`);
      return ExitCode.Diagnostics;
    }
    throw e;
  }
}

export interface DataVocabOptions {
  readonly size?: number;
  readonly minCount?: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly set?: string[];
  readonly options?: string[];
  readonly dataRoot?: string;
  readonly storageRoot?: string;
}

/**
 * `lavisc data vocab EXPERIMENT`: the WordPiece vocabulary the runtime builds from the training texts when
 * `model.vocab_file` is null (same texts, same builder), written as a vocab.txt. Setting `vocab_file` to the file
 * reproduces the built tokenizer; `--size`/`--min-count` change what is kept.
 */
export async function dataVocabCommand(host: Host, file: string, o: DataVocabOptions): Promise<number> {
  const { size, minCount } = o;
  const path = resolve(host.cwd, file);
  // Before any work, as `export -o` and `schema -o` do: a vocab.txt has no header, so any existing file needs --force.
  const outPath = o.out !== undefined ? resolve(host.cwd, o.out) : join(dirname(path), `${basename(path, extname(path))}.vocab.txt`);
  if (host.isDirectory(outPath)) throw new UsageError(`${outPath} is a folder; --out names the vocab.txt to write`);
  guardOverwrite(host, outPath, o.force, null);
  const { checkFile } = await import("../../index.js");
  const { SourceSet, sortDiagnostics, renderDiagnostics } = await import("../../diagnostics/index.js");
  const checked = checkFile(path, host, { sets: o.set ?? [], options: o.options ?? [], experimentFor: "build a vocabulary for", needsRun: true });
  const sources = new SourceSet();
  for (const s of checked.sources) sources.add(s);
  const fail = (message: string) => {
    host.stderr(`error: ${message}\n`);
    return ExitCode.Diagnostics;
  };
  const print = (diags: readonly import("../../diagnostics/index.js").Diagnostic[]) => {
    if (diags.length) host.stderr(renderDiagnostics(sortDiagnostics(diags), sources, { color: host.color, cwd: host.cwd }));
    return diags.some((d) => d.severity === "error");
  };
  if (!checked.resolved || checked.diagnostics.some((d) => d.severity === "error")) {
    print(checked.diagnostics);
    return exitCodeFor(checked.diagnostics) || ExitCode.Diagnostics;
  }
  const data = await import("../../data/index.js");
  const dataRoot = o.dataRoot ? resolve(host.cwd, o.dataRoot) : data.defaultDataRoot(host.env as NodeJS.ProcessEnv);
  const { lowerToGraph, runSpecOf } = await import("../../compiler/lower.js");
  const lowered = lowerToGraph(checked.resolved, { dataRoot, ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}), env: host.env });
  // LV5018/LV5019 say an evaluation-only run has no vocabulary or weights: building the vocabulary is this command's job.
  const aboutRunning = new Set(["LV5018", "LV5019"]);
  if (print([...checked.diagnostics, ...lowered.diagnostics.filter((d) => !aboutRunning.has(d.code))])) return ExitCode.Diagnostics;
  const spec = runSpecOf(lowered.graph);

  const runtime = await import("../../runtime/index.js");
  const settings = runtime.modelTextSettings(spec.model);
  if (Array.isArray(settings)) return fail(settings.join("; "));
  const splits = runtime.trainingSplits(spec);
  if (!splits.length) {
    const names = spec.datasets.map((d) => `${d.name} (${d.splits.map((s) => s.split).join(", ") || "no splits"})`).join(", ");
    return fail(`no dataset of ${basename(path)} has a training split (run.train_splits: ${spec.trainSplits.join(", ") || "empty"}; datasets: ${names || "none"}), so there are no training texts to build a vocabulary from`);
  }
  let read: Awaited<ReturnType<typeof runtime.readTrainingTexts>>;
  try {
    (await import("./builtinData.js")).useBuiltinDatasets(host, { datasets: splits.map((s) => s.dataset) }, dataRoot, false);
    read = await runtime.readTrainingTexts(spec);
  } catch (e) {
    if (e instanceof data.DataError || (e instanceof Error && e.name === "DataError")) return fail((e as Error).message);
    throw e;
  }
  const texts = read.flatMap((r) => r.texts);
  if (!texts.some((t) => t.trim())) return fail(`the training splits (${read.map((r) => `${r.dataset}/${r.split}`).join(", ")}) have no texts to build a vocabulary from`);

  const vocab = runtime.vocabularyFromTexts(texts, settings, { ...(size !== undefined ? { size } : {}), ...(minCount !== undefined ? { minCount } : {}) });
  host.writeFileAtomic(outPath, vocab.join("\n") + "\n");

  const specials = vocab.filter((t) => /^\[[A-Z]+\]$/.test(t)).length;
  const pieces = vocab.filter((t) => [...t.replace(/^##/, "")].length === 1).length;
  const shown = o.out !== undefined && !isAbsolute(o.out) ? o.out : relativeOrAbsolute(host.cwd, outPath);
  host.stdout(
    `wrote ${shown}: ${vocab.length} tokens (${specials} special, ${pieces} single characters, ${vocab.length - specials - pieces} words) ` +
      `from ${texts.length} texts of ${read.map((r) => `${r.dataset}/${r.split}`).join(", ")}\n`,
  );
  if (settings.vocabFile) host.stderr(`note: model.vocab_file is set (${settings.vocabFile}); the runtime reads that file, not this one\n`);
  host.stdout(`vocab_file = ${JSON.stringify(shown)}\n`);
  return ExitCode.Ok;
}

function relativeOrAbsolute(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export const registerDataCommand = (program: Command, setAction: (a: Action) => void): void => {
  const data = program.command("data").description("built-in datasets and vocabularies");
  data
    .command("prepare")
    .description("write a built-in dataset: shapes (generated) or fashion-mnist (Debian's dataset-fashion-mnist)")
    .argument("<name>")
    .option("--root <dir>", "data root (default: $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--seed <n>", "generator seed (default 0); runs use the data as prepared, whatever its seed", integerIn("--seed", 0, 2 ** 32 - 1))
    .option("--force", "prepare even when images/ or annotations/ hold files lavisc did not write (they are kept; one at a path the dataset writes is replaced)")
    .action((name: string, o) => setAction((h) => dataPrepareCommand(h, name, o)));
  const collect = (v: string, prev: string[]) => [...prev, v];
  data
    .command("vocab")
    .description("write the WordPiece vocab.txt the runtime builds from an experiment's training texts (for model.vocab_file)")
    .argument("<experiment>")
    .option("--size <n>", "add words until the vocabulary has n tokens; special tokens and every character seen are always kept (default: the model's vocab_size)", positiveInteger("--size"))
    .option("--min-count <k>", "keep words seen at least k times (default 1)", positiveInteger("--min-count"))
    .option("--out <file>", "where to write (default: <experiment>.vocab.txt beside the experiment)")
    .option("--force", "overwrite an existing file")
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .option("--data-root <dir>", "root of the built-in datasets (default $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--storage-root <dir>", "LAVIS's cache_root, for relative storage paths of LAVIS datasets")
    .action((file: string, o) => setAction((h) => dataVocabCommand(h, file, o)));
};
