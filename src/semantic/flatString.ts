/**
 * `yaml` decodes a double-quoted scalar character by character into a rope (a V8 cons string) of about 30 bytes per
 * character: 70,000 quoted URLs then hold 130 MB. Reading a character of a rope makes V8 flatten it in place, to its
 * plain size; the text is unchanged.
 */
export function flatten(s: string): string {
  if (s.length > 1) s.charCodeAt(s.length - 1);
  return s;
}
