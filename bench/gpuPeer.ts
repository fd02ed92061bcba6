// bench/gpu.ts's peer: the same blip_retrieval training step in PyTorch on CUDA (bench/peer_retrieval_step.py with
// PEER_DEVICE=cuda, plain fp32), and PyTorch's fp32 matrix-product rate on the GPU. The peer trains with the dropout
// rates of lavisc's model config (med.py's hidden and attention-probs dropout, the ViT's drop-path), passed to it here,
// so both sides always drop at the same rates and sites.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readBlipRetrievalConfig } from "../src/runtime/models/blipRetrievalConfig.js";

export interface PeerResult {
  /** Images per second by batch size (the batches that fit). */
  readonly imagesPerSec: Map<number, number>;
  /** PyTorch's fp32 matrix product (8192^3, TF32 off) in TFLOP/s; null when it did not run. */
  readonly matmulTflops: number | null;
}

/**
 * The peer: PyTorch's step (bench/peer_retrieval_step.py) on CUDA at the same sizes and batch sizes,
 * plain fp32, and PyTorch's fp32 matrix-product rate as a measured ceiling. Null (with the reason printed) without CUDA.
 */
export function pytorchPeer(cfg: Record<string, unknown>, run: { textLen: number; vocab: number; batches: number[]; steps: number }): PeerResult | null {
  const rc = readBlipRetrievalConfig(cfg);
  if (Array.isArray(rc)) {
    console.log(`peer: not run (${rc.join("; ")})`);
    return null;
  }
  const shapes = {
    vit_width: rc.vit.width, vit_depth: rc.vit.depth, vit_heads: rc.vit.heads, patch_size: rc.vit.patchSize, image_size: rc.vit.imageSize,
    text_width: rc.textWidth, text_layers: rc.textLayers, text_heads: rc.textHeads, embed_dim: rc.embedDim, queue_size: rc.queueSize,
    max_txt_len: run.textLen, vocab: run.vocab, batches: run.batches, steps: run.steps, warmup: 2,
    ...peerDropout(rc),
  };
  const rows = runPeer(shapes);
  if (typeof rows === "string") {
    console.log(`peer: ${rows}`);
    return null;
  }
  const imagesPerSec = new Map<number, number>();
  for (const r of rows) {
    const b = r["batch"] as number;
    if (r["error"]) console.log(`peer: PyTorch batch ${b}: ${String(r["error"])}`);
    else {
      imagesPerSec.set(b, (r["steps_per_s"] as number) * b);
      console.log(`peer: PyTorch ${String(r["torch"])} on ${String(r["device"])}, fp32 (TF32 off), ${dropoutText(r["dropout"])}, batch ${b}: ${((1000 * b) / imagesPerSec.get(b)!).toFixed(0)} ms/step, ${imagesPerSec.get(b)!.toFixed(1)} images/s`);
    }
  }
  const matmul = runPeer({ mode: "fp32_matmul" });
  const matmulTflops = typeof matmul === "string" ? null : (matmul[0]!["tflops"] as number);
  if (matmulTflops) console.log(`peer: PyTorch's fp32 matrix product (8192^3, TF32 off) on this GPU: ${matmulTflops.toFixed(1)} TFLOP/s`);
  return { imagesPerSec, matmulTflops };
}

/** The training dropout rates of lavisc's model, in the peer's keys (bench/peer_retrieval_step.py reads them). */
export function peerDropout(rc: { readonly textHiddenDropout: number; readonly textAttentionDropout: number; readonly vit: { readonly dropPath: number } }): Record<string, number> {
  return { hidden_dropout: rc.textHiddenDropout, attention_dropout: rc.textAttentionDropout, drop_path: rc.vit.dropPath };
}

/** "dropout 0.1/0.1, drop-path 0" from the peer's echo of its rates (an older peer echoes none). */
function dropoutText(d: unknown): string {
  const r = d as { hidden?: number; attention?: number; drop_path?: number } | undefined;
  return r ? `dropout ${r.hidden}/${r.attention}, drop-path ${r.drop_path}` : "dropout unknown";
}

/** The peer's JSON lines, or why it failed. */
function runPeer(extra: Record<string, unknown>): Record<string, unknown>[] | string {
  const script = fileURLToPath(new URL("../../bench/peer_retrieval_step.py", import.meta.url));
  const python = process.env["PYTHON"] ?? "python3";
  const r = spawnSync(python, [script, JSON.stringify(extra)], { encoding: "utf8", env: { ...process.env, PEER_DEVICE: "cuda" }, timeout: 600_000 });
  const lines = (r.stdout ?? "").split("\n").filter((l) => l.startsWith("{"));
  if (r.status !== 0 || !lines.length) return `PyTorch peer failed (${python}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`;
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

