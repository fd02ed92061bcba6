// Which tfjs backend runs a device, decided from what is installed and which WebGPU adapters exist. Shared by the
// runtime (which then initialises the candidates in order) and `lavisc plan` (which shows the decision), so both say
// the same. A device that was asked for and cannot be had is an error with what to do instead, never a fallback;
// `auto` takes the first of tfjs-node-gpu, a hardware WebGPU adapter, tfjs-node, wasm, and says why.
import type { Backend } from "../runSpec.js";
import type { AdapterSummary } from "./webgpuAdapter.js";

export type BackendName = "tensorflow-gpu" | "tensorflow" | "webgpu" | "wasm" | "cpu";

export const BACKEND_PACKAGES = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
  webgpu: "@tensorflow/tfjs-backend-webgpu",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs",
} as const satisfies Record<BackendName, string>;

export interface DeviceProbe {
  /** Is an npm package installed (resolvable; nothing is loaded)? */
  readonly has: (pkg: string) => boolean;
  /** WebGPU adapters, hardware first; null when not probed. */
  readonly adapters: { readonly found: readonly AdapterSummary[]; readonly problems: readonly string[] } | null;
}

export interface Candidate {
  readonly backend: BackendName;
  /** The device as the log names it, e.g. `webgpu: llvmpipe (OpenGL ES 3.2 Mesa 22.3.6), software`. */
  readonly device: string;
  readonly adapter?: AdapterSummary;
}

export type DeviceChoice =
  | { readonly ok: true; readonly requested: Backend; readonly candidates: readonly Candidate[]; readonly skipped: readonly string[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly requested: Backend; readonly message: string; readonly hint: string };

const NODE_GPU = BACKEND_PACKAGES["tensorflow-gpu"];
const NODE_CPU = BACKEND_PACKAGES.tensorflow;

export const WASM_DEVICE = "cpu (wasm, single thread)";
export const NODE_CPU_DEVICE = "cpu (tfjs-node, native TensorFlow)";
export const NODE_GPU_DEVICE = "cuda (tfjs-node-gpu, native TensorFlow with CUDA)";
export const JS_CPU_DEVICE = "cpu (tfjs pure JavaScript)";

export const webgpuDevice = (a: AdapterSummary): string => `webgpu: ${a.name} via ${a.api}${a.software ? ", a software adapter" : ""}`;

/** The backends to try, in order, for `requested`, or why none can run it. */
export function chooseDevice(requested: Backend, probe: DeviceProbe): DeviceChoice {
  const skipped: string[] = [];
  const notes: string[] = [];
  const ok = (candidates: Candidate[]): DeviceChoice => ({ ok: true, requested, candidates, skipped, notes });
  const fail = (message: string, hint: string): DeviceChoice => ({ ok: false, requested, message, hint });
  const hardware = probe.adapters?.found.find((a) => !a.software) ?? null;
  const software = probe.adapters?.found.find((a) => a.software) ?? null;
  const adapterProblems = probe.adapters?.problems.length ? ` (${probe.adapters.problems.join("; ")})` : "";
  switch (requested) {
    case "cuda":
      if (!probe.has(NODE_GPU)) {
        return fail(`device "cuda" needs ${NODE_GPU}, which is not installed`,
          `install it with \`npm install ${NODE_GPU}\` (Linux x86-64 with CUDA 11.2 and cuDNN 8), or run on the GPU through WebGPU with \`--set recipe.device=webgpu\`, or let lavisc pick with \`--set recipe.device=auto\`; at LAVIS's model sizes WebGPU is still many times slower than PyTorch on CUDA, so for those \`lavisc export\` writes the checked experiment as LAVIS YAML to train with LAVIS`);
      }
      return ok([{ backend: "tensorflow-gpu", device: NODE_GPU_DEVICE }]);
    case "webgpu": {
      if (!probe.has(BACKEND_PACKAGES.webgpu) || !probe.has("webgpu")) {
        return fail(`device "webgpu" needs the packages webgpu and ${BACKEND_PACKAGES.webgpu}, which are not installed`, "reinstall lavisc's dependencies with `npm install`");
      }
      if (!probe.adapters) return ok([{ backend: "webgpu", device: "webgpu (adapter not probed)" }]);
      const a = hardware ?? software;
      if (!a) {
        return fail(`device "webgpu": no WebGPU adapter was found${adapterProblems}`,
          "install the GPU's Vulkan driver (NVIDIA's driver, or Mesa's mesa-vulkan-drivers for AMD and Intel, with libvulkan1); for the software adapter install Mesa's OpenGL ES (Debian: libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri); or run on the CPU with `--set recipe.device=cpu`");
      }
      if (a.software) notes.push(`${a.name} is a software adapter: WebGPU runs on the CPU (slower than wasm); it is used because device webgpu was asked for`);
      return ok([{ backend: "webgpu", device: webgpuDevice(a), adapter: a }]);
    }
    case "cpu":
      if (probe.has(NODE_CPU)) return ok([{ backend: "tensorflow", device: NODE_CPU_DEVICE }, { backend: "wasm", device: WASM_DEVICE }, { backend: "cpu", device: JS_CPU_DEVICE }]);
      notes.push(`${NODE_CPU} is not installed, so the CPU runs the single-threaded wasm backend (install ${NODE_CPU} for native multi-threaded speed)`);
      return ok([{ backend: "wasm", device: WASM_DEVICE }, { backend: "cpu", device: JS_CPU_DEVICE }]);
    case "wasm":
      return ok([{ backend: "wasm", device: WASM_DEVICE }]);
    case "auto": {
      const candidates: Candidate[] = [];
      if (probe.has(NODE_GPU)) candidates.push({ backend: "tensorflow-gpu", device: NODE_GPU_DEVICE });
      else skipped.push(`${NODE_GPU} is not installed`);
      if (hardware) candidates.push({ backend: "webgpu", device: webgpuDevice(hardware), adapter: hardware });
      else if (!probe.adapters) skipped.push("WebGPU adapters were not probed");
      else if (software) skipped.push(`the only WebGPU adapter is a software one (${software.name}), which auto never uses (ask for it with device webgpu)`);
      else skipped.push(`no WebGPU adapter was found${adapterProblems}`);
      if (probe.has(NODE_CPU)) candidates.push({ backend: "tensorflow", device: NODE_CPU_DEVICE });
      else skipped.push(`${NODE_CPU} is not installed`);
      candidates.push({ backend: "wasm", device: WASM_DEVICE }, { backend: "cpu", device: JS_CPU_DEVICE });
      return ok(candidates);
    }
    default:
      return fail(`unknown device "${String(requested)}"`, "use one of cuda, cpu, webgpu, wasm, auto (`lavisc check` lists them)");
  }
}

/** "auto chose webgpu: …; skipped: …" — the log's and plan's account of a choice. */
export function describeChoice(requested: Backend, chosen: Candidate, skipped: readonly string[]): string {
  const why = requested === "auto" ? `auto took the first available of tfjs-node-gpu, a hardware WebGPU adapter, tfjs-node, wasm` : `device ${requested} was asked for`;
  return skipped.length ? `${why}; ${skipped.join("; ")}` : why;
}
