// Why an annotation file is not JSON, and where. LAVIS reads annotations with Python's json.load
// (BaseDataset.__init__, lavis/datasets/datasets/base_dataset.py), which also accepts the bare constants `NaN`,
// `Infinity` and `-Infinity`; JSON (RFC 8259) has none, and lavisc keeps refusing them: JSON.parse and check's byte
// scanner (compiler/annotationRecords.ts) agree on the JSON they read, and no annotation value (a label, an answer
// weight, an image id) means anything as NaN or infinity, so lavisc says where one is instead of guessing a value.

const PYTHON_CONSTANTS = ["-Infinity", "Infinity", "NaN"] as const;

/** The first of Python's non-JSON constants outside a string in `text`: its offset and spelling, or null. */
export function pythonJsonConstant(text: string): { readonly offset: number; readonly constant: string } | null {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c !== "N" && c !== "I" && c !== "-") continue;
    const constant = PYTHON_CONSTANTS.find((k) => text.startsWith(k, i));
    if (constant) return { offset: i, constant };
  }
  return null;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

/** `path:line:col: why` for a file JSON.parse rejected with `error` (line:col when it can be found). */
export function invalidJsonMessage(path: string, text: string, error: Error): string {
  const found = pythonJsonConstant(text);
  if (found) {
    return `${path}:${lineColumn(text, found.offset)}: \`${found.constant}\` is not JSON. Python's json.load, which LAVIS reads annotations with, `
      + "accepts NaN, Infinity and -Infinity; lavisc does not, as no annotation value means anything as one: write null, a number, or leave the key out";
  }
  const position = /at position (\d+)/.exec(error.message);
  return `${position ? `${path}:${lineColumn(text, Number(position[1]))}` : path} is not valid JSON: ${error.message}`;
}
