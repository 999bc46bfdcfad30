// Reads the pages of one column chunk: page headers, decompression, the dictionary page, repetition and
// definition levels, dictionary indices, and where each PLAIN value's bytes lie, without interpreting a
// value. What it does not understand (data page v2, value encodings other than PLAIN and PLAIN_DICTIONARY /
// RLE_DICTIONARY, level encodings other than RLE / BIT_PACKED, other codecs) it refuses.
import { compressionOf, decompress } from './compression.ts';
import type { Compression } from './compression.ts';
import { bitWidth, decodeBitPacked, decodeHybrid, decodeHybridWide } from './encoding.ts';
import { ParquetError } from './errors.ts';
import { columnName } from './footer.ts';
import type { FooterColumn, FooterColumnChunk } from './footer.ts';
import { ThriftDecodeError, decodeStruct, field } from './thrift-tree.ts';
import type { TStruct } from './thrift-tree.ts';

export const PAGE_TYPE = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;
const ENC = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, RLE_DICTIONARY: 8 } as const;
const ENCODING_NAMES: Readonly<Record<number, string>> = {
  0: 'PLAIN',
  2: 'PLAIN_DICTIONARY',
  3: 'RLE',
  4: 'BIT_PACKED',
  5: 'DELTA_BINARY_PACKED',
  6: 'DELTA_LENGTH_BYTE_ARRAY',
  7: 'DELTA_BYTE_ARRAY',
  8: 'RLE_DICTIONARY',
  9: 'BYTE_STREAM_SPLIT',
};

/** A chunk's dictionary page: its entries in PLAIN form. */
export interface DecodedDictionary {
  /** The page exactly as stored (header and compressed body), for copying it unchanged. */
  readonly stored: Uint8Array;
  readonly headerLength: number;
  readonly count: number;
  /** The uncompressed body. */
  readonly data: Buffer;
  /** Entry i is `data[starts[i] .. starts[i+1])` (a BYTE_ARRAY's 4-byte length included). */
  readonly starts: Uint32Array;
}

/**
 * One decoded data page: levels one byte each, values still in their PLAIN bytes inside `data` (the page's
 * own body, or the dictionary's for a dictionary-encoded page).
 */
export interface DecodedPage {
  /** Levels in the page (the header's num_values): one per value, null or empty list. */
  readonly numLevels: number;
  /** Repetition levels, when the column has any. */
  readonly reps: Uint8Array | undefined;
  /** Definition levels, when the column has any. */
  readonly defs: Uint8Array | undefined;
  /** Values actually stored (levels at the maximum definition level). */
  readonly numValues: number;
  /** The uncompressed page body. */
  readonly data: Buffer;
  /**
   * Value i is `data[starts[k] .. starts[k+1])` with k = `indices[i]` for a dictionary-encoded page, else
   * k = i (a BYTE_ARRAY's 4-byte length included). BOOLEAN: undefined, value i is bit i from `valuesStart`.
   */
  readonly starts: Uint32Array | undefined;
  readonly valuesStart: number;
  /** Dictionary index of each value, for a dictionary-encoded page. */
  readonly indices: Uint32Array | undefined;
  /** The bit width the page stored its indices with (0 for a PLAIN page). */
  readonly indexWidth: number;
}

/** The chunk's pages in order, and its dictionary when it has one. */
export interface DecodedChunk {
  readonly dictionary: DecodedDictionary | undefined;
  readonly pages: DecodedPage[];
}

export function unsupported(column: readonly string[], message: string): ParquetError {
  const name = columnName(column);
  return new ParquetError('UNSUPPORTED', `column ${name}: ${message}`, { context: { column: name } });
}

