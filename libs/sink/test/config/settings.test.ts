import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeSettings, envName, loadSettings, SETTINGS } from '../../src/config/settings.ts';
import { SinkError } from '../../src/errors.ts';

function configFile(t: { after: (fn: () => void) => void }, content: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sink-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'sink.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('defaults, then the file (nested or dotted keys), then the environment', (t) => {
  const file = configFile(t, {
    topics: ['a', 'b'],
    rotation: { maxRecords: 10 },
    'parquet.compression': 'zstd',
  });
  const s = loadSettings({ file, env: { ADLAKE_SINK_ROTATION_MAX_RECORDS: '20' } });
  assert.deepEqual(s.topics, ['a', 'b']);
  assert.equal(s['rotation.maxRecords'], 20);
  assert.equal(s['parquet.compression'], 'zstd');
  assert.equal(s['rotation.intervalMs'], 600_000);
  assert.equal(s['storage.kind'], 'local');
});

test('every problem is reported at once, naming the key, the value and where it came from', (t) => {
  const file = configFile(t, {
    topics: ['a'],
    rotation: { maxRecords: 0 },
    'storage.kind': 'ftp',
    colour: 'blue',
  });
  assert.throws(
    () =>
      loadSettings({
        file,
        env: { ADLAKE_SINK_MEMORY_BUDGET_BYTES: 'lots', ADLAKE_SINK_PARTITION_TIMEZONE: 'Mars/Base' },
      }),
    (error: unknown) => {
      assert.ok(error instanceof SinkError);
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, /colour: unknown setting in .*sink\.json/);
      assert.match(
        error.message,
        /rotation\.maxRecords: 0 is below the minimum 1 records \(from .*sink\.json\)/,
      );
      assert.match(error.message, /storage\.kind: "ftp" is not one of local, webhdfs/);
      assert.match(
        error.message,
        /memory\.budgetBytes: "lots" is not a whole number of bytes \(from environment ADLAKE_SINK_MEMORY_BUDGET_BYTES\)/,
      );
      assert.match(error.message, /partition\.timezone: "Mars\/Base" is not an IANA timezone/);
      return true;
    },
  );
});

test('no topics and no pattern is a configuration error that says how to fix it', () => {
  assert.throws(() => loadSettings({ env: {} }), /topics: set topics \(ADLAKE_SINK_TOPICS\) or topicPattern/);
});

test('a file that is not JSON names the file', (t) => {
  const file = configFile(t, '{ "topics": [ }');
  assert.throws(() => loadSettings({ file, env: {} }), /config file .*sink\.json is not JSON/);
});

test('env names are derived from keys, and the reference lists every key with its default', () => {
  assert.equal(envName('rotation.maxFileBytes'), 'ADLAKE_SINK_ROTATION_MAX_FILE_BYTES');
  const reference = describeSettings();
  for (const s of SETTINGS) assert.ok(reference.includes(`  ${s.key}`), s.key);
});

test('a secret in the settings file is refused, naming the setting and its environment variable, never the value', (t) => {
  const file = configFile(t, { topics: ['t'], kafka: { sasl: { password: 'hunter2-in-a-file' } } });
  assert.throws(
    () => loadSettings({ file, env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof SinkError);
      assert.match(
        error.message,
        /kafka\.sasl\.password: a secret may not be written in .*; set ADLAKE_SINK_KAFKA_SASL_PASSWORD/,
      );
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    },
  );
});

test('a secret comes from its environment variable', () => {
  const settings = loadSettings({
    env: {
      ADLAKE_SINK_TOPICS: 't',
      ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      ADLAKE_SINK_KAFKA_SASL_USERNAME: 'adlake-sink',
      ADLAKE_SINK_KAFKA_SASL_PASSWORD: 'from-env',
    },
  });
  assert.equal(settings['kafka.sasl.password'], 'from-env');
  assert.equal(settings['kafka.securityProtocol'], 'SASL_SSL');
});

test('security settings that only work together are checked together', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadSettings({ env: { ADLAKE_SINK_TOPICS: 't', ...env } });
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const sasl = problems({ ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' });
  assert.match(sasl, /kafka\.sasl\.username: required with kafka\.securityProtocol SASL_SSL/);
  assert.match(sasl, /kafka\.sasl\.passwordFile: required .* \(or set ADLAKE_SINK_KAFKA_SASL_PASSWORD\)/);
  assert.match(
    problems({ ADLAKE_SINK_REGISTRY_AUTH: 'basic' }),
    /registry\.username: required with registry\.auth basic/,
  );
  const oauth = problems({
    ADLAKE_SINK_REGISTRY_AUTH: 'client-credentials',
    ADLAKE_SINK_REGISTRY_CLIENT_ID: 'c',
  });
  assert.match(oauth, /registry\.tokenUrl: required/);
  assert.match(oauth, /registry\.clientSecretFile: required/);
  assert.doesNotMatch(oauth, /registry\.clientId: required/);
  assert.equal(problems({ ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SSL' }), '', 'TLS alone needs nothing more');
});
