#!/usr/bin/env node
// Command line of the local stack: `npm run stack -- up|down|status|logs [service...]`.
import { parseArgs } from 'node:util';
import { ignoreKafkajsTimerWarning } from '@adlake/sdk';
import { DEFAULT_SERVICES, loadStackConfig, OPTIONAL_SERVICES, SETTINGS } from './config.ts';
import { StackError } from './errors.ts';
import { down, logs, status, up } from './stack.ts';

const HELP = `Usage: npm run stack -- <command> [service...] [options]

Runs the local stack as plain processes on 127.0.0.1 (no Docker): ${DEFAULT_SERVICES.join(', ')}, and
on request the optional ${OPTIONAL_SERVICES.join(', ')}.

Commands:
  up [service...]       download what is missing (first run only), start the services that are not running
                        and wait until each is really usable; already-running services are left alone.
                        No names: ${DEFAULT_SERVICES.join(', ')}. A named service brings what it depends on
                        (mirrormaker: kafka, kafka-dr)
  down [service...]     stop the services this stack started (found through pid files); no names: all,
                        optional ones included
  status [service...]   show which services run, their pids, memory and a readiness check; no names: the
                        default services and the optional ones that were started
  logs [service...]     print the last lines of each service log

Options:
  --wipe         with down: also delete the services' data (downloads in <stack dir>/cache are kept)
  --lines <n>    with logs: how many lines per log (default 40)
  --json         with status: print JSON
  --help         show this text

Services: kafka (Kafka 3.9 KRaft), hdfs (NameNode + DataNode, WebHDFS), registry (Apicurio, Confluent API at
/apis/ccompat/v7), npm (verdaccio; publish token in <stack dir>/npm/npmrc).
Optional: kafka-dr (a second Kafka 3.9 KRaft cluster, the DR cluster), mirrormaker (MirrorMaker 2, dedicated
mode: mirrors the kafka topics matching ADLAKE_MIRRORMAKER_TOPICS to kafka-dr as primary.<topic>).

Environment (defaults in parentheses):
${Object.values(SETTINGS)
  .map((s) => `  ${s.env.padEnd(32)} ${s.doc}${typeof s.default === 'string' ? ` (${s.default})` : ''}`)
  .join('\n')}
`;

const COMMANDS = ['up', 'down', 'status', 'logs'] as const;
type Command = (typeof COMMANDS)[number];

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${Math.round(bytes / 2 ** 20)} MiB`;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      wipe: { type: 'boolean', default: false },
      lines: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const [command, ...services] = positionals;
  if (!COMMANDS.includes(command as Command)) {
    throw new StackError(
      'USAGE',
      `unknown command "${command ?? ''}"; expected one of ${COMMANDS.join(', ')} (see --help)`,
    );
  }
  const config = loadStackConfig();
  switch (command as Command) {
    case 'up': {
      const result = await up(config, { services });
      console.log(
        `started: ${result.started.join(', ') || 'none'}; already running: ${result.alreadyRunning.join(', ') || 'none'}`,
      );
      return 0;
    }
    case 'down': {
      const result = await down(config, { services, wipe: values.wipe });
      console.log(
        `stopped: ${result.stopped.join(', ') || 'none'}; not running: ${result.notRunning.join(', ') || 'none'}`,
      );
      return 0;
    }
    case 'status': {
      const rows = await status(config, { services });
      if (values.json) {
        console.log(JSON.stringify(rows, null, 2));
      } else {
        for (const row of rows) {
          const procs = row.processes
            .map(
              (p) =>
                `${p.role}${p.pid === undefined ? '' : ` pid ${p.pid} ${mib(p.rssBytes)}`}${p.note === undefined ? '' : ` (${p.note})`}`,
            )
            .join(', ');
          const ready =
            row.ready === undefined ? '' : row.ready ? ' ready' : ` NOT ready: ${row.detail ?? ''}`;
          console.log(`${row.service.padEnd(11)} ${row.state.padEnd(8)} ${procs}${ready}`);
        }
      }
      return rows.every((r) => r.state === 'running' && r.ready === true) ? 0 : 3;
    }
    case 'logs': {
      const lines = values.lines === undefined ? 40 : Number(values.lines);
      if (!Number.isInteger(lines) || lines < 1)
        throw new StackError('USAGE', `--lines must be a positive whole number`);
      console.log(logs(config, { services, lines }));
      return 0;
    }
  }
}

ignoreKafkajsTimerWarning();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof StackError) {
    console.error(`error [${error.code}]: ${error.message}`);
    process.exitCode = error.code === 'USAGE' || error.code === 'CONFIG_INVALID' ? 2 : 1;
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`error [USAGE]: ${error.message} (see --help)`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
