// Runs the avro-gov CLI over a fixed corpus (the workspace's schemas, a changed copy, a broken copy, single
// files, usage errors) and writes each run's exit code, stdout and stderr to one file per case. Two runs of this
// script, against two versions of the CLI, diff to nothing when a change keeps the CLI's behaviour.
//
//   node tools/dev/src/cli-corpus.ts --out <dir> [--cli <path to the CLI's main.ts>]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WORKSPACE_ROOT } from './nx.ts';

const HELP = `Usage: node tools/dev/src/cli-corpus.ts --out <dir> [--cli <main.ts>]

  --out <dir>   where to write one file per case (created; existing files are replaced)
  --cli <file>  the CLI entry point to run (default: apps/avro-gov/src/main.ts of this checkout)
`;

const { values } = parseArgs({
  options: { out: { type: 'string' }, cli: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help === true || values.out === undefined) {
  process.stdout.write(HELP);
  process.exit(values.help === true ? 0 : 2);
}
const OUT = values.out;
const CLI = resolve(values.cli ?? join(WORKSPACE_ROOT, 'apps/avro-gov/src/main.ts'));
const WORK = mkdtempSync(join(tmpdir(), 'adlake-cli-corpus-'));

const NS = 'com/acme/adserver';
const record = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    { type: 'record', name, namespace: 'com.acme.corpus', doc: `${name} doc`, fields, ...extra },
    null,
    2,
  );

/** The workspace's own schemas, and copies with changes and defects. */
function setUp(): void {
  cpSync(join(WORKSPACE_ROOT, 'schemas'), join(WORK, 'good'), { recursive: true });
  cpSync(join(WORKSPACE_ROOT, 'schemas'), join(WORK, 'changed'), { recursive: true });
  const impression = join(WORK, 'changed', NS, 'AdImpression.avsc');
  const json = JSON.parse(readFileSync(impression, 'utf8')) as { fields: { name: string }[] };
  // An added field without a default (incompatible backward) and a removed field.
  json.fields.push({ name: 'corpus_required', type: 'string', doc: 'added without a default' } as never);
  json.fields.splice(1, 1);
  writeFileSync(impression, `${JSON.stringify(json, null, 2)}\n`);

  const bad = join(WORK, 'bad');
  mkdirSync(join(bad, 'com/acme/corpus'), { recursive: true });
  writeFileSync(join(bad, 'avro-gov.json'), JSON.stringify({ version: 1 }, null, 2));
  const files: Record<string, string> = {
    'Syntax.avsc': '{ "type": "record", "name": "Syntax", "fields": [ }',
    'BadDefault.avsc': record('BadDefault', [{ name: 'n', type: 'int', default: 'x', doc: 'n' }]),
    'Unknown.avsc': record('Unknown', [{ name: 'u', type: 'Missing', doc: 'u' }]),
    'LeadingDot.avsc': record('LeadingDot', [{ name: 'm', type: '.Money', doc: 'm' }]),
    'Ambiguous.avsc': record('Ambiguous', [
      { name: 'a', type: 'string', doc: 'a' },
      { name: 'b', type: 'string', aliases: ['a'], doc: 'b' },
    ]),
    'Duplicate.avsc': record('Duplicate', [
      { name: 'a', type: 'string', doc: 'a' },
      { name: 'a', type: 'int', doc: 'a' },
    ]),
    'Style.avsc': JSON.stringify({
      type: 'record',
      name: 'style_bad',
      namespace: 'com.acme.corpus',
      fields: [{ name: 'BadName', type: 'string' }],
    }),
    'Enum.avsc': JSON.stringify({
      type: 'enum',
      name: 'Colour',
      namespace: 'com.acme.corpus',
      symbols: ['RED', 'RED'],
      doc: 'c',
    }),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(bad, 'com/acme/corpus', name), text);
  writeFileSync(join(bad, 'Money.avsc'), JSON.stringify({ type: 'fixed', name: 'Money', size: 8 }));

  const single = join(WORK, 'single');
  mkdirSync(single);
  const v1 = [{ name: 'id', type: 'string', doc: 'id' }];
  writeFileSync(join(single, 'v1.avsc'), record('Event', v1));
  writeFileSync(
    join(single, 'v2-ok.avsc'),
    record('Event', [...v1, { name: 'n', type: 'int', default: 0, doc: 'n' }]),
  );
  writeFileSync(join(single, 'v2-bad.avsc'), record('Event', [...v1, { name: 'n', type: 'int', doc: 'n' }]));
  writeFileSync(join(single, 'v2-type.avsc'), record('Event', [{ name: 'id', type: 'int', doc: 'id' }]));
  writeFileSync(
    join(single, 'v2-alias.avsc'),
    record('Event', [{ name: 'id', type: 'string', aliases: ['id'], doc: 'id' }]),
  );
}

const CASES: [string, string[]][] = [];
const add = (name: string, ...args: string[]) => CASES.push([name, args]);

add('help');
for (const command of ['lint', 'compat', 'generate', 'register', 'publish'])
  add(`help-${command}`, command, '--help');
add('unknown-command', 'frobnicate');
add('unknown-option', 'lint', '--frobnicate');
for (const format of ['text', 'json', 'github']) {
  add(`good-lint-${format}`, 'lint', '--schemas', 'good', '--format', format);
  add(
    `good-compat-${format}`,
    'compat',
    '--schemas',
    'good',
    '--against',
    'dir',
    '--baseline-dir',
    'good',
    '--format',
    format,
  );
  add(
    `changed-compat-${format}`,
    'compat',
    '--schemas',
    'changed',
    '--against',
    'dir',
    '--baseline-dir',
    'good',
    '--format',
    format,
  );
  add(`bad-lint-${format}`, 'lint', '--schemas', 'bad', '--format', format);
  add(
    `bad-compat-${format}`,
    'compat',
    '--schemas',
    'bad',
    '--against',
    'dir',
    '--baseline-dir',
    'bad',
    '--format',
    format,
  );
  add(
    `single-bad-${format}`,
    'compat',
    '--schema',
    'single/v2-bad.avsc',
    '--previous',
    'single/v1.avsc',
    '--format',
    format,
  );
  add(`missing-path-${format}`, 'lint', '--schemas', 'good', 'good/nope.avsc', '--format', format);
}
add(
  'changed-compat-level',
  'compat',
  '--schemas',
  'changed',
  '--against',
  'dir',
  '--baseline-dir',
  'good',
  '--level',
  'FORWARD',
);
add(
  'changed-compat-path',
  'compat',
  '--schemas',
  'changed',
  '--against',
  'dir',
  '--baseline-dir',
  'good',
  `changed/${NS}/AdClick.avsc`,
);
add('single-ok', 'compat', '--schema', 'single/v2-ok.avsc', '--previous', 'single/v1.avsc');
add(
  'single-type',
  'compat',
  '--schema',
  'single/v2-type.avsc',
  '--previous',
  'single/v1.avsc',
  '--level',
  'FULL',
);
add('single-alias', 'compat', '--schema', 'single/v2-alias.avsc', '--previous', 'single/v1.avsc');
add(
  'single-transitive',
  'compat',
  '--schema',
  'single/v2-ok.avsc',
  '--previous',
  'single/v1.avsc',
  '--previous',
  'single/v2-bad.avsc',
  '--level',
  'BACKWARD_TRANSITIVE',
);
add(
  'single-invalid',
  'compat',
  '--schema',
  'bad/com/acme/corpus/BadDefault.avsc',
  '--previous',
  'single/v1.avsc',
);
add('single-missing', 'compat', '--schema', 'single/nope.avsc', '--previous', 'single/v1.avsc');
add(
  'bad-level',
  'compat',
  '--schema',
  'single/v2-ok.avsc',
  '--previous',
  'single/v1.avsc',
  '--level',
  'SIDEWAYS',
);
add('good-generate', 'generate', '--schemas', 'good', '--out', 'out/good');
add('bad-generate', 'generate', '--schemas', 'bad', '--out', 'out/bad');
add('generate-missing-schemas', 'generate', '--schemas', 'nope', '--out', 'out/nope');
add('register-no-registry', 'register', '--schemas', 'good', '--dry-run');
add(
  'register-unreachable',
  'register',
  '--schemas',
  'good',
  '--dry-run',
  '--registry-url',
  'http://127.0.0.1:9/apis/ccompat/v7',
);
add('publish-no-registry', 'publish', '--schemas', 'good', '--dry-run');

setUp();
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const clean = (text: string) => text.split(WORK).join('<work>').split(WORKSPACE_ROOT).join('<repo>');
const env = { ...process.env, AVRO_GOV_REGISTRY_URL: '', AVRO_GOV_NPM_REGISTRY: '', NO_COLOR: '1' };
for (const [name, args] of CASES) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: WORK, encoding: 'utf8', env });
  const text = `$ avro-gov ${args.join(' ')}\nexit ${run.status}\n--- stdout\n${clean(run.stdout)}--- stderr\n${clean(run.stderr)}`;
  writeFileSync(join(OUT, `${name}.txt`), text);
}
// What generate wrote, file by file, and its text, apart from the runs: a diff there is about generated code.
const listing: string[] = [];
const walk = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else listing.push(relative(WORK, path));
  }
};
try {
  walk(join(WORK, 'out'));
} catch {
  // generate wrote nothing
}
writeFileSync(join(OUT, 'generated-files.txt'), `${listing.join('\n')}\n`);
writeFileSync(
  join(OUT, 'generated-content.txt'),
  listing.map((file) => `=== ${file}\n${clean(readFileSync(join(WORK, file), 'utf8'))}`).join('\n'),
);
rmSync(WORK, { recursive: true, force: true });
console.log(`${CASES.length} runs written to ${OUT}`);
