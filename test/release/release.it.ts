// End to end: the CI release step on a temp workspace with three namespaces, against the real Apicurio registry
// (Confluent API, schema references) and verdaccio: register + publish (the runtime first), a rerun that does
// nothing, a runtime changed without a new version, a compatible change that registers exactly one version and
// publishes a minor, a consumer project that installs the package and its runtime from the registry,
// type-checks against it and round-trips an event on plain Node, and the faults a CI job meets (bad token,
// taken version, incompatible).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { SchemaRegistryClient } from '@adlake/registry';
import { publishRelease, ReleaseError, resolveNpmTarget } from '@adlake/release';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { uniqueName } from '../support/unique.ts';

const CLI = fileURLToPath(new URL('../../apps/avro-gov/src/main.ts', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const MODULES = path.dirname(path.dirname(createRequire(import.meta.url).resolve('avsc/package.json')));
const RUNTIME = '@adlake/event-runtime';
const RUNTIME_SOURCE = path.dirname(createRequire(import.meta.url).resolve(`${RUNTIME}/package.json`));
const RUNTIME_VERSION = (
  JSON.parse(readFileSync(path.join(RUNTIME_SOURCE, 'package.json'), 'utf8')) as { version: string }
).version;
const { registryUrl, npmRegistryUrl, npmrcPath } = endpoints(loadStackConfig());
const registry = new SchemaRegistryClient({ url: registryUrl });

// Avro namespaces take letters, digits and underscores; npm scopes lower case: one id serves both.
const id = uniqueName('rel').replace(/[^a-z0-9]/g, '');
const ns = (segment: string): string => `com.${id}.${segment}`;
const scope = `@${id}`;
const pkg = (segment: string): string => `${scope}/events-${segment}`;
const topics = { clicks: `${id}.clicks`, charges: `${id}.charges`, signups: `${id}.signups` };
const subjects = {
  device: `${ns('common')}.Device`,
  clicks: `${topics.clicks}-value`,
  charges: `${topics.charges}-value`,
  signups: `${topics.signups}-value`,
};
let dir = '';
const timings: string[] = [];

function field(name: string, type: unknown, extra: object = {}): object {
  return { name, type, doc: `The ${name}.`, ...extra };
}
function record(name: string, namespace: string, fields: object[], doc = `The ${name} event.`): string {
  return `${JSON.stringify({ type: 'record', name, namespace, doc, fields }, null, 2)}\n`;
}
const device = record(
  'Device',
  ns('common'),
  [field('os', 'string'), field('model', ['null', 'string'], { default: null })],
  'A device.',
);
const click = (extra: object[] = [], price: string = 'long'): string =>
  record('AdClick', ns('ads'), [
    field('click_id', 'string'),
    field('price_micros', price),
    field('device', `${ns('common')}.Device`),
    ...extra,
  ]);
const charge = record('Charge', ns('billing'), [
  field('charge_id', 'string'),
  field('amount_micros', 'long'),
  field('device', `${ns('common')}.Device`),
]);
const signup = record('Signup', ns('users'), [field('user_id', 'string')]);

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
const files = {
  device: `schemas/com/${id}/common/Device.avsc`,
  click: `schemas/com/${id}/ads/AdClick.avsc`,
  charge: `schemas/com/${id}/billing/Charge.avsc`,
  signup: `schemas/com/${id}/users/Signup.avsc`,
};

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number | null; stdout: string; stderr: string } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      AVRO_GOV_REGISTRY_URL: registryUrl,
      AVRO_GOV_NPM_REGISTRY: npmRegistryUrl,
      AVRO_GOV_NPM_USERCONFIG: npmrcPath,
      ...env,
    },
  });
  timings.push(`${args.slice(0, 2).join(' ')}: ${Date.now() - started} ms`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function register(...args: string[]) {
  return cli(['register', '--format', 'json', ...args]);
}
function publish(...args: string[]) {
  return cli(['publish', '--format', 'json', '--package-name', `${scope}/events-{segment}`, ...args]);
}
interface Outcome {
  name: string;
  kind: string;
  action: string;
  version?: string;
  bump: string;
}
function outcomes(stdout: string): Map<string, Outcome> {
  return new Map((JSON.parse(stdout) as Outcome[]).map((o) => [o.name, o]));
}
interface PlanJson {
  summary: Record<string, number>;
  subjects: { subject: string; status: string }[];
  applied?: { registered: { subject: string; version: number }[] };
}
function npm(args: string[], cwd: string) {
  return execFileSync(
    'npm',
    [...args, '--registry', npmRegistryUrl, '--userconfig', npmrcPath, '--no-audit', '--no-fund'],
    {
      cwd,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k))),
    },
  );
}

