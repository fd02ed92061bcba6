// The task's evaluation settings (RunSpec.taskParams: the resolved value of every recipe key the task `reads`, and,
// where the task generates, the values the arch's generate uses whatever the recipe says: stdlib/evaluation.lv
// `generate_fixed`). The runtime has no defaults of its own: the compiler fills them from the stdlib, so an
// absent or ill-typed key is a RunSpec that did not come from lavisc's compiler (an internal error, not the user's).

type Params = Readonly<Record<string, unknown>>;

export function taskNumber(tp: Params, key: string, ok: (v: number) => boolean): number {
  const v = tp[key];
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) {
    throw new Error(`run.${key} is ${v === undefined ? "not set" : JSON.stringify(v)} in the run spec: lavisc's compiler fills and checks it from the stdlib (stdlib/tasks.lv)`);
  }
  return v;
}

export const taskInt = (tp: Params, key: string, min: number): number => taskNumber(tp, key, (v) => Number.isInteger(v) && v >= min);

export function taskString(tp: Params, key: string): string {
  const v = tp[key];
  if (typeof v !== "string") throw new Error(`run.${key} is ${v === undefined ? "not set" : JSON.stringify(v)} in the run spec: lavisc's compiler fills and checks it from the stdlib (stdlib/tasks.lv)`);
  return v;
}
