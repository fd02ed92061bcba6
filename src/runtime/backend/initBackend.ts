// Initialises the tfjs backend for a run's device. What runs which device is decided in deviceChoice.ts (shared with
// `lavisc plan`); here the candidates are initialised in order. tfjs-node(-gpu) are optional native packages: a
// missing or broken one is reported as data (BackendError), not thrown, so the CLI can say how to fix it.
import * as tf from "@tensorflow/tfjs";
import type { Backend } from "../runSpec.js";
import { installLeanTapeSaves } from "./leanTapeSaves.js";
import { installWasmKernelFixes } from "./wasmKernelFixes.js";
import { chooseDevice, describeChoice, BACKEND_PACKAGES, type BackendName, type Candidate } from "./deviceChoice.js";
import { pickAdapter } from "./webgpuAdapter.js";
import { probeDevices } from "./deviceProbe.js";
import { activateWebGpu } from "./webgpuBackend.js";
import { installDeviceSideGradients } from "./deviceSideGradients.js";

export type { BackendName } from "./deviceChoice.js";
export { probeDevices } from "./deviceProbe.js";

export interface BackendInfo {
  readonly ok: true;
  /** tfjs backend actually in use. */
  readonly name: BackendName;
  /** The device behind it, as the run log names it (with the WebGPU adapter's name). */
  readonly device: string;
  /** Why this backend: what was asked for and, for auto, what was passed over. */
  readonly reason: string;
  readonly warnings: readonly string[];
}

export interface BackendError {
  readonly ok: false;
  readonly requested: Backend;
  readonly message: string;
  /** What to install or set instead. */
  readonly hint: string;
}

/**
 * Initialise the backend of `requested`. "reference-cpu" is tfjs's pure-JS cpu backend (slow, exact reference for
 * tests). Must be awaited before any tensor is created.
 */
export async function initBackend(requested: Backend | "reference-cpu"): Promise<BackendInfo | BackendError> {
  installDeviceSideGradients();
  if (requested === "reference-cpu") {
    if (await activate("cpu")) return { ok: true, name: "cpu", device: "cpu (tfjs pure JavaScript, reference)", reason: "reference backend for tests", warnings: [] };
    return { ok: false, requested: "cpu", message: "the tfjs cpu backend failed to initialise", hint: "" };
  }
  const choice = chooseDevice(requested, await probeDevices(requested));
  if (!choice.ok) return choice;
  const skipped = [...choice.skipped];
  for (const c of choice.candidates) {
    const failure = await start(c, requested);
    if (failure === null) return { ok: true, name: c.backend, device: c.device, reason: describeChoice(requested, c, skipped), warnings: choice.notes };
    // An explicitly requested device that fails to start is an error, not a fallback (cpu: every candidate is the CPU).
    if (requested !== "auto" && requested !== "cpu") return { ok: false, requested, message: `device "${requested}" (${c.device}) failed to initialise: ${failure}`, hint: HINTS[c.backend] };
    skipped.push(`${c.device} failed to initialise (${failure})`);
  }
  return { ok: false, requested, message: `no backend for device "${requested}" could be initialised (${skipped.join("; ")})`, hint: `reinstall lavisc's dependencies with \`npm install\`` };
}

const HINTS: Record<BackendName, string> = {
  "tensorflow-gpu": "check the CUDA and cuDNN installation that @tensorflow/tfjs-node-gpu needs, or use `--set recipe.device=webgpu` or `--set recipe.device=auto`",
  tensorflow: "reinstall @tensorflow/tfjs-node, or use `--set recipe.device=wasm`",
  webgpu: "check the GPU driver (Vulkan on Linux), or use `--set recipe.device=auto`",
  wasm: "reinstall lavisc's dependencies with `npm install`",
  cpu: "reinstall lavisc's dependencies with `npm install`",
};

/** Starts one candidate; null on success, else what went wrong. */
async function start(c: Candidate, requested: Backend): Promise<string | null> {
  try {
    switch (c.backend) {
      case "tensorflow-gpu":
        await import(BACKEND_PACKAGES["tensorflow-gpu"]);
        return (await activate("tensorflow")) ? null : `its "tensorflow" backend did not start`;
      case "tensorflow":
        await import(BACKEND_PACKAGES.tensorflow);
        return (await activate("tensorflow")) ? null : `its "tensorflow" backend did not start`;
      case "webgpu": {
        const { adapter } = await pickAdapter(requested === "webgpu");
        if (!adapter) return "the adapter is gone";
        return (await activateWebGpu(adapter)) ? null : "tfjs's WebGPU backend did not start on the adapter";
      }
      case "wasm":
        await import(BACKEND_PACKAGES.wasm);
        if (!(await activate("wasm"))) return "the wasm backend did not start";
        installWasmKernelFixes();
        installLeanTapeSaves();
        return null;
      case "cpu":
        return (await activate("cpu")) ? null : "the cpu backend did not start";
    }
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
  }
}

async function activate(name: string): Promise<boolean> {
  // setBackend resolves to false (it does not throw) when initialisation fails; tensors must not be created before it resolves.
  const ok = await tf.setBackend(name);
  if (!ok) return false;
  await tf.ready();
  return tf.getBackend() === name;
}
