// The benchmarks' PyTorch peer (bench/peer_retrieval_step.py) trains with the dropout of lavisc's model: bench/gpu.ts
// passes the rates of blip_retrieval(coco) (med.py's hidden and attention-probs dropout 0.1, ViT drop-path 0) and
// bench:runtime those of its tiny step model (0); the peer drops where med.py and timm do, in training only.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { readBlipRetrievalConfig } from "../../src/runtime/models/blipRetrievalConfig.js";
import { peerDropout } from "../../bench/gpuPeer.js";
import { SHAPES, retrievalStepConfig } from "../../bench/retrievalStep.js";
import { PYTHON, TORCH, testWith } from "../harness/requires.js";
import { fromRoot } from "../harness/repoRoot.js";

test("the GPU bench passes blip_retrieval(coco)'s rates to the peer, bench:runtime its tiny model's 0", () => {
  const checked = checkFile(fromRoot("projects", "blip", "retrieval_coco_ft.lv"), nodeHost());
  const rc = readBlipRetrievalConfig(runSpecOf(lowerToGraph(checked.resolved!).graph).model.config);
  if (Array.isArray(rc)) throw new Error(rc.join("; "));
  assert.equal(peerDropout(rc), { hidden_dropout: 0.1, attention_dropout: 0.1, drop_path: 0 });
  assert.equal(peerDropout(retrievalStepConfig()), { hidden_dropout: 0, attention_dropout: 0, drop_path: 0 });
});

// The peer's model built at bench:runtime's sizes (no timed batches) for each config, its forward passes compared in
// Python (one process: PyTorch's import is most of the time).
const PROBE = `
import json, runpy, sys, torch
out = []
for cfg in json.loads(sys.argv[1]):
    sys.argv = ["peer", json.dumps(cfg)]
    m = runpy.run_path(${JSON.stringify(fromRoot("bench", "peer_retrieval_step.py"))}, run_name="peer")["model"]
    img, ids, mask = torch.randn(4, 3, 32, 32), torch.randint(5, 100, (4, 16)), torch.ones(4, 16)
    varies = lambda f: not torch.equal(f(), f())
    r = {"text_varies": varies(lambda: m.txt(ids, mask, m.vis(img).detach())), "vit_varies": varies(lambda: m.vis(img)),
         "momentum_varies": varies(lambda: m.txt_m(ids, mask)), "drop_path": [b.drop_path.p for b in m.vis.blocks],
         "dropouts": sorted({x.p for x in m.txt.modules() if isinstance(x, torch.nn.Dropout)})}
    m.eval()
    r["eval_varies"] = varies(lambda: m.txt(ids, mask)) or varies(lambda: m.vis(img))
    out.append(r)
print(json.dumps(out))
`;

function probe(...rates: Record<string, number>[]): Record<string, unknown>[] {
  const cfgs = rates.map((r) => ({ ...SHAPES, batch: 4, vocab: 100, steps: 1, batches: [], ...r }));
  const r = spawnSync(PYTHON, ["-c", PROBE, JSON.stringify(cfgs)], { encoding: "utf8", env: { ...process.env, PEER_THREADS: "1" } });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>[];
}

const withTorch = testWith(test, TORCH);
withTorch("the peer drops at the rates it is given, in training only; at rates 0 its training forward is deterministic", () => {
  const [on, off] = probe({ hidden_dropout: 0.1, attention_dropout: 0.2, drop_path: 0.1 }, {});
  assert.equal([on!["text_varies"], on!["vit_varies"], on!["momentum_varies"], on!["eval_varies"]], [true, true, true, false]);
  assert.equal(on!["dropouts"], [0.1, 0.2]);
  assert.equal((on!["drop_path"] as number[]).map((p) => Math.round(p * 1e6) / 1e6), [0, 0.1], "linspace(0, 0.1, depth 2)");
  assert.equal([off!["text_varies"], off!["vit_varies"], off!["momentum_varies"], off!["eval_varies"]], [false, false, false, false]);
});
withTorch("the peer's step runs with dropout and says its rates", () => {
  const cfg = { ...SHAPES, batch: 4, vocab: 100, steps: 1, warmup: 1, hidden_dropout: 0.1, attention_dropout: 0.1, drop_path: 0.1 };
  const r = spawnSync(PYTHON, [fromRoot("bench", "peer_retrieval_step.py"), JSON.stringify(cfg)], { encoding: "utf8", env: { ...process.env, PEER_THREADS: "1" } });
  assert.is(r.status, 0, r.stderr);
  const row = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
  assert.equal(row["dropout"], { hidden: 0.1, attention: 0.1, drop_path: 0.1 });
  assert.ok((row["steps_per_s"] as number) > 0);
});
test.run();
