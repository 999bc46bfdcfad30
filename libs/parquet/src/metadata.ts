// Parquet's Thrift structures the writer emits: data page headers and the file footer (FileMetaData with
// schema elements, row groups, column chunk metadata and statistics). Field ids follow parquet.thrift.
import { bin, bool, encodeStruct, i32, i64, list, struct } from './thrift.ts';
import type { ThriftStruct, ThriftValue } from './thrift.ts';
import type { ParquetField, ParquetLogicalType, ParquetPhysicalType } from './schema.ts';

const PHYSICAL: Readonly<Record<ParquetPhysicalType, number>> = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
};
const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
export const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const PAGE_TYPE = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

/** A v1 data page header; values PLAIN unless `encoding` says RLE_DICTIONARY, levels always RLE. */
export function dataPageHeader(p: {
  uncompressedSize: number;
  compressedSize: number;
  numValues: number;
  encoding?: number;
}): Buffer {
  return encodeStruct([
    [1, i32(PAGE_TYPE.DATA_PAGE)],
    [2, i32(p.uncompressedSize)],
    [3, i32(p.compressedSize)],
    [
      5,
      struct([
        [1, i32(p.numValues)],
        [2, i32(p.encoding ?? ENCODING.PLAIN)],
        [3, i32(ENCODING.RLE)],
        [4, i32(ENCODING.RLE)],
      ]),
    ],
  ]);
}

/** A dictionary page header: `numValues` entries in PLAIN. */
export function dictionaryPageHeader(p: {
  uncompressedSize: number;
  compressedSize: number;
  numValues: number;
}): Buffer {
  return encodeStruct([
    [1, i32(PAGE_TYPE.DICTIONARY_PAGE)],
    [2, i32(p.uncompressedSize)],
    [3, i32(p.compressedSize)],
    [
      7,
      struct([
        [1, i32(p.numValues)],
        [2, i32(ENCODING.PLAIN)],
      ]),
    ],
  ]);
}

/** How many pages of a chunk are of a type and value encoding (ColumnMetaData.encoding_stats). */
export interface PageEncodingCount {
  pageType: number;
  encoding: number;
  count: number;
}

/**
 * The chunk's `encodings` and `encoding_stats` from its page counts, in one fixed order (dictionary page,
 * dictionary-encoded data pages, PLAIN data pages): the writer and the row filter must agree byte for byte.
 */
export function chunkEncodings(
  p: { dictionaryPages: number; dictionaryDataPages: number; plainDataPages: number },
  hasLevels: boolean,
): { encodings: number[]; stats: PageEncodingCount[] } {
  const encodings: number[] = [];
  const stats: PageEncodingCount[] = [];
  if (p.dictionaryPages > 0)
    stats.push({ pageType: PAGE_TYPE.DICTIONARY_PAGE, encoding: ENCODING.PLAIN, count: p.dictionaryPages });
  if (p.dictionaryDataPages > 0)
    stats.push({
      pageType: PAGE_TYPE.DATA_PAGE,
      encoding: ENCODING.RLE_DICTIONARY,
      count: p.dictionaryDataPages,
    });
  if (p.plainDataPages > 0)
    stats.push({ pageType: PAGE_TYPE.DATA_PAGE, encoding: ENCODING.PLAIN, count: p.plainDataPages });
  if (p.dictionaryPages > 0 || p.plainDataPages > 0 || p.dictionaryDataPages === 0)
    encodings.push(ENCODING.PLAIN);
  if (hasLevels) encodings.push(ENCODING.RLE);
  if (p.dictionaryDataPages > 0) encodings.push(ENCODING.RLE_DICTIONARY);
  return { encodings, stats };
}

export interface ChunkMeta {
  type: ParquetPhysicalType;
  path: string[];
  codec: number;
  encodings: number[];
  numValues: number;
  uncompressedSize: number;
  compressedSize: number;
  dataPageOffset: number;
  nullCount: number;
  /** Offset of the chunk's dictionary page, when it has one (then it is the chunk's first page). */
  dictionaryPageOffset?: number;
  encodingStats?: PageEncodingCount[];
  /** PLAIN bytes of the min and max value (no length prefix), when tracked. */
  min?: Uint8Array;
  max?: Uint8Array;
  /** Whether min / max are the exact bounds or truncated ones; written for byte-array bounds. */
  minExact?: boolean;
  maxExact?: boolean;
}

export interface RowGroupMeta {
  columns: ChunkMeta[];
  numRows: number;
  fileOffset: number;
}

