// The runtime's npm build and the event packages compiled against it, installed the way npm lays them out and
// run by Node with type stripping off: what a consumer of the registry gets, without the registry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSchemaWorkspace, parseConfig } from '@adlake/governance';
import { buildEventPackage } from '../src/package-build.ts';
import type { BuiltPackage } from '../src/package-build.ts';
import { buildRuntimePackage, RUNTIME_PACKAGE, runtimeSourceDir } from '../src/runtime-build.ts';
import type { BuiltRuntime } from '../src/runtime-build.ts';

const AVSC = path.dirname(createRequire(import.meta.url).resolve('avsc/package.json'));
const workspaceRuntime = JSON.parse(readFileSync(path.join(runtimeSourceDir(), 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

const device = {
  type: 'record',
  name: 'Device',
  namespace: 'com.acme.common',
  fields: [{ name: 'os', type: 'string' }],
};
const click = {
  type: 'record',
  name: 'Click',
  namespace: 'com.acme.ads',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'price_micros', type: 'long' },
    { name: 'device', type: 'com.acme.common.Device' },
  ],
};

describe('the runtime and an event package, built for npm', () => {
  let out = '';
  let runtime: BuiltRuntime;
  let events: BuiltPackage;

  before(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'adlake-release-runtime-'));
    runtime = await buildRuntimePackage({ outDir: out });
    const workspace = createSchemaWorkspace([
      { file: 'schemas/com/acme/ads/Click.avsc', text: JSON.stringify(click) },
      { file: 'schemas/com/acme/common/Device.avsc', text: JSON.stringify(device) },
    ]);
    const config = parseConfig(
      JSON.stringify({ version: 1, subjects: [{ schema: 'com.acme.ads.Click', topic: 'ads.clicks' }] }),
    );
    events = await buildEventPackage(workspace, config, 'com.acme.ads', { outDir: out, runtime });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('the runtime package is JavaScript and declarations at the workspace version, depending on avsc only', () => {
    const manifest = JSON.parse(readFileSync(path.join(runtime.dir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(manifest['name'], RUNTIME_PACKAGE);
    assert.equal(manifest['version'], workspaceRuntime.version);
    assert.deepEqual(manifest['dependencies'], workspaceRuntime.dependencies);
    assert.deepEqual((manifest['exports'] as Record<string, unknown>)['.'], {
      types: './index.d.ts',
      import: './index.js',
      default: './index.js',
    });
    assert.deepEqual(manifest['adlake'], runtime.meta);
    const files = readdirSync(runtime.dir);
    assert.ok(files.includes('index.js') && files.includes('index.d.ts') && files.includes('README.md'));
    assert.deepEqual(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
      'no TypeScript sources',
    );
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = readFileSync(path.join(runtime.dir, file), 'utf8');
      assert.doesNotMatch(text, /from '\.[^']*\.ts'/, `${file} imports a .ts file`);
    }
  });

  it('the event package depends on exactly that runtime and imports it by name', () => {
    assert.deepEqual(events.packageJson['dependencies'], { [RUNTIME_PACKAGE]: runtime.version });
    const js = readFileSync(path.join(events.dir, 'Click.js'), 'utf8');
    assert.match(js, /from '@adlake\/event-runtime'/);
    assert.match(readFileSync(path.join(events.dir, 'index.d.ts'), 'utf8'), /from '@adlake\/event-runtime'/);
    assert.ok(!existsSync(path.join(events.dir, '_runtime.js')), 'no copied runtime');
  });

  it('installed side by side, plain Node (no type stripping) round-trips an event', () => {
    const app = path.join(out, 'consumer');
    const modules = path.join(app, 'node_modules');
    // Copies, not links: a link would let Node resolve from the build folders instead of node_modules.
    cpSync(runtime.dir, path.join(modules, '@adlake', 'event-runtime'), { recursive: true });
    cpSync(events.dir, path.join(modules, '@acme', 'events-ads'), { recursive: true });
    mkdirSync(modules, { recursive: true });
    symlinkSync(AVSC, path.join(modules, 'avsc'), 'dir');
    writeFileSync(path.join(app, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(
      path.join(app, 'main.js'),
      [
        "import { Click, EventCodecError } from '@acme/events-ads';",
        "import { AvroRangeError } from '@adlake/event-runtime';",
        "const click = { id: '123e4567-e89b-12d3-a456-426614174000', at: new Date(1764000000123), price_micros: -4503599627370497, device: { os: 'iOS' } };",
        'const back = Click.decode(Click.encode(click));',
        'let invalid;',
        "try { Click.encode({ ...click, id: 'nope' }); } catch (e) { invalid = e instanceof EventCodecError && e.code; }",
        'console.log(JSON.stringify({ subject: Click.subject, at: back.at.toISOString(), price: back.price_micros, os: back.device.os, invalid, range: typeof AvroRangeError }));',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--no-experimental-strip-types', 'main.js'], {
      cwd: app,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      subject: 'ads.clicks-value',
      at: '2025-11-24T16:00:00.123Z',
      price: -4503599627370497,
      os: 'iOS',
      invalid: 'INVALID_VALUE',
      range: 'function',
    });
  });

  it('the source hash is stable, and changes with the sources', async () => {
    const again = await buildRuntimePackage({ outDir: path.join(out, 'again') });
    assert.equal(again.meta.sourceHash, runtime.meta.sourceHash);
    const copy = path.join(out, 'changed-runtime');
    cpSync(runtimeSourceDir(), copy, { recursive: true, filter: (f) => !f.includes('node_modules') });
    const codec = path.join(copy, 'src', 'codec.ts');
    writeFileSync(codec, `${readFileSync(codec, 'utf8')}\n// a change\n`);
    const changed = await buildRuntimePackage({ outDir: path.join(out, 'changed'), sourceDir: copy });
    assert.notEqual(changed.meta.sourceHash, runtime.meta.sourceHash);
    assert.equal(changed.version, runtime.version, 'the version is the workspace package’s, never derived');
  });
});
