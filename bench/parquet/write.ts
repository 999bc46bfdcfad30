// Parquet writer benchmark: the same AdImpression events (decoded by avsc, as the sink sees them) written
// with snappy by each candidate, each in its own child process so peak RSS is its own. Reports rows/s,
// rows per CPU-second, peak RSS and file size, and checks every file by counting its rows with DuckDB.
//
//   node bench/parquet/write.ts [--rows 1000000] [--candidates adlake,hyparquet-writer,parquetjs-lite]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AdImpression } from '@adlake/events';
import type { ParquetField } from '@adlake/parquet';
import { createParquetFileWriter } from '@adlake/sink';
import { randomValueFactory } from '../../libs/sink/test/format/fixtures.ts';

const require = createRequire(import.meta.url);
const SELF = fileURLToPath(import.meta.url);
const CANDIDATES = [
  'adlake',
  'hyparquet-writer',
  'hyparquet-writer+native-snappy',
  'parquetjs-lite',
] as const;
type Candidate = (typeof CANDIDATES)[number];
const POOL = 20_000;
const ROW_GROUP_ROWS = 100_000;
const TOPIC = 'adserver.impressions';

interface Result {
  candidate: Candidate;
  rows: number;
  wallSeconds: number;
  cpuSeconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
  fileBytes: number;
  file: string;
}

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    candidates: { type: 'string', default: CANDIDATES.join(',') },
    child: { type: 'string' },
    out: { type: 'string' },
  },
});
const rows = Number(args.rows);
if (!Number.isSafeInteger(rows) || rows <= 0)
  throw new Error(`--rows must be a positive integer, got ${args.rows}`);

