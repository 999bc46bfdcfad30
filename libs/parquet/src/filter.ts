// Rewrites a Parquet file keeping only some of its rows, every kept value byte for byte: a chunk's dictionary
// page is copied as stored, PLAIN value bytes are copied, only the levels and dictionary indices are
// re-encoded, pages are recompressed with the chunk's own codec, and the footer keeps the schema, key/value
// metadata and created_by. Statistics of rewritten chunks are recomputed from the kept values (null_count
// always; min/max for INT32, INT64, FLOAT, DOUBLE, and BYTE_ARRAY truncated as the writer truncates it).
import { compress } from './compression.ts';
import { Bytes, bitWidth, encodeBooleans, encodeHybrid, encodeHybridWide } from './encoding.ts';
import { ParquetError } from './errors.ts';
import { checkRewritable, chunkTrees, columnName, footerOf, rowGroupTree } from './footer.ts';
import type { FooterColumn, FooterColumnChunk, ParquetFooter } from './footer.ts';
import { ENCODING, chunkEncodings, dataPageHeader, encodingStats } from './metadata.ts';
import type { PageEncodingCount } from './metadata.ts';
import { checkChunk, chunkCompression, readPages } from './pages.ts';
import type { DecodedPage } from './pages.ts';
import { ByteBounds, STATISTICS_TRUNCATE_BYTES, truncateMax, truncateMin } from './statistics.ts';
import type { Bound } from './statistics.ts';
import { encodeTree, field, pick, t, withFields } from './thrift-tree.ts';
import type { TNode, TStruct } from './thrift-tree.ts';

/** ConvertedType UTF8, ENUM and JSON: byte arrays holding text, whose bounds are cut on characters. */
const TEXT_CONVERTED_TYPES: readonly number[] = [0, 4, 19];

/**
 * A complete Parquet file holding only the rows for which `keep(row)` is true (rows numbered from 0 across
 * the file; `keep` is called once per row, in order), in their order, with every kept value byte-identical.
 * Row groups left without rows disappear; when no row is kept the result is still a valid file with the same
 * schema and no row groups (`rows: 0`), which a caller may store or drop.
 *
 * Throws UNSUPPORTED naming the column for anything it cannot copy exactly (data page v2, a value encoding
 * other than PLAIN and PLAIN_DICTIONARY / RLE_DICTIONARY, a codec other than none / snappy / gzip / zstd,
 * encryption), and NOT_PARQUET for a corrupt file; it never returns a file it is not sure of.
 */
export function filterRows(
  file: Uint8Array,
  keep: (row: number) => boolean,
  footer: ParquetFooter = footerOf(file),
): { bytes: Uint8Array; rows: number } {
  checkRewritable(footer);
  for (const g of footer.rowGroups)
    g.columns.forEach((chunk, i) => checkChunk(chunk, footer.columns[i] as FooterColumn));

  const mask = new Uint8Array(footer.numRows);
  let kept = 0;
  for (let r = 0; r < footer.numRows; r++) {
    if (keep(r)) {
      mask[r] = 1;
      kept++;
    }
  }

  // Leaf schema elements are the leaf columns, in the same order.
  const leafElements = footer.schema.filter((e) => e.type !== undefined && e.numChildren === undefined);
  const text = footer.columns.map((_, i) =>
    TEXT_CONVERTED_TYPES.includes(leafElements[i]?.convertedType ?? -1),
  );
  const out = new Output();
  const rowGroups: TNode[] = [];
  let base = 0;
  footer.rowGroups.forEach((group, g) => {
    let keptHere = 0;
    for (let r = base; r < base + group.numRows; r++) keptHere += mask[r] as number;
    if (keptHere > 0) {
      const groupOffset = out.length;
      const rgTree = rowGroupTree(footer, g);
      const sources = chunkTrees(rgTree);
      let uncompressed = 0;
      let compressed = 0;
      const chunks = group.columns.map((chunk, c) => {
        const column = footer.columns[c] as FooterColumn;
        const written = rewriteChunk(file, chunk, column, mask, base, group.numRows, out, text[c] === true);
        uncompressed += written.uncompressed;
        compressed += written.compressed;
        const md = field(sources[c] ?? [], 3);
        const source = md?.t === 'struct' ? md.v : [];
        return t.struct([
          [2, t.i64(written.offset)],
          [3, t.struct(chunkMeta(source, column, written))],
        ]);
      });
      const ordinal = field(rgTree, 7);
      const rg: TStruct = [
        [1, t.list(12, chunks)],
        [2, t.i64(uncompressed)],
        [3, t.i64(keptHere)],
      ];
      // The kept rows stay in their order, so a declared sort order still holds.
      const sorting = field(rgTree, 4);
      if (sorting !== undefined) rg.push([4, sorting]);
      rg.push([5, t.i64(groupOffset)], [6, t.i64(compressed)]);
      if (ordinal !== undefined) rg.push([7, { t: 'i16', v: rowGroups.length }]);
      rowGroups.push(t.struct(rg));
    }
    base += group.numRows;
  });

  // Version, schema, key/value metadata, created_by and column orders as they were; nothing else.
  const fm = withFields(pick(footer.thrift, [1, 2, 5, 6, 7]), {
    3: t.i64(kept),
    4: t.list(12, rowGroups),
  });
  const meta = encodeTree(fm);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(meta.length, 0);
  tail.write('PAR1', 4, 'latin1');
  out.push(meta);
  out.push(tail);
  return { bytes: out.concat(), rows: kept };
}

