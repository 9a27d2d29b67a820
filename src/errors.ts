/**
 * Errors carry a stable code; one error path shows them (ARCHITECTURE.md). A UserFacingError also carries text that is safe and
 * useful to show the person who triggered it; anything else is shown as a generic apology with a code.
 */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UserFacingError extends CodedError {
  constructor(
    code: string,
    readonly userMessage: string,
    options?: ErrorOptions,
  ) {
    super(code, userMessage, options);
  }
}

/** Bolt wraps errors without a `code` in UnknownError({ original }); look through that and `cause`. */
export function findUserFacingError(error: unknown): UserFacingError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof UserFacingError) return current;
    const next =
      (current as { original?: unknown; cause?: unknown }).original ?? (current as { cause?: unknown }).cause;
    current = next;
  }
  return undefined;
}