function unpublishRuntime(): void {
  try {
    npm(['unpublish', `${RUNTIME}@${RUNTIME_VERSION}`, '--force', '--loglevel=silent'], tmpdir());
  } catch {
    // not in the registry
  }
}

before(() => {
  // The first release must find the runtime missing, so that publishing it is what is tested. This stack's
  // verdaccio is the tests' own: nothing else depends on the runtime being there.
  unpublishRuntime();
  dir = mkdtempSync(path.join(tmpdir(), 'adlake-e2e-release-'));
  write(files.device, device);
  write(files.click, click());
  write(files.charge, charge);
  write(files.signup, signup);
  write(
    'schemas/avro-gov.json',
    JSON.stringify({
      version: 1,
      subjects: [
        { schema: `${ns('ads')}.AdClick`, topic: topics.clicks, compatibility: 'BACKWARD_TRANSITIVE' },
        { schema: `${ns('billing')}.Charge`, topic: topics.charges },
        { schema: `${ns('users')}.Signup`, topic: topics.signups, compatibility: 'FULL' },
      ],
    }),
  );
});

after(async () => {
  console.log(`timings:\n  ${timings.join('\n  ')}`);
  // Referencing subjects first: the registry refuses to delete a subject others reference.
  for (const s of [subjects.clicks, subjects.charges, subjects.signups, subjects.device]) {
    await registry
      .deleteSubject(s, { permanent: true })
      .catch((e: unknown) => console.error(`cleanup ${s}: ${String(e)}`));
  }
  for (const segment of ['ads', 'billing', 'users']) {
    try {
      // Cleanup of our own test packages: npm's "using --force" warning is about exactly that.
      npm(['unpublish', pkg(segment), '--force', '--loglevel=error'], tmpdir());
    } catch {
      // never published (an earlier step failed)
    }
  }
  unpublishRuntime();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'first release: registers every subject with references, and publishes three packages',
  { timeout: 180_000 },
  async () => {
    const dry = register('--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal((JSON.parse(dry.stdout) as PlanJson).summary['new-subject'], 4);
    assert.deepEqual(await registry.listVersions(subjects.clicks), null, 'a dry run registers nothing');

    const r = register();
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'dist/schema-manifest.json'), 'utf8')) as {
      entries: {
        subject: string;
        version: number;
        id: number;
        references: { name: string; subject: string; version: number }[];
      }[];
    };
    assert.deepEqual(
      manifest.entries.map((e) => e.subject)[0],
      subjects.device,
      'the shared type goes first',
    );
    const clickEntry = manifest.entries.find((e) => e.subject === subjects.clicks);
    assert.deepEqual(clickEntry?.references, [
      { name: subjects.device, subject: subjects.device, version: 1 },
    ]);
    const registered = await registry.getVersion(subjects.clicks, 'latest');
    assert.deepEqual(registered.references, clickEntry?.references, 'the registry keeps the reference');
    assert.equal(await registry.getCompatibilityLevel(subjects.signups), 'FULL', 'configured level set');

    const p = publish();
    assert.equal(p.code, 0, p.stderr);
    const list = JSON.parse(p.stdout) as Outcome[];
    assert.deepEqual(
      [list[0]?.name, list[0]?.kind, list[0]?.action, list[0]?.version],
      [RUNTIME, 'runtime', 'published', RUNTIME_VERSION],
      'the runtime goes first, published because the registry lacked it',
    );
    const out = outcomes(p.stdout);
    for (const segment of ['ads', 'billing', 'users']) {
      assert.equal(out.get(pkg(segment))?.action, 'published', segment);
      assert.equal(out.get(pkg(segment))?.version, '1.0.0', segment);
    }
    const runtime = JSON.parse(npm(['view', `${RUNTIME}@${RUNTIME_VERSION}`, '--json'], dir)) as {
      dependencies: Record<string, string>;
      exports: Record<string, unknown>;
      adlake: { sourceHash: string };
    };
    assert.deepEqual(Object.keys(runtime.dependencies), ['avsc']);
    assert.match(runtime.adlake.sourceHash, /^[0-9a-f]{64}$/);
    const published = JSON.parse(npm(['view', `${pkg('ads')}@1.0.0`, '--json'], dir)) as {
      exports: Record<string, unknown>;
      engines: Record<string, string>;
      dependencies: Record<string, string>;
    };
    assert.deepEqual(published.dependencies, { [RUNTIME]: RUNTIME_VERSION });
    assert.deepEqual(published.exports['.'], {
      types: './index.d.ts',
      import: './index.js',
      default: './index.js',
    });
    assert.equal(published.engines['node'], '>=22');
  },
);

