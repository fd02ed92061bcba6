import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { resolvePlainScalar, unreadableScalar, type PlainScalar } from "./fromYaml.js";
import { pythonFloat } from "./valueText.js";

// Plain mapping keys go through the same resolvers as values in OmegaConf's loader (PyYAML's SafeLoader): `on:` is
// the boolean True, `0x10:` the int 16, `null:` None. OmegaConf refuses a None key (KeyValidationError) and keeps the
// others as those values, so a config that says `on:` has no key "on" in LAVIS (and `1:` merges with `true:`). lavisc
// keys are text: such a key is reported (LV1018), or LV1017 when Python cannot convert it at all. A plain int or float
// key that Python prints as written (`1`, `2.5`) reads the same in both and is left alone.

/** Words PyYAML's bool and null resolvers take (the only letters a key can start with and not be text). */
const WORDS = new Set(["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~"]);

/** A cheap first test: only these keys can resolve to something other than text. */
export function mayNotBeText(key: string): boolean {
  const c = key.charCodeAt(0);
  // digits, `+`, `-`, `.`: numbers (`.inf`, `-1`, `0x10`); the rest are the resolvers' words
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || WORDS.has(key);
}

/** LV1018 (or LV1017) for a plain key that OmegaConf's loader does not read as the text written, else null. */
export function plainKeyProblem(key: string, at: Span | null, path: readonly string[]): Diagnostic | null {
  return mayNotBeText(key) ? typedKeyProblem(key, resolvePlainScalar(key), at, path) : null;
}

/**
 * LV1018 (or LV1017) for a key written `key` that OmegaConf's loader reads as `r` (resolved, or constructed by a tag),
 * when that is not the text `key`; else null. `hint` replaces the message's (quoting a tagged key changes nothing).
 */
export function typedKeyProblem(key: string, r: PlainScalar, at: Span | null, path: readonly string[], hint?: string): Diagnostic | null {
  const where = { path: [...path, key].join("."), ...(hint ? { hint } : {}) };
  if (r.unreadable) return unreadableScalar(r, key, at, [...path, key]);
  switch (r.type) {
    case "null":
      return diag("LV1018", at, { key, what: "None", consequence: "OmegaConf refuses a None key (KeyValidationError), so LAVIS cannot load this file" }, where);
    case "bool": {
      const value = r.value ? "True" : "False";
      return diag("LV1018", at, { key, what: `the boolean ${value}`, consequence: `LAVIS keeps the key as ${value} (the same key as \`${r.value ? 1 : 0}\`), so code that reads \`${key}\` by name does not find it` }, where);
    }
    case "int":
    case "float": {
      const printed = r.type === "int" ? r.exact ?? String(r.value) : pythonFloat(r.value as number);
      if (printed === key) return null;
      return diag("LV1018", at, { key, what: `the ${r.type} ${printed}`, consequence: `LAVIS keeps the key as that number, so code that reads \`${key}\` by name does not find it` }, where);
    }
    default:
      return null;
  }
}
