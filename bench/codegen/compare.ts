// Compares the two candidate generators for Avro → TypeScript on the same schemas: wall time, and whether the
// emitted types accept exactly what avsc hands back at runtime. Run: `node bench/codegen/compare.ts`.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compile } from 'json-schema-to-typescript';
import ts from 'typescript';
import { definitionName, referenceName } from '@adlake/avro';
import { generateTypeScript, writeGeneratedFiles } from '@adlake/codegen';
import { createType } from '@adlake/event-runtime';
import type { SchemaDocument } from '@adlake/codegen';

type JSONSchema4 = Parameters<typeof compile>[0];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'libs/codegen/test/fixtures');
const fixture = (path: string): unknown => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
type Json = Record<string, unknown>;

// --- Avro → JSON Schema, the first half of the json-schema-to-typescript route --------------------------------
// The closest honest JSON Schema for each Avro type. JSON Schema has no Buffer, bigint or Date, and no notion of
// avsc's union wrapping, so those land on their JSON encodings.
function toJsonSchema(root: unknown, lookup: (name: string) => unknown): JSONSchema4 {
  const definitions: Record<string, JSONSchema4> = {};
  // Names are read by docs/names.md, through @adlake/avro.
  const qualify = (name: string, ns: string): string => {
    const ref = referenceName(name, ns);
    if (!ref.ok) throw new Error(ref.message);
    return ref.fullname;
  };
  const defKey = (fullname: string): string => fullname.replace(/\./g, '_');
  const convert = (schema: unknown, ns: string): JSONSchema4 => {
    if (typeof schema === 'string') {
      switch (schema) {
        case 'null':
          return { type: 'null' };
        case 'boolean':
          return { type: 'boolean' };
        case 'int':
        case 'long':
          return { type: 'integer' };
        case 'float':
        case 'double':
          return { type: 'number' };
        case 'bytes':
        case 'string':
          return { type: 'string' };
        default: {
          const fullname = qualify(schema, ns);
          if (!definitions[defKey(fullname)]) convert(lookup(fullname), ns);
          return { $ref: `#/definitions/${defKey(fullname)}` };
        }
      }
    }
    if (Array.isArray(schema)) return { anyOf: schema.map((s) => convert(s, ns)) };
    const s = schema as Json;
    switch (s['type']) {
      case 'record':
      case 'enum':
      case 'fixed': {
        const def = definitionName(s['type'], s, ns);
        if (!def.ok) throw new Error(def.message);
        const { fullname, namespace: inner, name: title } = def;
        const key = defKey(fullname);
        if (s['type'] === 'enum') {
          definitions[key] = {
            title,
            enum: s['symbols'] as string[],
            description: s['doc'] as string | undefined,
          };
        } else if (s['type'] === 'fixed') {
          definitions[key] = { title, type: 'string', description: s['doc'] as string | undefined };
        } else {
          definitions[key] = { title, type: 'object' }; // placeholder for recursion
          const fields = s['fields'] as Json[];
          definitions[key] = {
            title,
            type: 'object',
            description: s['doc'] as string | undefined,
            additionalProperties: false,
            properties: Object.fromEntries(
              fields.map((f) => [
                f['name'],
                { ...convert(f['type'], inner), description: f['doc'] as string | undefined },
              ]),
            ),
            required: fields.filter((f) => !('default' in f)).map((f) => f['name'] as string),
          };
        }
        return { $ref: `#/definitions/${key}` };
      }
      case 'array':
        return { type: 'array', items: convert(s['items'], ns) };
      case 'map':
        return { type: 'object', additionalProperties: convert(s['values'], ns) };
      default:
        return convert(s['type'], ns);
    }
  };
  const top = convert(root, '') as { $ref: string };
  const key = top.$ref.slice('#/definitions/'.length);
  return { ...definitions[key], definitions };
}

// --- Schemas under test ---------------------------------------------------------------------------------------
const lookup = (name: string): unknown =>
  name === 'com.acme.adserver.common.Device' ? fixture('common/Device.avsc') : undefined;
