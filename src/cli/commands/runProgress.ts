import type { Host } from "../host.js";
import type { ProgressReporter } from "../../runtime/index.js";

/**
 * Training progress for people: on a terminal, one line redrawn in place (epoch, bar, loss, lr, it/s, ETA, data
 * wait share); otherwise one plain line every few steps and at the end of each epoch. `--quiet` prints nothing.
 */
export function renderProgress(host: Host, o: { quiet: boolean }): ProgressReporter & { done(): void } {
  if (o.quiet) return { done: () => undefined };
  let drawn = false;
  let lastPlain = 0;
  const fmtTime = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}` : "?");
  return {
    onStep(p) {
      const pct = (p.step + 1) / p.steps;
      const text = `epoch ${p.epoch} ${p.step + 1}/${p.steps} loss ${p.loss === null ? "…" : p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ${p.itPerSec.toFixed(1)} it/s eta ${fmtTime(p.etaSec)} data-wait ${(p.dataWaitShare * 100).toFixed(0)}%`;
      if (host.isTTY) {
        const width = 24;
        const bar = "█".repeat(Math.round(pct * width)).padEnd(width, "░");
        host.stderr(`\r\x1b[2K${bar} ${text}`);
        drawn = true;
      } else if (p.step + 1 === p.steps || Date.now() - lastPlain > 5000) {
        lastPlain = Date.now();
        host.stderr(`${text}\n`);
      }
    },
    onEval(e) {
      if (drawn) host.stderr("\n");
      drawn = false;
      const shown = Object.entries(e.metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`).join(", ");
      host.stderr(`eval ${e.split} (epoch ${e.epoch}): ${shown}\n`);
    },
    done() {
      if (drawn) host.stderr("\n");
    },
  };
}
