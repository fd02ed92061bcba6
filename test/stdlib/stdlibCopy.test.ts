// One source of truth: the compiler and the runtime read LAVIS's meaning from the stdlib. Here a copy of stdlib/
// (named by $LAVISC_STDLIB) changes two defaults, captioning's generation lengths (stdlib/tasks.lv) and the ViT's MLP
// ratio of the BLIP family (stdlib/encoders.lv), and `explain`, `graph`, `plan` and `run` all follow the copy.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { tmp, remove } = useStdlibCopy("lavisc-stdlib-copy-", [
  ["tasks.lv", "    max_len = 20\n    min_len = 5\n    num_beams = 3\n", "    max_len = 8\n    min_len = 5\n    num_beams = 1\n"],
  ["encoders.lv", "vit_mlp_ratio: int(> 0) = 4", "vit_mlp_ratio: int(> 0) = 2"],
]);
const { runCli } = await import("../../src/cli/main.js");
const { memoryHost } = await import("../../src/cli/host.js");
const { initBackend } = await import("../../src/runtime/backend/initBackend.js");
const { decodeSafetensors } = await import("../../src/runtime/checkpoint/safetensors.js");

/** The quickstart captioner, relying on the task's generation defaults and on the encoders' MLP ratio. */
const experiment = `experiment cap {
  task captioning
  model blip_caption(tiny)
  data shapes_caption {
    vis_processor.train = blip_image_train { image_size = 32 }
    vis_processor.eval = blip_image_eval { image_size = 32 }
    text_processor.train = blip_caption { prompt = "a picture of ", max_words = 16 }
    text_processor.eval = blip_caption { max_words = 16 }
  }
  recipe {
    init_lr = 1e-3
    min_lr = 1e-5
    max_epoch = 1
    batch_size_train = 128
    batch_size_eval = 100
    repetition_penalty = 1.0
    device = "auto"
    output_dir = "${join(tmp, "out")}"
    train_splits = [train]
    valid_splits = []
    test_splits = [test]
  }
}
`;
const file = join(tmp, "cap.lv");
writeFileSync(file, experiment);

test("explain, graph and plan read the copy's defaults", async () => {
  const e = memoryHost({}, tmp);
  assert.is(await runCli(["explain", file, "run.max_len"], e), 0, e.err);
  assert.match(e.out, /^run\.max_len = 8  default of task captioning \(stdlib\/tasks\.lv:\d+\); LAVIS's current code falls back to 30$/m);
  const g = memoryHost({}, tmp);
  assert.is(await runCli(["graph", file, "--format", "json"], g), 0, g.err);
  const graph = JSON.parse(g.out) as { nodes: { kind: string; attrs: Record<string, unknown> }[]; run: { taskParams: Record<string, unknown> } };
  const gen = graph.nodes.find((n) => n.kind === "generation")!;
  assert.equal([gen.attrs["max_len"], gen.attrs["num_beams"]], [8, 1]);
  assert.equal([graph.run.taskParams["max_len"], graph.run.taskParams["num_beams"]], [8, 1]);
  const p = memoryHost({}, tmp);
  assert.is(await runCli(["plan", file, "--format", "json", "--data-root", join(tmp, "data")], p), 0, p.err);
  const plan = JSON.parse(p.out) as { model: { params: { sizes: { mlpRatio: number; vitWidth: number } } } };
  assert.equal([plan.model.params.sizes.mlpRatio, plan.model.params.sizes.vitWidth], [2, 64]);
});

test("run builds the copy's model and generates with the copy's settings", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const h = memoryHost({}, tmp);
  const code = await runCli(["run", file, "--quiet", "--workers", "1", "--data-root", join(tmp, "data")], h);
  assert.is(code, 0, h.err);
  const out = join(tmp, "out");
  const [job] = readdirSync(out);
  const dir = join(out, job!);
  const config = JSON.parse(readFileSync(join(dir, "log.txt"), "utf8").split("\n}\n")[0]! + "\n}") as { run: Record<string, unknown>; model: Record<string, unknown> };
  assert.equal([config.run["max_len"], config.run["num_beams"], config.model["vit_mlp_ratio"]], [8, 1, 2]);
  // The ViT's MLP is 2 x 64 wide in the weights the run saved.
  const weights = readdirSync(dir).find((f) => f.endsWith(".safetensors"))!;
  const st = decodeSafetensors(readFileSync(join(dir, weights)));
  if (!st.ok) throw new Error(st.error);
  assert.equal(st.tensors.get("visual_encoder.blocks.0.mlp.fc1.weight")!.shape, [128, 64]);
  // max_len 8 counts the 4 prompt tokens ([DEC] a picture of): at most 4 generated tokens remain.
  const results = JSON.parse(readFileSync(join(dir, "result", readdirSync(join(dir, "result")).find((f) => f.startsWith("test_"))!), "utf8")) as { caption: string }[];
  assert.is(results.length, 100);
  for (const r of results) assert.ok(r.caption.split(" ").filter(Boolean).length <= 4, r.caption);
});

test.after(remove);
test.run();
