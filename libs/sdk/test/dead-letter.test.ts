import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProducerRecord } from 'kafkajs';
import { deadLetter, DLQ_HEADERS } from '../src/dead-letter.ts';

const record = {
  topic: 't',
  partition: 3,
  offset: '17',
  timestamp: '1764000000000',
  key: Buffer.from('k'),
  value: Buffer.from([1, 2]),
  headers: { trace: 'x' },
};

test('keeps key, value and headers, and adds reason and origin headers', async () => {
  const sent: ProducerRecord[] = [];
  await deadLetter({ send: async (r) => (sent.push(r), []) }, 't.dlq', record, {
    code: 'TRUNCATED',
    reason: 'ends early',
    schemaId: 5,
  });
  const [r] = sent;
  assert.equal(r?.topic, 't.dlq');
  assert.equal(r?.acks, -1);
  const m = r?.messages[0];
  assert.deepEqual(m?.key, record.key);
  assert.deepEqual(m?.value, record.value);
  const h = m?.headers ?? {};
  assert.equal(h['trace'], 'x');
  assert.equal(h[DLQ_HEADERS.reason], 'ends early');
  assert.equal(h[DLQ_HEADERS.errorCode], 'TRUNCATED');
  assert.equal(h[DLQ_HEADERS.originTopic], 't');
  assert.equal(h[DLQ_HEADERS.originPartition], '3');
  assert.equal(h[DLQ_HEADERS.originOffset], '17');
  assert.equal(h[DLQ_HEADERS.originTimestamp], '1764000000000');
  assert.equal(h[DLQ_HEADERS.schemaId], '5');
});

test('a failed dead letter throws DEAD_LETTER_FAILED with the origin, retriable as Kafka said', async () => {
  const failing = {
    send: async () =>
      Promise.reject(
        Object.assign(new Error('broker down'), { name: 'KafkaJSConnectionError', retriable: true }),
      ),
  };
  await assert.rejects(deadLetter(failing, 't.dlq', record, { code: 'X', reason: 'y' }), {
    code: 'DEAD_LETTER_FAILED',
    retriable: true,
    message: /cannot dead-letter t\/3@17 to t\.dlq: broker down/,
  });
});
