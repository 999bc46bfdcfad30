// Reads the values of one top-level, non-repeated primitive column in row order: what a merger or compactor
// needs to decide which rows to keep (Kafka offsets and timestamps, event ids) without reading whole rows.
import { ParquetError } from './errors.ts';
import { footerOf } from './footer.ts';
import type { FooterColumn, ParquetFooter } from './footer.ts';
import { readPages } from './pages.ts';

/**
 * One value: INT64 as bigint, INT32 / FLOAT / DOUBLE as number, BOOLEAN as boolean, BYTE_ARRAY,
 * FIXED_LEN_BYTE_ARRAY and INT96 (12 bytes) as Uint8Array, null for a null.
 */
export type ParquetCell = bigint | number | boolean | Uint8Array | null;

function topLevel(footer: ParquetFooter, column: string): FooterColumn {
  const index = footer.columns.findIndex((c) => c.path.length === 1 && c.path[0] === column);
  const c = footer.columns[index];
  if (c === undefined) {
    const nested = footer.columns.some((x) => x.path[0] === column);
    if (nested)
      throw new ParquetError(
        'UNSUPPORTED',
        `column ${column}: a group, list or map; readColumn reads top-level primitive columns only`,
        { context: { column } },
      );
    throw new ParquetError('COLUMN_NOT_FOUND', `the file has no top-level column ${column}`, {
      context: { column },
    });
  }
  if (c.maxRepetitionLevel > 0 || c.maxDefinitionLevel > 1)
    throw new ParquetError(
      'UNSUPPORTED',
      `column ${column}: repeated; readColumn reads non-repeated columns only`,
      {
        context: { column },
      },
    );
  return c;
}

/**
 * The values of top-level primitive column `column` (required or optional), one per row, in row order.
 * Pass `footer` when it is already parsed. Throws COLUMN_NOT_FOUND, UNSUPPORTED (a nested or repeated column,
 * data page v2…) or NOT_PARQUET.
 */
export function readColumn(
  file: Uint8Array,
  column: string,
  footer: ParquetFooter = footerOf(file),
): ParquetCell[] {
  const c = topLevel(footer, column);
  const index = footer.columns.indexOf(c);
  const out: ParquetCell[] = new Array<ParquetCell>(footer.numRows);
  let row = 0;
  for (const group of footer.rowGroups) {
    const chunk = group.columns[index];
    if (chunk === undefined) continue;
    const groupStart = row;
    for (const page of readPages(file, chunk, c).pages) {
      const d = page.data;
      let v = 0;
      for (let i = 0; i < page.numLevels; i++) {
        if (page.defs !== undefined && page.defs[i] !== c.maxDefinitionLevel) {
          out[row++] = null;
          continue;
        }
        if (page.starts === undefined) {
          const bit = page.valuesStart * 8 + v;
          out[row++] = (((d[bit >>> 3] as number) >>> (bit & 7)) & 1) === 1;
        } else {
          const k = page.indices === undefined ? v : (page.indices[v] as number);
          const at = page.starts[k] as number;
          switch (c.type) {
            case 'INT32':
              out[row++] = d.readInt32LE(at);
              break;
            case 'INT64':
              out[row++] = d.readBigInt64LE(at);
              break;
            case 'FLOAT':
              out[row++] = d.readFloatLE(at);
              break;
            case 'DOUBLE':
              out[row++] = d.readDoubleLE(at);
              break;
            case 'BYTE_ARRAY':
              out[row++] = Uint8Array.prototype.slice.call(d, at + 4, page.starts[k + 1] as number);
              break;
            default:
              out[row++] = Uint8Array.prototype.slice.call(d, at, page.starts[k + 1] as number);
          }
        }
        v++;
      }
    }
    if (row - groupStart !== group.numRows)
      throw new ParquetError(
        'NOT_PARQUET',
        `not a valid Parquet file: column ${column} holds ${row - groupStart} rows in a row group of ${group.numRows}`,
        { context: { column } },
      );
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** readColumn() of a BYTE_ARRAY column, each value decoded as UTF-8 (invalid UTF-8 is NOT_PARQUET). */
export function readStringColumn(
  file: Uint8Array,
  column: string,
  footer: ParquetFooter = footerOf(file),
): (string | null)[] {
  const c = topLevel(footer, column);
  if (c.type !== 'BYTE_ARRAY')
    throw new ParquetError('UNSUPPORTED', `column ${column}: ${c.type}, not a BYTE_ARRAY of text`, {
      context: { column },
    });
  return readColumn(file, column, footer).map((v) => {
    if (v === null) return null;
    try {
      return utf8.decode(v as Uint8Array);
    } catch (error) {
      throw new ParquetError('NOT_PARQUET', `column ${column}: a value is not UTF-8`, {
        context: { column },
        cause: error,
      });
    }
  });
}

const JULIAN_UNIX_EPOCH = 2_440_588n;
const NANOS_PER_DAY = 86_400_000_000_000n;

/**
 * An INT96 timestamp (8 bytes little-endian nanoseconds of the day, 4 bytes little-endian Julian day, as
 * Impala, Hive, Spark and our writer store it) as nanoseconds since 1970-01-01T00:00Z.
 */
export function int96ToEpochNanos(value: Uint8Array): bigint {
  if (value.byteLength !== 12)
    throw new ParquetError('OPTION_INVALID', `an INT96 value has 12 bytes, got ${value.byteLength}`, {
      context: { option: 'value' },
    });
  const v = new DataView(value.buffer, value.byteOffset, 12);
  const nanos = v.getBigUint64(0, true);
  const day = BigInt(v.getInt32(8, true));
  return (day - JULIAN_UNIX_EPOCH) * NANOS_PER_DAY + nanos;
}
