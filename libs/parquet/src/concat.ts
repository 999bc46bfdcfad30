// Concatenation without rewriting data, for HDFS CONCAT based compaction: given the footers of N files, the
// bytes Z such that file1 ‖ … ‖ fileN ‖ Z is one valid Parquet file holding every row group of every file in
// order. Readers follow only the last footer's offsets, so the old footers inside stay as unreferenced bytes.
import { ParquetError } from './errors.ts';
import { checkRewritable, chunkTrees, columnName, footerOf, rowGroupTree } from './footer.ts';
import type { FooterSchemaElement, ParquetFooter } from './footer.ts';
import { encodeTree, field, t, withFields } from './thrift-tree.ts';
import type { TNode, TStruct } from './thrift-tree.ts';

export interface ConcatPart {
  /** The part's footer, e.g. readFooter() of its tail. */
  readonly footer: ParquetFooter;
  /** The part's length in bytes: where the next part starts. Must be the length the footer was read with. */
  readonly length: number;
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a === undefined || b === undefined ? a === b : Buffer.from(a).equals(Buffer.from(b));

/** Dotted paths of the schema elements, root as `<root>`. */
function elementPaths(schema: readonly FooterSchemaElement[]): string[] {
  const out: string[] = ['<root>'];
  let next = 1;
  const walk = (count: number, path: string[]): void => {
    for (let i = 0; i < count && next < schema.length; i++) {
      const e = schema[next++] as FooterSchemaElement;
      out.push([...path, e.name].join('.'));
      if (e.numChildren !== undefined && e.type === undefined) walk(e.numChildren, [...path, e.name]);
    }
  };
  walk(schema[0]?.numChildren ?? 0, []);
  return out;
}

const ELEMENT_FIELDS = [
  'name',
  'type',
  'typeLength',
  'repetition',
  'numChildren',
  'convertedType',
  'scale',
  'precision',
  'fieldId',
] as const;

/** The first difference between two schemas, in words, or undefined when they are identical. */
export function schemaDifference(a: ParquetFooter, b: ParquetFooter): string | undefined {
  const paths = elementPaths(a.schema);
  const n = Math.min(a.schema.length, b.schema.length);
  for (let i = 0; i < n; i++) {
    const x = a.schema[i] as FooterSchemaElement;
    const y = b.schema[i] as FooterSchemaElement;
    if (same(x.encoded, y.encoded)) continue;
    const at = paths[i] ?? `element ${i}`;
    for (const k of ELEMENT_FIELDS) {
      if (x[k] !== y[k]) return `${at}: ${k} ${String(x[k])} vs ${String(y[k])}`;
    }
    return `${at}: logical type or another field of the schema element differs`;
  }
  if (a.schema.length !== b.schema.length)
    return `${a.schema.length} schema elements vs ${b.schema.length} (first extra: ${
      (a.schema.length > b.schema.length ? a.schema[n] : b.schema[n])?.name ?? '?'
    })`;
  const orders = (f: ParquetFooter): Uint8Array | undefined => {
    const node = field(f.thrift, 7);
    return node === undefined ? undefined : encodeTree([[7, node]]);
  };
  if (!same(orders(a), orders(b))) return 'column_orders differ';
  return undefined;
}

function metadataDifference(a: ParquetFooter, b: ParquetFooter): string | undefined {
  if (a.version !== b.version) return `version ${a.version} vs ${b.version}`;
  if (a.createdBy !== b.createdBy)
    return `created_by ${JSON.stringify(a.createdBy)} vs ${JSON.stringify(b.createdBy)}`;
  const n = Math.max(a.keyValueMetadata.length, b.keyValueMetadata.length);
  for (let i = 0; i < n; i++) {
    const x = a.keyValueMetadata[i];
    const y = b.keyValueMetadata[i];
    if (x?.key !== y?.key || x?.value !== y?.value)
      return `key/value metadata entry ${i}: ${JSON.stringify(x?.key ?? null)} vs ${JSON.stringify(y?.key ?? null)}${
        x?.key === y?.key ? ' (values differ)' : ''
      }`;
  }
  return undefined;
}

function shifted(s: TStruct, ids: readonly number[], by: number): TStruct {
  const changes: Record<number, TNode> = {};
  for (const id of ids) {
    const n = field(s, id);
    // Offset 0 is the header magic, never a page: some writers store 0 for "none", which must stay 0.
    if (n?.t === 'i64' && n.v > 0n) changes[id] = { t: 'i64', v: n.v + BigInt(by) };
  }
  return withFields(s, changes);
}

/**
 * The bytes Z that turn `part1 ‖ part2 ‖ … ‖ partN` (each file's unchanged bytes) into one Parquet file with
 * every row group of every part, in order: the first part's FileMetaData with num_rows summed and the row
 * groups of all parts, each column chunk's offsets shifted by its part's start; then the footer length and
 * `PAR1`.
 *
 * The parts must agree exactly on the schema (SCHEMA_MISMATCH naming the first difference otherwise) and on
 * version, created_by and key/value metadata (METADATA_MISMATCH): the result carries one copy of each, so a
 * difference would silently misdescribe some rows. Refuses (UNSUPPORTED) encrypted parts, chunks in other
 * files and offset indexes (their page locations are absolute offsets inside the data, which Z cannot shift).
 */
export function concatFooter(parts: readonly ConcatPart[]): Uint8Array {
  const first = parts[0];
  if (first === undefined)
    throw new ParquetError('OPTION_INVALID', 'concatFooter needs at least one part', {
      context: { option: 'parts' },
    });
  const rowGroups: TNode[] = [];
  let start = 0;
  let numRows = 0;
  parts.forEach((part, p) => {
    const f = part.footer;
    if (part.length !== f.fileLength)
      throw new ParquetError(
        'OPTION_INVALID',
        `part ${p}: length ${part.length} but its footer was read from a file of ${f.fileLength} bytes`,
        { context: { option: `parts[${p}].length`, part: p } },
      );
    checkRewritable(f);
    const schemaDiff = schemaDifference(first.footer, f);
    if (schemaDiff !== undefined)
      throw new ParquetError('SCHEMA_MISMATCH', `part ${p} has another schema than part 0: ${schemaDiff}`, {
        context: { part: p },
      });
    const metaDiff = metadataDifference(first.footer, f);
    if (metaDiff !== undefined)
      throw new ParquetError('METADATA_MISMATCH', `part ${p} differs from part 0: ${metaDiff}`, {
        context: { part: p },
      });
    f.rowGroups.forEach((g, gi) => {
      g.columns.forEach((c) => {
        const column = columnName(c.path);
        if (c.filePath !== undefined)
          throw new ParquetError('UNSUPPORTED', `part ${p}: column ${column} lives in another file`, {
            context: { column, part: p },
          });
        if (c.offsetIndexOffset !== undefined)
          throw new ParquetError('UNSUPPORTED', `part ${p}: column ${column} has an offset index`, {
            context: { column, part: p },
          });
      });
      const rg = rowGroupTree(f, gi);
      const chunks = chunkTrees(rg).map((cc) => {
        const md = field(cc, 3);
        const moved = shifted(cc, [2, 4, 6], start);
        return t.struct(
          md?.t === 'struct'
            ? withFields(moved, { 3: t.struct(shifted(md.v, [9, 10, 11, 14], start)) })
            : moved,
        );
      });
      const ordinal = field(rg, 7);
      rowGroups.push(
        t.struct(
          withFields(shifted(rg, [5], start), {
            1: t.list(12, chunks),
            ...(ordinal === undefined ? {} : { 7: { t: 'i16', v: rowGroups.length } }),
          }),
        ),
      );
    });
    numRows += f.numRows;
    start += part.length;
  });
  if (!Number.isSafeInteger(numRows) || !Number.isSafeInteger(start))
    throw new ParquetError('OPTION_INVALID', 'the parts add up to more than 2^53 rows or bytes', {
      context: { option: 'parts' },
    });
  const meta = encodeTree(
    withFields(first.footer.thrift, {
      3: t.i64(numRows),
      4: t.list(12, rowGroups),
    }),
  );
  const z = Buffer.alloc(meta.length + 8);
  z.set(meta, 0);
  z.writeUInt32LE(meta.length, meta.length);
  z.write('PAR1', meta.length + 4, 'latin1');
  return z;
}

/** The parts followed by their concatFooter(): one Parquet file in memory (for local storage and tests). */
export function concatFiles(files: readonly Uint8Array[]): Uint8Array {
  const parts = files.map((file) => ({ footer: footerOf(file), length: file.byteLength }));
  const z = concatFooter(parts);
  return Buffer.concat([...files, z]);
}