const fixtures: SchemaDocument[] = [
  { file: 'AdImpression.avsc', json: fixture('AdImpression.avsc'), subject: 'adserver.ad-impression-value' },
  { file: 'AdClick.avsc', json: fixture('AdClick.avsc'), subject: 'adserver.ad-click-value' },
  { file: 'Category.avsc', json: fixture('Category.avsc'), subject: 'taxonomy.category-value' },
];
// 40 synthetic event schemas of 30 fields each, cycling through every Avro type, to get a measurable workload.
const FIELD_TYPES: unknown[] = [
  'int',
  'long',
  'float',
  'double',
  'string',
  'bytes',
  'boolean',
  ['null', 'string'],
  ['null', 'int', 'long'],
  { type: 'array', items: 'string' },
  { type: 'map', values: 'long' },
  { type: 'long', logicalType: 'timestamp-millis' },
  { type: 'int', logicalType: 'date' },
  { type: 'string', logicalType: 'uuid' },
  { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 },
  'com.acme.adserver.common.Device',
];
const synthetic: SchemaDocument[] = Array.from({ length: 40 }, (_, i) => ({
  file: `Synthetic${i}.avsc`,
  subject: `synthetic.event-${i}-value`,
  json: {
    type: 'record',
    name: `Synthetic${i}`,
    namespace: 'com.acme.bench',
    doc: `Synthetic event ${i}.`,
    fields: Array.from({ length: 30 }, (_, j) => ({
      name: `f${j}`,
      doc: `Field ${j}.`,
      type: FIELD_TYPES[j % FIELD_TYPES.length],
    })),
  },
}));
const schemas = [...fixtures, ...synthetic];

// --- Timing -----------------------------------------------------------------------------------------------------
async function time(label: string, runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  console.log(
    `${label.padEnd(64)} median ${median.toFixed(1).padStart(8)} ms  (${runs} runs, min ${samples[0]?.toFixed(1)} ms)`,
  );
  return median;
}

const jsttAll = (format: boolean) => () =>
  Promise.all(
    schemas.map((s) =>
      compile(toJsonSchema(s.json, lookup), s.file.replace('.avsc', ''), {
        bannerComment: '',
        format,
        additionalProperties: false,
      }),
    ),
  );

console.log(
  `Node ${process.version}; ${schemas.length} schemas (3 fixtures + ${synthetic.length} synthetic × 30 fields)\n`,
);
const direct = await time('direct generator (generateTypeScript, all schemas)', 20, async () =>
  generateTypeScript({ schemas, lookupNamedType: lookup }),
);
const jsttNoFormat = await time(
  'Avro→JSON Schema→json-schema-to-typescript, format:false',
  5,
  jsttAll(false),
);
const jsttFormat = await time(
  'Avro→JSON Schema→json-schema-to-typescript, default (prettier)',
  3,
  jsttAll(true),
);
console.log(
  `\njson-schema-to-typescript / direct: ${(jsttNoFormat / direct).toFixed(1)}× (format:false), ${(jsttFormat / direct).toFixed(1)}× (default)\n`,
);

// --- Correctness: does each generated field type accept what avsc returns, and reject what avsc rejects? --------
interface Probe {
  name: string;
  type: unknown;
  /** What avsc's decode returns (checked below), as a value and as TypeScript source. */
  runtime: unknown;
  runtimeTs: string;
  /** A value avsc's isValid rejects, as TypeScript source. */
  wrongTs: string;
  wrong: unknown;
}
const PROBES: Probe[] = [
  {
    name: 'bytes',
    type: 'bytes',
    runtime: Buffer.from([1]),
    runtimeTs: 'Buffer.from([1])',
    wrong: 'AQ==',
    wrongTs: "'AQ=='",
  },
  {
    name: 'fixed',
    type: { type: 'fixed', name: 'F2', size: 2 },
    runtime: Buffer.from([1, 2]),
    runtimeTs: 'Buffer.from([1, 2])',
    wrong: 'ab',
    wrongTs: "'ab'",
  },
  { name: 'long', type: 'long', runtime: 5, runtimeTs: '5', wrong: '5', wrongTs: "'5'" },
  {
    name: 'timestamp_millis',
    type: { type: 'long', logicalType: 'timestamp-millis' },
    runtime: new Date(5),
    runtimeTs: 'new Date(5)',
    wrong: 'x',
    wrongTs: "'x'",
  },
  {
    name: 'date',
    type: { type: 'int', logicalType: 'date' },
    runtime: new Date(0),
    runtimeTs: 'new Date(0)',
    wrong: 0.5,
    wrongTs: '0.5',
  },
  {
    name: 'decimal',
    type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 },
    runtime: '1.50',
    runtimeTs: "'1.50'",
    wrong: 1.5,
    wrongTs: '1.5',
  },
  { name: 'nullable', type: ['null', 'string'], runtime: null, runtimeTs: 'null', wrong: 1, wrongTs: '1' },
  {
    name: 'wrapped_numbers',
    type: ['null', 'int', 'long'],
    runtime: { long: 3 },
    runtimeTs: '{ long: 3 }',
    wrong: 3,
    wrongTs: '3',
  },
  {
    name: 'wrapped_records',
    type: [
      'null',
      { type: 'record', name: 'A', fields: [{ name: 'a', type: 'int' }] },
      { type: 'record', name: 'B', fields: [{ name: 'a', type: 'int' }] },
    ],
    runtime: { 'p.B': { a: 1 } },
    runtimeTs: "{ 'p.B': { a: 1 } }",
    wrong: { a: 1 },
    wrongTs: '{ a: 1 }',
  },
  {
    name: 'map',
    type: { type: 'map', values: 'int' },
    runtime: { k: 1 },
    runtimeTs: '{ k: 1 }',
    wrong: { k: 'v' },
    wrongTs: "{ k: 'v' }",
  },
  {
    name: 'enum',
    type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] },
    runtime: 'Y',
    runtimeTs: "'Y'",
    wrong: 'Z',
    wrongTs: "'Z'",
  },
  {
    name: 'array',
    type: { type: 'array', items: 'string' },
    runtime: ['a'],
    runtimeTs: "['a']",
    wrong: [1],
    wrongTs: '[1]',
  },
];
const probeSchema = {
  type: 'record',
  name: 'Probe',
  namespace: 'p',
  fields: PROBES.map((p) => ({ name: p.name, type: p.type })),
};

