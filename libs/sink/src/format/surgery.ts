// The one place the sink rearranges Parquet files it already wrote (the DR merger and the compactor), through
// @adlake/parquet's value-preserving operations: footers read from a file's tail, a footer that joins whole
// files, rows kept by a predicate with every value's bytes unchanged, one column read back.
import { concatFooter, filterRows, isParquetError, readColumn, readFooter } from '@adlake/parquet';
import type { ParquetFooter } from '@adlake/parquet';
import { SinkError } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';

export type { ParquetFooter } from '@adlake/parquet';

const TAIL_BYTES = 64 * 1024;

function unreadable(path: string, error: unknown): SinkError {
  return new SinkError(
    'FILE_UNREADABLE',
    `${path}: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
      context: { path },
    },
  );
}

/** The footer of a stored file, reading only its tail (again, longer, when the footer is larger). */
export async function storedFooter(storage: Storage, path: string, length: number): Promise<ParquetFooter> {
  let want = Math.min(length, TAIL_BYTES);
  for (;;) {
    const tail = await storage.readRange(path, length - want, want);
    try {
      return readFooter(tail, length);
    } catch (error) {
      const need =
        isParquetError(error) && error.code === 'FOOTER_TRUNCATED' ? Number(error.context.needBytes) : NaN;
      if (Number.isFinite(need) && need > want && need <= length) {
        want = need;
        continue;
      }
      throw unreadable(path, error);
    }
  }
}

/** A key that is equal exactly when two files have the same Parquet schema (they can then be joined). */
export function schemaKey(footer: ParquetFooter): string {
  return JSON.stringify(footer.schema, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The footer that, appended after the whole files in order, makes them one valid Parquet file. */
export function joiningFooter(
  parts: readonly { path: string; footer: ParquetFooter; length: number }[],
): Uint8Array {
  try {
    return concatFooter(parts.map((p) => ({ footer: p.footer, length: p.length })));
  } catch (error) {
    throw unreadable(parts.map((p) => p.path).join(', '), error);
  }
}

/** The rows of a file the predicate keeps, values byte for byte. */
export function keepRows(
  path: string,
  file: Uint8Array,
  keep: (row: number) => boolean,
): { bytes: Uint8Array; rows: number } {
  try {
    return filterRows(file, keep);
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** One top-level column as JavaScript values (bigint for INT64, strings for text). */
export function columnValues(path: string, file: Uint8Array, column: string): readonly unknown[] {
  try {
    return readColumn(file, column);
  } catch (error) {
    throw unreadable(path, error);
  }
}
