import assert from 'node:assert/strict';
import { test } from 'node:test';
import kafkajs from 'kafkajs';
import snappy from 'snappy';
import { registerCompressionCodecs, snappyDecompress } from '../src/compression.ts';

const data = Buffer.from('adlake '.repeat(1000));

test('registers zstd, snappy and lz4 codecs that round-trip', async () => {
  registerCompressionCodecs();
  const types = [
    kafkajs.CompressionTypes.ZSTD,
    kafkajs.CompressionTypes.Snappy,
    kafkajs.CompressionTypes.LZ4,
  ] as const;
  for (const type of types) {
    const codec = kafkajs.CompressionCodecs[type]();
    const compressed: Buffer = await codec.compress({ buffer: data });
    assert.ok(compressed.length < data.length / 10);
    assert.deepEqual(await codec.decompress(compressed), data);
  }
});

test('reads xerial-framed snappy as written by Java clients', async () => {
  const half = data.length / 2;
  const blocks = [snappy.compressSync(data.subarray(0, half)), snappy.compressSync(data.subarray(half))];
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
  const framed = Buffer.concat([
    header,
    ...blocks.flatMap((b) => [
      Buffer.from([0, 0, 0, 0].map((_, i) => (b.length >>> (8 * (3 - i))) & 0xff)),
      b,
    ]),
  ]);
  assert.deepEqual(await snappyDecompress(framed), data);
});

test('lz4 writes the LZ4 frame format Kafka batches carry (magic 0x184D2204)', async () => {
  registerCompressionCodecs();
  const codec = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.LZ4]();
  const compressed: Buffer = await codec.compress({ buffer: data });
  assert.equal(compressed.readUInt32LE(0), 0x184d2204);
});
