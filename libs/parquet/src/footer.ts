// Reads a Parquet file's footer (FileMetaData) into a model callers can inspect and compare, from the last
// bytes of the file, keeping the decoded Thrift tree so the rewriting modules (filter, concat) can write back
// every field they do not touch. Refuses anything that is not a well-formed Parquet footer with a ParquetError.
import { ParquetError } from './errors.ts';
import type { ParquetPhysicalType, ParquetRepetition } from './schema.ts';
import { ThriftDecodeError, decodeStruct, encodeTree, field } from './thrift-tree.ts';
import type { TNode, TStruct } from './thrift-tree.ts';

const MAGIC = 'PAR1';
const MAGIC_ENCRYPTED = 'PARE';
/** Header magic plus footer length and tail magic: the smallest possible file is longer than this. */
export const FRAME_BYTES = 12;

export const PHYSICAL_TYPES: readonly ParquetPhysicalType[] = [
  'BOOLEAN',
  'INT32',
  'INT64',
  'INT96',
  'FLOAT',
  'DOUBLE',
  'BYTE_ARRAY',
  'FIXED_LEN_BYTE_ARRAY',
];
const REPETITIONS: readonly ParquetRepetition[] = ['REQUIRED', 'OPTIONAL', 'REPEATED'];
/** Parquet's CompressionCodec enum, by number. */
export const CODEC_NAMES: readonly string[] = [
  'UNCOMPRESSED',
  'SNAPPY',
  'GZIP',
  'LZO',
  'BROTLI',
  'LZ4',
  'ZSTD',
  'LZ4_RAW',
];

export interface ParquetFooter {
  /** FileMetaData.version. */
  readonly version: number;
  readonly numRows: number;
  /** The flattened schema elements, root first, exactly as stored. */
  readonly schema: readonly FooterSchemaElement[];
  /** Leaf columns in file order, with their Dremel levels (what every row group's chunks follow). */
  readonly columns: readonly FooterColumn[];
  readonly keyValueMetadata: readonly { key: string; value: string | undefined }[];
  readonly createdBy: string | undefined;
  readonly rowGroups: readonly FooterRowGroup[];
  /** Length of the Thrift-encoded FileMetaData (the file ends with it, its 4-byte length and `PAR1`). */
  readonly footerLength: number;
  /** Length of the file the footer was read from. */
  readonly fileLength: number;
  /** The decoded FileMetaData with every field, for modules that write a changed copy. */
  readonly thrift: TStruct;
}

export interface FooterSchemaElement {
  readonly name: string;
  /** Absent for groups. */
  readonly type?: ParquetPhysicalType;
  readonly typeLength?: number;
  /** Absent for the root. */
  readonly repetition?: ParquetRepetition;
  /** Present for groups (and the root). */
  readonly numChildren?: number;
  /** The legacy ConvertedType enum number. */
  readonly convertedType?: number;
  readonly scale?: number;
  readonly precision?: number;
  readonly fieldId?: number;
  /** The element's Thrift encoding: two elements are identical exactly when these bytes are. */
  readonly encoded: Uint8Array;
}

export interface FooterColumn {
  readonly path: readonly string[];
  readonly type: ParquetPhysicalType;
  readonly typeLength?: number;
  readonly maxDefinitionLevel: number;
  readonly maxRepetitionLevel: number;
}

export interface FooterRowGroup {
  readonly numRows: number;
  /** Total uncompressed size of the column data (RowGroup.total_byte_size). */
  readonly totalByteSize: number;
  readonly totalCompressedSize?: number;
  readonly fileOffset?: number;
  readonly ordinal?: number;
  readonly columns: readonly FooterColumnChunk[];
}