// Sanity: the runtime values are what avsc returns, the wrong ones what it rejects.
const avscType = createType(probeSchema);
const runtimeValue = Object.fromEntries(PROBES.map((p) => [p.name, p.runtime]));
const decoded = avscType.fromBuffer(avscType.toBuffer(runtimeValue)) as Json;
for (const p of PROBES) {
  const back = decoded[p.name];
  const same = JSON.stringify(back) === JSON.stringify(p.runtime) && typeof back === typeof p.runtime;
  const rejects = !avscType.isValid({ ...runtimeValue, [p.name]: p.wrong });
  if (!same || !rejects) throw new Error(`probe ${p.name} does not describe avsc's behaviour`);
}

function score(dir: string, importLine: string): { accepts: number; rejects: number; misses: string[] } {
  const lines = [importLine];
  for (const p of PROBES) {
    lines.push(`export const ok_${p.name}: Probe['${p.name}'] = ${p.runtimeTs};`);
    lines.push(`export const bad_${p.name}: Probe['${p.name}'] = ${p.wrongTs};`);
  }
  writeFileSync(join(dir, 'probes.ts'), `${lines.join('\n')}\n`);
  const program = ts.createProgram([join(dir, 'probes.ts')], {
    target: ts.ScriptTarget.ES2024,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    strict: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const errorLines = new Set(
    ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.endsWith('probes.ts') && d.start !== undefined)
      .map((d) => (d.file as ts.SourceFile).getLineAndCharacterOfPosition(d.start as number).line),
  );
  let accepts = 0;
  let rejects = 0;
  const misses: string[] = [];
  PROBES.forEach((p, i) => {
    if (!errorLines.has(1 + 2 * i)) accepts += 1;
    else misses.push(`${p.name} (refuses runtime value)`);
    if (errorLines.has(2 + 2 * i)) rejects += 1;
    else misses.push(`${p.name} (accepts wrong value)`);
  });
  return { accepts, rejects, misses };
}

const work = mkdtempSync(join(tmpdir(), 'codegen-bench-'));
try {
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
  writeGeneratedFiles(
    join(work, 'direct'),
    generateTypeScript({ schemas: [{ file: 'probe.avsc', json: probeSchema, subject: 'probe' }] }).files,
  );
  writeFileSync(
    join(work, 'jstt.ts'),
    await compile(
      toJsonSchema(probeSchema, () => undefined),
      'Probe',
      { bannerComment: '', additionalProperties: false },
    ),
  );
  const direct = score(work, "import type { Probe } from './direct/index.ts';");
  const jstt = score(work, "import type { Probe } from './jstt.ts';");
  const n = PROBES.length;
  console.log(`Correctness on ${n} probes (${PROBES.map((p) => p.name).join(', ')}):`);
  console.log(
    `  direct generator:          accepts avsc's runtime value ${direct.accepts}/${n}, rejects a value avsc rejects ${direct.rejects}/${n}`,
  );
  console.log(
    `  json-schema-to-typescript: accepts avsc's runtime value ${jstt.accepts}/${n}, rejects a value avsc rejects ${jstt.rejects}/${n}`,
  );
  for (const [label, result] of [
    ['direct', direct],
    ['json-schema-to-typescript', jstt],
  ] as const) {
    if (result.misses.length > 0) console.log(`  ${label} misses: ${result.misses.join(', ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
