// Test support: a schema with every shape the sink writes (optional records, lists of records, maps, one-ofs,
// INT96) plus seeded random rows for it, files written from them, and DuckDB as the independent reader.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createParquetWriter } from '../src/index.ts';
import type { Compression, ParquetFieldSpec } from '../src/index.ts';
import { rng } from './rng.ts';
import { p, STRING } from './shapes.ts';

export { STRING };

export const FIELDS: ParquetFieldSpec[] = [
  { name: 'id', shape: p('INT64') },
  { name: 'event_id', shape: STRING },
  { name: 'n', optional: true, shape: p('INT32') },
  { name: 'flag', shape: p('BOOLEAN') },
  { name: 'score', optional: true, shape: p('DOUBLE') },
  { name: 'ts96', optional: true, shape: p('INT96', { unit: 'MILLIS' }) },
  { name: 'hash', optional: true, shape: p('FIXED_LEN_BYTE_ARRAY', { typeLength: 4 }) },
  { name: 'tags', shape: { kind: 'list', element: STRING, optionalElements: true } },
  {
    name: 'viewability',
    optional: true,
    shape: {
      kind: 'list',
      element: {
        kind: 'group',
        fields: [
          { name: 'vendor', optional: true, shape: STRING },
          { name: 'ms', shape: p('INT64') },
        ],
      },
    },
  },
  { name: 'attrs', shape: { kind: 'map', value: STRING, optionalValues: true } },
  {
    name: 'device',
    optional: true,
    shape: {
      kind: 'group',
      fields: [
        { name: 'os', shape: STRING },
        {
          name: 'geo',
          optional: true,
          shape: { kind: 'group', fields: [{ name: 'lat', optional: true, shape: p('FLOAT') }] },
        },
      ],
    },
  },
  {
    name: 'payload',
    optional: true,
    shape: {
      kind: 'oneOf',
      members: [
        { name: 'member0', shape: p('INT32') },
        { name: 'member1', shape: STRING },
      ],
      select: (v) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : -1),
      expected: 'int | string',
    },
  },
  { name: 'matrix', shape: { kind: 'list', element: { kind: 'list', element: p('INT32') } } },
];

export type Row = Record<string, unknown>;

export function randomRows(count: number, seed: number): Row[] {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const maybe = <T>(v: () => T, pNull = 0.3): T | null => (r() < pNull ? null : v());
  const word = (): string =>
    ['iOS', 'Android', 'rock', 'jazz', '', 'héllo ✓', 'x'.repeat(int(0, 40))][int(0, 6)] as string;
  return Array.from({ length: count }, (_, i) => ({
    id: BigInt(i) * 1_000_000_007n - 5n,
    event_id: `e-${seed}-${i}-${word()}`,
    n: maybe(() => int(-2147483648, 2147483647)),
    flag: r() < 0.5,
    score: maybe(() => [0, -0, NaN, Infinity, r() * 1e6 - 5e5][int(0, 4)] as number),
    ts96: maybe(() => 1_795_000_000_000 + int(-1e9, 1e9)),
    hash: maybe(() => Buffer.from([int(0, 255), int(0, 255), int(0, 255), int(0, 255)])),
    tags: Array.from({ length: int(0, 4) }, () => maybe(word, 0.2)),
    viewability: maybe(() =>
      Array.from({ length: int(0, 3) }, () => ({ vendor: maybe(word), ms: int(0, 1e6) })),
    ),
    attrs: Object.fromEntries(Array.from({ length: int(0, 3) }, (_, k) => [`k${k}${word()}`, maybe(word)])),
    device: maybe(() => ({ os: word(), geo: maybe(() => ({ lat: maybe(() => r() * 180 - 90) })) })),
    payload: maybe(() => (r() < 0.5 ? int(-100, 100) : word())),
    matrix: Array.from({ length: int(0, 2) }, () => Array.from({ length: int(0, 3) }, () => int(0, 9))),
  }));
}

export function writeRows(
  rows: readonly Row[],
  options: {
    compression?: Compression;
    rowGroupRows?: number;
    pageSizeBytes?: number;
    metadata?: { key: string; value: string }[];
  } = {},
  fields: ParquetFieldSpec[] = FIELDS,
): Uint8Array {
  const w = createParquetWriter({
    schema: { name: 'com.example.Surgery', fields },
    metadata: [{ key: 'origin', value: 'fixtures.ts' }],
    ...options,
  });
  for (const row of rows) w.append(row);
  return w.finish();
}

/** DuckDB in memory, reading files written to a temporary folder. */
export class Duck {
  private readonly dir = mkdtempSync(join(tmpdir(), 'adlake-parquet-surgery-'));
  private seq = 0;
  private db: DuckDBInstance | undefined;
  private conn: DuckDBConnection | undefined;
  async open(): Promise<void> {
    this.db = await DuckDBInstance.create(':memory:');
    this.conn = await this.db.connect();
  }
  close(): void {
    this.conn?.closeSync();
    this.db?.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
  save(bytes: Uint8Array): string {
    const path = join(this.dir, `f${++this.seq}.parquet`);
    writeFileSync(path, bytes);
    return path;
  }
  /** Every row of a file, in file order, as DuckDB's JSON form. */
  async rows(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
    const reader = await (this.conn as DuckDBConnection).runAndReadAll(
      `SELECT * FROM read_parquet('${this.save(bytes)}')`,
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }
  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await (this.conn as DuckDBConnection).runAndReadAll(sql)).getRowObjectsJson() as Record<
      string,
      unknown
    >[];
  }
}

/** xs[i], failing the test when it is missing. */
export function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}
