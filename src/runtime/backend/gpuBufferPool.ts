// tfjs's WebGPU backend keeps every buffer a freed tensor had, keyed by exact size, for the next tensor of that size,
// and never gives one back to the GPU. Evaluation (batch_size_eval, no gradient tape, the whole split's features)
// uses other sizes than a training step, so after a validation the pool holds both phases' buffers, and the next
// epoch trains with the evaluation's memory still taken (on an H200, one blip_retrieval(coco) training step at batch 8
// left 47 GiB pooled for 3.5 GiB in use: bench/README.md). The runner releases the pool when a phase ends; the
// buffers a phase needs are allocated again on its first step.
import * as tf from "@tensorflow/tfjs";

/** What this module uses of tfjs-backend-webgpu's BufferManager (tfjs is pinned; a test checks the shape). */
interface BufferPool {
  freeBuffers: Map<string, { size: number; destroy(): void }[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
}

/** Destroys the WebGPU backend's free (pooled) buffers; returns the bytes given back (0 on other backends). */
export function releasePooledGpuBuffers(): number {
  if (tf.getBackend() !== "webgpu") return 0;
  const pool = (tf.backend() as unknown as { bufferManager?: BufferPool }).bufferManager;
  if (!pool?.freeBuffers) throw new Error("bug: this tfjs WebGPU backend has no bufferManager.freeBuffers (see backend/gpuBufferPool.ts)");
  let released = 0;
  for (const buffers of pool.freeBuffers.values()) {
    for (const b of buffers.splice(0)) {
      released += b.size;
      b.destroy();
    }
  }
  // The keys stay: tfjs's releaseBuffer treats an empty map as a disposed manager and would stop pooling.
  pool.numFreeBuffers = 0;
  pool.numBytesAllocated -= released;
  return released;
}
