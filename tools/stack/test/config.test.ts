import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_SERVICES,
  endpoints,
  loadStackConfig,
  mirroredTopic,
  parseServices,
  REPO_ROOT,
  servicePorts,
  SETTINGS,
} from '../src/config.ts';
import { StackError } from '../src/errors.ts';

function configError(env: NodeJS.ProcessEnv): StackError {
  try {
    loadStackConfig(env);
  } catch (error) {
    assert.ok(error instanceof StackError);
    return error;
  }
  assert.fail('expected a config error');
}

test('defaults: ports, users and the .stack folder at the repo root', () => {
  const config = loadStackConfig({});
  assert.equal(config.stackDir, `${REPO_ROOT}/.stack`);
  assert.equal(config.kafkaPort, 9092);
  assert.equal(config.hdfsHttpPort, 9870);
  assert.equal(config.registryPort, 8081);
  assert.equal(config.npmPort, 4873);
  assert.equal(config.hdfsUser, 'adlake');
  assert.equal(config.hdfsOtherUser, 'intruder');
  assert.equal(config.readyTimeoutMs, 180_000);
  assert.equal(config.jvmFastStart, true);
});

test('env vars override the defaults; a relative stack dir is taken from the repo root', () => {
  const config = loadStackConfig({
    ADLAKE_KAFKA_PORT: '19092',
    ADLAKE_STACK_DIR: 'tmp/stack',
    ADLAKE_JVM_FAST_START: 'false',
  });
  assert.equal(config.kafkaPort, 19092);
  assert.equal(config.stackDir, `${REPO_ROOT}/tmp/stack`);
  assert.equal(config.jvmFastStart, false);
  assert.equal(loadStackConfig({ ADLAKE_KAFKA_PORT: '' }).kafkaPort, 9092, 'empty means default');
});

const invalid: [string, NodeJS.ProcessEnv, string][] = [
  ['port not a number', { ADLAKE_KAFKA_PORT: 'abc' }, 'ADLAKE_KAFKA_PORT'],
  ['port out of range', { ADLAKE_NPM_PORT: '70000' }, 'ADLAKE_NPM_PORT'],
  ['port zero', { ADLAKE_HDFS_HTTP_PORT: '0' }, 'ADLAKE_HDFS_HTTP_PORT'],
  ['heap without unit', { ADLAKE_KAFKA_HEAP: '512' }, 'ADLAKE_KAFKA_HEAP'],
  ['timeout not whole seconds', { ADLAKE_STACK_READY_TIMEOUT: '1.5' }, 'ADLAKE_STACK_READY_TIMEOUT'],
  ['bad boolean', { ADLAKE_JVM_FAST_START: 'maybe' }, 'ADLAKE_JVM_FAST_START'],
  ['bad user name', { ADLAKE_HDFS_USER: 'Root User' }, 'ADLAKE_HDFS_USER'],
  ['same two users', { ADLAKE_HDFS_OTHER_USER: 'adlake' }, 'ADLAKE_HDFS_OTHER_USER'],
  ['two services on one port', { ADLAKE_NPM_PORT: '9092' }, 'ADLAKE_NPM_PORT'],
  ['kafka-dr on the kafka port', { ADLAKE_KAFKA_DR_PORT: '9092' }, 'ADLAKE_KAFKA_DR_PORT'],
  [
    'kafka-dr controller on its client port',
    { ADLAKE_KAFKA_DR_CONTROLLER_PORT: '9094' },
    'ADLAKE_KAFKA_DR_CONTROLLER_PORT',
  ],
  ['registry on the kafka-dr port', { ADLAKE_REGISTRY_PORT: '9095' }, 'ADLAKE_REGISTRY_PORT'],
  ['kafka-dr heap without unit', { ADLAKE_KAFKA_DR_HEAP: '256' }, 'ADLAKE_KAFKA_DR_HEAP'],
  ['mirror pattern with a comma', { ADLAKE_MIRRORMAKER_TOPICS: 'a.*,b.*' }, 'ADLAKE_MIRRORMAKER_TOPICS'],
  ['mirror pattern not a regex', { ADLAKE_MIRRORMAKER_TOPICS: 'adserver(' }, 'ADLAKE_MIRRORMAKER_TOPICS'],
  ['mirror pattern with a line break', { ADLAKE_MIRRORMAKER_TOPICS: 'a\nb=c' }, 'ADLAKE_MIRRORMAKER_TOPICS'],
];

for (const [name, env, key] of invalid) {
  test(`config error names the env var: ${name}`, () => {
    const error = configError(env);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.context.configKey, key);
    assert.match(error.message, new RegExp(`^${key}=`));
  });
}

