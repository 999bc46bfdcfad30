import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CodegenError } from '../src/errors.ts';
import { generateNamespacePackage, packageNameFor, writeGeneratedFiles } from '../src/package.ts';
import type { NamespacePackage } from '../src/package.ts';
import { fixtureSchemas, typecheck, writeTempPackage } from './support.ts';
import type { TempPackage } from './support.ts';

const RUNTIME_VERSION = (
  JSON.parse(readFileSync(new URL('../../event-runtime/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('packageNameFor', () => {
  const cases: [string, string | undefined, string][] = [
    ['com.acme.adserver', undefined, '@acme/events-adserver'],
    ['com.acme.adServer', undefined, '@acme/events-ad-server'],
    ['com.acme.adserver.taxonomy', '@acme/{namespace}', '@acme/com-acme-adserver-taxonomy'],
  ];
  for (const [namespace, pattern, expected] of cases) {
    it(`${namespace} → ${expected}`, () => assert.equal(packageNameFor(namespace, pattern), expected));
  }
});

describe('generateNamespacePackage', () => {
  let result: NamespacePackage;
  let pkg: TempPackage;

  before(() => {
    result = generateNamespacePackage(fixtureSchemas(), { namespace: 'com.acme.adserver' });
    pkg = writeTempPackage(result.files);
  });
  after(() => pkg.remove());

  it('contains only the events of the namespace, with the types they reference', () => {
    assert.equal(result.packageName, '@acme/events-adserver');
    assert.deepEqual(
      result.events.map((e) => e.name),
      ['AdImpression', 'AdClick'],
    );
    const index = result.files.find((f) => f.path === 'index.ts')?.contents ?? '';
    assert.match(index, /export \{ AdImpression \} from '\.\/AdImpression\.ts';/);
    assert.match(index, /export \{ AdClick \} from '\.\/AdClick\.ts';/);
    assert.match(index, /export type \{ [^}]*\bDevice\b[^}]*\} from '\.\/types\.ts';/);
    assert.doesNotMatch(index, /Category/);
  });

  it('returns package.json data for the publish step, depending on exactly the workspace runtime', () => {
    assert.deepEqual(result.packageJson.dependencies, { '@adlake/event-runtime': RUNTIME_VERSION });
    assert.equal(result.packageJson.type, 'module');
    assert.equal(result.packageJson.name, '@acme/events-adserver');
  });

  it('writes a README listing events, subjects and fields', () => {
    const readme = result.files.find((f) => f.path === 'README.md')?.contents ?? '';
    assert.match(
      readme,
      /\| `AdImpression` \| `adserver\.ad-impression-value` \| `adserver\.ad-impressions` \|/,
    );
    assert.match(
      readme,
      /\| `device` \| `Device` \| `com\.acme\.adserver\.common\.Device` \|  \| Where the ad was shown\. \|/,
    );
    assert.match(
      readme,
      /\| `label` \| `null \\\| string \\\| number` \| `union<null, string, long>` \| `null` \|/,
    );
  });

  it('compiles strictly', () => {
    assert.deepEqual(
      typecheck(
        pkg.dir,
        result.files.filter((f) => f.path.endsWith('.ts')).map((f) => f.path),
      ),
      [],
    );
  });

  it('fails when no event lives in the namespace', () => {
    assert.throws(
      () => generateNamespacePackage(fixtureSchemas(), { namespace: 'com.acme.nothing' }),
      (e: unknown) => e instanceof CodegenError && e.code === 'CODEGEN_FAILED',
    );
  });
});

describe('writeGeneratedFiles', () => {
  it('refuses paths that leave the output directory', () => {
    assert.throws(
      () => writeGeneratedFiles('/tmp/never-written', [{ path: '../evil.ts', contents: '' }]),
      (e: unknown) => e instanceof CodegenError && e.code === 'CODEGEN_FAILED',
    );
  });
});
