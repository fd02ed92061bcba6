import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LspClient } from "../../tools/lspClient.js";

// The open documents that read a file are checked again, once each, when it changes: an edit, a close (its unsaved
// text is gone), a change on disk the client's watcher reports, also for a file that did not exist when they were
// checked. An `extends` or `import` cycle between open documents ends after one round.

const Deps = suite("lsp: re-checking the documents that read a file");
const dir = mkdtempSync(join(tmpdir(), "lavisc-lsp-deps-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deps.after(() => rmSync(dir, { recursive: true, force: true }));

/** Waits for a publish after the first `since`, then until nothing was published for `quietMs` (at most `maxMs`); the number of publishes so far. */
async function settled(client: LspClient, since: number, quietMs = 500, maxMs = 8_000): Promise<number> {
  const t0 = Date.now();
  while (client.published.length <= since && Date.now() - t0 < maxMs) await sleep(20);
  let n = -1;
  while (n !== client.published.length && Date.now() - t0 < maxMs) {
    n = client.published.length;
    await sleep(quietMs);
  }
  return client.published.length;
}

const files = (names: string[], text: (i: number) => string) => names.map((n, i) => {
  const p = join(dir, n);
  writeFileSync(p, text(i));
  return { path: p, text: text(i) };
});

const CYCLES = {
  "`extends`, 2 files": files(["xa.lv", "xb.lv"], (i) => `experiment e${i} extends "./${["xb", "xa"][i]}.lv" {\n  task captioning\n}\n`),
  "`extends`, 3 files": files(["ya.lv", "yb.lv", "yc.lv"], (i) => `experiment e${i} extends "./${["yb", "yc", "ya"][i]}.lv" {\n  task captioning\n}\n`),
  "`import`, 2 files": files(["za.lv", "zb.lv"], (i) => `import "./${["zb", "za"][i]}.lv"\nschema S${i} {\n  x: int = 1\n}\n`),
  "`import`, 3 files": files(["wa.lv", "wb.lv", "wc.lv"], (i) => `import "./${["wb", "wc", "wa"][i]}.lv"\nschema S${i} {\n  x: int = 1\n}\n`),
};

for (const [name, cycle] of Object.entries(CYCLES)) {
  Deps(`an ${name} cycle of open documents is checked a bounded number of times, then the server is quiet`, async () => {
    const client = await LspClient.start(dir, { debounceMs: 5 });
    try {
      const uris = cycle.map((f) => client.open(f.path, f.text));
      const n = cycle.length;
      // Each open checks the document and, once, each open document that reads it (at most n² checks), and a check
      // publishes for at most the n files: before the fix the checks scheduled each other forever, ~1,000 a second.
      const afterOpen = await settled(client, 0);
      assert.ok(afterOpen <= n ** 3, `${afterOpen} publishes after opening ${n} documents`);
      const reported = await Promise.all(uris.map((u) => client.diagnostics(u)));
      assert.ok(reported.flat().some((d) => d.code === "LV2035" || d.code === "LV2034"), "the cycle is reported");
      client.insert(uris[0]!, 0, 0, " ");
      const afterEdit = await settled(client, afterOpen);
      assert.ok(afterEdit - afterOpen <= n * n, `${afterEdit - afterOpen} publishes after one edit`);
      await sleep(1000);
      assert.is(client.published.length, afterEdit, "no publish once settled");
    } finally {
      assert.is(await client.stop(), 0);
    }
  });
}

const base = "experiment base {\n  task captioning\n  recipe {\n    max_len = 20\n    min_len = 10\n  }\n}\n";
const child = "experiment child extends \"./base.lv\" {\n  recipe { max_epoch = 2 }\n}\n";
const broken = base.replace("min_len = 10", "min_len = 30");

Deps("closing an edited base without saving checks its children against the disk again", async () => {
  writeFileSync(join(dir, "base.lv"), base);
  writeFileSync(join(dir, "child.lv"), child);
  const client = await LspClient.start(dir, { debounceMs: 5 });
  try {
    const childUri = client.open(join(dir, "child.lv"), child), baseUri = client.open(join(dir, "base.lv"), base);
    await client.diagnostics(childUri, (d) => !d.some((x) => x.code === "LV2037"));
    client.change(baseUri, base.replace("task captioning", "task captioning\n  unknown_section_key = 1"));
    const withEdit = await client.diagnostics(baseUri, (d) => d.length > 0 && d.some((x) => /unknown_section_key/.test(String(x.message))), 20_000, false);
    assert.ok(withEdit.length > 0);
    const before = await settled(client, 0); // the child's check of the edited base too
    client.close(baseUri);
    await settled(client, before);
    const childLater = client.published.slice(before).filter((p) => p.params.uri === childUri);
    assert.ok(childLater.length > 0, "the child is checked again after the close");
    assert.ok(!childLater.at(-1)!.params.diagnostics.some((d) => /unknown_section_key/.test(String(d.message))));
    assert.equal((await client.diagnostics(baseUri)).filter((d) => /unknown_section_key/.test(String(d.message))), [], "nothing left from the discarded text");
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Deps("changes on disk: a watched base created, changed and deleted re-checks the open child", async () => {
  const root = mkdtempSync(join(dir, "disk-"));
  const basePath = join(root, "base.lv"), baseUri = pathToFileURL(basePath).href;
  writeFileSync(join(root, "child.lv"), child);
  const client = await LspClient.start(root, { debounceMs: 5 }, pathToFileURL(root).href, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
  try {
    const watch = client.registrations.find((r) => r.method === "workspace/didChangeWatchedFiles") ?? await (async () => { await sleep(500); return client.registrations.find((r) => r.method === "workspace/didChangeWatchedFiles"); })();
    const globs = ((watch?.registerOptions as { watchers?: { globPattern: string }[] } | undefined)?.watchers ?? []).map((w) => w.globPattern);
    assert.equal(globs, ["**/*.lv", "**/*.{yaml,yml}", "**/.lavisc/**"]);
    const childUri = client.open(join(root, "child.lv"), child);
    await client.diagnostics(childUri, (d) => d.some((x) => x.code === "LV2014"));
    // A base the editor creates, unsaved: the child reads it (a missing file is a dependency too).
    client.open(basePath, base);
    await client.diagnostics(childUri, (d) => !d.some((x) => x.code === "LV2014"), 20_000, false);
    client.close(baseUri);
    await client.diagnostics(childUri, (d) => d.some((x) => x.code === "LV2014"), 20_000, false);
    writeFileSync(basePath, base);
    client.changedOnDisk([{ uri: baseUri, type: 1 }]);
    await client.diagnostics(childUri, (d) => !d.some((x) => x.code === "LV2014"), 20_000, false);
    writeFileSync(basePath, broken);
    client.changedOnDisk([{ uri: baseUri, type: 2 }]);
    await client.diagnostics(baseUri, (d) => d.some((x) => x.code === "LV4001"), 20_000, false);
    rmSync(basePath);
    client.changedOnDisk([{ uri: baseUri, type: 3 }]);
    await client.diagnostics(childUri, (d) => d.some((x) => x.code === "LV2014"), 20_000, false);
    assert.equal(await client.diagnostics(baseUri, (d) => d.length === 0), [], "the deleted base's diagnostics are gone");
  } finally {
    assert.is(await client.stop(), 0);
  }
});

Deps.run();