export interface FooterColumnChunk {
  readonly path: readonly string[];
  readonly type: ParquetPhysicalType;
  /** CompressionCodec number; `codecName` spells it (UNCOMPRESSED, SNAPPY, GZIP, ZSTD…). */
  readonly codec: number;
  readonly codecName: string;
  /** Encoding enum numbers (0 PLAIN, 2 PLAIN_DICTIONARY, 3 RLE, 4 BIT_PACKED, 8 RLE_DICTIONARY…). */
  readonly encodings: readonly number[];
  readonly numValues: number;
  readonly totalUncompressedSize: number;
  readonly totalCompressedSize: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset?: number;
  readonly indexPageOffset?: number;
  /** ColumnChunk.file_offset. */
  readonly fileOffset: number;
  /** Set when the chunk lives in another file. */
  readonly filePath?: string;
  readonly offsetIndexOffset?: number;
  readonly columnIndexOffset?: number;
  readonly bloomFilterOffset?: number;
  /** Statistics as stored: integers decoded, bounds as raw PLAIN bytes. */
  readonly statistics?: FooterStatistics;
}

export interface FooterStatistics {
  readonly nullCount?: number;
  readonly distinctCount?: number;
  readonly minValue?: Uint8Array;
  readonly maxValue?: Uint8Array;
  /** The deprecated signed-order `min` / `max` fields. */
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

function notParquet(message: string, cause?: unknown): ParquetError {
  return new ParquetError('NOT_PARQUET', `not a valid Parquet file: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

const latin1 = (b: Uint8Array, at: number): string =>
  String.fromCharCode(b[at] as number, b[at + 1] as number, b[at + 2] as number, b[at + 3] as number);

/**
 * The footer of a file of `fileLength` bytes whose last `tail.byteLength` bytes are `tail` (it may hold more
 * than the footer, or the whole file). Throws FOOTER_TRUNCATED with `context.needBytes` when the tail is too
 * short: read that many bytes from the end and call again.
 */
export function readFooter(tail: Uint8Array, fileLength: number): ParquetFooter {
  if (!Number.isSafeInteger(fileLength) || fileLength < tail.byteLength) {
    throw new ParquetError(
      'OPTION_INVALID',
      `fileLength must be an integer at least the tail's ${tail.byteLength} bytes, got ${fileLength}`,
      { context: { option: 'fileLength' } },
    );
  }
  if (fileLength < FRAME_BYTES) throw notParquet(`${fileLength} bytes is shorter than any Parquet file`);
  if (tail.byteLength < 8) {
    throw new ParquetError(
      'FOOTER_TRUNCATED',
      `the tail holds ${tail.byteLength} bytes; 8 are needed first`,
      {
        context: { needBytes: 8 },
      },
    );
  }
  const end = tail.byteLength;
  const magic = latin1(tail, end - 4);
  if (magic === MAGIC_ENCRYPTED)
    throw new ParquetError('UNSUPPORTED', 'the file has an encrypted footer (magic PARE)');
  if (magic !== MAGIC) throw notParquet(`it does not end with PAR1 (last 4 bytes ${JSON.stringify(magic)})`);
  const footerLength = new DataView(tail.buffer, tail.byteOffset + end - 8, 4).getUint32(0, true);
  if (footerLength + FRAME_BYTES > fileLength) {
    throw notParquet(`footer length ${footerLength} does not fit a file of ${fileLength} bytes`);
  }
  const needBytes = footerLength + 8;
  if (tail.byteLength < needBytes) {
    throw new ParquetError(
      'FOOTER_TRUNCATED',
      `the footer takes the last ${needBytes} bytes of the file; the tail holds ${tail.byteLength}`,
      { context: { needBytes } },
    );
  }
  if (tail.byteLength === fileLength && latin1(tail, 0) !== MAGIC)
    throw notParquet('it does not start with PAR1');
  const start = end - needBytes;
  let decoded: { value: TStruct; end: number };
  try {
    decoded = decodeStruct(tail, start, end - 8);
  } catch (error) {
    if (error instanceof ThriftDecodeError) throw notParquet(`corrupt footer: ${error.message}`, error);
    throw error;
  }
  if (decoded.end !== end - 8)
    throw notParquet(`the footer ends ${end - 8 - decoded.end} bytes before its stated length`);
  return model(decoded.value, footerLength, fileLength);
}

/** The footer of a whole file in memory. */
export function footerOf(file: Uint8Array): ParquetFooter {
  return readFooter(file, file.byteLength);
}

// ---- from the Thrift tree to the model -------------------------------------------------------------------

