import { Option } from "commander";
import { closestMatches } from "../diagnostics/suggest.js";
import { messages } from "../diagnostics/messages.js";
import { UsageError } from "./usageError.js";

// Option values with a closed set or a numeric type are checked while the command line is parsed: a wrong one is a
// usage error (exit 2) that names the flag, the value and what it accepts, never a value passed on to fail later.

/** `--flag <value>` taking one of `values` (shown in the help; a near miss gets "did you mean"). */
export function choiceOption(flags: string, description: string, values: readonly string[], defaultValue?: string): Option {
  const option = new Option(flags, description).choices(values);
  if (defaultValue !== undefined) option.default(defaultValue);
  return option.argParser((v: string) => oneOf(option.long ?? flags, values, v));
}

export function oneOf(flag: string, values: readonly string[], v: string): string {
  if (values.includes(v)) return v;
  const near = closestMatches(v, values, 1)[0];
  throw new UsageError(`${flag} expects one of ${values.join(", ")}, got '${v}'${near ? `; did you mean '${near}'?` : ""}`);
}

/** An integer from `min` to `max` (inclusive), written in decimal digits. */
export function integerIn(flag: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    const t = v.trim();
    const n = Number(t);
    if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? (min === 1 ? "a positive integer" : `an integer >= ${min}`) : `an integer from ${min} to ${max}`;
      throw new UsageError(`${flag} expects ${range}, got '${v}'`);
    }
    return n;
  };
}

export const positiveInteger = (flag: string) => integerIn(flag, 1, Number.MAX_SAFE_INTEGER);

/** `--ignore LV4010,LV4017` (repeatable): diagnostic codes of the catalog; another is a usage error naming the nearest. */
export function diagnosticCodes(v: string, previous: readonly string[]): string[] {
  const codes = v.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (!codes.length) throw new UsageError(`--ignore expects diagnostic codes such as LV4010, got '${v}'`);
  for (const c of codes) {
    if (c in messages) continue;
    const near = closestMatches(c, Object.keys(messages), 1)[0];
    throw new UsageError(`--ignore: '${c}' is not a lavisc diagnostic code${near ? `; did you mean '${near}'?` : ""}`);
  }
  return [...previous, ...codes];
}
