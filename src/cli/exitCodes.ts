/** Named exit statuses, as TypeScript's ExitStatus: scripts rely on them. */
export const ExitCode = {
  Ok: 0,
  Diagnostics: 1,
  Usage: 2,
  Internal: 3,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
