// `lavisc plan`'s device section: which tfjs backend a run would start for `recipe.device`, on which device (the WebGPU
// adapter by name), and why. The decision is the runtime's own (runtime/backend/deviceChoice.ts), so plan and run agree.
import type { Backend } from "../runtime/runSpec.js";
import { chooseDevice, describeChoice, BACKEND_PACKAGES, type BackendName, type DeviceProbe } from "../runtime/backend/deviceChoice.js";

export interface DevicePlan {
  /** `recipe.device` as written. */
  readonly requested: string;
  /** The tfjs backend the run would start, and its package; null when the device cannot be had (see error). */
  readonly backend: BackendName | null;
  readonly package: string | null;
  /** The device behind it (the WebGPU adapter's name for webgpu). */
  readonly device: string | null;
  /** Why this backend: what was asked for and what auto passed over. */
  readonly reason: string | null;
  /** What the run would try next if the first choice fails to start (auto and cpu only). */
  readonly then: readonly string[];
  readonly notes: readonly string[];
  /** The run would stop with this error, and what to do instead. */
  readonly error: { readonly message: string; readonly hint: string } | null;
}

export function planDevice(requested: string, probe: DeviceProbe): DevicePlan {
  const choice = chooseDevice(requested as Backend, probe);
  if (!choice.ok) return { requested, backend: null, package: null, device: null, reason: null, then: [], notes: [], error: { message: choice.message, hint: choice.hint } };
  const [first, ...rest] = choice.candidates;
  return {
    requested,
    backend: first!.backend,
    package: BACKEND_PACKAGES[first!.backend],
    device: first!.device,
    reason: describeChoice(choice.requested, first!, choice.skipped),
    then: rest.map((c) => c.device),
    notes: [...choice.notes, ...(probe.adapters === null && (requested === "webgpu" || requested === "auto") ? ["WebGPU adapters were not probed"] : [])],
    error: null,
  };
}

/** The plan text's device lines. */
export function renderDevicePlan(d: DevicePlan): string[] {
  const out = ["", "device"];
  if (d.error) {
    out.push(`  ${d.requested}: cannot run: ${d.error.message}`, `  to fix: ${d.error.hint}`);
    return out;
  }
  out.push(`  ${d.requested} -> ${d.backend} (${d.package}) on ${d.device}`, `  why: ${d.reason}`);
  if (d.then.length) out.push(`  if it fails to start: ${d.then.join(", then ")}`);
  for (const n of d.notes) out.push(`  note: ${n}`);
  return out;
}