test('a second run registers and publishes nothing', { timeout: 120_000 }, () => {
  const r = register();
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as PlanJson;
  assert.equal(plan.summary['unchanged'], 4);
  assert.deepEqual(plan.applied?.registered, []);
  const p = publish();
  assert.equal(p.code, 0, p.stderr);
  for (const o of outcomes(p.stdout).values()) assert.equal(o.action, 'skipped', o.name);
  assert.ok(outcomes(p.stdout).has(RUNTIME), 'the runtime is checked on every release');
});

test('avro-gov compat --against registry works on referenced registrations', () => {
  const r = cli(['compat', '--against', 'registry']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `${subjects.clicks} BACKWARD_TRANSITIVE vs registry: compatible with 1 version\\(s\\); registry at BACKWARD_TRANSITIVE says compatible`,
    ),
  );
});

test(
  'a compatible change registers exactly one new version and publishes a minor',
  { timeout: 120_000 },
  async () => {
    write(files.click, click([field('campaign', ['null', 'string'], { default: null })]));
    const r = register();
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as PlanJson;
    assert.deepEqual(
      plan.applied?.registered.map((x) => [x.subject, x.version]),
      [[subjects.clicks, 2]],
    );
    assert.deepEqual(await registry.listVersions(subjects.charges), [1]);

    // The runtime changed but kept its version: the release stops before any event package.
    const changed = path.join(mkdtempSync(path.join(tmpdir(), 'adlake-e2e-runtime-')), 'event-runtime');
    cpSync(RUNTIME_SOURCE, changed, { recursive: true, filter: (f) => !f.includes('node_modules') });
    const codec = path.join(changed, 'src', 'codec.ts');
    writeFileSync(codec, `${readFileSync(codec, 'utf8')}\n// changed without a new version\n`);
    const target = resolveNpmTarget({ registry: npmRegistryUrl, userconfig: npmrcPath });
    try {
      await assert.rejects(
        publishRelease({
          cwd: dir,
          npm: target,
          packageNamePattern: `${scope}/events-{segment}`,
          runtimeSource: changed,
        }),
        (e: unknown) =>
          e instanceof ReleaseError &&
          e.code === 'REGISTRY_ERROR' &&
          e.message.includes(`${RUNTIME}@${RUNTIME_VERSION} is already published`) &&
          /without a new version/.test(e.message),
      );
    } finally {
      target.dispose();
      rmSync(path.dirname(changed), { recursive: true, force: true });
    }
    assert.equal(npm(['view', pkg('ads'), 'version'], dir).trim(), '1.0.0', 'no event package went out');

    const p = publish();
    assert.equal(p.code, 0, p.stderr);
    const out = outcomes(p.stdout);
    assert.deepEqual(
      [out.get(pkg('ads'))?.action, out.get(pkg('ads'))?.version, out.get(pkg('ads'))?.bump],
      ['published', '1.1.0', 'minor'],
    );
    assert.equal(out.get(pkg('billing'))?.action, 'skipped');
    assert.equal(out.get(pkg('users'))?.action, 'skipped');
  },
);

