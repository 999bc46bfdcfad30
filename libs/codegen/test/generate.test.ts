import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodegenError } from '../src/errors.ts';
import { generateTypeScript } from '../src/generate.ts';
import type { CodegenResult } from '../src/generate.ts';
import type { EventCodec } from '@adlake/event-runtime';
import { DEVICE, fixture, fixtureSchemas, plain, typecheck, writeTempPackage } from './support.ts';
import type { TempPackage } from './support.ts';

type Codec = EventCodec<unknown, unknown>;
type Package = Record<string, Codec> & { EventCodecError: new (...args: never[]) => Error };

const tsFiles = (result: CodegenResult): string[] =>
  result.files.filter((f) => f.path.endsWith('.ts')).map((f) => f.path);

const IMPRESSION = {
  impression_id: '3f1c1a52-8a8e-4a59-9c39-6b4f3f1d2a10',
  occurred_at: new Date('2025-01-02T03:04:05.678Z'),
  occurred_at_micros: 1_735_787_045_678_901,
  day: new Date('2025-01-02T00:00:00Z'),
  time_of_day_ms: 11_045_678,
  time_of_day_us: 11_045_678_901,
  price: '1234.5678',
  budget: '-99.95',
  checksum: Buffer.alloc(16, 7),
  payload: Buffer.from('hello'),
  device: { os: 'IOS', model: 'iPhone 15', screen: { width: 390, height: 844 } },
  attributes: { campaign: 'c-1', 'weird key': 'x' },
  segments: [1, 2, 3],
  bid_micros: 9_007_199_254_740_990,
  ratio: 0.5,
  score: 0.1,
  viewable: true,
  nothing: null,
  country: 'DE',
  attempts: 2,
  sampled_at: new Date(0),
  label: 42,
  amount: { long: 5 },
  interaction: { 'com.acme.adserver.Click': { x: 1, y: 2 } },
  os_history: { a: ['IOS', 'ANDROID'] },
  screens: [null, { width: 1, height: 2 }],
};

const REQUIRED_ONLY = {
  impression_id: IMPRESSION.impression_id,
  occurred_at: IMPRESSION.occurred_at,
  occurred_at_micros: 0,
  day: new Date(0),
  time_of_day_ms: 0,
  time_of_day_us: 0,
  price: '0.0000',
  budget: '0.10',
  checksum: Buffer.alloc(16),
  payload: Buffer.alloc(0),
  device: { os: 'OTHER', screen: { width: 1, height: 1 } },
  segments: [],
  bid_micros: -1,
  ratio: 1,
  score: 1,
  nothing: null,
};

