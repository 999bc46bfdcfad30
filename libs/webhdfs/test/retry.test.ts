// WebHDFS's retry policy on @adlake/retry: what is retried, with which defaults, and when it gives up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebHdfsError, WebHdfsErrorCodes } from '../src/errors.ts';
import type { WebHdfsErrorCode } from '../src/errors.ts';
import { shouldRetry, WEBHDFS_RETRY_POLICY, withRetry } from '../src/retry.ts';

const err = (code: WebHdfsErrorCode, retriable: boolean) => new WebHdfsError(code, code, { retriable });

/** A fake clock whose sleep advances time, so tests run instantly and can check the waits. */
function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

test('shouldRetry: only retriable WebHdfsErrors; non-idempotent calls only when nothing was applied', () => {
  const idempotentRetried = [
    'SAFE_MODE',
    'STANDBY',
    'RETRY_LATER',
    'UNREACHABLE',
    'CONNECTION',
    'TIMEOUT',
    'IO',
    'HTTP',
  ] as const;
  for (const code of idempotentRetried) assert.equal(shouldRetry(err(code, true), true), true, code);
  for (const code of ['SAFE_MODE', 'STANDBY', 'RETRY_LATER', 'UNREACHABLE'] as const)
    assert.equal(shouldRetry(err(code, true), false), true, code);
  for (const code of ['CONNECTION', 'TIMEOUT', 'IO', 'HTTP'] as const)
    assert.equal(shouldRetry(err(code, true), false), false, code);
  for (const code of WebHdfsErrorCodes)
    assert.equal(shouldRetry(err(code, false), true), false, `${code} not retriable`);
  assert.equal(shouldRetry(new TypeError('x is not a function'), true), false);
  assert.equal(shouldRetry(Object.assign(new Error('looks retriable'), { retriable: true }), true), false);
});

test('withRetry defaults: 5 tries, equal jitter on 200 ms doubling, so waits of 100 to 800 ms at the lowest', async () => {
  const clock = fakeTime();
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw err('SAFE_MODE', true);
      },
      { ...clock, random: () => 0 },
    ),
    { code: 'SAFE_MODE' },
  );
  assert.equal(calls, 5);
  assert.deepEqual(clock.waits, [100, 200, 400, 800]);
  assert.equal(WEBHDFS_RETRY_POLICY.maxDelayMs, 5_000);
  assert.equal(WEBHDFS_RETRY_POLICY.deadlineMs, 30_000);
});

test('withRetry: options left undefined keep the WebHDFS defaults, not the generic ones', async () => {
  const clock = fakeTime();
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw err('STANDBY', true);
      },
      {
        ...clock,
        random: () => 0.999999,
        maxAttempts: undefined,
        initialDelayMs: undefined,
        maxDelayMs: 300,
      },
    ),
    { code: 'STANDBY' },
  );
  assert.equal(calls, 5);
  assert.deepEqual(clock.waits, [200, 300, 300, 300]);
});

test('withRetry returns as soon as a try succeeds', async () => {
  const clock = fakeTime();
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls++;
      if (calls < 3) throw err('SAFE_MODE', true);
      return 'ok';
    },
    { ...clock, random: () => 0, initialDelayMs: 10 },
  );
  assert.equal(result, 'ok');
  assert.equal(calls, 3);
  assert.deepEqual(clock.waits, [5, 10]);
});

test('withRetry gives up after maxAttempts and throws the last error', async () => {
  const clock = fakeTime();
  let calls = 0;
  const last = err('CONNECTION', true);
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw calls === 4 ? last : err('CONNECTION', true);
      },
      { ...clock, maxAttempts: 4, initialDelayMs: 1 },
    ),
    (e) => e === last,
  );
  assert.equal(calls, 4);
  assert.equal(clock.waits.length, 3);
});

test('withRetry stops before a wait that would cross deadlineMs', async () => {
  const clock = fakeTime();
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw err('TIMEOUT', true);
      },
      {
        ...clock,
        random: () => 0.5,
        maxAttempts: 100,
        initialDelayMs: 100,
        multiplier: 2,
        maxDelayMs: 10_000,
        deadlineMs: 1_000,
      },
    ),
    { code: 'TIMEOUT' },
  );
  // Waits 75, 150, 300 (total 525); the next, 600, would end at 1125 > 1000.
  assert.deepEqual(clock.waits, [75, 150, 300]);
  assert.equal(calls, 4);
});

test('withRetry never retries a non-retriable error or a programmer error', async () => {
  for (const error of [
    err('ACCESS_DENIED', false),
    err('NOT_FOUND', false),
    err('QUOTA_EXCEEDED', false),
    new TypeError('bug'),
  ]) {
    const clock = fakeTime();
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw error;
      }, clock),
      (e) => e === error,
    );
    assert.equal(calls, 1);
    assert.deepEqual(clock.waits, []);
  }
});

test('withRetry on a non-idempotent call does not retry an ambiguous CONNECTION error', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw err('CONNECTION', true);
      },
      { ...fakeTime(), idempotent: false },
    ),
    { code: 'CONNECTION' },
  );
  assert.equal(calls, 1);
});

test('withRetry reports each retry and stops when the signal aborts', async () => {
  const controller = new AbortController();
  const seen: number[] = [];
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw err('STANDBY', true);
      },
      {
        ...fakeTime(),
        signal: controller.signal,
        onRetry: ({ attempt }) => {
          seen.push(attempt);
          if (attempt === 2) controller.abort();
        },
      },
    ),
    { code: 'STANDBY' },
  );
  assert.deepEqual(seen, [1, 2]);
  assert.equal(calls, 2);
});

test('withRetry rejects a maxAttempts below 1', async () => {
  await assert.rejects(
    withRetry(async () => 1, { maxAttempts: 0 }),
    { name: 'RetryError', code: 'INVALID_POLICY' },
  );
});
