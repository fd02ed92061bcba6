// SIGINT/SIGTERM → a stop request the runner honours at the next step boundary (it then writes a resumable
// checkpoint and returns 130). A second signal quits at once, for a run stuck outside the step loop.
//
// Quitting at once cannot be process.exit: it runs libuv's shutdown, which joins the thread pool, so a thread blocked
// in a system call (open() of a named pipe, a read from a device or a hung network mount) keeps the process alive
// forever. Instead the second signal removes the handlers and raises the same signal again: with no handler, the
// default action ends the process at once, the way any program dies of Ctrl-C (the shell reports 130 for SIGINT,
// 143 for SIGTERM). Should another handler still catch it, a SIGKILL to itself is the last resort (137).
import type { StopSignal } from "./progress.js";

export function stopOnSignals(onFirst?: (signal: NodeJS.Signals) => void): StopSignal & { dispose(): void } {
  const state = { stopRequested: false };
  const handler = (signal: NodeJS.Signals) => {
    if (state.stopRequested) quitNow(signal);
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

/** Ends the process now, whatever its threads are blocked in (see the file comment). */
function quitNow(signal: NodeJS.Signals): never {
  process.removeAllListeners(signal); // the last listener gone, libuv restores the default action
  process.kill(process.pid, signal);
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable: the process was killed");
}