describe('generateTypeScript on the fixture schemas', () => {
  let result: CodegenResult;
  let pkg: TempPackage;
  let events: Package;

  before(async () => {
    result = generateTypeScript(fixtureSchemas());
    pkg = writeTempPackage(result.files);
    events = await pkg.load<Package>('index.ts');
  });
  after(() => pkg.remove());

  it('emits one types module, one module per event and an index, importing the runtime package', () => {
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['types.ts', 'AdImpression.ts', 'AdClick.ts', 'Category.ts', 'index.ts'],
    );
    // The codec comes from @adlake/event-runtime, never from a copy or a relative path.
    for (const file of result.files) {
      for (const [, specifier] of file.contents.matchAll(/from '([^']+)'/g)) {
        assert.ok(
          specifier === '@adlake/event-runtime' || /^\.\/[A-Za-z]+\.ts$/.test(specifier ?? ''),
          `${file.path} imports ${specifier}`,
        );
      }
    }
    assert.match(
      result.files.find((f) => f.path === 'AdClick.ts')?.contents ?? '',
      /^import \{ defineEvent \} from '@adlake\/event-runtime';$/m,
    );
    assert.deepEqual(
      result.events.map((e) => [e.name, e.subject, e.topic, e.fullname]),
      [
        [
          'AdImpression',
          'adserver.ad-impression-value',
          'adserver.ad-impressions',
          'com.acme.adserver.AdImpression',
        ],
        ['AdClick', 'adserver.ad-click-value', 'adserver.ad-clicks', 'com.acme.adserver.AdClick'],
        ['Category', 'taxonomy.category-value', undefined, 'com.acme.adserver.taxonomy.Category'],
      ],
    );
  });

  it('compiles under strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes without a diagnostic', () => {
    assert.deepEqual(typecheck(pkg.dir, tsFiles(result)), []);
  });

  it('emits a referenced named type once, shared by every event that uses it', () => {
    const types = result.files.find((f) => f.path === 'types.ts')?.contents ?? '';
    assert.equal(types.match(/^export interface Device \{/gm)?.length, 1);
    assert.equal(types.match(/^export type Os = /gm)?.length, 1);
    // Each event's schema is standalone: the cross-file Device is inlined where it is first used.
    for (const event of [events.AdImpression, events.AdClick]) {
      assert.ok(event);
      assert.match(JSON.stringify(event.schema), /"name":"Device","namespace":"com.acme.adserver.common"/);
    }
  });

  it('exposes subject, topic, fullname, schema and a lazily built avsc type', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    assert.equal(codec.subject, 'adserver.ad-impression-value');
    assert.equal(codec.topic, 'adserver.ad-impressions');
    assert.equal(codec.fullname, 'com.acme.adserver.AdImpression');
    assert.equal(codec.type.typeName, 'record');
    assert.equal(codec.type, codec.type);
    assert.equal(events.Category?.topic, undefined);
  });

  it('round-trips every Avro type through encode and decode', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    assert.deepEqual(codec.validate(IMPRESSION), { valid: true, errors: [] });
    const decoded = codec.decode(codec.encode(IMPRESSION));
    assert.deepStrictEqual(plain(decoded), plain(IMPRESSION));
  });

  it('fills in defaults for omitted input fields, nested ones included', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    const decoded = plain(codec.decode(codec.encode(REQUIRED_ONLY))) as Record<string, unknown>;
    assert.deepStrictEqual(decoded, {
      ...REQUIRED_ONLY,
      device: { os: 'OTHER', model: null, screen: { width: 1, height: 1 } },
      attributes: {},
      viewable: false,
      country: 'US',
      attempts: 0,
      sampled_at: null,
      label: null,
      amount: null,
      interaction: null,
      os_history: {},
      screens: [],
      // Field order follows the schema in the decoded record; deepStrictEqual ignores key order.
    });
  });

  it('validate lists every bad path with the expected type', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    const bad = {
      ...IMPRESSION,
      device: { os: 'WINDOWS', screen: { width: 'wide', height: 2 } },
      attributes: { k: 5 },
      segments: [1, 2, 'x'],
      amount: 7,
      label: true,
      bid_micros: 2 ** 53,
      occurred_at: 'yesterday',
      price: '1.23456',
      interaction: { 'com.acme.adserver.Click': { x: 1, y: 'a' } },
      os_history: { a: ['IOS', 'BEOS'] },
      screens: [{ width: 1 }],
    };
    const { valid, errors } = codec.validate(bad);
    assert.equal(valid, false);
    assert.deepEqual(
      errors.map((e) => [e.path, e.expected, e.actual]),
      [
        ['occurred_at', 'timestamp-millis (Date)', 'string "yesterday"'],
        ['price', 'decimal(12,4) (decimal string)', 'string "1.23456"'],
        ['device.os', 'enum com.acme.adserver.common.Os ("IOS" | "ANDROID" | "OTHER")', 'string "WINDOWS"'],
        ['device.screen.width', 'int (32-bit integer)', 'string "wide"'],
        ['attributes["k"]', 'string', 'number 5'],
        ['segments[2]', 'int (32-bit integer)', 'string "x"'],
        ['bid_micros', 'long (safe integer, within ±(2^53−1))', 'number 9007199254740992'],
        ['label', 'union (null | string | long)', 'boolean true'],
        ['amount', 'union (null | int | long) wrapped as { branch: value }', 'number 7'],
        ['interaction["com.acme.adserver.Click"].y', 'int (32-bit integer)', 'string "a"'],
        [
          'os_history["a"][1]',
          'enum com.acme.adserver.common.Os ("IOS" | "ANDROID" | "OTHER")',
          'string "BEOS"',
        ],
        ['screens[0].height', 'int (32-bit integer)', 'undefined'],
      ],
    );
  });

  it('encode refuses an invalid value with every bad path', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    assert.throws(
      () => codec.encode({ ...IMPRESSION, bid_micros: 2 ** 60, segments: [0.5] }),
      (error: unknown) => {
        assert.ok(error instanceof events.EventCodecError);
        const e = error as Error & { code: string; errors: { path: string }[] };
        assert.equal(e.code, 'INVALID_VALUE');
        assert.deepEqual(
          e.errors.map((x) => x.path),
          ['segments[0]', 'bid_micros'],
        );
        assert.match(e.message, /bid_micros: expected long \(safe integer, within ±\(2\^53−1\)\)/);
        return true;
      },
    );
  });

  it('round-trips the recursive Category type', () => {
    const codec = events.Category;
    assert.ok(codec);
    const tree = {
      code: 'IAB1',
      parent: { code: 'ROOT', parent: null, children: [] },
      children: [
        { code: 'IAB1-1', parent: null, children: [] },
        { code: 'IAB1-2', parent: null, children: [{ code: 'IAB1-2-1', parent: null, children: [] }] },
      ],
    };
    assert.deepStrictEqual(plain(codec.decode(codec.encode(tree))), tree);
    assert.deepEqual(
      codec
        .validate({ code: 'x', children: [{ code: 'y', children: [{ code: 3 }] }] })
        .errors.map((e) => e.path),
      ['children[0].children[0].code'],
    );
  });

  it('typed usage compiles: optional defaults on input, Date, Buffer, wrapped unions, enum symbols', () => {
    pkg.write(
      'usage.ts',
      `import { AdImpression, OsSymbols } from './index.ts';
import type { AdImpressionInput, Os, Category } from './index.ts';
const input: AdImpressionInput = ${JSON.stringify(REQUIRED_ONLY)
        .replace(/"occurred_at":"[^"]*"/, '"occurred_at": new Date()')
        .replace(/"day":"[^"]*"/, '"day": new Date(0)')
        .replace(/"checksum":\{[^}]*\}/, '"checksum": Buffer.alloc(16)')
        .replace(/"payload":\{[^}]*\}/, '"payload": Buffer.alloc(0)')};
const decoded: AdImpression = AdImpression.decode(AdImpression.encode(input));
const os: Os = decoded.device.os;
const first: Os | undefined = OsSymbols[0];
const amount: number | undefined = decoded.amount === null ? undefined : 'int' in decoded.amount ? decoded.amount.int : decoded.amount.long;
const when: Date = decoded.occurred_at;
const sampled: Date | null = decoded.sampled_at;
const price: string = decoded.price;
const attr: string | undefined = decoded.attributes['campaign'];
const node: Category = { code: 'a', parent: null, children: [] };
export { os, first, amount, when, sampled, price, attr, node };
`,
    );
    assert.deepEqual(typecheck(pkg.dir, ['usage.ts']), []);
  });

  it('a wrong field type fails to compile with a diagnostic at that field', () => {
    pkg.write(
      'wrong.ts',
      `import type { AdClickInput } from './index.ts';
export const click: AdClickInput = {
  impression_id: 'x',
  device: { os: 'IOS', screen: { width: 1, height: 2 } },
  clicked_at: 1700000000000,
};
export const device: AdClickInput['device'] = {
  os: 'WINDOWS',
  screen: { width: 1, height: 2 },
};
`,
    );
    const diagnostics = typecheck(pkg.dir, ['wrong.ts']);
    assert.deepEqual(
      diagnostics.map((d) => [d.file, d.line, d.text]),
      [
        ['wrong.ts', 5, 'clicked_at: 1700000000000,'],
        ['wrong.ts', 8, "os: 'WINDOWS',"],
      ],
    );
    assert.match(diagnostics[0]?.message ?? '', /'number' is not assignable to type 'Date'/);
  });
});

