import { parentPort, workerData } from "node:worker_threads";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import type { CNode } from "../../src/semantic/configTree.js";
import type { TNode } from "./typedJson.js";
import type { CheckJob, FileResult, WorkerMessage } from "./checkCorpus.js";

// Runs lavisc's checkFile over the given files in a worker thread, so the parent can stop a file that hangs and
// name it. Results are plain data (typed trees with origins), cloned to the parent.

function typed(n: CNode): TNode {
  const origin = { kind: n.origin.kind, file: n.origin.span?.file ?? null };
  switch (n.kind) {
    case "scalar": return { t: n.type, v: n.value, origin };
    case "list": return { t: "list", v: n.items.map(typed), origin };
    case "map": return { t: "map", v: new Map([...n.entries].map(([k, v]) => [k, typed(v)])), origin };
    case "expr": return { t: "expr", v: n.text, origin };
  }
}

const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const host = nodeHost();
for (const job of (workerData as { jobs: CheckJob[] }).jobs) {
  post({ kind: "start", rel: job.rel });
  const started = performance.now();
  let result: FileResult;
  try {
    const r = checkFile(job.path, host, { options: job.options ?? [] });
    result = {
      rel: job.rel,
      ms: performance.now() - started,
      crash: null,
      diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, path: d.path, message: d.message })),
      tree: r.resolved ? typed(r.resolved.root) : null,
    };
  } catch (e) {
    result = { rel: job.rel, ms: performance.now() - started, crash: (e as Error).stack ?? String(e), diagnostics: [], tree: null };
  }
  post({ kind: "done", result });
}