function corrupt(column: readonly string[], message: string, cause?: unknown): ParquetError {
  const name = columnName(column);
  return new ParquetError('NOT_PARQUET', `not a valid Parquet file: column ${name}: ${message}`, {
    context: { column: name },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The chunk's codec, or UNSUPPORTED. */
export function chunkCompression(chunk: FooterColumnChunk): Compression {
  const c = compressionOf(chunk.codec);
  if (c === undefined) throw unsupported(chunk.path, `codec ${chunk.codecName} is not implemented`);
  return c;
}

/** Refuses, before any page is read, a chunk the rewriting modules cannot reproduce value for value. */
export function checkChunk(chunk: FooterColumnChunk, column: FooterColumn): void {
  if (chunk.filePath !== undefined)
    throw unsupported(chunk.path, `its data lives in another file (${chunk.filePath})`);
  for (const e of chunk.encodings) {
    if (
      e !== ENC.PLAIN &&
      e !== ENC.RLE &&
      e !== ENC.BIT_PACKED &&
      e !== ENC.PLAIN_DICTIONARY &&
      e !== ENC.RLE_DICTIONARY
    )
      throw unsupported(chunk.path, `encoding ${ENCODING_NAMES[e] ?? e} is not supported`);
  }
  if (column.maxDefinitionLevel > 255 || column.maxRepetitionLevel > 255)
    throw unsupported(chunk.path, 'levels above 255 are not supported');
  chunkCompression(chunk);
}

/** Bytes of one PLAIN value of a fixed-width type; 0 for BYTE_ARRAY and BOOLEAN. */
function fixedWidth(column: FooterColumn): number {
  switch (column.type) {
    case 'INT32':
    case 'FLOAT':
      return 4;
    case 'INT64':
    case 'DOUBLE':
      return 8;
    case 'INT96':
      return 12;
    case 'FIXED_LEN_BYTE_ARRAY':
      return column.typeLength ?? 0;
    default:
      return 0;
  }
}

/** Where the chunk's first page starts: its dictionary page when it has one (0 means none for some writers). */
export function chunkStart(chunk: FooterColumnChunk): number {
  const d = chunk.dictionaryPageOffset;
  return d !== undefined && d > 0 ? Math.min(d, chunk.dataPageOffset) : chunk.dataPageOffset;
}

/**
 * Every page of a chunk, in order: the dictionary page (which must come first) and the data pages. Throws
 * UNSUPPORTED or NOT_PARQUET (naming the column).
 */
export function readPages(file: Uint8Array, chunk: FooterColumnChunk, column: FooterColumn): DecodedChunk {
  checkChunk(chunk, column);
  const codec = chunkCompression(chunk);
  const path = chunk.path;
  if (column.type === 'FIXED_LEN_BYTE_ARRAY' && (column.typeLength ?? 0) <= 0)
    throw corrupt(path, 'FIXED_LEN_BYTE_ARRAY without a positive type_length');
  const pages: DecodedPage[] = [];
  let dictionary: DecodedDictionary | undefined;
  const start = chunkStart(chunk);
  const end = start + chunk.totalCompressedSize;
  if (end > file.byteLength)
    throw corrupt(path, `the chunk ends at byte ${end}, past the file's ${file.byteLength}`);
  let pos = start;
  let levels = 0;
  while (pos < end) {
    const pageStart = pos;
    let header: TStruct;
    try {
      const d = decodeStruct(file, pos, end);
      header = d.value;
      pos = d.end;
    } catch (error) {
      if (error instanceof ThriftDecodeError)
        throw corrupt(path, `page header at byte ${pos}: ${error.message}`, error);
      throw error;
    }
    const num = (s: TStruct, id: number, what: string): number => {
      const n = field(s, id);
      if (n === undefined || n.t !== 'i32') throw corrupt(path, `page header without ${what}`);
      return n.v;
    };
    const type = num(header, 1, 'type');
    const uncompressedSize = num(header, 2, 'uncompressed_page_size');
    const compressedSize = num(header, 3, 'compressed_page_size');
    if (type === PAGE_TYPE.DATA_PAGE_V2) throw unsupported(path, 'data page v2 is not supported');
    if (type !== PAGE_TYPE.DATA_PAGE && type !== PAGE_TYPE.DICTIONARY_PAGE)
      throw unsupported(path, `page type ${type} is not supported`);
    if (compressedSize < 0 || uncompressedSize < 0 || pos + compressedSize > end)
      throw corrupt(path, `a page of ${compressedSize} bytes at byte ${pos} runs past its chunk`);
    const body = (): Buffer => {
      let data: Buffer;
      try {
        data = decompress(codec, file.subarray(pos, pos + compressedSize), uncompressedSize);
      } catch (error) {
        throw corrupt(path, `a ${codec} page at byte ${pos} does not decompress`, error);
      }
      if (data.length !== uncompressedSize)
        throw corrupt(
          path,
          `a page decompressed to ${data.length} bytes, its header says ${uncompressedSize}`,
        );
      return data;
    };
    if (type === PAGE_TYPE.DICTIONARY_PAGE) {
      if (pages.length > 0 || dictionary !== undefined)
        throw corrupt(path, 'a dictionary page that is not the first page of its chunk');
      if (column.type === 'BOOLEAN') throw unsupported(path, 'a dictionary of booleans is not supported');
      const dih = field(header, 7);
      if (dih === undefined || dih.t !== 'struct')
        throw corrupt(path, 'dictionary page without dictionary_page_header');
      const count = num(dih.v, 1, 'num_values');
      const encoding = num(dih.v, 2, 'encoding');
      if (encoding !== ENC.PLAIN && encoding !== ENC.PLAIN_DICTIONARY)
        throw unsupported(path, `a dictionary in ${ENCODING_NAMES[encoding] ?? encoding} is not supported`);
      if (count < 0) throw corrupt(path, `a dictionary of ${count} values`);
      const data = body();
      pos += compressedSize;
      const starts = plainStarts(data, 0, count, column, path);
      if (starts[count] !== data.length)
        throw corrupt(path, `the dictionary page holds more than its ${count} values`);
      dictionary = {
        stored: file.subarray(pageStart, pos),
        headerLength: pos - compressedSize - pageStart,
        count,
        data,
        starts,
      };
      continue;
    }
    const dph = field(header, 5);
    if (dph === undefined || dph.t !== 'struct') throw corrupt(path, 'data page without data_page_header');
    const numLevels = num(dph.v, 1, 'num_values');
    if (numLevels < 0) throw corrupt(path, `a page of ${numLevels} values`);
    const valueEncoding = num(dph.v, 2, 'encoding');
    const defEncoding = num(dph.v, 3, 'definition_level_encoding');
    const repEncoding = num(dph.v, 4, 'repetition_level_encoding');
    const dictionaryEncoded = valueEncoding === ENC.RLE_DICTIONARY || valueEncoding === ENC.PLAIN_DICTIONARY;
    if (valueEncoding !== ENC.PLAIN && !dictionaryEncoded)
      throw unsupported(
        path,
        `values in ${ENCODING_NAMES[valueEncoding] ?? valueEncoding} are not supported`,
      );
    if (dictionaryEncoded && dictionary === undefined)
      throw corrupt(path, 'a dictionary-encoded page in a chunk without a dictionary page');
    const data = body();
    pos += compressedSize;
    pages.push(
      decodePage(
        data,
        numLevels,
        column,
        repEncoding,
        defEncoding,
        path,
        dictionaryEncoded ? dictionary : undefined,
      ),
    );
    levels += numLevels;
  }
  if (pos !== end) throw corrupt(path, 'the last page runs past the chunk');
  if (levels !== chunk.numValues)
    throw corrupt(path, `the pages hold ${levels} values, the chunk metadata says ${chunk.numValues}`);
  return { dictionary, pages };
}

/** Offsets of `count` PLAIN values laid end to end from `from`, plus the end of the last one. */
function plainStarts(
  data: Buffer,
  from: number,
  count: number,
  column: FooterColumn,
  path: readonly string[],
): Uint32Array {
  const starts = new Uint32Array(count + 1);
  const width = fixedWidth(column);
  if (width > 0) {
    if (from + count * width > data.length) throw corrupt(path, 'values run past the page');
    for (let i = 0; i <= count; i++) starts[i] = from + i * width;
  } else {
    let p = from;
    for (let i = 0; i < count; i++) {
      starts[i] = p;
      if (p + 4 > data.length) throw corrupt(path, 'values run past the page');
      p += 4 + data.readUInt32LE(p);
      if (p > data.length) throw corrupt(path, 'values run past the page');
    }
    starts[count] = p;
  }
  return starts;
}

function decodePage(
  data: Buffer,
  numLevels: number,
  column: FooterColumn,
  repEncoding: number,
  defEncoding: number,
  path: readonly string[],
  dictionary: DecodedDictionary | undefined,
): DecodedPage {
  let pos = 0;
  const levels = (max: number, encoding: number, what: string): Uint8Array | undefined => {
    if (max === 0) return undefined;
    const out = new Uint8Array(numLevels);
    const width = bitWidth(max);
    if (encoding === ENC.RLE) {
      if (pos + 4 > data.length) throw corrupt(path, `${what} levels run past the page`);
      const len = data.readUInt32LE(pos);
      pos += 4;
      if (pos + len > data.length || !decodeHybrid(data, pos, pos + len, width, numLevels, out))
        throw corrupt(path, `${what} levels are corrupt`);
      pos += len;
    } else if (encoding === ENC.BIT_PACKED) {
      const next = decodeBitPacked(data, pos, data.length, width, numLevels, out);
      if (next < 0) throw corrupt(path, `${what} levels run past the page`);
      pos = next;
    } else
      throw unsupported(path, `${what} levels in ${ENCODING_NAMES[encoding] ?? encoding} are not supported`);
    for (let i = 0; i < numLevels; i++)
      if ((out[i] as number) > max) throw corrupt(path, `${what} level ${out[i]} above the maximum ${max}`);
    return out;
  };
  const reps = levels(column.maxRepetitionLevel, repEncoding, 'repetition');
  const defs = levels(column.maxDefinitionLevel, defEncoding, 'definition');
  let numValues = numLevels;
  if (defs !== undefined) {
    const max = column.maxDefinitionLevel;
    numValues = 0;
    for (let i = 0; i < numLevels; i++) if (defs[i] === max) numValues++;
  }
  const valuesStart = pos;
  if (dictionary !== undefined) {
    // A page without values may hold nothing after its levels, not even the bit width.
    if (numValues === 0)
      return {
        numLevels,
        reps,
        defs,
        numValues,
        data: dictionary.data,
        starts: dictionary.starts,
        valuesStart,
        indices: new Uint32Array(0),
        indexWidth: 0,
      };
    if (valuesStart >= data.length) throw corrupt(path, 'dictionary indices run past the page');
    const width = data[valuesStart] as number;
    const indices = new Uint32Array(numValues);
    if (!decodeHybridWide(data, valuesStart + 1, data.length, width, numValues, indices))
      throw corrupt(path, 'dictionary indices are corrupt');
    for (let i = 0; i < numValues; i++)
      if ((indices[i] as number) >= dictionary.count)
        throw corrupt(path, `dictionary index ${indices[i]} beyond the ${dictionary.count} entries`);
    return {
      numLevels,
      reps,
      defs,
      numValues,
      data: dictionary.data,
      starts: dictionary.starts,
      valuesStart,
      indices,
      indexWidth: width,
    };
  }
  let starts: Uint32Array | undefined;
  if (column.type === 'BOOLEAN') {
    if (valuesStart + Math.ceil(numValues / 8) > data.length) throw corrupt(path, 'values run past the page');
  } else starts = plainStarts(data, valuesStart, numValues, column, path);
  return { numLevels, reps, defs, numValues, data, starts, valuesStart, indices: undefined, indexWidth: 0 };
}