export function fileMetaData(p: {
  fields: ParquetField[];
  rootName: string;
  numRows: number;
  rowGroups: RowGroupMeta[];
  keyValues: readonly { key: string; value: string }[];
  createdBy: string;
  numColumns: number;
}): Buffer {
  const elements: ThriftValue[] = [
    struct([
      [4, bin(p.rootName)],
      [5, i32(p.fields.length)],
    ]),
  ];
  const walk = (f: ParquetField): void => {
    elements.push(struct(schemaElement(f)));
    for (const c of f.children ?? []) walk(c);
  };
  for (const f of p.fields) walk(f);
  return encodeStruct([
    [1, i32(1)],
    [2, list('struct', elements)],
    [3, i64(p.numRows)],
    [4, list('struct', p.rowGroups.map(rowGroup))],
    [
      5,
      p.keyValues.length === 0
        ? undefined
        : list(
            'struct',
            p.keyValues.map((kv) =>
              struct([
                [1, bin(kv.key)],
                [2, bin(kv.value)],
              ]),
            ),
          ),
    ],
    [6, bin(p.createdBy)],
    // TYPE_ORDER for every column: readers may trust min_value / max_value.
    [
      7,
      list(
        'struct',
        Array.from({ length: p.numColumns }, () => struct([[1, struct([])]])),
      ),
    ],
  ]);
}

function rowGroup(g: RowGroupMeta): ThriftValue {
  let uncompressed = 0;
  let compressed = 0;
  for (const c of g.columns) {
    uncompressed += c.uncompressedSize;
    compressed += c.compressedSize;
  }
  return struct([
    [1, list('struct', g.columns.map(columnChunk))],
    [2, i64(uncompressed)],
    [3, i64(g.numRows)],
    [5, i64(g.fileOffset)],
    [6, i64(compressed)],
  ]);
}

function columnChunk(c: ChunkMeta): ThriftValue {
  const stats: ThriftStruct = [
    [3, i64(c.nullCount)],
    [5, c.max === undefined ? undefined : bin(c.max)],
    [6, c.min === undefined ? undefined : bin(c.min)],
    [7, c.max === undefined || c.maxExact === undefined ? undefined : bool(c.maxExact)],
    [8, c.min === undefined || c.minExact === undefined ? undefined : bool(c.minExact)],
  ];
  return struct([
    [2, i64(c.dataPageOffset)],
    [
      3,
      struct([
        [1, i32(PHYSICAL[c.type])],
        [2, list('i32', c.encodings.map(i32))],
        [3, list('binary', c.path.map(bin))],
        [4, i32(c.codec)],
        [5, i64(c.numValues)],
        [6, i64(c.uncompressedSize)],
        [7, i64(c.compressedSize)],
        [9, i64(c.dataPageOffset)],
        [11, c.dictionaryPageOffset === undefined ? undefined : i64(c.dictionaryPageOffset)],
        [12, struct(stats)],
        [13, c.encodingStats === undefined ? undefined : encodingStats(c.encodingStats)],
      ]),
    ],
  ]);
}

export function encodingStats(stats: readonly PageEncodingCount[]): ThriftValue {
  return list(
    'struct',
    stats.map((s) =>
      struct([
        [1, i32(s.pageType)],
        [2, i32(s.encoding)],
        [3, i32(s.count)],
      ]),
    ),
  );
}

function schemaElement(f: ParquetField): ThriftStruct {
  const lt = f.logicalType;
  const decimal = lt?.type === 'DECIMAL' ? lt : undefined;
  return [
    [1, f.type === undefined ? undefined : i32(PHYSICAL[f.type])],
    [2, f.typeLength === undefined ? undefined : i32(f.typeLength)],
    [3, i32(REPETITION[f.repetition])],
    [4, bin(f.name)],
    [5, f.children === undefined ? undefined : i32(f.children.length)],
    [6, lt === undefined ? undefined : convertedType(lt)],
    [7, decimal === undefined ? undefined : i32(decimal.scale)],
    [8, decimal === undefined ? undefined : i32(decimal.precision)],
    [10, lt === undefined ? undefined : logicalType(lt)],
  ];
}

/** The legacy ConvertedType, for readers that predate logical types (older Hive and Spark). */
function convertedType(t: ParquetLogicalType): ThriftValue | undefined {
  switch (t.type) {
    case 'STRING':
      return i32(0);
    case 'MAP':
      return i32(1);
    case 'LIST':
      return i32(3);
    case 'DECIMAL':
      return i32(5);
    case 'DATE':
      return i32(6);
    case 'TIME':
      return t.isAdjustedToUTC ? i32(t.unit === 'MILLIS' ? 7 : 8) : undefined;
    case 'TIMESTAMP':
      return t.isAdjustedToUTC ? i32(t.unit === 'MILLIS' ? 9 : 10) : undefined;
  }
}

function logicalType(t: ParquetLogicalType): ThriftValue {
  const empty = struct([]);
  switch (t.type) {
    case 'STRING':
      return struct([[1, empty]]);
    case 'MAP':
      return struct([[2, empty]]);
    case 'LIST':
      return struct([[3, empty]]);
    case 'DECIMAL':
      return struct([
        [
          5,
          struct([
            [1, i32(t.scale)],
            [2, i32(t.precision)],
          ]),
        ],
      ]);
    case 'DATE':
      return struct([[6, empty]]);
    case 'TIME':
    case 'TIMESTAMP':
      return struct([
        [
          t.type === 'TIME' ? 7 : 8,
          struct([
            [1, bool(t.isAdjustedToUTC)],
            [2, struct([[t.unit === 'MILLIS' ? 1 : 2, empty]])],
          ]),
        ],
      ]);
  }
}
