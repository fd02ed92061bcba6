// WebGPU reports a failed operation (a buffer over the device's limits, memory exhausted, a lost device) as an event,
// not an exception: the kernel does not run, tfjs carries on, and what is read back afterwards is zeros or stale
// values. Without this, a run would go on training on them (and Dawn would print the error to the console). Here the
// first such error is kept and every read of a tensor after it fails with a `GpuDeviceError`, which the runner turns
// into status 1 with the message, before a wrong loss is logged or a checkpoint is written.
import { UserError } from "../train/userError.js";

export class GpuDeviceError extends UserError {}

/** The parts of a GPUDevice this module uses. */
export interface WatchedDevice {
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  addEventListener(type: "uncapturederror", listener: (ev: { error: { message: string; constructor: { name: string } }; preventDefault(): void }) => void): void;
  readonly lost: Promise<{ reason?: string; message?: string }>;
}

/** The parts of tfjs's WebGPU backend this module uses: its asynchronous read. */
export interface ReadingBackend {
  read(dataId: object): Promise<unknown>;
}

const LOWER = "lower batch_size_train or batch_size_eval (or the image size), or train on another device (`recipe.device`)";

/** The first error of the WebGPU backend's device (`watchBackendDevice`), read by `throwIfGpuFailed`. */
let latest: () => string | null = () => null;

/** Makes `throwIfGpuFailed` report `firstError` (what `failReadsAfterDeviceErrors` returned for the backend's device). */
export function watchBackendDevice(firstError: () => string | null): void {
  latest = firstError;
}

/**
 * Throws the WebGPU device's first error, if it had one: the training loop calls it after every step, so a run stops
 * at the step that failed rather than at its next read (up to log_freq steps later, each on invalid buffers).
 */
export function throwIfGpuFailed(where?: string): void {
  throwIfFailed(latest(), where);
}

function throwIfFailed(failure: string | null, where?: string): void {
  if (failure) throw new GpuDeviceError(`the GPU failed${where ? ` ${where}` : ""}, so the values computed since are not valid: ${failure}`);
}

/** Keeps `device`'s first error and makes every later read of `backend` throw it; returns that error's getter. */
export function failReadsAfterDeviceErrors(device: WatchedDevice, backend: ReadingBackend): () => string | null {
  let first: string | null = null;
  device.addEventListener("uncapturederror", (ev) => {
    ev.preventDefault(); // reported once, by the run, instead of Dawn's console print of every one
    first ??= describeGpuError(ev.error.constructor.name, ev.error.message, device.limits);
  });
  void device.lost.then((info) => {
    first ??= `the GPU device was lost (${[info.reason, info.message].filter(Boolean).join(": ") || "no reason given"}); ${LOWER}`;
  });
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    throwIfFailed(first);
    return values;
  };
  return () => first;
}

/** A user-facing account of a WebGPU error: what went over which limit, and what to change. */
export function describeGpuError(kind: string, message: string, limits: WatchedDevice["limits"]): string {
  const binding = /Binding size \((\d+)\)[^]*?maximum storage buffer binding size \((\d+)\)/.exec(message);
  if (binding) return `a tensor of ${bytes(Number(binding[1]))} is larger than the largest buffer this GPU lets a kernel use (${bytes(Number(binding[2]))}, ${mib(Number(binding[2]))}); ${LOWER}`;
  if (/OutOfMemory/i.test(kind) || /out of memory/i.test(message)) return `the GPU ran out of memory; ${LOWER}`;
  if (/buffer size|maxBufferSize/i.test(message)) return `a tensor is larger than this GPU's largest buffer (${mib(limits.maxBufferSize)}); ${LOWER}`;
  const what = ({ GPUValidationError: "a validation error", GPUInternalError: "an internal error" } as Record<string, string>)[kind] ?? kind;
  return `WebGPU reported ${what}: ${message.split("\n")[0]}`;
}

const mib = (n: number): string => `${Number((n / 2 ** 20).toFixed(1))} MiB`;
const bytes = (n: number): string => `${String(n).replace(/\B(?=(\d{3})+$)/g, ",")} bytes`;
