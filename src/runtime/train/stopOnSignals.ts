// SIGINT/SIGTERM → a stop request the runner honours at the next step boundary (it then writes a resumable
// checkpoint and returns 130). A second signal exits at once, for a run stuck outside the step loop.
import type { StopSignal } from "./progress.js";

export function stopOnSignals(onFirst?: (signal: NodeJS.Signals) => void): StopSignal & { dispose(): void } {
  const state = { stopRequested: false };
  const handler = (signal: NodeJS.Signals) => {
    if (state.stopRequested) process.exit(130);
    state.stopRequested = true;
    onFirst?.(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get stopRequested() {
      return state.stopRequested;
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
