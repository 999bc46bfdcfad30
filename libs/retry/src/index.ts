// Public API of @adlake/retry: one retry helper with capped, jittered exponential backoff, and its error base.
export { RetryError, RetryErrorCodes } from './errors.ts';
export type { RetryErrorCode, RetryErrorContext } from './errors.ts';
export { backoffDelay, DEFAULT_RETRY_POLICY, isRetriable, resolvePolicy, retry } from './retry.ts';
export type { Backoff, Jitter, RetryInfo, RetryOptions, RetryPolicy } from './retry.ts';
