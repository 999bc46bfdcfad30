import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMavenFailure, parseJavaMajor } from '../src/tools.ts';

test('java -version output gives the feature version', () => {
  assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(parseJavaMajor('openjdk version "25.0.3" 2026-04-21 LTS'), 25);
  assert.equal(parseJavaMajor('java version "1.8.0_402"'), 8);
  assert.equal(parseJavaMajor('bash: java: not found'), undefined);
});

test('Maven output from a machine without network reads as offline', () => {
  const out =
    '[ERROR] Failed to execute goal on project kafka: Could not resolve dependencies: Could not transfer artifact ' +
    'org.apache.kafka:kafka_2.13:pom:3.9.1 from/to central (https://repo.maven.apache.org/maven2): repo.maven.apache.org: Temporary failure in name resolution';
  const result = describeMavenFailure(out);
  assert.equal(result.offline, true);
  assert.match(result.summary, /^\[ERROR\] Failed to execute goal/);
});

test('a missing artifact is not mistaken for an offline machine', () => {
  const out =
    '\x1b[0m[ERROR] Failed to execute goal: Could not find artifact io.apicurio:apicurio-registry-app:tar.gz:all:3.1.7 in central';
  const result = describeMavenFailure(out);
  assert.equal(result.offline, false);
  assert.match(result.summary, /Could not find artifact/);
});
