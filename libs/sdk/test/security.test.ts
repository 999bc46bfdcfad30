import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SdkError } from '../src/errors.ts';
import { KafkaRefusals, kafkaAccessError, kafkaSecurityConfig, readSecret } from '../src/security.ts';

const dir = mkdtempSync(join(tmpdir(), 'sdk-security-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const passwordFile = file('password', 's3cret-pw\n');
const configError = (option: string) => (error: unknown) =>
  error instanceof SdkError && error.code === 'CONFIG_INVALID' && error.context.option === option;

test('SASL_SSL: the CA from its file, SCRAM credentials with the password from its file, trimmed', () => {
  const config = kafkaSecurityConfig({
    protocol: 'SASL_SSL',
    caFile: ca,
    sasl: { mechanism: 'scram-sha-512', username: 'adlake-sink', password: { file: passwordFile } },
  });
  assert.deepEqual(config.ssl, { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] });
  assert.deepEqual(config.sasl, {
    mechanism: 'scram-sha-512',
    username: 'adlake-sink',
    password: 's3cret-pw',
  });
});

test('the password may come from the environment instead of a file', () => {
  const config = kafkaSecurityConfig(
    { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'plain', username: 'u', password: { env: 'PW' } } },
    {},
    { PW: 'from-env' },
  );
  assert.equal(config.ssl, undefined);
  assert.deepEqual(config.sasl, { mechanism: 'plain', username: 'u', password: 'from-env' });
});

test('PLAINTEXT gives no TLS and no SASL; SSL without a CA file trusts the default roots', () => {
  assert.deepEqual(kafkaSecurityConfig({ protocol: 'PLAINTEXT' }), {});
  assert.deepEqual(kafkaSecurityConfig({ protocol: 'SSL' }), { ssl: {} });
});

test('inconsistent settings fail at start-up, naming the setting', () => {
  const names = {
    sasl: 'kafka.sasl.username',
    caFile: 'kafka.ssl.caFile',
    certFile: 'kafka.ssl.certFile',
    password: 'kafka.sasl.passwordFile',
  };
  assert.throws(
    () => kafkaSecurityConfig({ protocol: 'SASL_SSL' }, names),
    configError('kafka.sasl.username'),
  );
  assert.throws(
    () => kafkaSecurityConfig({ protocol: 'PLAINTEXT', caFile: ca }, names),
    configError('kafka.ssl.caFile'),
  );
  assert.throws(
    () => kafkaSecurityConfig({ protocol: 'SSL', certFile: ca }, names),
    configError('kafka.ssl.certFile'),
  );
  assert.throws(
    () => kafkaSecurityConfig({ protocol: 'SSL', caFile: join(dir, 'missing.pem') }, names),
    (error: unknown) =>
      configError('kafka.ssl.caFile')(error) && /missing\.pem: ENOENT/.test((error as Error).message),
  );
  assert.throws(
    () =>
      kafkaSecurityConfig(
        {
          protocol: 'SASL_SSL',
          sasl: { mechanism: 'scram-sha-512', username: 'u', password: { file: file('empty', '\n') } },
        },
        names,
      ),
    configError('kafka.sasl.passwordFile'),
  );
});

test('a missing secret names where it was looked for and never shows a value', () => {
  assert.throws(
    () => readSecret({ env: 'NOT_SET_ANYWHERE' }, 'registry.clientSecret', {}),
    /registry\.clientSecret: the environment variable NOT_SET_ANYWHERE is not set/,
  );
});

const access = {
  brokers: ['127.0.0.1:9096'],
  principal: 'adlake-sink',
  topics: ['adserver.impressions'],
  group: 'adlake-hdfs-sink',
};

test('a SASL refusal is AUTHENTICATION_FAILED, not retriable, naming the cluster and the principal', () => {
  const error = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), {
    name: 'KafkaJSSASLAuthenticationError',
  });
  const mapped = kafkaAccessError(error, access);
  assert.equal(mapped?.code, 'AUTHENTICATION_FAILED');
  assert.equal(mapped?.retriable, false);
  assert.match(mapped?.message ?? '', /Kafka at 127\.0\.0\.1:9096 refused the credentials of "adlake-sink"/);
});

test('an untrusted or expired certificate, found in the cause chain, is AUTHENTICATION_FAILED', () => {
  for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED']) {
    const tls = Object.assign(new Error('certificate problem'), { code });
    const error = Object.assign(new Error('Connection error: certificate problem'), {
      name: 'KafkaJSConnectionError',
      originalError: tls,
    });
    assert.equal(kafkaAccessError(error, access)?.code, 'AUTHENTICATION_FAILED', code);
  }
});

test('a missing ACL is AUTHORIZATION_FAILED naming the topic or the group', () => {
  const topic = Object.assign(new Error('Not authorized to access topics'), {
    type: 'TOPIC_AUTHORIZATION_FAILED',
  });
  assert.match(
    kafkaAccessError(topic, access)?.message ?? '',
    /"adlake-sink" to use topic adserver\.impressions/,
  );
  const group = Object.assign(new Error('Not authorized to access group'), {
    type: 'GROUP_AUTHORIZATION_FAILED',
  });
  const mapped = kafkaAccessError(new Error('wrapped', { cause: group }), access);
  assert.equal(mapped?.code, 'AUTHORIZATION_FAILED');
  assert.match(mapped?.message ?? '', /group adlake-hdfs-sink \(GROUP_AUTHORIZATION_FAILED\)/);
});

test('any other failure is not mistaken for a refusal', () => {
  assert.equal(kafkaAccessError(new Error('Connection error: connect ECONNREFUSED'), access), undefined);
  assert.equal(
    kafkaAccessError(Object.assign(new Error('x'), { type: 'NOT_LEADER_FOR_PARTITION' }), access),
    undefined,
  );
});

test('a group refusal kafkajs reports only as "Failed to find group coordinator" is named from its log', () => {
  const notFound = Object.assign(new Error('Failed to find group coordinator'), {
    name: 'KafkaJSGroupCoordinatorNotFound',
  });
  const refusals = new KafkaRefusals();
  assert.equal(kafkaAccessError(notFound, access, refusals), undefined, 'no refusal seen: not a refusal');
  refusals.observe({ error: 'Not authorized to access group: Group authorization failed' });
  const mapped = kafkaAccessError(notFound, access, refusals);
  assert.equal(mapped?.code, 'AUTHORIZATION_FAILED');
  assert.match(mapped?.message ?? '', /to use group adlake-hdfs-sink/);
});
