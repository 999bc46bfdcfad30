import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPassword } from '../../src/services/secrets.ts';

test('a password is 24 random bytes in URL-safe base64: nothing a JAAS line or a properties file must escape', () => {
  for (let i = 0; i < 200; i++) assert.match(newPassword(), /^[A-Za-z0-9_-]{32}$/);
  assert.equal(
    newPassword(() => Buffer.alloc(24, 0xff)),
    '_'.repeat(32),
  );
});
