// Runs an async call until it succeeds, fails with an error not worth retrying, or the policy's bounds
// (attempts, deadline, an abort) are reached, waiting a capped, jittered, exponentially growing time between
// tries. Policy-free about *what* is retriable: each caller passes its own decision.
import { RetryError } from './errors.ts';

/**
 * Spread of one wait around its base: the wait is `base × f`, `f` drawn uniformly from `[low, high]`.
 * A number `j` means `[1 − j, 1 + j]`; `[0.5, 1]` is "equal jitter" (never more than the base, at least half).
 */
export type Jitter = number | readonly [low: number, high: number];

export interface Backoff {
  /** Base wait before the first retry, ms. */
  readonly initialDelayMs: number;
  /** Cap on one wait, ms: applies to the base and again after jitter. */
  readonly maxDelayMs: number;
  /** Growth of the base per retry. */
  readonly multiplier: number;
  readonly jitter: Jitter;
}

export interface RetryPolicy extends Backoff {
  /** Tries including the first; 1 disables retrying, `Infinity` leaves the bound to the deadline or the signal. */
  readonly maxAttempts: number;
  /** Time budget from the start of the first try, ms; no retry starts after it. Unset: no time bound. */
  readonly deadlineMs?: number;
  /**
   * A wait that would end past the deadline: `'give-up'` throws the last error at once (default);
   * `'shorten'` waits until the deadline and tries once more there, using the whole budget (Kafka's
   * `delivery.timeout.ms`).
   */
  readonly lastWait?: 'give-up' | 'shorten';
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: [0.5, 1] as const,
});

export interface RetryInfo {
  /** The try that just failed, from 1 (so also the number of the retry about to wait). */
  readonly attempt: number;
  /** How long the helper now waits before the next try. */
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions extends Partial<RetryPolicy> {
  /**
   * Whether an error may be retried. Default: its own `retriable` flag is `true` (every adlake error base
   * has one); anything without it — a TypeError, a bug — is thrown at once.
   */
  readonly retriable?: (error: unknown) => boolean;
  /** Stops waiting and retrying (a shutdown): the last error is thrown. The first try always runs. */
  readonly signal?: AbortSignal;
  /** Called before each wait, for logs and metrics. An exception thrown here ends the retrying with it. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** A source of [0, 1) numbers, for tests. */
  readonly random?: () => number;
  /** A monotonic clock in ms, for tests. Default `performance.now`: a wall-clock jump must not move a deadline. */
  readonly now?: () => number;
  /** Waits `ms` or until `signal` aborts, whichever is first; never rejects. Injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Whether an error carries `retriable: true`, the flag of every adlake error base. */
export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

function invalid(option: string, value: unknown, expected: string): RetryError {
  return new RetryError(
    'INVALID_POLICY',
    `retry ${option} must be ${expected}, got ${JSON.stringify(value)}`,
    {
      context: { option },
    },
  );
}

function jitterRange(jitter: Jitter): readonly [number, number] {
  return typeof jitter === 'number' ? [1 - jitter, 1 + jitter] : jitter;
}

/**
 * A complete, checked policy: fields of `partial` that are undefined come from `defaults`. Throws
 * RetryError INVALID_POLICY naming the field that cannot work.
 */
export function resolvePolicy(
  partial: Partial<RetryPolicy> = {},
  defaults: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPolicy {
  const policy: RetryPolicy = {
    maxAttempts: partial.maxAttempts ?? defaults.maxAttempts,
    initialDelayMs: partial.initialDelayMs ?? defaults.initialDelayMs,
    maxDelayMs: partial.maxDelayMs ?? defaults.maxDelayMs,
    multiplier: partial.multiplier ?? defaults.multiplier,
    jitter: partial.jitter ?? defaults.jitter,
    deadlineMs: partial.deadlineMs ?? defaults.deadlineMs,
    lastWait: partial.lastWait ?? defaults.lastWait ?? 'give-up',
  };
  const { maxAttempts, initialDelayMs, maxDelayMs, multiplier, jitter, deadlineMs, lastWait } = policy;
  if (!(Number.isSafeInteger(maxAttempts) || maxAttempts === Infinity) || maxAttempts < 1) {
    throw invalid('maxAttempts', maxAttempts, 'an integer >= 1 or Infinity');
  }
  if (!Number.isFinite(initialDelayMs) || initialDelayMs < 0) {
    throw invalid('initialDelayMs', initialDelayMs, 'a finite number >= 0');
  }
  if (Number.isNaN(maxDelayMs) || maxDelayMs < 0) throw invalid('maxDelayMs', maxDelayMs, 'a number >= 0');
  if (!Number.isFinite(multiplier) || multiplier < 1) {
    throw invalid('multiplier', multiplier, 'a finite number >= 1');
  }
  const [low, high] = jitterRange(jitter);
  if (!Number.isFinite(low) || !Number.isFinite(high) || low < 0 || high < low) {
    throw invalid('jitter', jitter, 'a number in [0, 1] or a range [low, high] with 0 <= low <= high');
  }
  if (deadlineMs !== undefined && (Number.isNaN(deadlineMs) || deadlineMs < 0)) {
    throw invalid('deadlineMs', deadlineMs, 'a number >= 0');
  }
  if (lastWait !== 'give-up' && lastWait !== 'shorten') {
    throw invalid('lastWait', lastWait, '"give-up" or "shorten"');
  }
  return policy;
}

/**
 * The wait before retry number `retry` (1 for the first retry), in whole ms:
 * `base = min(maxDelayMs, initialDelayMs × multiplier^(retry − 1))`, then `min(maxDelayMs, base × f)`
 * with `f` drawn from the jitter range. `random` returns [0, 1).
 */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  // 0 × Infinity is NaN: after ~1000 retries the growth overflows, which must still mean "capped".
  const grown = backoff.initialDelayMs === 0 ? 0 : backoff.initialDelayMs * backoff.multiplier ** (retry - 1);
  const base = Math.min(backoff.maxDelayMs, grown);
  const [low, high] = jitterRange(backoff.jitter);
  return Math.min(backoff.maxDelayMs, Math.round(base * (low + random() * (high - low))));
}

/** setTimeout cannot wait longer than this; a longer wait would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` (given the try number, from 1) until it resolves, throws an error `retriable` rejects, or the
 * bounds are reached; then the last error is thrown as it is, never wrapped.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = resolvePolicy(options);
  const retriable = options.retriable ?? isRetriable;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const { signal } = options;
  // A function, not a narrowed property read: the signal can abort while the loop awaits.
  const aborted = () => signal?.aborted === true;
  const deadline = policy.deadlineMs === undefined ? Infinity : now() + policy.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || aborted() || !retriable(error)) throw error;
      const left = deadline - now();
      if (left <= 0) throw error;
      let delayMs = backoffDelay(attempt, policy, options.random);
      if (delayMs > left) {
        if (policy.lastWait !== 'shorten') throw error;
        delayMs = left;
      }
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
      if (aborted()) throw error;
    }
  }
}
