/** Named exit statuses, as TypeScript's ExitStatus: scripts rely on them. */
export const ExitCode = {
  Ok: 0,
  Diagnostics: 1,
  Usage: 2,
  Internal: 3,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where `--set` and `--options` values are shown as source text (see semantic/overrides.ts). */
const COMMAND_LINE_SOURCE = /^<--(?:set|options) #\d+>$/;

/**
 * The exit status for a command's diagnostics: 2 when an error is in the command line itself (a `--set` or
 * `--options` value that does not parse, on a key that does not exist, or of the wrong type), 1 for any other error,
 * else 0.
 */
export function exitCodeFor(diagnostics: readonly { code: string; severity: string; span?: { file: string } | null }[]): ExitCode {
  const errors = diagnostics.filter((d) => d.severity === "error");
  // Syntax (LV1xxx), names (LV2xxx) and types (LV3xxx) of the command line are its usage; what the experiment then
  // makes of a well-formed value (a constraint, a graph rule) is an error of the experiment.
  const ofTheCommandLine = (d: (typeof errors)[number]) => !!d.span && COMMAND_LINE_SOURCE.test(d.span.file) && /^LV[123]/.test(d.code);
  if (errors.some(ofTheCommandLine)) return ExitCode.Usage;
  return errors.length ? ExitCode.Diagnostics : ExitCode.Ok;
}
