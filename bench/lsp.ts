// Benchmark: how soon an editor shows diagnostics after an edit. `lavisc lsp --stdio` runs in a child process and is
// driven by a protocol client (tools/lspClient.ts); each edit changes one character of a typical experiment (a value
// typed and deleted again, alternating, so every edit needs a new check) and the time until the server publishes the
// file's diagnostics is measured, debounce included, then with COCO-size annotation files in $LAVISC_CACHE (what a
// LAVIS user has; the split-size rules count them). Target (issue 14): median under 150 ms.
// `npm run bench:lsp` (or `node dist/bench/lsp.js` after a build); BENCH_EDITS=N edits per file (default 40).
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LspClient } from "../tools/lspClient.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const EDITS = Number(process.env["BENCH_EDITS"] ?? 40);

/** How long each file's first diagnostics took after it was opened (its cold analysis), in the order measured. */
const firstCheckMs: number[] = [];
/** With `awaitCount`: how long after opening the diagnostics came that include the split sizes counted in the background. */
const countedMs: number[] = [];

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Latencies (ms) of `EDITS` edits to `text`: at `marker`'s end, a digit typed, then deleted. */
async function measure(client: LspClient, path: string, text: string, marker: string, awaitCount = false): Promise<number[]> {
  const opened = performance.now();
  const uri = client.open(path, text);
  await client.diagnostics(uri, () => true, 60_000); // the first check (cold analysis of this file)
  firstCheckMs.push(performance.now() - opened);
  if (awaitCount) {
    // The split sizes are counted in a worker thread (src/lsp/splitCounting.ts); the document is checked again when
    // they arrive. Waited for here, so that no edit below is timed by that re-check.
    await client.diagnostics(uri, () => true, 60_000, false);
    countedMs.push(performance.now() - opened);
  }
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(marker));
  const character = lines[line]!.indexOf(marker) + marker.length;
  const out: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const count = client.published.length;
    const t0 = performance.now();
    if (i % 2 === 0) client.insert(uri, line, character, "7");
    else client.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 1000 + i },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: "" }],
    });
    await new Promise<void>((resolve) => {
      const poll = () => (client.published.slice(count).some((p) => p.params.uri === uri) ? resolve() : setTimeout(poll, 1));
      poll();
    });
    out.push(client.published.slice(count).find((p) => p.params.uri === uri)!.at - t0);
  }
  client.close(uri);
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-bench-lsp-"));
  try {
    const lv = readFileSync(join(repo, "bench", "fixtures", "caption_coco_ft.lv"), "utf8");
    const yaml = readFileSync(join(repo, "test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
    writeFileSync(join(dir, "exp.lv"), lv);
    writeFileSync(join(dir, "exp.yaml"), yaml);
    console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${EDITS} edits per file`);
    const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} ms, p90 ${quantile(xs, 0.9).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
    let headline = "";
    for (const debounceMs of [40, 0]) {
      const client = await LspClient.start(dir, { debounceMs });
      const lvTimes = await measure(client, join(dir, "exp.lv"), lv, "max_epoch = 5");
      const yamlTimes = await measure(client, join(dir, "exp.yaml"), yaml, "max_epoch: 5");
      await client.stop();
      console.log(`debounce ${debounceMs} ms: .lv ${fmt(lvTimes)}; YAML ${fmt(yamlTimes)}`);
      if (debounceMs === 40) headline = `lsp: diagnostics after an edit, median ${quantile(lvTimes, 0.5).toFixed(1)} ms (.lv), ${quantile(yamlTimes, 0.5).toFixed(1)} ms (YAML), target < 150 ms`;
    }
    // As on a LAVIS user's machine: COCO's annotation files in the cache folder, which the split-size rules count.
    const { writeCocoSizeAnnotations } = await import("./cocoAnnotations.js");
    const cache = join(dir, "cache");
    const bytes = writeCocoSizeAnnotations(cache);
    const savedCache = process.env["LAVISC_CACHE"];
    process.env["LAVISC_CACHE"] = cache; // the server inherits it
    try {
      const client = await LspClient.start(dir, { debounceMs: 40 });
      const firsts = firstCheckMs.length;
      // The .lv is opened first: its check hands the files to the counting thread; the YAML finds the count kept.
      const lvTimes = await measure(client, join(dir, "exp.lv"), lv, "max_epoch = 5", true);
      const yamlTimes = await measure(client, join(dir, "exp.yaml"), yaml, "max_epoch: 5");
      await client.stop();
      const [lvFirst, yamlFirst] = firstCheckMs.slice(firsts);
      console.log(`debounce 40 ms, COCO-size annotation files present (training file ${(bytes / 1e6).toFixed(0)} MB): .lv ${fmt(lvTimes)}; YAML ${fmt(yamlTimes)}; first diagnostics after opening ${lvFirst!.toFixed(0)} ms (.lv; its files are counted in a worker thread, and the diagnostics with their sizes followed at ${countedMs.at(-1)!.toFixed(0)} ms), ${yamlFirst!.toFixed(0)} ms (YAML)`);
    } finally {
      if (savedCache === undefined) delete process.env["LAVISC_CACHE"];
      else process.env["LAVISC_CACHE"] = savedCache;
    }
    console.log(headline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
