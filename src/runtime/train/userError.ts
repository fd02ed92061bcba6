// Raised inside a run for user-facing problems (a checkpoint that does not fit, an unsupported evaluation); the
// runner turns it into status 1 with the message.
export class UserError extends Error {
  override readonly name = "UserError";
}
