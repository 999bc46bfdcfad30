import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secureKafkaAcls, SECURE_KAFKA_USERS } from '../src/secure-kafka.ts';

const allowed = (principal: string) =>
  secureKafkaAcls()
    .filter((rule) => rule.principal === `User:${principal}`)
    .map((rule) => `${rule.operation} ${rule.resourceType} ${rule.prefix}*`)
    .sort();

test('the producer may only write (and see) the ad topics', () => {
  assert.deepEqual(allowed(SECURE_KAFKA_USERS.producer.username), [
    'DESCRIBE TOPIC adserver.*',
    'WRITE TOPIC adserver.*',
  ]);
});

test('the sink reads the ad topics, uses its groups and writes its dead letters, nothing more', () => {
  assert.deepEqual(allowed(SECURE_KAFKA_USERS.sink.username), [
    'DESCRIBE GROUP adlake-*',
    'DESCRIBE TOPIC adlake.sink.dlq*',
    'DESCRIBE TOPIC adserver.*',
    'READ GROUP adlake-*',
    'READ TOPIC adserver.*',
    'WRITE TOPIC adlake.sink.dlq*',
  ]);
});

test('another service has rights on its own prefixes only, and the admin needs no ACL (it is a super user)', () => {
  for (const rule of secureKafkaAcls().filter(
    (r) => r.principal === `User:${SECURE_KAFKA_USERS.other.username}`,
  )) {
    assert.equal(rule.prefix, 'other.');
  }
  assert.deepEqual(allowed(SECURE_KAFKA_USERS.admin.username), []);
});
