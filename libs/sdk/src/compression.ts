// Registers the compression codecs kafkajs lacks, so every Kafka codec works on both sides: zstd from
// node:zlib (Node >= 22.15), snappy from the napi-rs `snappy` package and lz4 (the LZ4 frame format, which is
// what Kafka's v2 record batches carry) from the napi-rs `lz4-napi` package; both ship prebuilt binaries
// inside npm packages, so nothing is downloaded or compiled at install time. gzip is built into kafkajs.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import lz4 from 'lz4-napi';
import snappy from 'snappy';

// kafkajs is CommonJS and these two are not detected as named exports by Node's ESM loader.
const { CompressionCodecs, CompressionTypes } = kafkajs;

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export const COMPRESSION_TYPES: Readonly<Record<Compression, kafkajs.CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

interface KafkaEncoder {
  buffer: Buffer;
}

// Java clients frame snappy data the way xerial's SnappyOutputStream does: an 8-byte magic, two 4-byte
// version fields, then blocks each prefixed by its 4-byte big-endian length. Brokers accept raw snappy too,
// which is what we write.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = 16;

export async function snappyDecompress(buffer: Buffer): Promise<Buffer> {
  if (buffer.length < XERIAL_HEADER || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return (await snappy.uncompress(buffer)) as Buffer;
  }
  const blocks: Buffer[] = [];
  for (let pos = XERIAL_HEADER; pos < buffer.length;) {
    const size = buffer.readUInt32BE(pos);
    pos += 4;
    blocks.push((await snappy.uncompress(buffer.subarray(pos, pos + size))) as Buffer);
    pos += size;
  }
  return Buffer.concat(blocks);
}

let registered = false;

/** Idempotent: kafkajs keeps codecs in a process-wide table. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: (encoder: KafkaEncoder) => zstdCompress(encoder.buffer),
    decompress: (buffer: Buffer) => zstdDecompress(buffer),
  });
  CompressionCodecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder: KafkaEncoder) => snappy.compress(encoder.buffer),
    decompress: snappyDecompress,
  });
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: (encoder: KafkaEncoder) => lz4.compressFrame(encoder.buffer),
    decompress: (buffer: Buffer) => lz4.decompressFrame(buffer),
  });
}
