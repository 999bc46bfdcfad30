import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SdkError, formatInvalidFields, invalidEventError, isRetriable } from '../src/errors.ts';

test('an invalid single event lists every field with expected and actual, and is not retriable', () => {
  const error = invalidEventError(
    'adserver.impressions-value',
    [
      { index: 0, path: 'ad_id', expected: 'long (integer within ±9007199254740990)', actual: 'string "x"' },
      { index: 0, path: '', expected: 'record com.acme.X', actual: 'null' },
    ],
    1,
  );
  assert.equal(error.code, 'INVALID_EVENT');
  assert.equal(error.retriable, false);
  assert.equal(error.context.subject, 'adserver.impressions-value');
  assert.equal(
    error.message,
    'invalid adserver.impressions-value event; nothing was sent:\n' +
      '  ad_id: expected long (integer within ±9007199254740990), got string "x"\n' +
      '  (root): expected record com.acme.X, got null',
  );
});

test('a batch error counts the bad events and prefixes each line with the index', () => {
  const errors = [
    { index: 2, path: 'a', expected: 'int (32-bit integer)', actual: 'undefined' },
    { index: 2, path: 'b', expected: 'string', actual: 'number 1' },
    { index: 7, path: 'a', expected: 'int (32-bit integer)', actual: 'number 1.5' },
  ];
  const error = invalidEventError('s', errors, 10);
  assert.match(error.message, /^2 of 10 s events are invalid; nothing was sent:\n/);
  assert.equal(
    formatInvalidFields(errors, true).split('\n')[2],
    '  [7] a: expected int (32-bit integer), got number 1.5',
  );
  assert.deepEqual(error.errors, errors);
});

test('retriable: our flag, kafkajs flags, the cause of kafkajs wrappers, never programmer errors', () => {
  const cases: [string, unknown, boolean][] = [
    ['retriable SdkError', new SdkError('REGISTRY_UNAVAILABLE', 'x', { retriable: true }), true],
    ['SdkError default', new SdkError('INVALID_EVENT', 'x'), false],
    [
      'kafkajs retriable',
      Object.assign(new Error('leader'), { name: 'KafkaJSProtocolError', retriable: true }),
      true,
    ],
    [
      'kafkajs non-retriable',
      Object.assign(new Error('x'), { name: 'KafkaJSNonRetriableError', retriable: false }),
      false,
    ],
    [
      'retries exceeded on a retriable cause',
      Object.assign(new Error('x'), {
        name: 'KafkaJSNumberOfRetriesExceeded',
        retriable: false,
        cause: Object.assign(new Error('c'), { name: 'KafkaJSConnectionError', retriable: true }),
      }),
      true,
    ],
    [
      // A broker SIGKILLed and restarting, as kafkajs reports it once its own retries end.
      'non-retriable wrapper of a connection error',
      Object.assign(new Error('x'), {
        name: 'KafkaJSNonRetriableError',
        retriable: false,
        cause: Object.assign(new Error('c'), { name: 'KafkaJSConnectionError', retriable: true }),
      }),
      true,
    ],
    [
      'non-retriable wrapper of a non-retriable cause',
      Object.assign(new Error('x'), {
        name: 'KafkaJSNonRetriableError',
        retriable: false,
        cause: Object.assign(new Error('c'), { name: 'KafkaJSProtocolError', retriable: false }),
      }),
      false,
    ],
    ['TypeError', new TypeError('undefined is not a function'), false],
    ['plain object with retriable', { retriable: true }, false],
    ['string', 'boom', false],
  ];
  for (const [name, error, expected] of cases) assert.equal(isRetriable(error), expected, name);
});
