// Smoke: npm publish of a generated package to verdaccio with the stack's token, then npm install of it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { uniqueName } from '../support/unique.ts';

const exec = promisify(execFile);
const { npmRegistryUrl, npmrcPath } = endpoints(loadStackConfig());
const work = mkdtempSync(join(tmpdir(), 'adlake-smoke-npm-'));
const name = `@adlake-smoke/${uniqueName('pkg')}`;
const version = '1.0.0';

/** The system npm with this test's registry and npmrc only, never the user's own config. */
function npm(args: string[], cwd: string) {
  return exec(
    'npm',
    [...args, '--registry', npmRegistryUrl, '--userconfig', npmrcPath, '--no-audit', '--no-fund'],
    {
      cwd,
      env: { ...process.env, npm_config_cache: join(work, 'cache'), npm_config_update_notifier: 'false' },
      timeout: 60_000,
    },
  );
}

after(async () => {
  // Cleanup of our own test package: npm's "using --force" warning is about exactly that.
  await npm(['unpublish', `${name}@${version}`, '--force', '--loglevel=error'], work).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

test('publishes a package to the private registry and installs it', { timeout: 120_000 }, async () => {
  const pkgDir = join(work, 'pkg');
  const appDir = join(work, 'app');
  for (const d of [pkgDir, appDir]) await exec('mkdir', ['-p', d]);
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify({ name, version, type: 'module', main: 'index.js' }),
  );
  writeFileSync(join(pkgDir, 'index.js'), 'export const answer = 42;\n');
  await npm(['publish', '--access', 'public'], pkgDir);

  const view = await npm(['view', name, 'version'], work);
  assert.equal(view.stdout.trim(), version);

  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'smoke-app', private: true }));
  await npm(['install', `${name}@${version}`], appDir);
  const installed = JSON.parse(readFileSync(join(appDir, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  assert.equal(installed.version, version);
  const mod = (await import(join(appDir, 'node_modules', name, 'index.js'))) as { answer: number };
  assert.equal(mod.answer, 42);
});

test('has no uplink: a public package is not found', { timeout: 60_000 }, async () => {
  await assert.rejects(npm(['view', 'left-pad', 'version'], work), /E404|404/);
});
