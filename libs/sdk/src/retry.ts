// The one retry helper: exponential backoff with full-range jitter, only for errors that say they are retriable.
import { setTimeout as sleep } from 'node:timers/promises';
import { isRetriable } from './errors.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `retries + 1` attempts). */
  retries: number;
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Upper bound of one delay, in ms. */
  maxDelayMs: number;
  /** Growth of the delay per retry. */
  multiplier: number;
  /** Randomisation in [0, 1]: the delay is drawn from `[d × (1 − jitter), d × (1 + jitter)]`, then capped. */
  jitter: number;
  /**
   * Total time from the first attempt after which no retry starts (Kafka's `delivery.timeout.ms`); the last
   * wait is shortened to end there. Unset: only `retries` bounds the attempts.
   */
  deadlineMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 5,
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
});

/** Delay before retry number `retry` (1-based). `random` returns [0, 1), injectable for tests. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  const spread = base * policy.jitter;
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(base - spread + random() * 2 * spread)));
}

export interface RetryHooks {
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
  /** The clock, in ms; injectable for tests. */
  now?: () => number;
  /** Called before each retry with the error that caused it. */
  onRetry?: (info: { retry: number; delayMs: number; error: unknown }) => void;
  /** Decides what is retriable; defaults to `isRetriable` (never programmer errors). */
  retriable?: (error: unknown) => boolean;
}

/** Runs `attempt` until it succeeds, fails with a non-retriable error, or the retries are used up. */
export async function retry<T>(
  attempt: (retry: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: RetryHooks = {},
): Promise<T> {
  const canRetry = hooks.retriable ?? isRetriable;
  const wait = hooks.sleep ?? sleep;
  const now = hooks.now ?? Date.now;
  const deadline = policy.deadlineMs === undefined ? Infinity : now() + policy.deadlineMs;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const left = deadline - now();
      if (n >= policy.retries || !canRetry(error) || left <= 0) throw error;
      const delayMs = Math.min(left, backoffDelay(n + 1, policy, hooks.random));
      hooks.onRetry?.({ retry: n + 1, delayMs, error });
      await wait(delayMs);
    }
  }
}
