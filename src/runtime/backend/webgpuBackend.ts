// tfjs's WebGPU backend on a Dawn adapter in Node. tfjs registers its own factory only when `navigator.gpu` exists at
// import time and asks it for a full-feature adapter; here the adapter is the one lavisc chose (possibly a
// compatibility-mode one), so lavisc registers the backend itself. tfjs reads the GPU* constants and `navigator.gpu`
// from globalThis, which Node does not have: they are set from Dawn's.
import * as tf from "@tensorflow/tfjs";
import type { FoundAdapter } from "./webgpuAdapter.js";
import { failReadsAfterDeviceErrors, watchBackendDevice, type ReadingBackend, type WatchedDevice } from "./webgpuErrors.js";

const LIMITS = [
  "maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBufferBindingSize", "maxBufferSize",
  "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup",
] as const;

let registeredFor: FoundAdapter | null = null;

/** Registers tfjs's "webgpu" backend on `found` (once) and makes it current. Returns false when it fails to initialise. */
export async function activateWebGpu(found: FoundAdapter): Promise<boolean> {
  if (registeredFor !== found) await register(found);
  registeredFor = found;
  const ok = await tf.setBackend("webgpu");
  if (!ok) return false;
  await tf.ready();
  return tf.getBackend() === "webgpu";
}

async function register(found: FoundAdapter): Promise<void> {
  // Imported before navigator.gpu exists, so tfjs does not register its own factory.
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  for (const [k, v] of Object.entries(found.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (!g.navigator) g.navigator = {};
  Object.defineProperty(g.navigator, "gpu", { value: found.instance, configurable: true, writable: true });
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", async () => {
    const a = found.adapter;
    const requiredLimits = Object.fromEntries(LIMITS.map((k) => [k, a.limits[k]]));
    const requiredFeatures = a.features.has("timestamp-query") ? ["timestamp-query"] : [];
    const device = await a.requestDevice({ requiredLimits, requiredFeatures });
    const backend = new WebGPUBackend(device as ConstructorParameters<typeof WebGPUBackend>[0], a.info as ConstructorParameters<typeof WebGPUBackend>[1]);
    watchBackendDevice(failReadsAfterDeviceErrors(device as WatchedDevice, backend as unknown as ReadingBackend));
    return backend;
  }, 0);
}
