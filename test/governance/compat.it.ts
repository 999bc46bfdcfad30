// End to end: a developer's schema change on a branch, checked by the real CLI against git history and
// against the real registry (Apicurio's Confluent-compatible API), with the registry's verdict cross-checked.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { SchemaRegistryClient } from '@adlake/registry';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { uniqueName } from '../support/unique.ts';

const CLI = fileURLToPath(new URL('../../apps/avro-gov/src/main.ts', import.meta.url));
const { registryUrl } = endpoints(loadStackConfig());
const registry = new SchemaRegistryClient({ url: registryUrl });

const topic = uniqueName('e2e.ads');
const subject = `${topic}-value`;
const FILE = 'schemas/com/acme/ads/AdShown.avsc';
let dir = '';

function schema(extra: object[]): string {
  const fields = [
    { name: 'event_id', type: { type: 'string', logicalType: 'uuid' }, doc: 'Event id.' },
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'Event time.' },
    ...extra,
  ];
  return `${JSON.stringify({ type: 'record', name: 'AdShown', namespace: 'com.acme.ads', doc: 'Shown.', fields }, null, 2)}\n`;
}
const v1 = schema([{ name: 'price_micros', type: 'long', doc: 'Price.' }]);
const compatible = schema([
  { name: 'price_micros', type: 'long', doc: 'Price.' },
  { name: 'placement', type: ['null', 'string'], default: null, doc: 'Placement.' },
]);
const breaking = schema([{ name: 'price_micros', type: 'string', doc: 'Price.' }]);

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
function git(...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}
function compat(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'compat', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, AVRO_GOV_REGISTRY_URL: registryUrl },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function lineOf(text: string, needle: string, anchor: string): string {
  const index = text.indexOf(needle, text.indexOf(anchor));
  const lines = text.slice(0, index).split('\n');
  return `${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}`;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'adlake-e2e-compat-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  write(FILE, v1);
  write(
    'schemas/avro-gov.json',
    JSON.stringify({ version: 1, subjects: [{ schema: 'com.acme.ads.AdShown', topic }] }),
  );
  git('add', '-A');
  git('commit', '-q', '-m', 'v1');
  git('checkout', '-q', '-b', 'feature');
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await fetch(`${registryUrl}/subjects/${subject}`, { method: 'DELETE' });
  await fetch(`${registryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
});

test('a subject the registry does not have yet is reported as new, not as an error', () => {
  const r = compat('--against', 'registry');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`${subject} BACKWARD vs registry: new`));
});

test('a compatible change passes against git history and the registry, and both verdicts agree', async () => {
  await registry.register(subject, JSON.stringify(JSON.parse(v1)));
  write(FILE, compatible);
  const r = compat('--against', 'git', '--against', 'registry', '--format', 'json');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as {
    compatible: boolean;
    reports: { baseline: string; status: string; registry?: { compatible: boolean } }[];
  };
  assert.equal(out.compatible, true);
  assert.deepEqual(
    out.reports.map((x) => [x.baseline, x.status]),
    [
      ['git', 'compatible'],
      ['registry', 'compatible'],
    ],
  );
  assert.equal(out.reports[1]?.registry?.compatible, true);
});

test('a breaking change fails at the exact file:line:col against git and the registry', () => {
  write(FILE, breaking);
  const r = compat('--against', 'git', '--against', 'registry');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const at = lineOf(breaking, '"string"', '"price_micros"');
  const lines = r.stdout.trim().split('\n');
  assert.ok(
    lines.some((l) => l.startsWith(`${FILE}:${at} TYPE_MISMATCH `) && l.includes('against git:')),
    r.stdout,
  );
  assert.ok(
    lines.some(
      (l) =>
        l.startsWith(`${FILE}:${at} TYPE_MISMATCH `) && l.includes(`against registry:${subject}/versions/1`),
    ),
    r.stdout,
  );
  // The registry's own verdict agreed with ours, so there is no mismatch finding.
  assert.doesNotMatch(r.stdout, /REGISTRY_VERDICT_MISMATCH/);
  assert.match(r.stderr, /registry at BACKWARD says incompatible/);
});

test('an alias equal to its own field name: we and the registry both refuse it (AMBIGUOUS_FIELD_MATCH)', () => {
  const ambiguous = schema([
    { name: 'price_micros', type: 'long', aliases: ['price_micros'], doc: 'Price.' },
  ]);
  write(FILE, ambiguous);
  const r = compat('--against', 'git', '--against', 'registry');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  // The reader field (`/fields/2`): the object that opens before its name.
  const before = ambiguous
    .slice(0, ambiguous.lastIndexOf('{', ambiguous.indexOf('"price_micros"')))
    .split('\n');
  const at = `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
  const lines = r.stdout.trim().split('\n');
  for (const against of ['git:', `registry:${subject}/versions/1`]) {
    assert.ok(
      lines.some(
        (l) => l.startsWith(`${FILE}:${at} AMBIGUOUS_FIELD_MATCH `) && l.includes(`against ${against}`),
      ),
      r.stdout,
    );
  }
  // Apicurio answers 422 for a schema Avro Java cannot resolve: a refusal, so the verdicts agree.
  assert.doesNotMatch(r.stdout, /REGISTRY_VERDICT_MISMATCH|REGISTRY_ERROR/);
  assert.match(r.stderr, /registry at BACKWARD says incompatible/);
});

test('an unreachable registry is a clear error with exit 2, not a hang or a stack trace', () => {
  const r = spawnSync(
    process.execPath,
    [CLI, 'compat', '--against', 'registry', '--registry-url', 'http://127.0.0.1:9/apis/ccompat/v7'],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /REGISTRY_UNREACHABLE schema registry at http:\/\/127\.0\.0\.1:9\/apis\/ccompat\/v7 is unreachable/,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
