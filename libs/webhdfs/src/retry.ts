// The one retry helper: jittered exponential backoff, bounded in attempts and elapsed time, that retries only
// WebHdfsErrors marked retriable, and for non-idempotent calls only those that prove nothing was applied.
import { NOT_APPLIED_CODES, WebHdfsError } from './errors.ts';

export interface RetryPolicy {
  /** Total tries including the first; 1 disables retrying. */
  readonly maxAttempts: number;
  /** Backoff before the first retry, before jitter. */
  readonly initialDelayMs: number;
  /** Cap on one backoff, before jitter. */
  readonly maxDelayMs: number;
  /** Growth of the backoff per retry. */
  readonly factor: number;
  /** No retry starts once this much time has passed since the first try (the retry would end later). */
  readonly maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  factor: 2,
  maxElapsedMs: 30_000,
});

export interface RetryInfo {
  /** The try that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: WebHdfsError;
}

export interface RetryOptions extends Partial<RetryPolicy> {
  /**
   * False for calls that must not be applied twice (RENAME, DELETE, a non-overwriting CREATE): then only
   * errors that prove the server did not act (safe mode, standby, retry-later, no connection) are retried.
   * Default true.
   */
  readonly idempotent?: boolean;
  /** Stops waiting and retrying; the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Called before each backoff, e.g. to log. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** For tests: a source of [0, 1) numbers, a clock and a sleep. */
  readonly random?: () => number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Whether `error` may be retried. Anything that is not a WebHdfsError (a TypeError, a bug) never is. */
export function shouldRetry(error: unknown, idempotent: boolean): error is WebHdfsError {
  if (!(error instanceof WebHdfsError) || !error.retriable) return false;
  return idempotent || NOT_APPLIED_CODES.has(error.code);
}

/**
 * Backoff before retry number `retry` (1 for the first retry): `base = min(maxDelay, initial * factor^(retry-1))`,
 * then "equal jitter" — uniformly in [base/2, base) — so that clients that failed together spread out while
 * each still waits at least half the base.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1));
  return Math.floor(base / 2 + random() * (base / 2));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `fn` until it succeeds, fails with an error not worth retrying, or the policy's bounds are reached. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    initialDelayMs: options.initialDelayMs ?? DEFAULT_RETRY_POLICY.initialDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    factor: options.factor ?? DEFAULT_RETRY_POLICY.factor,
    maxElapsedMs: options.maxElapsedMs ?? DEFAULT_RETRY_POLICY.maxElapsedMs,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  const idempotent = options.idempotent ?? true;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!shouldRetry(error, idempotent) || attempt >= policy.maxAttempts || options.signal?.aborted)
        throw error;
      const delayMs = backoffDelay(attempt, policy, options.random);
      if (now() - started + delayMs > policy.maxElapsedMs) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
