// The retry helper on a fake clock: what is retried, how long it waits, when it gives up, and what it throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetriable,
  resolvePolicy,
  retry,
  RetryError,
} from '../src/index.ts';
import type { RetryInfo, RetryOptions } from '../src/index.ts';

class FlakyError extends Error {
  readonly retriable: boolean;
  constructor(message: string, retriable = true) {
    super(message);
    this.retriable = retriable;
  }
}

/** A fake clock whose sleep advances time and records each wait, so no test waits for real. */
function fakeTime(): Required<Pick<RetryOptions, 'now' | 'sleep'>> & { waits: number[] } {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms);
      t += ms;
    },
  };
}

/** An operation that fails with the given errors in turn, then answers `ok`; counts its calls. */
function failing(...errors: unknown[]) {
  const seen: number[] = [];
  return {
    seen,
    fn: async (attempt: number) => {
      seen.push(attempt);
      if (seen.length <= errors.length) throw errors[seen.length - 1];
      return 'ok';
    },
  };
}

const always = (make: (n: number) => unknown) => {
  let n = 0;
  return async () => {
    throw make(++n);
  };
};

test('backoffDelay: symmetric jitter spans ±jitter around a doubling, capped base', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.2 };
  const table: [retry: number, random: number, delay: number][] = [
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.5, 400],
    [5, 0.5, 1000],
    [1, 0, 80],
    [1, 0.999999, 120],
    [4, 0.999999, 960],
    // The jittered wait is capped too: 1000 × 1.2 would be 1200.
    [5, 0.999999, 1000],
    [5, 0, 800],
  ];
  for (const [n, random, delay] of table) {
    assert.equal(
      backoffDelay(n, policy, () => random),
      delay,
      `retry ${n} random ${random}`,
    );
  }
});

test('backoffDelay: equal jitter [0.5, 1] waits between half the base and the base', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: [0.5, 1] as const };
  [100, 200, 400, 800, 1000, 1000].forEach((base, i) => {
    assert.equal(
      backoffDelay(i + 1, policy, () => 0),
      base / 2,
      `retry ${i + 1} low`,
    );
    assert.equal(
      backoffDelay(i + 1, policy, () => 0.999999),
      base,
      `retry ${i + 1} high`,
    );
  });
});

test('backoffDelay: any policy and retry gives a whole wait inside the jittered, capped range', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5_000 }),
      fc.integer({ min: 1, max: 60_000 }),
      fc.integer({ min: 0, max: 120_000 }),
      fc.double({ min: 1, max: 10, noNaN: true }),
      fc.double({ min: 0, max: 2, noNaN: true }),
      fc.double({ min: 0, max: 2, noNaN: true }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (n, initialDelayMs, maxDelayMs, multiplier, a, b, r) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const policy = { initialDelayMs, maxDelayMs, multiplier, jitter: [low, high] as const };
        const delay = backoffDelay(n, policy, () => r);
        const base = Math.min(maxDelayMs, initialDelayMs * multiplier ** (n - 1));
        assert.ok(Number.isInteger(delay), `${delay} is whole`);
        assert.ok(delay >= 0 && delay <= maxDelayMs, `${delay} within [0, ${maxDelayMs}]`);
        assert.ok(delay >= Math.min(maxDelayMs, Math.floor(base * low)), `${delay} >= base × low`);
        assert.ok(delay <= Math.ceil(base * high), `${delay} <= base × high`);
      },
    ),
  );
});

test('backoffDelay: no NaN once the growth overflows, even from a zero initial delay', () => {
  const policy = { initialDelayMs: 0, maxDelayMs: 500, multiplier: 2, jitter: 0 };
  assert.equal(backoffDelay(5_000, policy), 0);
  assert.equal(backoffDelay(5_000, { ...policy, initialDelayMs: 1 }), 500);
});

test('isRetriable reads only a `retriable: true` flag', () => {
  assert.equal(isRetriable(new FlakyError('x')), true);
  assert.equal(isRetriable({ retriable: true }), true);
  assert.equal(isRetriable(new FlakyError('x', false)), false);
  assert.equal(isRetriable({ retriable: 'yes' }), false);
  assert.equal(isRetriable(new TypeError('bug')), false);
  assert.equal(isRetriable('retriable'), false);
  assert.equal(isRetriable(null), false);
  assert.equal(isRetriable(undefined), false);
});