describe('generateTypeScript with longs: bigint', () => {
  let result: CodegenResult;
  let pkg: TempPackage;
  let events: Package;
  let numberPkg: TempPackage;
  let numberEvents: Package;

  before(async () => {
    result = generateTypeScript(fixtureSchemas(), { longs: 'bigint' });
    pkg = writeTempPackage(result.files);
    events = await pkg.load<Package>('index.ts');
    numberPkg = writeTempPackage(generateTypeScript(fixtureSchemas()).files);
    numberEvents = await numberPkg.load<Package>('index.ts');
  });
  after(() => {
    pkg.remove();
    numberPkg.remove();
  });

  it('maps long to bigint and compiles strictly', () => {
    const types = result.files.find((f) => f.path === 'types.ts')?.contents ?? '';
    assert.match(types, /^ {2}bid_micros: bigint;$/m);
    assert.match(types, /^ {2}occurred_at_micros: bigint;$/m);
    // timestamp-millis stays a Date. A bigint long is a separate bucket for avsc, so the int/long union that
    // is wrapped with number longs is unwrapped here: the representation follows avsc, not the schema alone.
    assert.match(types, /^ {2}occurred_at: Date;$/m);
    assert.match(types, /^ {2}amount: null \| number \| bigint;$/m);
    assert.deepEqual(typecheck(pkg.dir, tsFiles(result)), []);
  });

  it('round-trips longs beyond 2^53, and the number codec refuses to decode them', () => {
    const codec = events.AdImpression;
    assert.ok(codec);
    const value = {
      ...IMPRESSION,
      occurred_at_micros: 1_735_787_045_678_901n,
      time_of_day_us: 11_045_678_901n,
      bid_micros: 2n ** 62n + 1n,
      label: -(2n ** 63n),
      amount: 2n ** 63n - 1n,
      interaction: { 'com.acme.adserver.View': { ms: 5n } },
    };
    const bytes = codec.encode(value);
    assert.deepStrictEqual(plain(codec.decode(bytes)), plain(value));
    // A number codec never returns a nearby number: it names the value it cannot hold.
    assert.throws(
      () => numberEvents.AdImpression?.decode(bytes),
      (e: Error) =>
        e.name === 'EventCodecError' &&
        (e.cause as Error).name === 'AvroRangeError' &&
        /long 4611686018427387905 is beyond ±\(2\^53−1\)/.test(e.message),
    );
    assert.deepEqual(
      codec.validate({ ...value, bid_micros: 5, label: 2n ** 63n }).errors.map((e) => [e.path, e.expected]),
      [
        ['bid_micros', 'long (bigint)'],
        ['label', 'union (null | string | long)'],
      ],
    );
  });

  it('writes the same bytes as the number codec for safe values', () => {
    const small = {
      ...IMPRESSION,
      amount: 5n,
      bid_micros: 123n,
      occurred_at_micros: 7n,
      time_of_day_us: 8n,
      label: 9n,
    };
    const asNumbers = {
      ...IMPRESSION,
      amount: { long: 5 },
      bid_micros: 123,
      occurred_at_micros: 7,
      time_of_day_us: 8,
      label: 9,
    };
    assert.deepEqual(events.AdImpression?.encode(small), numberEvents.AdImpression?.encode(asNumbers));
  });
});

describe('generateTypeScript errors', () => {
  it('fails with UNKNOWN_NAMED_TYPE when a referenced type is neither defined nor found by lookup', () => {
    assert.throws(
      () =>
        generateTypeScript({
          schemas: [{ file: 'AdClick.avsc', json: fixture('AdClick.avsc'), subject: 's' }],
        }),
      (error: unknown) =>
        error instanceof CodegenError &&
        error.code === 'UNKNOWN_NAMED_TYPE' &&
        error.context.file === 'AdClick.avsc' &&
        error.message.includes(DEVICE),
    );
  });

  it('fails with CODEGEN_FAILED on a union avsc leaves unwrapped but cannot resolve at runtime', () => {
    const json = {
      type: 'record',
      name: 'R',
      fields: [
        {
          name: 'f',
          type: [
            { type: 'record', name: 'Inner', fields: [] },
            { type: 'long', logicalType: 'timestamp-millis' },
          ],
        },
      ],
    };
    assert.throws(
      () => generateTypeScript({ schemas: [{ file: 'R.avsc', json, subject: 'r' }] }),
      (error: unknown) =>
        error instanceof CodegenError && error.code === 'CODEGEN_FAILED' && error.context.file === 'R.avsc',
    );
  });
});
