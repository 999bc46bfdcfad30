import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_SERVICES, OPTIONAL_SERVICES } from '../../src/config.ts';
import { MAVEN_DIR } from '../../src/services/service.ts';
import { SERVICES, withDependencies } from '../../src/stack.ts';

test('kafka-dr and mirrormaker are optional: `up` without names starts what it always did', () => {
  assert.deepEqual([...DEFAULT_SERVICES], ['kafka', 'hdfs', 'registry', 'npm']);
  assert.deepEqual(
    [...OPTIONAL_SERVICES],
    ['kafka-dr', 'mirrormaker', 'kafka-secure', 'keycloak', 'registry-secure'],
  );
});

test('mirrormaker brings both clusters; kafka-dr alone needs nothing else', () => {
  assert.deepEqual(withDependencies(['mirrormaker']), ['kafka', 'kafka-dr', 'mirrormaker']);
  assert.deepEqual(withDependencies(['kafka-dr']), ['kafka-dr']);
  assert.deepEqual(withDependencies(['npm', 'mirrormaker']), ['kafka', 'npm', 'kafka-dr', 'mirrormaker']);
});

test('kafka-dr runs the jars of kafka (one download), under its own role, data folder and pid file', () => {
  const dr = SERVICES['kafka-dr'];
  assert.equal(dr.cache, 'kafka');
  assert.equal(dr.version, SERVICES.kafka.version);
  assert.deepEqual(dr.roles, ['kafka-dr']);
  assert.deepEqual(SERVICES.kafka.roles, ['kafka']);
});

test('mirrormaker resolves connect-mirror of the broker version, with the same logging binding', () => {
  const pom = `${MAVEN_DIR}mirrormaker/pom.xml`;
  assert.ok(existsSync(pom));
  const text = readFileSync(pom, 'utf8');
  const version = SERVICES.mirrormaker.version;
  assert.equal(version, SERVICES.kafka.version);
  assert.match(text, new RegExp(`<artifactId>connect-mirror</artifactId><version>${version}</version>`));
  assert.match(text, /slf4j-reload4j/);
  assert.equal(SERVICES.mirrormaker.cache, 'mirrormaker');
  assert.deepEqual(SERVICES.mirrormaker.dependsOn, ['kafka', 'kafka-dr']);
});