class Output {
  parts: Uint8Array[] = [Buffer.from('PAR1', 'latin1')];
  length = 4;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  concat(): Uint8Array {
    return Buffer.concat(this.parts, this.length);
  }
}

interface WrittenChunk {
  /** Offset of the first data page. */
  offset: number;
  dictionaryOffset: number | undefined;
  levels: number;
  uncompressed: number;
  compressed: number;
  nullCount: number;
  encodings: number[];
  encodingStats: PageEncodingCount[];
  min: Bound | undefined;
  max: Bound | undefined;
}

/** Exact min/max of the kept values, in the order the writer (and the spec's TYPE_ORDER) defines. */
class Bounds {
  readonly type: FooterColumn['type'];
  min: number | bigint | undefined;
  max: number | bigint | undefined;
  /** BYTE_ARRAY bounds, unsigned byte order. */
  readonly text: ByteBounds | undefined;
  constructor(type: FooterColumn['type']) {
    this.type = type;
    this.text = type === 'BYTE_ARRAY' ? new ByteBounds() : undefined;
  }
  /** The PLAIN value `data[at..end)`. */
  add(data: Buffer, at: number, end: number): void {
    let v: number | bigint;
    switch (this.type) {
      case 'BYTE_ARRAY':
        this.text?.add(data, at + 4, end);
        return;
      case 'INT32':
        v = data.readInt32LE(at);
        break;
      case 'INT64':
        v = data.readBigInt64LE(at);
        break;
      case 'FLOAT':
        v = data.readFloatLE(at);
        break;
      case 'DOUBLE':
        v = data.readDoubleLE(at);
        break;
      default:
        return;
    }
    // NaN has no place in the order: it never becomes a bound.
    if (typeof v === 'number' && Number.isNaN(v)) return;
    if (this.min === undefined || v < this.min) this.min = v;
    if (this.max === undefined || v > this.max) this.max = v;
  }
  bytes(v: number | bigint | undefined, isMin: boolean): Uint8Array | undefined {
    if (v === undefined) return undefined;
    const b = Buffer.alloc(this.type === 'INT32' || this.type === 'FLOAT' ? 4 : 8);
    // A zero bound is written -0 as min and +0 as max: the spec's rule, as readers cannot tell which was seen.
    const f = (x: number): number => (x === 0 ? (isMin ? -0 : 0) : x);
    if (this.type === 'INT32') b.writeInt32LE(Number(v));
    else if (this.type === 'INT64') b.writeBigInt64LE(BigInt(v));
    else if (this.type === 'FLOAT') b.writeFloatLE(f(Number(v)));
    else b.writeDoubleLE(f(Number(v)));
    return b;
  }
}

