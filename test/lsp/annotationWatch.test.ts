import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { LspClient } from "../../tools/lspClient.js";
import { literalGlob, watcherOf } from "../../src/lsp/annotationWatch.js";
import { captionRecords, warmupExperiment } from "./warmupFixture.js";

// The split-size checks count the records of local annotation files, which live where the data does (lsp/
// annotationWatch.ts): the server asks the client to watch the files a check counted or looked for, and when one is
// changed, deleted or created on disk, forgets its count and checks the open documents that read it again.

const Watch = suite("lsp: annotation files changed on disk");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-annotations-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Watch.after(() => rmSync(dir, { recursive: true, force: true }));

const records = captionRecords;
const experiment = warmupExperiment;

const warmup = (ds: Diagnostic[]) => ds.some((d) => d.code === "LV4053");

/** Starts the server with its own empty count cache, for a client that watches files and takes relative patterns or not. */
async function start(root: string, relativePatternSupport: boolean): Promise<LspClient> {
  const previous = process.env["LAVISC_CACHE"];
  process.env["LAVISC_CACHE"] = join(root, "cache"); // the server inherits it
  try {
    const watching = { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport } };
    return await LspClient.start(root, { debounceMs: 5 }, pathToFileURL(root).href, { workspace: watching });
  } finally {
    if (previous === undefined) delete process.env["LAVISC_CACHE"];
    else process.env["LAVISC_CACHE"] = previous;
  }
}

/** The globs of the server's latest file-watching registration, once it names `file`. */
async function watchedGlobs(client: LspClient, file: string): Promise<unknown[]> {
  const latest = () => {
    const r = client.registrations.filter((x) => x.method === "workspace/didChangeWatchedFiles").at(-1);
    return ((r?.registerOptions as { watchers?: { globPattern: unknown }[] } | undefined)?.watchers ?? []).map((w) => w.globPattern);
  };
  for (let t = 0; t < 100 && !JSON.stringify(latest()).includes(file); t++) await sleep(50);
  return latest();
}

Watch("an annotation file rewritten, deleted and created on disk: the open experiment's split-size warning follows it", async () => {
  const root = mkdtempSync(join(dir, "relative-"));
  const train = join(root, "data", "train.json");
  mkdirSync(join(root, "data"));
  writeFileSync(train, records(100));
  const client = await start(root, true);
  try {
    const uri = client.open(join(root, "exp.yaml"), experiment(train));
    // 100 records in batches of 10: 10 iterations in epoch 0, under the 50 warm-up steps (counted in the background).
    await client.diagnostics(uri, warmup);
    assert.equal(await watchedGlobs(client, "train.json"), [{ baseUri: pathToFileURL(join(root, "data")).href, pattern: "train.json" }]);
    // 1,000 records: 100 iterations, the warning goes.
    writeFileSync(train, records(1000));
    client.changedOnDisk([{ uri: pathToFileURL(train).href, type: 2 }]);
    await client.diagnostics(uri, (d) => !warmup(d), 20_000, false);
    // Deleted: the size is unknown, no warning; created again with 100 records: counted again, the warning is back.
    rmSync(train);
    client.changedOnDisk([{ uri: pathToFileURL(train).href, type: 3 }]);
    await client.diagnostics(uri, (d) => !warmup(d), 20_000, false);
    writeFileSync(train, records(100));
    client.changedOnDisk([{ uri: pathToFileURL(train).href, type: 1 }]);
    await client.diagnostics(uri, warmup, 20_000, false);
    // Closing the document leaves nothing to watch: the registration is taken back.
    const registered = client.registrations.filter((x) => x.method === "workspace/didChangeWatchedFiles").map((x) => x.id);
    client.close(uri);
    for (let t = 0; t < 100 && !client.unregistered.includes(registered.at(-1)!); t++) await sleep(50);
    assert.ok(client.unregistered.includes(registered.at(-1)!), "the annotation watcher is unregistered after the close");
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Watch("a missing annotation file is watched, and its creation brings the warning", async () => {
  const root = mkdtempSync(join(dir, "absolute-"));
  const train = join(root, "train.json");
  const client = await start(root, false);
  try {
    const uri = client.open(join(root, "exp.yaml"), experiment(train));
    const first = await client.diagnostics(uri);
    assert.not.ok(warmup(first), "no file, no size, no warning");
    // Without relative patterns the file's absolute path is the glob.
    const globs = await watchedGlobs(client, "train.json");
    assert.equal(globs, [train]);
    writeFileSync(train, records(100));
    client.changedOnDisk([{ uri: pathToFileURL(train).href, type: 1 }]);
    await client.diagnostics(uri, warmup, 20_000, false);
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Watch("a watcher's glob matches its file's name as it is: glob characters stand for themselves", () => {
  assert.is(literalGlob("train[1]{a,b}*?.json"), "train?1??a,b???.json");
  assert.equal(watcherOf("/data/coco [v2]/train.json", true), { globPattern: { baseUri: pathToFileURL("/data/coco [v2]").href, pattern: "train.json" } });
  assert.equal(watcherOf("/data/coco [v2]/train.json", false), { globPattern: "/data/coco ?v2?/train.json" });
});

Watch.run();
