// The README's test command: every check the project has, in one run, with the real stack started around
// the integration tests and stopped again (only what this run started), whatever the tests did.
import { parseArgs } from 'node:util';
import { ignoreKafkajsTimerWarning } from '@adlake/sdk';
import { down, loadStackConfig, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { runNx } from './nx.ts';
import { TestTally } from './tally.ts';

const PHASES = ['static', 'unit', 'integration'] as const;
type Phase = (typeof PHASES)[number];

const HELP = `Usage: npm test [-- --only <phase>] [-- --keep-stack]

Runs, in order:
  static       lint and typecheck of every project (nx run-many -t lint typecheck)
  unit         unit tests of every project (nx run-many -t test)
  integration  starts the local stack if it is not running, runs every integration test against it
               (nx run-many -t integration), then stops the services this run started

Options:
  --only <phase>   run one phase only (static, unit, integration)
  --keep-stack     leave services this run started running afterwards
  --help           show this text

Ends with a line "N passed, N failed" counting tests; exits non-zero if any check or test failed.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'keep-stack': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.only !== undefined && !PHASES.includes(values.only as Phase)) {
    console.error(`--only: unknown phase "${values.only}"; expected one of ${PHASES.join(', ')}`);
    return 2;
  }
  const phases: readonly Phase[] = values.only === undefined ? PHASES : [values.only as Phase];
  const tally = new TestTally();
  const failures: string[] = [];

  for (const phase of phases) {
    console.log(`\n=== ${phase} ===`);
    const ok = await runPhase(phase, tally, values['keep-stack']);
    if (!ok) failures.push(phase);
  }

  console.log('');
  if (failures.length > 0) console.log(`failed phases: ${failures.join(', ')}`);
  console.log(tally.summaryLine());
  return failures.length === 0 && tally.failed === 0 ? 0 : 1;
}

async function runPhase(phase: Phase, tally: TestTally, keepStack: boolean): Promise<boolean> {
  switch (phase) {
    case 'static':
      return (await runNx(['run-many', '-t', 'lint', 'typecheck'])).ok;
    case 'unit':
      // The full run ignores the cache so every test really runs; `npm run test:unit` uses it.
      return (await runNx(['run-many', '-t', 'test', '--skip-nx-cache'], tally)).ok;
    case 'integration':
      return withStack(keepStack, async () => (await runNx(['run-many', '-t', 'integration'], tally)).ok);
  }
}

async function withStack(keepStack: boolean, body: () => Promise<boolean>): Promise<boolean> {
  const config = loadStackConfig();
  let started: ServiceName[] = [];
  const stopStarted = async (): Promise<void> => {
    if (keepStack || started.length === 0) return;
    const toStop = started;
    started = [];
    console.log(`stopping what this run started: ${toStop.join(', ')}`);
    await down(config, { services: toStop });
  };
  // A Ctrl-C or a CI timeout must not leave JVMs behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    void stopStarted().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await up(config, {});
    started = result.started;
    return await body();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return false;
  } finally {
    await stopStarted();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

ignoreKafkajsTimerWarning();
process.exitCode = await main();
