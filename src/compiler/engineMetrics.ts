// Which of a task's metrics (its stdlib `metrics`, what LAVIS reports) the tfjs engine computes, and which only LAVIS's
// engine does (the runtime's TFJS_METRICS_NOT_COMPUTED), so that the graph and `lavisc plan` never list a metric the
// run will not report.
import { TFJS_METRICS_NOT_COMPUTED, type MetricsNotComputed } from "../runtime/runSpec.js";

export interface EngineMetrics {
  /** The metrics a tfjs run reports, in the stdlib's order. */
  readonly computed: readonly string[];
  /** LAVIS's metrics this engine does not compute (`lavisc run --engine lavis` does), and why; null: none. */
  readonly lavisOnly: MetricsNotComputed | null;
}

export function engineMetrics(task: string, metrics: readonly string[]): EngineMetrics {
  const missing = Object.hasOwn(TFJS_METRICS_NOT_COMPUTED, task) ? TFJS_METRICS_NOT_COMPUTED[task]! : null;
  const lavisOnly = metrics.filter((m) => missing?.metrics.includes(m));
  return {
    computed: metrics.filter((m) => !lavisOnly.includes(m)),
    lavisOnly: missing && lavisOnly.length ? { metrics: lavisOnly, why: missing.why } : null,
  };
}
