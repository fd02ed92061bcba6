// Picks and initialises the tfjs backend. tfjs-node(-gpu) are optional native packages that may be absent;
// their absence is reported as data (BackendError), not thrown, so the CLI can print how to fix it.
import * as tf from "@tensorflow/tfjs";
import type { Backend } from "../runSpec.js";
import { installWasmKernelFixes } from "./wasmKernelFixes.js";

export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  readonly ok: true;
  /** tfjs backend actually in use. */
  readonly name: BackendName;
  /** The device behind the backend, as the run log and RunResult name it. */
  readonly device: string;
  readonly warnings: readonly string[];
}

export interface BackendError {
  readonly ok: false;
  readonly requested: Backend;
  readonly message: string;
  /** What to install or set instead. */
  readonly hint: string;
}

const NODE_GPU = "@tensorflow/tfjs-node-gpu";
const NODE_CPU = "@tensorflow/tfjs-node";

async function tryImport(pkg: string): Promise<string | null> {
  try {
    await import(pkg);
    return null;
  } catch (e) {
    return (e as Error).message.split("\n")[0] ?? String(e);
  }
}

async function activate(name: string): Promise<boolean> {
  // setBackend resolves to false (it does not throw) when initialisation fails; tensors must not be created before it resolves.
  const ok = await tf.setBackend(name);
  if (!ok) return false;
  await tf.ready();
  return tf.getBackend() === name;
}

/**
 * Initialise the requested backend. "reference-cpu" is tfjs's pure-JS cpu backend (slow, exact reference for tests).
 * Must be awaited before any tensor is created.
 */
export async function initBackend(requested: Backend | "reference-cpu"): Promise<BackendInfo | BackendError> {
  const warnings: string[] = [];
  if (requested === "reference-cpu") {
    return (await activate("cpu")) ? { ok: true, name: "cpu", device: "cpu", warnings } : fail(requested as Backend, "the tfjs cpu backend failed to initialise", "");
  }
  if (requested === "cuda") {
    const err = await tryImport(NODE_GPU);
    if (err !== null) {
      return fail(requested, `device "cuda" needs ${NODE_GPU}, which is not installed (${err})`,
        `install it with \`npm install ${NODE_GPU}\` (needs CUDA and cuDNN), or run with \`--set recipe.device=auto\``);
    }
    if (await activate("tensorflow")) return { ok: true, name: "tensorflow-gpu", device: "tensorflow-gpu", warnings };
    return fail(requested, `${NODE_GPU} is installed but its "tensorflow" backend failed to initialise`, "check the CUDA/cuDNN installation, or use `--set recipe.device=auto`");
  }
  if (requested === "auto") {
    if ((await tryImport(NODE_GPU)) === null && (await activate("tensorflow"))) return { ok: true, name: "tensorflow-gpu", device: "tensorflow-gpu", warnings };
  }
  if (requested === "auto" || requested === "cpu") {
    const err = await tryImport(NODE_CPU);
    if (err === null && (await activate("tensorflow"))) return { ok: true, name: "tensorflow", device: "tensorflow", warnings };
    warnings.push(`${NODE_CPU} is not available; using the single-threaded wasm backend (install ${NODE_CPU} for native speed)`);
  }
  await import("@tensorflow/tfjs-backend-wasm");
  if (await activate("wasm")) {
    installWasmKernelFixes();
    return { ok: true, name: "wasm", device: "wasm", warnings };
  }
  warnings.push("the wasm backend failed to initialise; falling back to the slow pure-JS cpu backend");
  if (await activate("cpu")) return { ok: true, name: "cpu", device: "cpu", warnings };
  return fail(requested, "no tfjs backend could be initialised", `install ${NODE_CPU}`);
}

function fail(requested: Backend, message: string, hint: string): BackendError {
  return { ok: false, requested, message, hint };
}
