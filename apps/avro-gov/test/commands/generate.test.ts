import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFor, eventSchema, runCli, tempWorkspace } from '../support.ts';

test('writes one package per namespace with events, runnable as TypeScript on Node', async (t) => {
  const ws = tempWorkspace({
    'schemas/com/acme/ads/AdShown.avsc': eventSchema('AdShown', 'com.acme.ads', [
      { name: 'price_micros', type: 'long' },
    ]),
    'schemas/avro-gov.json': configFor([{ schema: 'com.acme.ads.AdShown', topic: 'ads.shown' }]),
  });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['generate', '--out', 'gen', '--package-name', '@test/events-{segment}']);
  assert.equal(r.code, 0, r.stderr);
  const dir = path.join(ws.dir, 'gen', 'com.acme.ads');
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string };
  assert.equal(pkg.name, '@test/events-ads');
  assert.ok(existsSync(path.join(dir, 'AdShown.ts')));
  assert.match(readFileSync(path.join(dir, 'README.md'), 'utf8'), /ads\.shown-value/);

  // A consumer has avsc installed; here it is this workspace's copy.
  symlinkSync(
    fileURLToPath(new URL('../../../../node_modules', import.meta.url)),
    path.join(ws.dir, 'node_modules'),
  );
  const mod = (await import(path.join(dir, 'index.ts'))) as Record<
    string,
    {
      subject: string;
      topic: string;
      validate: (v: unknown) => { valid: boolean; errors: { path: string }[] };
    }
  >;
  const codec = mod['AdShown'];
  assert.ok(codec);
  assert.equal(codec.subject, 'ads.shown-value');
  assert.equal(codec.topic, 'ads.shown');
  const result = codec.validate({ event_id: 'not-a-uuid', event_time: new Date(0), price_micros: 'free' });
  assert.equal(result.valid, false);
  assert.deepEqual(result.errors.map((e) => e.path).sort(), ['event_id', 'price_micros']);
});

test('refuses to generate from an invalid workspace, exit 2', (t) => {
  const ws = tempWorkspace({
    'schemas/com/acme/ads/AdShown.avsc': eventSchema('AdShown', 'com.acme.ads', [
      { name: 'device', type: 'com.acme.Nope' },
    ]),
    'schemas/avro-gov.json': configFor([{ schema: 'com.acme.ads.AdShown', topic: 'ads.shown' }]),
  });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['generate']);
  assert.equal(r.code, 2);
  assert.match(
    r.stdout,
    /^schemas\/com\/acme\/ads\/AdShown.avsc:\d+:\d+ NAMED_TYPE_RESOLVES Unknown named type "com.acme.Nope"/,
  );
  assert.equal(existsSync(path.join(ws.dir, 'generated')), false);
});