function rewriteChunk(
  file: Uint8Array,
  chunk: FooterColumnChunk,
  column: FooterColumn,
  mask: Uint8Array,
  base: number,
  groupRows: number,
  out: Output,
  utf8: boolean,
): WrittenChunk {
  const codec = chunkCompression(chunk);
  const { dictionary, pages } = readPages(file, chunk, column);
  const result: WrittenChunk = {
    offset: out.length,
    dictionaryOffset: undefined,
    levels: 0,
    uncompressed: 0,
    compressed: 0,
    nullCount: 0,
    encodings: [],
    encodingStats: [],
    min: undefined,
    max: undefined,
  };
  const bounds = new Bounds(column.type);
  const body = new Bytes(64 * 1024);
  const written: Uint8Array[] = [];
  let dataBytes = 0;
  let uncompressed = 0;
  let dictionaryDataPages = 0;
  let plainDataPages = 0;
  let row = -1;
  for (const page of pages) {
    const r = keptOfPage(page, column, mask, base, row, body, bounds);
    row = r.row;
    if (r.levels === 0) continue;
    const compressedBody = compress(codec, body.view());
    const header = dataPageHeader({
      uncompressedSize: body.len,
      compressedSize: compressedBody.length,
      numValues: r.levels,
      encoding: r.dictionaryEncoded ? ENCODING.RLE_DICTIONARY : ENCODING.PLAIN,
    });
    written.push(header, compressedBody);
    if (r.dictionaryEncoded) dictionaryDataPages++;
    else plainDataPages++;
    result.levels += r.levels;
    result.nullCount += r.levels - r.values;
    uncompressed += header.length + body.len;
    dataBytes += header.length + compressedBody.length;
  }
  // The dictionary page goes along, unchanged, as long as a kept page refers to it.
  const dictionaryPages = dictionary !== undefined && dictionaryDataPages > 0 ? 1 : 0;
  if (dictionary !== undefined && dictionaryPages > 0) {
    result.dictionaryOffset = out.length;
    out.push(dictionary.stored);
    result.compressed += dictionary.stored.length;
    result.uncompressed += dictionary.headerLength + dictionary.data.length;
  }
  result.offset = out.length;
  for (const part of written) out.push(part);
  result.compressed += dataBytes;
  result.uncompressed += uncompressed;
  const hasLevels = column.maxDefinitionLevel > 0 || column.maxRepetitionLevel > 0;
  const enc = chunkEncodings({ dictionaryPages, dictionaryDataPages, plainDataPages }, hasLevels);
  result.encodings = enc.encodings;
  result.encodingStats = enc.stats;
  if (row + 1 !== groupRows) {
    const name = columnName(column.path);
    throw new ParquetError(
      'NOT_PARQUET',
      `not a valid Parquet file: column ${name} holds ${row + 1} rows in a row group of ${groupRows}`,
      { context: { column: name } },
    );
  }
  if (bounds.text !== undefined) {
    const { min, max } = bounds.text;
    const truncatedMax = max === undefined ? undefined : truncateMax(max, STATISTICS_TRUNCATE_BYTES, utf8);
    // Without a max the min goes too: readers use the pair.
    if (min !== undefined && truncatedMax !== undefined) {
      result.min = truncateMin(min, STATISTICS_TRUNCATE_BYTES, utf8);
      result.max = truncatedMax;
    }
  } else {
    const min = bounds.bytes(bounds.min, true);
    const max = bounds.bytes(bounds.max, false);
    if (min !== undefined) result.min = { value: min, exact: true };
    if (max !== undefined) result.max = { value: max, exact: true };
  }
  return result;
}

/**
 * Writes the kept part of one page into `body` (levels, then PLAIN values copied byte for byte). `row` is the
 * row (within the row group) the previous page ended in: a page may continue a row.
 */