test(
  'a consumer project installs the package from verdaccio and type-checks against it',
  { timeout: 180_000 },
  (t) => {
    const app = mkdtempSync(path.join(tmpdir(), 'adlake-e2e-consumer-'));
    t.after(() => rmSync(app, { recursive: true, force: true }));
    // verdaccio has no uplink to npmjs: avsc and @types/node come from this workspace's copies; the runtime
    // comes from verdaccio, where the release put it.
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: {
          avsc: `file:${path.join(MODULES, 'avsc')}`,
          '@types/node': `file:${path.join(MODULES, '@types/node')}`,
        },
      }),
    );
    npm(['install', `${pkg('ads')}@^1.1.0`], app);
    // The event package's runtime was installed from the registry, and is what the package resolves.
    const lock = JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string }>;
    };
    const installed = lock.packages[`node_modules/${RUNTIME}`];
    assert.equal(installed?.version, RUNTIME_VERSION);
    assert.ok(installed?.resolved?.startsWith(npmRegistryUrl), `resolved from ${installed?.resolved}`);
    const eventPackage = path.join(app, 'node_modules', pkg('ads'));
    assert.equal(
      realpathSync(createRequire(path.join(eventPackage, 'package.json')).resolve(RUNTIME)),
      realpathSync(path.join(app, 'node_modules', RUNTIME, 'index.js')),
    );
    // Plain Node, no type stripping: JavaScript all the way down, and an event round-trips.
    writeFileSync(
      path.join(app, 'check.mjs'),
      [
        `import { AdClick, EventCodecError } from '${pkg('ads')}';`,
        `const click = { click_id: 'c-2', price_micros: -4503599627370497, device: { os: 'Android', model: 'Pixel' }, campaign: null };`,
        'const back = AdClick.decode(AdClick.encode(click));',
        'let code;',
        'try { AdClick.encode({ ...click, price_micros: 1.5 }); } catch (e) { code = e instanceof EventCodecError ? e.code : String(e); }',
        'console.log(JSON.stringify({ back: { ...back, device: { ...back.device } }, code }));',
      ].join('\n'),
    );
    const plain = spawnSync(process.execPath, ['--no-experimental-strip-types', 'check.mjs'], {
      cwd: app,
      encoding: 'utf8',
    });
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(JSON.parse(plain.stdout), {
      back: {
        click_id: 'c-2',
        price_micros: -4503599627370497,
        device: { os: 'Android', model: 'Pixel' },
        campaign: null,
      },
      code: 'INVALID_VALUE',
    });
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: ['node'],
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
        },
        files: ['main.ts'],
      }),
    );
    const good = [
      `import { AdClick } from '${pkg('ads')}';`,
      `const click: AdClick = { click_id: 'c-1', price_micros: 1500, device: { os: 'iOS', model: null }, campaign: 'spring' };`,
      'const bytes: Buffer = AdClick.encode(click);',
      'const back: AdClick = AdClick.decode(bytes);',
      'console.log(JSON.stringify({ subject: AdClick.subject, os: back.device.os, campaign: back.campaign }));',
    ].join('\n');
    writeFileSync(path.join(app, 'main.ts'), `${good}\n`);
    const ok = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const run = spawnSync(process.execPath, ['main.ts'], { cwd: app, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { subject: subjects.clicks, os: 'iOS', campaign: 'spring' });

    writeFileSync(
      path.join(app, 'main.ts'),
      `${good.replace('price_micros: 1500', "price_micros: '1500'")}\n`,
    );
    const bad = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(
      bad.stdout,
      /main\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  },
);

test(
  'faults: a wrong npm token, a version taken by other content, an incompatible change',
  { timeout: 180_000 },
  async () => {
    // A doc-only change of the users package, published with a token verdaccio does not know.
    write(files.signup, record('Signup', ns('users'), [field('user_id', 'string')], 'Someone signed up.'));
    const wrong = cli(['publish', '--package-name', `${scope}/events-{segment}`], {
      AVRO_GOV_NPM_USERCONFIG: '',
      AVRO_GOV_NPM_TOKEN: 'not-a-token',
    });
    assert.equal(wrong.code, 2, wrong.stdout + wrong.stderr);
    assert.match(wrong.stdout, new RegExp(`npm publish ${pkg('users')}@1\\.0\\.1 .*failed \\(E40[13]\\)`));
    const patch = publish();
    assert.equal(patch.code, 0, patch.stderr);
    const users = outcomes(patch.stdout).get(pkg('users'));
    assert.deepEqual(
      [users?.action, users?.version, users?.bump],
      ['published', '1.0.1', 'patch'],
      'doc-only: patch',
    );

    write(
      files.click,
      click([
        field('campaign', ['null', 'string'], { default: null }),
        field('note', ['null', 'string'], { default: null }),
      ]),
    );
    const taken = publish('com.' + id + '.ads', '--version', '1.0.0');
    assert.equal(taken.code, 2);
    assert.match(
      taken.stdout,
      new RegExp(`package ${pkg('ads')}@1\\.0\\.0 is already published .* with different content`),
    );

    write(files.click, click([field('campaign', ['null', 'string'], { default: null })], 'string'));
    const before = await registry.listVersions(subjects.clicks);
    const incompatible = register();
    assert.equal(incompatible.code, 1, incompatible.stderr);
    assert.match(
      incompatible.stderr,
      new RegExp(`incompatible with the registry, nothing registered: "${subjects.clicks}"`),
    );
    assert.deepEqual(await registry.listVersions(subjects.clicks), before);
  },
);
