// Value-for-value fidelity with producers we did not write. Random valid values (fast-check, boundary values
// of every type mixed in) for a schema of every Avro type and for each product event are encoded by
// Confluent's Python serializer (fastavro inside) against the schemas the release step registered (with
// references), produced with each Kafka codec, written by the real sink to HDFS, and read back by DuckDB and
// by pyarrow: every field of every record must equal what was sent. The same records through the SDK's typed
// consumer come back equal or as a typed UNREPRESENTABLE naming the field, never as a different value. Rerun a
// failure with FIDELITY_SEED=<seed printed below>.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { createConsumer, createProducer, createRegistryClient, registerCompressionCodecs } from '@adlake/sdk';
import { AdServerSimulator } from '@adlake/simulator';
import avro from 'avsc';
import type { DecodeErrorReport } from '@adlake/sdk';
import { readLedger, resolveAvroSchema } from '@adlake/sink';
import type { AvroNode } from '@adlake/sink';
import fc from 'fast-check';
import { runPython, witnessPython } from '../support/python.ts';
import {
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  kafkaClient,
  sinkEnv,
  stack,
  startSink,
} from '../support/sink-harness.ts';
import type { SinkProcess } from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';
import {
  arbitrary,
  Branch,
  canonical,
  Decimal,
  duckdbExpression,
  fromDuckdb,
  toPythonTyped,
} from './values.ts';
import type { Canonical, Model } from './values.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIDELITY_SCHEMAS = fileURLToPath(new URL('./schemas', import.meta.url));
const GENERATED = fileURLToPath(new URL('./generated/', import.meta.url));
const ALL_TYPES_INDEX = join(GENERATED, 'com.acme.fidelity', 'index.ts');
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const PER_CODEC = Number(process.env['FIDELITY_PER_CODEC'] ?? 30);
const SEED = Number(process.env['FIDELITY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

const run = uniqueName('fid');
const root = `/data/lake/test/${run}`;
const dlq = `${run}.dlq`;
const poison = `${run}.poison`;
const storage = hdfsStorage();

interface Case {
  topic: string;
  classTopic: string;
  subject: string;
  schema: unknown;
  values: Model[];
}
const cases: Case[] = [];
let sink: SinkProcess | undefined;

function cli(args: string[]): string {
  const result = spawnSync(process.execPath, [join(REPO, 'apps/avro-gov/src/main.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `avro-gov ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

before(async () => {
  console.log(`fidelity seed ${SEED} (rerun with FIDELITY_SEED=${SEED})`);
  witnessPython();
  registerCompressionCodecs();
  // The test schema's classes (bigint longs, for the typed consumer; the sink reads losslessly anyway), and
  // the registrations the release step makes: product events with references, the test schema beside them.
  rmSync(GENERATED, { recursive: true, force: true });
  cli(['generate', '--schemas', FIDELITY_SCHEMAS, '--out', GENERATED, '--longs', 'bigint']);
  const manifests = mkdtempSync(join(tmpdir(), 'adlake-fidelity-'));
  cli(['register', '--registry-url', stack.registryUrl, '--manifest', join(manifests, 'events.json')]);
  cli([
    'register',
    '--schemas',
    FIDELITY_SCHEMAS,
    '--registry-url',
    stack.registryUrl,
    '--manifest',
    join(manifests, 'fidelity.json'),
  ]);
  rmSync(manifests, { recursive: true, force: true });

  const { AllTypes } = (await import(ALL_TYPES_INDEX)) as { AllTypes: typeof AdImpression };
  const classes = [
    [AllTypes, 4],
    [AdImpression, 1],
    [AdClick, 1],
    [AdEngagement, 1],
  ] as const;
  let seed = SEED;
  for (const [cls, weight] of classes) {
    const values = fc.sample(arbitrary(cls.schema), {
      seed: seed++,
      numRuns: PER_CODEC * CODECS.length * weight,
    });
    cases.push({
      topic: `${run}.${cls.topic}`,
      classTopic: cls.topic as string,
      subject: cls.subject,
      schema: cls.schema,
      values,
    });
  }
  for (const c of cases) await createTopic(c.topic, 1);
  await createTopic(dlq, 1);
  await createTopic(poison, 1);
  await producePoison();

  // One codec per slice of each topic, produced in order: record i is at offset i.
  for (const c of cases) {
    const slice = c.values.length / CODECS.length;
    for (const [k, codec] of CODECS.entries()) {
      const records = c.values.slice(k * slice, (k + 1) * slice).map((v) => toPythonTyped(c.schema, v));
      const job = {
        bootstrap: stack.kafkaBrokers.join(','),
        registry_url: stack.registryUrl,
        topic: c.topic,
        subject: c.subject,
        compression: codec,
        records,
      };
      await runPython('produce.py', [], JSON.stringify(job));
    }
  }

  sink = startSink(
    'run',
    sinkEnv({
      ADLAKE_SINK_TOPICS: [...cases.map((c) => c.topic), poison].join(','),
      ADLAKE_SINK_TOPIC_CLASSES: [
        ...cases.map((c) => `${c.topic}=${c.classTopic}`),
        `${poison}=adserver.impressions`,
      ].join(','),
      ADLAKE_SINK_EVENT_MODULES: `@adlake/events,${ALL_TYPES_INDEX}`,
      ADLAKE_SINK_OUTPUT_ROOT: root,
      ADLAKE_SINK_KAFKA_GROUP_ID: `${run}-sink`,
      ADLAKE_SINK_DLQ_TOPIC: dlq,
      ADLAKE_SINK_ROTATION_INTERVAL_MS: '1500',
    }),
  );
  const deadline = Date.now() + 180_000;
  for (const c of cases) {
    const high = (await highWatermarks(c.topic)).get(0) ?? 0;
    assert.equal(high, c.values.length, `${c.topic}: every record produced`);
    for (;;) {
      const next = (await readLedger(storage, root, c.topic, 0)).at(-1)?.nextOffset ?? 0;
      if (next >= high) break;
      assert.ok(
        Date.now() < deadline,
        `${c.topic} not committed in time:\n${sink.output.join('').slice(-4000)}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});

after(async () => {
  if (sink !== undefined) {
    sink.child.kill('SIGTERM');
    await sink.exited;
  }
  for (const c of cases) await deleteTopic(c.topic).catch(() => undefined);
  await deleteTopic(dlq).catch(() => undefined);
  await deleteTopic(poison).catch(() => undefined);
  await storage.delete(root, { recursive: true }).catch(() => false);
});

/** The four kinds of record that truly cannot be decoded, in this order, at offsets 0 to 3 of `poison`. */
const POISON_CODES = ['NOT_WIRE_FORMAT', 'UNKNOWN_SCHEMA_ID', 'TRUNCATED', 'INCOMPATIBLE_WRITER'];

async function producePoison(): Promise<void> {
  const frame = (id: number, body: Buffer, magic = 0): Buffer => {
    const header = Buffer.alloc(5);
    header[0] = magic;
    header.writeUInt32BE(id, 1);
    return Buffer.concat([header, body]);
  };
  const sdk = createProducer({ kafka: kafkaClient(), registry: { url: stack.registryUrl } });
  const id = await sdk.schemaId(AdImpression);
  const sim = new AdServerSimulator({ seed: SEED, days: 1, now: Date.now() });
  let e = sim.next();
  while (e.kind !== 'impression') e = sim.next();
  const body = AdImpression.encode(e.value as never);
  // A writer with the event's name whose event_id is an int: no reader of the real event can resolve it.
  const incompatible = {
    type: 'record',
    name: 'AdImpression',
    namespace: 'com.acme.adserver',
    fields: [{ name: 'event_id', type: 'int' }],
  };
  const incompatibleId = await createRegistryClient({ url: stack.registryUrl }).register(
    `${poison}-incompatible`,
    JSON.stringify(incompatible),
  );
  const raw = kafkaClient().producer();
  await raw.connect();
  await raw.send({
    topic: poison,
    messages: [
      { value: frame(id, body, 1) },
      { value: frame(2_000_000_000, body) },
      { value: frame(id, body.subarray(0, Math.floor(body.length / 2))) },
      {
        value: frame(
          incompatibleId,
          avro.Type.forSchema(incompatible as avro.Schema).toBuffer({ event_id: 7 }),
        ),
      },
    ],
  });
  await raw.disconnect();
}

async function committedFiles(topic: string): Promise<string[]> {
  const ledger = await readLedger(storage, root, topic, 0);
  assert.ok(
    ledger.every((e) => e.deadLettered.length === 0),
    `${topic}: nothing dead-lettered`,
  );
  return ledger.flatMap((e) => e.files.map((f) => f.path));
}

/** The first differing field, named by its path, or undefined when equal. */
function difference(expected: Canonical, actual: unknown, path = ''): string | undefined {
  if (expected === null || typeof expected !== 'object') {
    return expected === actual
      ? undefined
      : `${path || '<root>'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (actual === null || typeof actual !== 'object') {
    return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const k of keys) {
    const d = difference(
      (expected as Record<string, Canonical>)[k] ?? null,
      (actual as Record<string, unknown>)[k] ?? null,
      Array.isArray(expected) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`,
    );
    if (d !== undefined) return d;
  }
  return undefined;
}

function assertSameRows(reader: string, c: Case, rows: Map<number, Record<string, unknown>>): void {
  assert.equal(rows.size, c.values.length, `${reader}: ${c.topic} row count`);
  const node = resolveAvroSchema(c.schema);
  const fields = node.kind === 'record' ? node.fields.map((f) => f.name) : [];
  c.values.forEach((value, offset) => {
    const row = rows.get(offset);
    assert.ok(row !== undefined, `${reader}: ${c.topic} offset ${offset} missing`);
    const expected = canonical(c.schema, value) as Record<string, Canonical>;
    const actual = Object.fromEntries(fields.map((f) => [f, row[f]]));
    const d = difference(expected, actual);
    assert.equal(d, undefined, `${reader}: ${c.topic} offset ${offset} (seed ${SEED}): ${d}`);
  });
}

test('DuckDB reads back every field of every record exactly as Confluent’s serializer sent it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'adlake-fidelity-duckdb-'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const c of cases) {
      const paths: string[] = [];
      for (const [i, file] of (await committedFiles(c.topic)).entries()) {
        const local = join(dir, `${c.topic}-${i}.parquet`);
        writeFileSync(local, await storage.read(file));
        paths.push(`'${local}'`);
      }
      const node = resolveAvroSchema(c.schema) as Extract<AvroNode, { kind: 'record' }>;
      const select = node.fields.map((f) => `${duckdbExpression(f.type, `"${f.name}"`)} AS "${f.name}"`);
      const reader = await conn.runAndReadAll(
        `SELECT _kafka_offset::VARCHAR AS _o, ${select.join(', ')} FROM read_parquet([${paths.join(', ')}])`,
      );
      const rows = new Map<number, Record<string, unknown>>();
      for (const r of reader.getRowObjectsJS()) {
        const row: Record<string, unknown> = {};
        for (const f of node.fields) row[f.name] = fromDuckdb(f.type, r[f.name]);
        rows.set(Number(r['_o']), row);
      }
      assertSameRows('DuckDB', c, rows);
    }
  } finally {
    conn.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pyarrow reads back every field of every record exactly as sent', async () => {
  for (const c of cases) {
    const out = await runPython('read_parquet.py', [
      stack.webhdfsUrl,
      stack.hdfsUser,
      ...(await committedFiles(c.topic)),
    ]);
    const rows = new Map<number, Record<string, unknown>>();
    for (const line of out.split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as Record<string, unknown>;
      rows.set(Number(row['_kafka_offset']), row);
    }
    assertSameRows('pyarrow', c, rows);
  }
});

test('the dead-letter topic holds exactly the undecodable records, each with its code; no boundary value', async () => {
  const consumer = kafkaClient().consumer({ groupId: `${run}-dlq-reader` });
  await consumer.connect();
  await consumer.subscribe({ topics: [dlq], fromBeginning: true });
  const letters: string[][] = [];
  const expected = await highWatermarks(dlq);
  await new Promise<void>((resolve) => {
    setTimeout(resolve, 60_000).unref();
    void consumer.run({
      eachMessage: async ({ message }) => {
        const h = (k: string): string => String(message.headers?.[k] ?? '');
        letters.push([
          h('adlake.dlq.origin.topic'),
          h('adlake.dlq.origin.offset'),
          h('adlake.dlq.error-code'),
        ]);
        if (letters.length === expected.get(0)) resolve();
      },
    });
  });
  await consumer.disconnect();
  assert.deepEqual(
    letters.sort((a, b) => Number(a[1]) - Number(b[1])),
    POISON_CODES.map((code, offset) => [poison, String(offset), code]),
  );
});

/** The canonical form of a value decoded by a generated class with bigint longs (wrapUnions 'auto'). */
function fromClass(node: AvroNode, v: unknown): Canonical {
  if (v === null || v === undefined) return null;
  switch (node.kind) {
    case 'primitive':
      if (v instanceof Date) {
        return String(node.logical?.name === 'date' ? v.getTime() / 86_400_000 : v.getTime());
      }
      if (node.logical?.name === 'decimal') return v as string;
      if (node.type === 'float' || node.type === 'double') return canonical(node.type, v as number) as string;
      if (typeof v === 'bigint' || typeof v === 'number') return String(v);
      if (Buffer.isBuffer(v)) return v.toString('hex');
      return v as string;
    case 'fixed':
      return node.logical?.name === 'decimal' ? (v as string) : (v as Buffer).toString('hex');
    case 'enum':
      return v as string;
    case 'array':
      return (v as unknown[]).map((x) => fromClass(node.items, x));
    case 'map':
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, fromClass(node.values, x)]));
    case 'record':
      return Object.fromEntries(
        node.fields.map((f) => [f.name, fromClass(f.type, (v as Record<string, unknown>)[f.name])]),
      );
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      if (nonNull.length === 1) return fromClass(nonNull[0] as AvroNode, v);
      // Unwrapped: the branch is the one whose JavaScript type the value has.
      const index = nonNull.findIndex((b) =>
        b.kind === 'primitive'
          ? b.type === 'long'
            ? typeof v === 'bigint'
            : b.type === 'string'
              ? typeof v === 'string'
              : typeof v === 'number'
          : typeof v === 'object',
      );
      return Object.fromEntries(nonNull.map((b, i) => [`member${i}`, i === index ? fromClass(b, v) : null]));
    }
  }
}

/** The generated value at a field path (`a.b[2]["k"]`), through union branches. */
function at(value: Model, field: string): Model | undefined {
  let v: Model | undefined = value;
  for (const part of field.match(/[^.[\]"]+/g) ?? []) {
    if (v instanceof Branch) {
      v = v.value;
      // A wrapped union's branch key (`multi.long`): the value is already that branch's.
      if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Decimal) continue;
    }
    v =
      v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Decimal)
        ? (v as Record<string, Model>)[part]
        : undefined;
  }
  return v instanceof Branch ? v.value : v;
}

/**
 * An UNREPRESENTABLE report is right when the value sent at its field is the one it names, and that value is
 * beyond what the class holds: a long beyond ±(2^53−1) in a number class, a timestamp or date beyond a Date.
 */
function rightlyRefused(value: Model, report: DecodeErrorReport): boolean {
  const m = /^(?:long|timestamp-millis|date) (-?\d+) is beyond/.exec(
    report.reason.slice(`${report.field}: `.length),
  );
  if (report.field === undefined || m === null) return false;
  const named = BigInt(m[1] as string);
  const sent = at(value, report.field);
  if (sent === undefined || sent === null || BigInt(sent as number | bigint) !== named) return false;
  const abs = named < 0n ? -named : named;
  if (report.reason.includes(': long ')) return abs > BigInt(Number.MAX_SAFE_INTEGER);
  if (report.reason.includes(': date ')) return abs * 86_400_000n > 8_640_000_000_000_000n;
  return abs > 8_640_000_000_000_000n;
}

test('the typed consumer gives the same values, or UNREPRESENTABLE naming the field, never another value', async () => {
  const { AllTypes } = (await import(ALL_TYPES_INDEX)) as { AllTypes: typeof AdImpression };
  // The test schema's class has bigint longs; the product classes number longs.
  const classes = [AllTypes, AdImpression, AdClick, AdEngagement];
  for (const [i, c] of cases.entries()) await typedConsumerCase(c, classes[i] as typeof AdImpression);
});

async function typedConsumerCase(c: Case, cls: typeof AdImpression): Promise<void> {
  const node = resolveAvroSchema(c.schema) as Extract<AvroNode, { kind: 'record' }>;
  const got = new Map<number, unknown>();
  const refused = new Map<number, DecodeErrorReport>();
  const consumer = createConsumer({
    kafka: kafkaClient(),
    registry: { url: stack.registryUrl },
    groupId: `${run}-typed-${c.classTopic}`,
    onDecodeError: (r) => refused.set(Number(r.offset), r),
  });
  consumer.subscribe(cls, (e) => void got.set(Number(e.offset), e.value), {
    topic: c.topic,
    fromBeginning: true,
  });
  const running = consumer.run();
  const deadline = Date.now() + 60_000;
  while (got.size + refused.size < c.values.length) {
    assert.ok(Date.now() < deadline, `typed consumer: ${got.size} + ${refused.size} of ${c.values.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await consumer.close();
  await running.catch(() => undefined);
  // With number longs, random 64-bit values make most product events unrepresentable: each refusal is checked.
  if (cls.longs === 'bigint') assert.ok(got.size > 0, `${c.topic}: some records are representable`);
  c.values.forEach((value, offset) => {
    const report = refused.get(offset);
    if (report !== undefined) {
      assert.equal(report.code, 'UNREPRESENTABLE', `${c.topic} offset ${offset}: ${report.reason}`);
      assert.equal(report.topic, c.topic);
      assert.ok(rightlyRefused(value, report), `${c.topic} offset ${offset}: ${report.reason}`);
      return;
    }
    const d = difference(canonical(c.schema, value), fromClass(node, got.get(offset)));
    assert.equal(d, undefined, `typed consumer ${c.topic} offset ${offset} (seed ${SEED}): ${d}`);
  });
}
