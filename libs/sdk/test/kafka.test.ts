import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HARMLESS_KAFKAJS_LOGS, kafkaLogCreator } from '../src/kafka.ts';

const KAFKA_TS = fileURLToPath(new URL('../src/kafka.ts', import.meta.url));

/** Runs a script in a fresh Node process (warnings are process-wide) and returns its stderr. */
function stderrOf(script: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${script}\nprocess.exit(0);`], {
    encoding: 'utf8',
    timeout: 30_000,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

// kafkajs's own request queue, armed as every connection arms it after its first response.
const KAFKAJS_TIMER = `
  import { createRequire } from 'node:module';
  const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
  const queue = new RequestQueue({ instrumentationEmitter: null, maxInFlightRequests: 1, requestTimeout: 1000,
    enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: { debug() {}, warn() {}, error() {}, info() {} } });
  queue.scheduleCheckPendingRequests();
  await new Promise((r) => setTimeout(r, 20));
  clearTimeout(queue.throttleCheckTimeoutId);
`;

test('kafkajs arms a negative timer, which Node reports as TimeoutNegativeWarning', () => {
  assert.match(stderrOf(KAFKAJS_TIMER), /TimeoutNegativeWarning: -\d+ is a negative number/);
});

test('ignoreKafkajsTimerWarning drops that warning, and only that one', () => {
  const ignore = `import { ignoreKafkajsTimerWarning } from ${JSON.stringify(KAFKA_TS)};
    ignoreKafkajsTimerWarning();`;
  const fromKafkajs = stderrOf(`${ignore}\n${KAFKAJS_TIMER}`);
  assert.doesNotMatch(fromKafkajs, /TimeoutNegativeWarning/);
  // Node raises TimeoutNegativeWarning once per process, so each case runs in its own.
  const ours = stderrOf(`${ignore}\nsetTimeout(() => {}, -5);\nawait new Promise((r) => setTimeout(r, 20));`);
  assert.match(ours, /TimeoutNegativeWarning: -5 is a negative number/);
  const other = stderrOf(
    `${ignore}\nprocess.emitWarning('something else', 'OtherWarning');\nawait new Promise((r) => setTimeout(r, 20));`,
  );
  assert.match(other, /OtherWarning: something else/);
});

test('kafkaLogCreator drops the known-harmless kafkajs lines and passes every other one on', () => {
  const written: string[] = [];
  const log = kafkaLogCreator((level, entry) => written.push(`${level} ${entry.message}`))(0);
  const entry = (message: string) => ({
    namespace: 'Producer',
    label: 'WARN',
    timestamp: '',
    logger: 'kafkajs',
    message,
  });
  for (const message of HARMLESS_KAFKAJS_LOGS.keys())
    log({ namespace: 'Producer', level: 2, label: 'WARN', log: entry(message) });
  log({ namespace: 'Producer', level: 2, label: 'WARN', log: entry('Connection timeout') });
  log({ namespace: 'Producer', level: 1, label: 'ERROR', log: entry('Crash') });
  assert.deepEqual(written, ['warn Connection timeout', 'error Crash']);
});
