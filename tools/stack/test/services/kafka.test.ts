import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newClusterId } from '../../src/services/kafka.ts';

test('a cluster id never starts with "-", which kafka-storage would read as an option', () => {
  // 0xf8 as the first byte encodes to "-" in URL-safe base64; the next draw starts with "A".
  const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0)];
  const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 1));
  assert.equal(id, Buffer.alloc(16, 0).toString('base64url'));
  assert.equal(draws.length, 0, 'the id starting with "-" was drawn and refused');
  assert.ok(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-'));
});

test('a cluster id is 16 bytes in URL-safe base64 without padding, as Kafka writes them', () => {
  for (let i = 0; i < 200; i++) {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
  }
});
