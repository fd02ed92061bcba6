// One value of a user's BERT config JSON (`model.med_config_path`) as a node of MedConfig's field (stdlib/encoders.lv),
// checked against the field's declared type: sizes are integers, initializer_range and layer_norm_eps numbers,
// hidden_act and position_embedding_type strings.
import { checkValue, typeOf, typeToString, type ValueProblem } from "../checker/types.js";
import { scalar, type CNode, type Origin } from "./configTree.js";
import type { FieldInfo, Registry } from "./registry.js";

/** The JSON value `v` of `field` as a node, or why the field's type refuses it. */
export function medConfigNode(field: FieldInfo, v: unknown, reg: Registry, origin: Origin): CNode | { readonly problem: string } {
  const node = jsonScalar(v, origin);
  const type = typeOf(field.type, reg);
  const problems: ValueProblem[] = [];
  if (node) checkValue(type, node, [field.name], problems);
  if (node && problems.every((p) => p.kind === "wholeFloat")) return node;
  return { problem: `must be ${typeToString(type)}, got ${JSON.stringify(v)}` };
}

function jsonScalar(v: unknown, origin: Origin): CNode | null {
  if (v === null) return scalar(null, "null", origin);
  if (typeof v === "number") return scalar(v, Number.isInteger(v) ? "int" : "float", origin);
  if (typeof v === "string") return scalar(v, "string", origin);
  if (typeof v === "boolean") return scalar(v, "bool", origin);
  return null;
}
