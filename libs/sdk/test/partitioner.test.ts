import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { PartitionMetadata } from 'kafkajs';
import { createPartitioner, murmur2 } from '../src/partitioner.ts';

// kafkajs' own (Java-compatible) implementation is the reference.
const kafkajsMurmur2 = createRequire(import.meta.url)(
  'kafkajs/src/producer/partitioners/default/murmur2.js',
) as (key: Buffer | string) => number;

test('murmur2 matches kafkajs (and so Java) for every length and random bytes', () => {
  for (let length = 0; length < 64; length++) {
    for (let n = 0; n < 20; n++) {
      const data = randomBytes(length);
      assert.equal(murmur2(data), kafkajsMurmur2(data), `length ${length}`);
    }
  }
  for (const key of ['', 'a', 'event-1', randomUUID(), 'ünïcödé ✓'])
    assert.equal(murmur2(Buffer.from(key)), kafkajsMurmur2(key), key);
});

test('the partitioner assigns keyed messages like kafkajs DefaultPartitioner, and honours an explicit partition', () => {
  const partitionMetadata = [0, 1, 2, 3, 4].map(
    (partitionId) => ({ partitionId, leader: 1 }) as PartitionMetadata,
  );
  const partition = createPartitioner();
  for (let i = 0; i < 500; i++) {
    const key = i % 2 === 0 ? randomUUID() : randomBytes(i % 40);
    assert.equal(
      partition({ topic: 't', partitionMetadata, message: { key, value: null } }),
      (kafkajsMurmur2(key) & 0x7fffffff) % 5,
    );
  }
  assert.equal(
    partition({ topic: 't', partitionMetadata, message: { key: 'x', value: null, partition: 3 } }),
    3,
  );
});

test('without a key it goes round robin over partitions that have a leader', () => {
  const partitionMetadata = [
    { partitionId: 0, leader: 1 },
    { partitionId: 1, leader: -1 },
    { partitionId: 2, leader: 1 },
  ] as PartitionMetadata[];
  const partition = createPartitioner();
  const seen = Array.from({ length: 6 }, () =>
    partition({ topic: 't', partitionMetadata, message: { key: null, value: null } }),
  );
  assert.ok(seen.every((p) => p === 0 || p === 2));
  assert.ok(seen.includes(0) && seen.includes(2));
});
