// The one error base of @adlake/retry. The helper passes the caller's own errors through untouched; it
// throws its own only for a policy that cannot work, which is a programming error and never retriable.

export const RetryErrorCodes = [
  /** A policy value is out of range (maxAttempts 0, a negative delay, jitter low above high…). */
  'INVALID_POLICY',
] as const;

export type RetryErrorCode = (typeof RetryErrorCodes)[number];

export interface RetryErrorContext {
  /** The policy field at fault, e.g. `maxAttempts`. */
  readonly option?: string;
}

export class RetryError extends Error {
  readonly code: RetryErrorCode;
  readonly retriable: boolean;
  readonly context: RetryErrorContext;

  constructor(
    code: RetryErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: RetryErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetryError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}
