import { diag, didYouMean } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { quoteList } from "./names.js";

const orList = (xs: readonly string[]): string => (xs.length > 1 ? `${quoteList(xs.slice(0, -1))} or \`${xs.at(-1)}\`` : quoteList(xs));

/**
 * What other frameworks call a device, as the lavisc device that runs on the same hardware (the devices themselves
 * are the stdlib's `Device` enum). "gpu" is closest to "cpu" by spelling, so spelling alone would suggest the CPU.
 */
const OTHER_NAMES: Readonly<Record<string, { readonly use: readonly string[]; readonly why: string }>> = {
  gpu: { use: ["cuda", "webgpu"], why: "an NVIDIA GPU is `cuda` (tfjs-node-gpu) or `webgpu`; AMD and Apple GPUs are `webgpu`" },
  mps: { use: ["webgpu"], why: "Apple GPUs run through WebGPU (Metal)" },
  metal: { use: ["webgpu"], why: "Apple GPUs run through WebGPU (Metal)" },
  rocm: { use: ["webgpu"], why: "AMD GPUs run through WebGPU (Vulkan)" },
  hip: { use: ["webgpu"], why: "AMD GPUs run through WebGPU (Vulkan)" },
  vulkan: { use: ["webgpu"], why: "WebGPU runs on Vulkan on Linux" },
  tpu: { use: ["auto"], why: "lavisc has no TPU backend" },
  xla: { use: ["auto"], why: "lavisc has no XLA backend" },
};

/** LV2036: `run.device` must be one of the stdlib's `Device` names. */
export const unknownDeviceRule: Rule = (ctx) => {
  const node = ctx.at(["run", "device"]);
  const devices = ctx.registry.enums.get("Device")?.values;
  if (!devices || !node || node.kind !== "scalar" || typeof node.value !== "string" || devices.includes(node.value)) return;
  if (!ctx.isUserValue(node)) return;
  const name = node.value;
  const lower = name.toLowerCase();
  const other = OTHER_NAMES[lower];
  const index = /^cuda:\d+$/.test(lower);
  const fix = index
    ? "lavisc runs on one GPU and picks it itself: write `cuda` (choose the GPU with CUDA_VISIBLE_DEVICES)."
    : other
      ? `Use ${orList(other.use.filter((d) => devices.includes(d)))}: ${other.why}.`
      : [didYouMean(lower, devices), `Valid devices: ${quoteList(devices)}.`].filter(Boolean).join(" ");
  ctx.report(diag("LV2036", node.span ?? node.keySpan, { name, fix }, { path: "run.device" }));
  ctx.invalid.add("run.device");
};