function int(s: TStruct, id: number, what: string): number | undefined {
  const n = field(s, id);
  if (n === undefined) return undefined;
  if (n.t === 'i32' || n.t === 'i16' || n.t === 'byte') return n.v;
  if (n.t === 'i64') {
    if (n.v > BigInt(Number.MAX_SAFE_INTEGER) || n.v < BigInt(Number.MIN_SAFE_INTEGER))
      throw notParquet(`${what} ${n.v} is beyond 2^53`);
    return Number(n.v);
  }
  throw notParquet(`${what} has Thrift type ${n.t}`);
}

function need(s: TStruct, id: number, what: string): number {
  const v = int(s, id, what);
  if (v === undefined) throw notParquet(`${what} is missing`);
  return v;
}

function bytes(s: TStruct, id: number, what: string): Uint8Array | undefined {
  const n = field(s, id);
  if (n === undefined) return undefined;
  if (n.t !== 'binary') throw notParquet(`${what} has Thrift type ${n.t}`);
  return n.v;
}

const utf8 = new TextDecoder('utf-8');
function text(s: TStruct, id: number, what: string): string | undefined {
  const b = bytes(s, id, what);
  return b === undefined ? undefined : utf8.decode(b);
}

function structs(s: TStruct, id: number, what: string): TStruct[] {
  const n = field(s, id);
  if (n === undefined) return [];
  if (n.t !== 'list') throw notParquet(`${what} has Thrift type ${n.t}`);
  return n.v.map((e) => struct(e, what));
}

function struct(n: TNode | undefined, what: string): TStruct {
  if (n === undefined || n.t !== 'struct') throw notParquet(`${what} is not a struct`);
  return n.v;
}

function enumOf<T>(values: readonly T[], v: number | undefined, what: string): T | undefined {
  if (v === undefined) return undefined;
  const x = values[v];
  if (x === undefined) throw notParquet(`${what} ${v} is not a known value`);
  return x;
}

function model(fm: TStruct, footerLength: number, fileLength: number): ParquetFooter {
  const version = need(fm, 1, 'FileMetaData.version');
  const numRows = need(fm, 3, 'FileMetaData.num_rows');
  const schema = structs(fm, 2, 'FileMetaData.schema').map((e, i): FooterSchemaElement => {
    const what = `schema element ${i}`;
    const name = text(e, 4, `${what} name`);
    if (name === undefined) throw notParquet(`${what} has no name`);
    const el: {
      -readonly [K in keyof FooterSchemaElement]: FooterSchemaElement[K];
    } = { name, encoded: encodeTree(e) };
    const type = enumOf(PHYSICAL_TYPES, int(e, 1, `${what} type`), `${what} type`);
    if (type !== undefined) el.type = type;
    const opt = (
      k: 'typeLength' | 'numChildren' | 'convertedType' | 'scale' | 'precision' | 'fieldId',
      id: number,
    ) => {
      const v = int(e, id, `${what} ${k}`);
      if (v !== undefined) el[k] = v;
    };
    opt('typeLength', 2);
    const repetition = enumOf(REPETITIONS, int(e, 3, `${what} repetition`), `${what} repetition`);
    if (repetition !== undefined) el.repetition = repetition;
    opt('numChildren', 5);
    opt('convertedType', 6);
    opt('scale', 7);
    opt('precision', 8);
    opt('fieldId', 9);
    return el;
  });
  const columns = leaves(schema);
  const keyValueMetadata = structs(fm, 5, 'FileMetaData.key_value_metadata').map((kv) => {
    const key = text(kv, 1, 'KeyValue.key');
    if (key === undefined) throw notParquet('a key/value metadata entry has no key');
    return { key, value: text(kv, 2, 'KeyValue.value') };
  });
  const createdBy = text(fm, 6, 'FileMetaData.created_by');
  const dataEnd = fileLength - footerLength - 8;
  let rowsSeen = 0;
  const rowGroups = structs(fm, 4, 'FileMetaData.row_groups').map((rg, g): FooterRowGroup => {
    const what = `row group ${g}`;
    const chunks = structs(rg, 1, `${what} columns`);
    if (chunks.length !== columns.length)
      throw notParquet(`${what} has ${chunks.length} column chunks for ${columns.length} columns`);
    const group: { -readonly [K in keyof FooterRowGroup]: FooterRowGroup[K] } = {
      numRows: need(rg, 3, `${what} num_rows`),
      totalByteSize: need(rg, 2, `${what} total_byte_size`),
      columns: chunks.map((cc, c) => chunk(cc, columns[c] as FooterColumn, `${what} column ${c}`, dataEnd)),
    };
    const fileOffset = int(rg, 5, `${what} file_offset`);
    if (fileOffset !== undefined) group.fileOffset = fileOffset;
    const compressed = int(rg, 6, `${what} total_compressed_size`);
    if (compressed !== undefined) group.totalCompressedSize = compressed;
    const ordinal = int(rg, 7, `${what} ordinal`);
    if (ordinal !== undefined) group.ordinal = ordinal;
    if (group.numRows < 0) throw notParquet(`${what} has ${group.numRows} rows`);
    rowsSeen += group.numRows;
    return group;
  });
  if (rowsSeen !== numRows) throw notParquet(`num_rows ${numRows} but the row groups hold ${rowsSeen}`);
  return {
    version,
    numRows,
    schema,
    columns,
    keyValueMetadata,
    createdBy,
    rowGroups,
    footerLength,
    fileLength,
    thrift: fm,
  };
}