test('a first success returns at once: no wait, no hook', async () => {
  const clock = fakeTime();
  const retries: RetryInfo[] = [];
  const op = failing();
  assert.equal(await retry(op.fn, { ...clock, onRetry: (i) => retries.push(i) }), 'ok');
  assert.deepEqual(op.seen, [1]);
  assert.deepEqual(clock.waits, []);
  assert.deepEqual(retries, []);
});

test('retriable failures are retried with the backoff waits, reported to onRetry, until a try succeeds', async () => {
  const clock = fakeTime();
  const first = new FlakyError('one');
  const second = new FlakyError('two');
  const op = failing(first, second);
  const retries: RetryInfo[] = [];
  const result = await retry(op.fn, {
    ...clock,
    random: () => 0.5,
    initialDelayMs: 100,
    multiplier: 3,
    jitter: 0.2,
    onRetry: (info) => retries.push(info),
  });
  assert.equal(result, 'ok');
  assert.deepEqual(op.seen, [1, 2, 3]);
  assert.deepEqual(clock.waits, [100, 300]);
  assert.deepEqual(retries, [
    { attempt: 1, delayMs: 100, error: first },
    { attempt: 2, delayMs: 300, error: second },
  ]);
});

test('by default an error without `retriable: true` is thrown at once, as it is', async () => {
  for (const error of [new FlakyError('denied', false), new TypeError('bug'), 'a string', undefined]) {
    const clock = fakeTime();
    const op = failing(error);
    await assert.rejects(retry(op.fn, clock), (e) => e === error);
    assert.deepEqual(op.seen, [1]);
    assert.deepEqual(clock.waits, []);
  }
});

test('the caller’s `retriable` decision replaces the flag, both ways', async () => {
  const bug = new TypeError('retried anyway');
  const op = failing(bug);
  assert.equal(await retry(op.fn, { ...fakeTime(), retriable: () => true }), 'ok');
  assert.deepEqual(op.seen, [1, 2]);

  const flagged = new FlakyError('flagged but refused');
  const decided: unknown[] = [];
  await assert.rejects(
    retry(failing(flagged).fn, {
      ...fakeTime(),
      retriable: (e) => {
        decided.push(e);
        return false;
      },
    }),
    (e) => e === flagged,
  );
  assert.deepEqual(decided, [flagged]);
});

test('maxAttempts bounds the tries; the last error is the one thrown', async () => {
  const clock = fakeTime();
  let last: unknown;
  const fn = always((n) => (last = new FlakyError(`attempt ${n}`)));
  await assert.rejects(retry(fn, { ...clock, maxAttempts: 4 }), (e) => e === last);
  assert.equal((last as Error).message, 'attempt 4');
  assert.equal(clock.waits.length, 3);

  const once = fakeTime();
  await assert.rejects(
    retry(
      always(() => new FlakyError('x')),
      { ...once, maxAttempts: 1 },
    ),
    /x/,
  );
  assert.deepEqual(once.waits, []);
});

test('the default policy: 5 tries, equal jitter on 200 ms doubling', async () => {
  const clock = fakeTime();
  await assert.rejects(
    retry(
      always(() => new FlakyError('x')),
      { ...clock, random: () => 0 },
    ),
    /x/,
  );
  assert.equal(DEFAULT_RETRY_POLICY.maxAttempts, 5);
  assert.deepEqual(clock.waits, [100, 200, 400, 800]);
});

test('deadline, give-up: no retry starts whose wait would end past the deadline', async () => {
  const clock = fakeTime();
  let calls = 0;
  await assert.rejects(
    retry(
      always(() => {
        calls++;
        return new FlakyError('timeout');
      }),
      {
        ...clock,
        random: () => 0.5,
        jitter: [0.5, 1],
        maxAttempts: 100,
        initialDelayMs: 100,
        maxDelayMs: 10_000,
        deadlineMs: 1_000,
      },
    ),
    /timeout/,
  );
  // Waits 75, 150, 300 (525 in all); the next, 600, would end at 1125 > 1000.
  assert.deepEqual(clock.waits, [75, 150, 300]);
  assert.equal(calls, 4);
});

