// What a WebHDFS call may retry, and how long, on the workspace's one retry helper (@adlake/retry): only
// WebHdfsErrors marked retriable, and for non-idempotent calls only those that prove nothing was applied.
import { resolvePolicy, retry } from '@adlake/retry';
import type { RetryOptions, RetryPolicy } from '@adlake/retry';
import { NOT_APPLIED_CODES, WebHdfsError } from './errors.ts';

/**
 * 5 tries, equal jitter on 200 ms doubling up to 5 s, and no retry whose wait would end more than 30 s
 * after the first try.
 */
export const WEBHDFS_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  multiplier: 2,
  jitter: [0.5, 1] as const,
  deadlineMs: 30_000,
  lastWait: 'give-up',
});

export interface WebHdfsRetryOptions extends Omit<RetryOptions, 'retriable'> {
  /**
   * False for calls that must not be applied twice (RENAME, DELETE, a non-overwriting CREATE): then only
   * errors that prove the server did not act (safe mode, standby, retry-later, no connection) are retried.
   * Default true.
   */
  readonly idempotent?: boolean;
}

/** Whether `error` may be retried. Anything that is not a WebHdfsError (a TypeError, a bug) never is. */
export function shouldRetry(error: unknown, idempotent: boolean): error is WebHdfsError {
  if (!(error instanceof WebHdfsError) || !error.retriable) return false;
  return idempotent || NOT_APPLIED_CODES.has(error.code);
}

/**
 * Runs `fn` until it succeeds, fails with an error not worth retrying, or the bounds are reached; unset
 * bounds are WEBHDFS_RETRY_POLICY's.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: WebHdfsRetryOptions = {},
): Promise<T> {
  const { idempotent = true, ...rest } = options;
  return retry(fn, {
    ...rest,
    ...resolvePolicy(rest, WEBHDFS_RETRY_POLICY),
    retriable: (error) => shouldRetry(error, idempotent),
  });
}