// Deeper than any schema a person writes; bounds the recursion on garbage.
const MAX_SCHEMA_DEPTH = 100;

function leaves(schema: readonly FooterSchemaElement[]): FooterColumn[] {
  const root = schema[0];
  if (root === undefined) throw notParquet('the schema is empty');
  const out: FooterColumn[] = [];
  let next = 1;
  const walk = (count: number, path: string[], def: number, rep: number, depth: number): void => {
    if (depth > MAX_SCHEMA_DEPTH) throw notParquet(`schema nested deeper than ${MAX_SCHEMA_DEPTH}`);
    for (let i = 0; i < count; i++) {
      const e = schema[next++];
      if (e === undefined) throw notParquet('the schema has fewer elements than its groups claim');
      const d = def + (e.repetition === 'REQUIRED' ? 0 : 1);
      const r = rep + (e.repetition === 'REPEATED' ? 1 : 0);
      const p = [...path, e.name];
      if (e.numChildren !== undefined && e.type === undefined) walk(e.numChildren, p, d, r, depth + 1);
      else {
        if (e.type === undefined)
          throw notParquet(`schema element ${p.join('.')} has no type and no children`);
        const c: { -readonly [K in keyof FooterColumn]: FooterColumn[K] } = {
          path: p,
          type: e.type,
          maxDefinitionLevel: d,
          maxRepetitionLevel: r,
        };
        if (e.typeLength !== undefined) c.typeLength = e.typeLength;
        out.push(c);
      }
    }
  };
  walk(root.numChildren ?? 0, [], 0, 0, 0);
  if (next !== schema.length)
    throw notParquet(`the schema has ${schema.length} elements but its groups account for ${next}`);
  return out;
}

