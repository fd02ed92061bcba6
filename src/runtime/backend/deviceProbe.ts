// What a run's device choice depends on, found without starting a backend: which backend packages are installed and,
// for `webgpu` and `auto`, which WebGPU adapters Dawn offers. `lavisc plan` needs only this, so it does not load
// TensorFlow.js (~150-190 ms of a cold `plan`); initBackend.ts probes the same way before it starts a candidate.
import { packageInstalled } from "./packages.js";
import type { Backend } from "../runSpec.js";
import { BACKEND_PACKAGES, type DeviceProbe } from "./deviceChoice.js";
import { findWebGpuAdapters, startWebGpuAdapterSearch } from "./webgpuAdapter.js";

/** What chooseDevice needs to decide for `requested`; adapters are probed only for webgpu and auto. */
export async function probeDevices(requested: Backend, has: (pkg: string) => boolean = packageInstalled): Promise<DeviceProbe> {
  const wantsAdapters = (requested === "webgpu" || requested === "auto") && webgpuInstalled(has);
  const adapters = wantsAdapters ? await findWebGpuAdapters() : null;
  return { has, adapters: adapters && { found: adapters.found, problems: adapters.problems } };
}

/**
 * Starts the WebGPU adapter search now (a child process asks Dawn: webgpuAdapter.ts), so that it runs while the caller
 * does other work; probeDevices then takes its answer, and a caller that never asks does not wait for it. For `plan`,
 * which checks the experiment before it knows the device: the search overlaps the check.
 */
export function startAdapterSearch(has: (pkg: string) => boolean = packageInstalled): void {
  if (webgpuInstalled(has)) startWebGpuAdapterSearch();
}

/** Dawn's binding and tfjs's WebGPU backend, both needed to look for adapters. */
function webgpuInstalled(has: (pkg: string) => boolean): boolean {
  return has("webgpu") && has(BACKEND_PACKAGES.webgpu);
}
