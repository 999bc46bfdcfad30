import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SdkError } from '../src/errors.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, retry } from '../src/retry.ts';

const policy = { retries: 4, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.2 };

test('backoff doubles, is capped, and jitter spans ±jitter around it', () => {
  const table: [number, number, number][] = [
    // retry, random, delay
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.5, 400],
    [5, 0.5, 1000],
    [1, 0, 80],
    [1, 0.999999, 120],
    [4, 0.999999, 960],
    [5, 0.999999, 1000],
  ];
  for (const [n, random, delay] of table)
    assert.equal(
      backoffDelay(n, policy, () => random),
      delay,
      `retry ${n} random ${random}`,
    );
});

test('jitter spreads real random delays within bounds', () => {
  const delays = Array.from({ length: 200 }, () => backoffDelay(2, DEFAULT_RETRY_POLICY));
  assert.ok(delays.every((d) => d >= 160 && d <= 240));
  assert.ok(new Set(delays).size > 10, 'not a constant');
});

test('retries retriable errors with the policy delays, then succeeds', async () => {
  const slept: number[] = [];
  const retries: number[] = [];
  let attempts = 0;
  const result = await retry(
    async () => {
      if (++attempts < 3) throw new SdkError('SEND_FAILED', 'transient', { retriable: true });
      return 'ok';
    },
    policy,
    { random: () => 0.5, sleep: async (ms) => slept.push(ms), onRetry: ({ retry: n }) => retries.push(n) },
  );
  assert.equal(result, 'ok');
  assert.equal(attempts, 3);
  assert.deepEqual(slept, [100, 200]);
  assert.deepEqual(retries, [1, 2]);
});

test('never retries a non-retriable or programmer error', async () => {
  for (const error of [new SdkError('INVALID_EVENT', 'bad'), new TypeError('bug')]) {
    let attempts = 0;
    await assert.rejects(
      retry(
        async () => {
          attempts++;
          throw error;
        },
        policy,
        { sleep: async () => undefined },
      ),
      error,
    );
    assert.equal(attempts, 1);
  }
});

test('gives up after `retries` retries with the last error', async () => {
  let attempts = 0;
  await assert.rejects(
    retry(
      async () => {
        throw new SdkError('SEND_FAILED', `attempt ${++attempts}`, { retriable: true });
      },
      policy,
      { sleep: async () => undefined },
    ),
    /attempt 5/,
  );
  assert.equal(attempts, policy.retries + 1);
});

test('a deadline bounds the retries in time: the last wait ends there, and no attempt starts after it', async () => {
  let clock = 0;
  const waits: number[] = [];
  let attempts = 0;
  const retriable = Object.assign(new Error('broker restarting'), {
    name: 'KafkaJSConnectionError',
    retriable: true,
  });
  await assert.rejects(
    retry(
      async () => {
        attempts++;
        throw retriable;
      },
      {
        retries: Number.MAX_SAFE_INTEGER,
        initialDelayMs: 1000,
        maxDelayMs: 4000,
        multiplier: 2,
        jitter: 0,
        deadlineMs: 10_000,
      },
      {
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      },
    ),
    /broker restarting/,
  );
  assert.deepEqual(waits, [1000, 2000, 4000, 3000]);
  assert.equal(attempts, 5);
});