function chunk(cc: TStruct, column: FooterColumn, what: string, dataEnd: number): FooterColumnChunk {
  const md = struct(field(cc, 3), `${what} meta_data`);
  const path = listOfText(md, 3, `${what} path_in_schema`);
  if (path.join('\u0000') !== column.path.join('\u0000'))
    throw notParquet(`${what} is ${path.join('.')} where the schema has ${column.path.join('.')}`);
  const type = enumOf(PHYSICAL_TYPES, need(md, 1, `${what} type`), `${what} type`) as ParquetPhysicalType;
  if (type !== column.type)
    throw notParquet(`${what} (${path.join('.')}) is ${type}, the schema says ${column.type}`);
  const codec = need(md, 4, `${what} codec`);
  const encodingsNode = field(md, 2);
  const encodings = encodingsNode?.t === 'list' ? encodingsNode.v.map((e) => (e.t === 'i32' ? e.v : -1)) : [];
  const c: { -readonly [K in keyof FooterColumnChunk]: FooterColumnChunk[K] } = {
    path,
    type,
    codec,
    codecName: CODEC_NAMES[codec] ?? `codec ${codec}`,
    encodings,
    numValues: need(md, 5, `${what} num_values`),
    totalUncompressedSize: need(md, 6, `${what} total_uncompressed_size`),
    totalCompressedSize: need(md, 7, `${what} total_compressed_size`),
    dataPageOffset: need(md, 9, `${what} data_page_offset`),
    fileOffset: need(cc, 2, `${what} file_offset`),
  };
  const opt = (k: 'dictionaryPageOffset' | 'indexPageOffset' | 'bloomFilterOffset', id: number): void => {
    const v = int(md, id, `${what} ${k}`);
    if (v !== undefined) c[k] = v;
  };
  opt('indexPageOffset', 10);
  opt('dictionaryPageOffset', 11);
  opt('bloomFilterOffset', 14);
  const filePath = text(cc, 1, `${what} file_path`);
  if (filePath !== undefined) c.filePath = filePath;
  const offsetIndex = int(cc, 4, `${what} offset_index_offset`);
  if (offsetIndex !== undefined) c.offsetIndexOffset = offsetIndex;
  const columnIndex = int(cc, 6, `${what} column_index_offset`);
  if (columnIndex !== undefined) c.columnIndexOffset = columnIndex;
  const st = field(md, 12);
  if (st !== undefined) {
    const s = struct(st, `${what} statistics`);
    const stats: { -readonly [K in keyof FooterStatistics]: FooterStatistics[K] } = {};
    const nullCount = int(s, 3, `${what} null_count`);
    if (nullCount !== undefined) stats.nullCount = nullCount;
    const distinct = int(s, 4, `${what} distinct_count`);
    if (distinct !== undefined) stats.distinctCount = distinct;
    for (const [k, id] of [
      ['max', 1],
      ['min', 2],
      ['maxValue', 5],
      ['minValue', 6],
    ] as const) {
      const b = bytes(s, id, `${what} statistics`);
      if (b !== undefined) stats[k] = b;
    }
    c.statistics = stats;
  }
  // The chunk's bytes must lie between the header magic and the footer, or following it reads garbage.
  if (filePath === undefined) {
    const start =
      c.dictionaryPageOffset !== undefined && c.dictionaryPageOffset > 0
        ? Math.min(c.dictionaryPageOffset, c.dataPageOffset)
        : c.dataPageOffset;
    if (start < 4 || c.totalCompressedSize < 0 || start + c.totalCompressedSize > dataEnd)
      throw notParquet(
        `${what} (${path.join('.')}) spans bytes ${start}..${start + c.totalCompressedSize}, outside the data (4..${dataEnd})`,
      );
  }
  return c;
}

function listOfText(s: TStruct, id: number, what: string): string[] {
  const n = field(s, id);
  if (n === undefined || n.t !== 'list') throw notParquet(`${what} is missing`);
  return n.v.map((e) => {
    if (e.t !== 'binary') throw notParquet(`${what} holds a ${e.t}`);
    return utf8.decode(e.v);
  });
}

/** Dotted column path for messages and `context.column`. */
export const columnName = (path: readonly string[]): string => path.join('.');

/** Refuses a footer whose file cannot be rewritten or extended safely (encryption). */
export function checkRewritable(footer: ParquetFooter): void {
  if (field(footer.thrift, 8) !== undefined || field(footer.thrift, 9) !== undefined)
    throw new ParquetError('UNSUPPORTED', 'the file uses Parquet modular encryption');
  for (const g of footer.rowGroups.keys()) {
    const rg = rowGroupTree(footer, g);
    for (const cc of chunkTrees(rg)) {
      if (field(cc, 8) !== undefined || field(cc, 9) !== undefined)
        throw new ParquetError('UNSUPPORTED', 'the file has encrypted column chunks');
    }
  }
}

/** The decoded RowGroup `g` of a parsed footer. */
export function rowGroupTree(footer: ParquetFooter, g: number): TStruct {
  const list = field(footer.thrift, 4);
  const node = list?.t === 'list' ? list.v[g] : undefined;
  if (node?.t !== 'struct') throw new Error(`row group ${g} missing from a parsed footer`);
  return node.v;
}

/** The decoded ColumnChunks of a decoded RowGroup. */
export function chunkTrees(rg: TStruct): TStruct[] {
  const list = field(rg, 1);
  if (list?.t !== 'list') return [];
  return list.v.map((n) => (n.t === 'struct' ? n.v : []));
}
