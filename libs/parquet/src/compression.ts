// Page compression codecs, both ways: snappy through the native `snappy` package (prebuilt binary from npm),
// gzip and zstd through node:zlib. Codec numbers are Parquet's CompressionCodec enum.
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';

export const COMPRESSIONS = ['snappy', 'gzip', 'zstd', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const CODEC_ID: Readonly<Record<Compression, number>> = { none: 0, snappy: 1, gzip: 2, zstd: 6 };

/** Compresses one page body; the result never aliases `data` (callers reuse their scratch buffer). */
export function compress(codec: Compression, data: Buffer): Buffer {
  switch (codec) {
    case 'snappy':
      return snappyCompress(data) as Buffer;
    case 'gzip':
      return gzipSync(data, { level: 6 });
    case 'zstd':
      return zstdCompressSync(data);
    case 'none':
      return Buffer.from(data);
  }
}

/** The codec of a CompressionCodec number, or undefined for one we do not implement (LZO, BROTLI, LZ4…). */
export function compressionOf(codecId: number): Compression | undefined {
  for (const c of COMPRESSIONS) if (CODEC_ID[c] === codecId) return c;
  return undefined;
}

/** Decompresses one page body. Throws the codec's own error on corrupt input; callers wrap it. */
export function decompress(codec: Compression, data: Uint8Array, uncompressedSize: number): Buffer {
  switch (codec) {
    case 'snappy':
      return snappyUncompress(data) as Buffer;
    case 'gzip':
      return gunzipSync(data, { maxOutputLength: Math.max(uncompressedSize, 1) });
    case 'zstd':
      return zstdDecompressSync(data, { maxOutputLength: Math.max(uncompressedSize, 1) });
    case 'none':
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
}
