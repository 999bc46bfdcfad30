// Page compression codecs: snappy through the native `snappy` package (prebuilt binary from npm), gzip and
// zstd through node:zlib. Codec numbers are Parquet's CompressionCodec enum.
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { compressSync as snappyCompress } from 'snappy';

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