test('deadline, shorten: the last wait ends at the deadline and one last try runs there', async () => {
  const clock = fakeTime();
  const retries: number[] = [];
  let calls = 0;
  await assert.rejects(
    retry(
      always(() => {
        calls++;
        return new FlakyError('broker restarting');
      }),
      {
        ...clock,
        maxAttempts: Infinity,
        initialDelayMs: 1000,
        maxDelayMs: 4000,
        multiplier: 2,
        jitter: 0,
        deadlineMs: 10_000,
        lastWait: 'shorten',
        onRetry: ({ delayMs }) => retries.push(delayMs),
      },
    ),
    /broker restarting/,
  );
  assert.deepEqual(clock.waits, [1000, 2000, 4000, 3000]);
  assert.deepEqual(retries, clock.waits, 'onRetry is told the shortened wait');
  assert.equal(calls, 5);
});

test('deadline: a try that fails after the deadline is not retried, whatever attempts are left', async () => {
  const clock = fakeTime();
  let calls = 0;
  const slow = async () => {
    calls++;
    await clock.sleep(5_000); // the try itself takes the time
    throw new FlakyError('slow');
  };
  for (const lastWait of ['give-up', 'shorten'] as const) {
    calls = 0;
    clock.waits.length = 0;
    await assert.rejects(retry(slow, { ...clock, deadlineMs: 4_000, maxAttempts: 10, lastWait }), /slow/);
    assert.equal(calls, 1, lastWait);
  }
});

test('an abort during a wait stops retrying: the last error is thrown, the first try always ran', async () => {
  const controller = new AbortController();
  const seen: number[] = [];
  const last = new FlakyError('standby');
  const op = failing(new FlakyError('standby'), last, new FlakyError('never'));
  await assert.rejects(
    retry(op.fn, {
      ...fakeTime(),
      signal: controller.signal,
      onRetry: ({ attempt }) => {
        seen.push(attempt);
        if (attempt === 2) controller.abort();
      },
    }),
    (e) => e === last,
  );
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(op.seen, [1, 2]);

  const aborted = AbortSignal.abort();
  const clock = fakeTime();
  const first = new FlakyError('first');
  const again = failing(first);
  await assert.rejects(retry(again.fn, { ...clock, signal: aborted }), (e) => e === first);
  assert.deepEqual(again.seen, [1], 'an aborted signal still lets the first try run, but no retry');
  assert.deepEqual(clock.waits, []);
});

test('the default sleep ends early when the signal aborts', { timeout: 10_000 }, async () => {
  // A wait of an hour: the test can only end (before its timeout) because the abort cuts it short.
  const controller = new AbortController();
  const error = new FlakyError('down');
  const result = retry(
    always(() => error),
    {
      initialDelayMs: 3_600_000,
      maxDelayMs: 3_600_000,
      jitter: 0,
      signal: controller.signal,
      onRetry: () => queueMicrotask(() => controller.abort()),
    },
  );
  await assert.rejects(result, (e) => e === error);
});

test('resolvePolicy fills undefined fields from the defaults and checks every field', () => {
  const defaults = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, deadlineMs: 10_000 };
  assert.deepEqual(resolvePolicy({ maxAttempts: undefined, initialDelayMs: 5 }, defaults), {
    ...defaults,
    initialDelayMs: 5,
    lastWait: 'give-up',
  });
  const bad: [string, Record<string, unknown>][] = [
    ['maxAttempts', { maxAttempts: 0 }],
    ['maxAttempts', { maxAttempts: 1.5 }],
    ['maxAttempts', { maxAttempts: NaN }],
    ['initialDelayMs', { initialDelayMs: -1 }],
    ['initialDelayMs', { initialDelayMs: Infinity }],
    ['maxDelayMs', { maxDelayMs: -1 }],
    ['multiplier', { multiplier: 0.5 }],
    ['jitter', { jitter: -0.1 }],
    ['jitter', { jitter: [1, 0.5] }],
    ['jitter', { jitter: 1.5 }],
    ['deadlineMs', { deadlineMs: -5 }],
    ['lastWait', { lastWait: 'later' }],
  ];
  for (const [option, partial] of bad) {
    assert.throws(
      () => resolvePolicy(partial),
      (e: unknown) =>
        e instanceof RetryError &&
        e.code === 'INVALID_POLICY' &&
        !e.retriable &&
        e.context.option === option &&
        e.message.includes(option),
      JSON.stringify(partial),
    );
  }
  assert.doesNotThrow(() => resolvePolicy({ maxAttempts: Infinity, maxDelayMs: Infinity }));
});

test('retry refuses an invalid policy before the first try', async () => {
  let calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
      },
      { maxAttempts: 0 },
    ),
    { code: 'INVALID_POLICY' },
  );
  assert.equal(calls, 0);
});