function keptOfPage(
  page: DecodedPage,
  column: FooterColumn,
  mask: Uint8Array,
  base: number,
  startRow: number,
  body: Bytes,
  bounds: Bounds,
): { row: number; levels: number; values: number; dictionaryEncoded: boolean } {
  const { numLevels, reps, defs, data, starts, indices } = page;
  const maxDef = column.maxDefinitionLevel;
  const outReps = reps === undefined ? undefined : new Uint8Array(numLevels);
  const outDefs = defs === undefined ? undefined : new Uint8Array(numLevels);
  const bools = starts === undefined ? new Uint8Array(page.numValues) : undefined;
  const keptIndices = indices === undefined ? undefined : new Uint32Array(page.numValues);
  const values = new Bytes(indices === undefined ? Math.max(64, data.length) : 0);
  let row = startRow;
  let levels = 0;
  let kept = 0;
  let v = 0;
  for (let i = 0; i < numLevels; i++) {
    if (reps === undefined || reps[i] === 0) row++;
    else if (row < 0) {
      throw new ParquetError(
        'NOT_PARQUET',
        `not a valid Parquet file: column ${columnName(column.path)} starts a row group inside a row`,
        { context: { column: columnName(column.path) } },
      );
    }
    const present = defs === undefined || defs[i] === maxDef;
    if (mask[base + row] === 1) {
      if (outReps !== undefined) outReps[levels] = reps?.[i] as number;
      if (outDefs !== undefined) outDefs[levels] = defs?.[i] as number;
      levels++;
      if (present) {
        if (bools !== undefined) {
          const bit = page.valuesStart * 8 + v;
          bools[kept] = ((data[bit >>> 3] as number) >>> (bit & 7)) & 1;
        } else if (keptIndices !== undefined) {
          const k = (indices as Uint32Array)[v] as number;
          keptIndices[kept] = k;
          bounds.add(data, (starts as Uint32Array)[k] as number, (starts as Uint32Array)[k + 1] as number);
        } else {
          const s = (starts as Uint32Array)[v] as number;
          const e = (starts as Uint32Array)[v + 1] as number;
          values.ensure(e - s);
          data.copy(values.buf, values.len, s, e);
          values.len += e - s;
          bounds.add(data, s, e);
        }
        kept++;
      }
    }
    if (present) v++;
  }
  body.len = 0;
  // A page left without values is PLAIN, as the writer writes one: its levels are all it holds.
  const dictionaryEncoded = keptIndices !== undefined && kept > 0;
  if (levels === 0) return { row, levels, values: kept, dictionaryEncoded };
  for (const [levelsOut, max] of [
    [outReps, column.maxRepetitionLevel],
    [outDefs, maxDef],
  ] as const) {
    if (levelsOut === undefined) continue;
    body.ensure(4);
    const at = body.len;
    body.len += 4;
    encodeHybrid(body, levelsOut, levels, bitWidth(max));
    body.buf.writeUInt32LE(body.len - at - 4, at);
  }
  if (bools !== undefined) encodeBooleans(body, bools, kept);
  else if (dictionaryEncoded) {
    // The source page's bit width: keeping every row then reproduces the page byte for byte.
    body.ensure(1);
    body.buf[body.len++] = page.indexWidth;
    encodeHybridWide(body, keptIndices, kept, page.indexWidth);
  } else {
    body.ensure(values.len);
    values.buf.copy(body.buf, body.len, 0, values.len);
    body.len += values.len;
  }
  return { row, levels, values: kept, dictionaryEncoded };
}

/** The rewritten chunk's ColumnMetaData: the source's type, path, codec and key/value metadata, new sizes. */
function chunkMeta(source: TStruct, column: FooterColumn, w: WrittenChunk): TStruct {
  const stats: TStruct = [[3, t.i64(w.nullCount)]];
  if (w.max !== undefined) stats.push([5, t.binary(w.max.value)]);
  if (w.min !== undefined) stats.push([6, t.binary(w.min.value)]);
  // Exactness is stated for byte-array bounds only, the ones that may be truncated (as the writer does).
  if (column.type === 'BYTE_ARRAY') {
    if (w.max !== undefined) stats.push([7, { t: 'bool', v: w.max.exact }]);
    if (w.min !== undefined) stats.push([8, { t: 'bool', v: w.min.exact }]);
  }
  return withFields(pick(source, [1, 3, 4, 8]), {
    2: t.list(5, w.encodings.map(t.i32)),
    5: t.i64(w.levels),
    6: t.i64(w.uncompressed),
    7: t.i64(w.compressed),
    9: t.i64(w.offset),
    11: w.dictionaryOffset === undefined ? undefined : t.i64(w.dictionaryOffset),
    12: t.struct(stats),
    13: encodingStats(w.encodingStats),
  });
}