if (args.child !== undefined) {
  const result = await runCandidate(
    args.child as Candidate,
    rows,
    args.out ?? join(tmpdir(), 'bench.parquet'),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const wanted = (args.candidates ?? '').split(',').filter((c) => c !== '') as Candidate[];
  for (const c of wanted)
    if (!CANDIDATES.includes(c)) throw new Error(`unknown candidate ${c}; known: ${CANDIDATES.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-parquet-'));
  console.log(
    `Parquet write benchmark: ${rows.toLocaleString('en-US')} AdImpression rows (pool of ${POOL} decoded events), snappy, ${ROW_GROUP_ROWS.toLocaleString('en-US')} rows per row group, node ${process.version}`,
  );
  const results: (Result & { readBack: string })[] = [];
  try {
    for (const candidate of wanted) {
      const file = join(dir, `${candidate}.parquet`);
      const child = spawnSync(
        process.execPath,
        [SELF, '--child', candidate, '--rows', String(rows), '--out', file],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      );
      if (child.status !== 0) {
        console.log(`${candidate}: FAILED (exit ${child.status})\n${child.stderr}`);
        continue;
      }
      const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Result;
      results.push({ ...result, readBack: await readBack(file) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = [
    'candidate',
    'rows/s',
    'rows/CPU-s',
    'wall s',
    'CPU s',
    'RSS before MB',
    'peak RSS MB',
    'file MB',
    'DuckDB read-back',
  ];
  const table = results.map((r) => [
    r.candidate,
    Math.round(r.rows / r.wallSeconds).toLocaleString('en-US'),
    Math.round(r.rows / r.cpuSeconds).toLocaleString('en-US'),
    r.wallSeconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    r.rssBeforeMb.toFixed(0),
    r.peakRssMb.toFixed(0),
    (r.fileBytes / 1e6).toFixed(1),
    r.readBack,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
}

async function readBack(file: string): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(
      `select count(*)::BIGINT as n, sum(len(viewability))::BIGINT as v, count(geo)::BIGINT as g from read_parquet('${file}')`,
    );
    const row = r.getRowObjectsJson()[0] ?? {};
    return `${String(row['n'])} rows, ${String(row['v'])} viewability, ${String(row['g'])} geo`;
  } catch (error) {
    return `ERROR ${(error as Error).message.split('\n')[0] ?? ''}`;
  } finally {
    conn.closeSync();
  }
}

function lineage(i: number): { topic: string; partition: number; offset: number; timestamp: number } {
  return { topic: TOPIC, partition: 0, offset: i, timestamp: 1_795_000_000_000 + i };
}

async function runCandidate(candidate: Candidate, n: number, out: string): Promise<Result> {
  const gen = randomValueFactory(AdImpression.schema, 42, { longPool: 5000 });
  // Values exactly as the sink gets them: encoded by the SDK, decoded by avsc.
  const pool = Array.from({ length: POOL }, () => AdImpression.decode(AdImpression.encode(gen() as never)));
  const write = await prepare(candidate);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await write(pool, n);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS * 1024;
  writeFileSync(out, bytes);
  return {
    candidate,
    rows: n,
    wallSeconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMb: rssBefore / 1e6,
    peakRssMb: peak / 1e6,
    fileBytes: bytes.length,
    file: out,
  };
}

type WriteFn = (pool: readonly unknown[], n: number) => Promise<Uint8Array>;

async function prepare(candidate: Candidate): Promise<WriteFn> {
  switch (candidate) {
    case 'adlake':
      return async (pool, n) => {
        const w = createParquetFileWriter({
          avroSchema: AdImpression.schema,
          compression: 'snappy',
          rowGroupRows: ROW_GROUP_ROWS,
        });
        for (let i = 0; i < n; i++) w.append(pool[i % pool.length], lineage(i));
        return w.finish();
      };
    case 'hyparquet-writer':
    case 'hyparquet-writer+native-snappy':
      return hyparquet(candidate === 'hyparquet-writer+native-snappy');
    case 'parquetjs-lite':
      return parquetjsLite();
  }
}

/** hyparquet-writer takes columns: buffer a row group's worth of top-level values, then write it. */
async function hyparquet(nativeSnappy: boolean): Promise<WriteFn> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  const { compressSync } = require('snappy') as { compressSync: (b: Uint8Array) => Uint8Array };
  const schema = createParquetFileWriter({ avroSchema: AdImpression.schema }).schema;
  const elements: Record<string, unknown>[] = [{ name: 'root', num_children: schema.fields.length }];
  const add = (f: ParquetField): void => {
    const e: Record<string, unknown> = { name: f.name, repetition_type: f.repetition };
    if (f.type !== undefined) e['type'] = f.type;
    if (f.typeLength !== undefined) e['type_length'] = f.typeLength;
    if (f.children !== undefined) e['num_children'] = f.children.length;
    const lt = f.logicalType;
    if (lt?.type === 'STRING') e['converted_type'] = 'UTF8';
    if (lt?.type === 'LIST' || lt?.type === 'MAP') e['converted_type'] = lt.type;
    if (lt?.type === 'DATE') e['converted_type'] = 'DATE';
    if (lt?.type === 'TIMESTAMP') e['converted_type'] = 'TIMESTAMP_MILLIS';
    if (lt?.type === 'DECIMAL')
      Object.assign(e, { converted_type: 'DECIMAL', precision: lt.precision, scale: lt.scale });
    elements.push(e);
    for (const c of f.children ?? []) add(c);
  };
  for (const f of schema.fields) add(f);
  const names = schema.fields.map((f) => f.name);
  const fields = schema.fields;
  return async (pool, n) => {
    const writer = new ByteWriter();
    const pw = new ParquetWriter({
      writer,
      schema: elements as never,
      codec: 'SNAPPY',
      ...(nativeSnappy ? { compressors: { SNAPPY: compressSync } } : {}),
    });
    for (let start = 0; start < n; start += ROW_GROUP_ROWS) {
      const count = Math.min(ROW_GROUP_ROWS, n - start);
      const columns = names.map(() => new Array<unknown>(count));
      for (let k = 0; k < count; k++) {
        const i = start + k;
        const v = pool[i % pool.length] as Record<string, unknown>;
        const lin = lineage(i);
        for (let c = 0; c < names.length; c++) {
          const name = names[c] as string;
          let x: unknown;
          if (name === '_kafka_topic') x = lin.topic;
          else if (name === '_kafka_partition') x = lin.partition;
          else if (name === '_kafka_offset') x = BigInt(lin.offset);
          else if (name === '_kafka_timestamp') x = new Date(lin.timestamp);
          else x = toHyparquet(fields[c] as ParquetField, v[name]);
          (columns[c] as unknown[])[k] = x;
        }
      }
      pw.write({
        columnData: names.map((name, c) => ({ name, data: columns[c] as unknown[] })),
        rowGroupSize: count,
      });
    }
    pw.finish();
    return new Uint8Array(writer.getBuffer());
  };
}

/** hyparquet-writer wants bigint for every INT64 (avsc gives numbers and Dates) and numbers for dates. */
function toHyparquet(f: ParquetField, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  const lt = f.logicalType;
  if (f.children !== undefined) {
    if (lt?.type === 'LIST') {
      const element = f.children[0]?.children?.[0] as ParquetField;
      return (v as unknown[]).map((x) => toHyparquet(element, x));
    }
    if (lt?.type === 'MAP') {
      const value = f.children[0]?.children?.[1] as ParquetField;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toHyparquet(value, x);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const c of f.children) out[c.name] = toHyparquet(c, (v as Record<string, unknown>)[c.name]);
    return out;
  }
  if (lt?.type === 'DECIMAL') return BigInt(String(v).replace('.', ''));
  if (f.type === 'INT64') return BigInt(v instanceof Date ? v.getTime() : (v as number));
  if (lt?.type === 'DATE' && v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
  return v;
}

/** The design's baseline: row-at-a-time async appends; maps as repeated key/value groups, decimal as text. */
async function parquetjsLite(): Promise<WriteFn> {
  const parquet = require('parquetjs-lite') as {
    ParquetSchema: new (s: unknown) => unknown;
    ParquetWriter: {
      openStream(
        schema: unknown,
        out: Writable,
        opts: unknown,
      ): Promise<{ appendRow(r: unknown): Promise<void>; close(): Promise<void> }>;
    };
  };
  const s = (type: string, optional = false): Record<string, unknown> => ({
    type,
    optional,
    compression: 'SNAPPY',
  });
  const schema = new parquet.ParquetSchema({
    event_id: s('UTF8'),
    event_time: s('TIMESTAMP_MILLIS'),
    billing_date: s('DATE'),
    request_id: s('UTF8'),
    ad_id: s('INT64'),
    campaign_id: s('INT64'),
    creative_id: s('INT64'),
    advertiser_id: s('INT64'),
    placement: s('UTF8'),
    device: {
      fields: {
        device_type: s('UTF8'),
        os: s('UTF8'),
        os_version: s('UTF8', true),
        app_version: s('UTF8', true),
        user_agent: s('UTF8', true),
        advertising_id: s('UTF8', true),
        ip_hash: s('BYTE_ARRAY', true),
        limit_ad_tracking: s('BOOLEAN'),
      },
    },
    geo: {
      optional: true,
      fields: {
        country: s('UTF8'),
        region: s('UTF8', true),
        city: s('UTF8', true),
        postal_code: s('UTF8', true),
        dma_code: s('INT32', true),
        latitude: s('DOUBLE', true),
        longitude: s('DOUBLE', true),
      },
    },
    price_micros: s('INT64'),
    currency: s('UTF8'),
    fx_rate_to_usd: s('UTF8', true),
    segment_ids: { ...s('INT64'), repeated: true },
    viewability: {
      repeated: true,
      fields: {
        measured_at: s('TIMESTAMP_MILLIS'),
        visible_percent: s('INT32'),
        in_view_ms: s('INT32'),
        vendor: s('UTF8', true),
      },
    },
    attributes: { repeated: true, fields: { key: s('UTF8'), value: s('UTF8') } },
    is_test: s('BOOLEAN'),
    _kafka_topic: s('UTF8'),
    _kafka_partition: s('INT32'),
    _kafka_offset: s('INT64'),
    _kafka_timestamp: s('TIMESTAMP_MILLIS', true),
  });
  return async (pool, n) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const w = await parquet.ParquetWriter.openStream(schema, sink, { rowGroupSize: ROW_GROUP_ROWS });
    for (let i = 0; i < n; i++) {
      const v = pool[i % pool.length] as Record<string, unknown>;
      const lin = lineage(i);
      const attributes = Object.entries(v['attributes'] as Record<string, string>).map(([key, value]) => ({
        key,
        value,
      }));
      await w.appendRow({
        ...v,
        attributes,
        _kafka_topic: lin.topic,
        _kafka_partition: lin.partition,
        _kafka_offset: lin.offset,
        _kafka_timestamp: new Date(lin.timestamp),
      });
    }
    await w.close();
    return Buffer.concat(chunks);
  };
}