test('every setting has a doc string and an ADLAKE_ env name, declared once', () => {
  const names = Object.values(SETTINGS).map((s) => s.env);
  assert.equal(new Set(names).size, names.length);
  for (const s of Object.values(SETTINGS)) {
    assert.match(s.env, /^ADLAKE_[A-Z_]+$/);
    assert.ok(s.doc.length > 10, s.env);
  }
});

test('endpoints follow the configured ports', () => {
  const e = endpoints(
    loadStackConfig({
      ADLAKE_KAFKA_PORT: '19092',
      ADLAKE_REGISTRY_PORT: '18081',
      ADLAKE_HDFS_RPC_PORT: '18020',
      ADLAKE_STACK_DIR: '/x',
    }),
  );
  assert.deepEqual(e.kafkaBrokers, ['127.0.0.1:19092']);
  assert.equal(e.registryUrl, 'http://127.0.0.1:18081/apis/ccompat/v7');
  assert.equal(e.webhdfsUrl, 'http://127.0.0.1:9870');
  assert.equal(e.hdfsUri, 'hdfs://127.0.0.1:18020');
  assert.equal(e.npmRegistryUrl, 'http://127.0.0.1:4873/');
  assert.equal(e.npmrcPath, '/x/npm/npmrc');
  assert.equal(e.hdfsUser, 'adlake');
  assert.equal(e.otherHdfsUser, 'intruder');
  assert.deepEqual(e.kafkaDrBrokers, ['127.0.0.1:9094']);
  assert.equal(e.mirroredTopics, 'adserver\\..*');
  assert.equal(e.mirroredTopic('adserver.impressions'), 'primary.adserver.impressions');
});

test('kafka-dr defaults and overrides: its own ports and a smaller heap; mirrored names use the primary alias', () => {
  const config = loadStackConfig({});
  assert.equal(config.kafkaDrPort, 9094);
  assert.equal(config.kafkaDrControllerPort, 9095);
  assert.equal(config.kafkaDrHeap, '256m');
  assert.equal(config.mirrormakerHeap, '256m');
  const moved = loadStackConfig({ ADLAKE_KAFKA_DR_PORT: '29094', ADLAKE_KAFKA_DR_CONTROLLER_PORT: '29095' });
  assert.deepEqual(endpoints(moved).kafkaDrBrokers, ['127.0.0.1:29094']);
  assert.deepEqual(servicePorts(moved, 'kafka-dr'), [
    { port: 29094, env: 'ADLAKE_KAFKA_DR_PORT' },
    { port: 29095, env: 'ADLAKE_KAFKA_DR_CONTROLLER_PORT' },
  ]);
  assert.deepEqual(servicePorts(moved, 'mirrormaker'), []);
  assert.equal(mirroredTopic('adserver.clicks'), 'primary.adserver.clicks');
});

test('service names: empty means all (or the given default), unknown is a usage error', () => {
  assert.deepEqual(parseServices([]), [
    'kafka',
    'hdfs',
    'registry',
    'npm',
    'kafka-dr',
    'mirrormaker',
    'kafka-secure',
    'keycloak',
    'registry-secure',
  ]);
  assert.deepEqual(parseServices([], DEFAULT_SERVICES), ['kafka', 'hdfs', 'registry', 'npm']);
  assert.deepEqual(parseServices(['mirrormaker', 'kafka-dr']), ['kafka-dr', 'mirrormaker']);
  assert.deepEqual(parseServices(['npm', 'kafka']), ['kafka', 'npm']);
  assert.throws(
    () => parseServices(['zookeeper']),
    (e: unknown) => e instanceof StackError && e.code === 'USAGE',
  );
});

test('servicePorts lists each port with the env var that moves it', () => {
  assert.deepEqual(servicePorts(loadStackConfig({}), 'registry'), [
    { port: 8081, env: 'ADLAKE_REGISTRY_PORT' },
    { port: 8091, env: 'ADLAKE_REGISTRY_MANAGEMENT_PORT' },
  ]);
});

test('the analyst user and group must be their own', () => {
  assert.throws(() => loadStackConfig({ ADLAKE_HDFS_ANALYST_USER: 'adlake' }), /ADLAKE_HDFS_ANALYST_USER/);
  assert.throws(
    () => loadStackConfig({ ADLAKE_HDFS_ANALYST_GROUP: 'supergroup' }),
    /ADLAKE_HDFS_ANALYST_GROUP/,
  );
  assert.equal(loadStackConfig({}).hdfsAnalystGroup, 'analysts');
});
