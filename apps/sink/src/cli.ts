// adlake-sink's commands: run the sink, audit what it wrote, merge, compact, or list its settings.
import { parseArgs } from 'node:util';
import { ignoreKafkajsTimerWarning, SdkError } from '@adlake/sdk';
import { describeSettings, loadSettings, SinkError } from '@adlake/sink';
import type { SinkSettings } from '@adlake/sink';
import { Kafka, logLevel } from 'kafkajs';
import { jsonLogger, logProcessWarnings } from './log.ts';
import { runCompact, runMerge } from './maintenance.ts';
import { runSink } from './run.ts';
import { buildStorage, kafkaSecurity } from './wiring.ts';

const HELP = `Usage: adlake-sink <command> [options]

Commands:
  run                 consume the configured topics and write Parquet exactly once
  audit --topic <t>   prove a topic's output: committed offset ranges per partition, duplicates, holes,
                      files the ledger names that are missing or differ, lag against Kafka, rows per day
  merge               move the DR sink's files into production exactly once (--dr-config; docs/dr.md)
  compact             join small committed files into files of compaction.targetBytes (docs/dr.md)
  settings            list every setting with its doc, unit, default and environment variable

Options:
  --config <file>     JSON settings file (environment variables override it)
  --topic <t>         topic to audit
  --also-root <dir>   audit: another output root of the same topic (e.g. the DR root); repeatable
  --format <f>        audit: text or json (default text)
  --max-lag <n>       audit: fail when a partition has more than n offsets in Kafka not yet committed
  --no-kafka          audit: do not ask Kafka for its log start and end (storage only)
  --dr-config <file>  merge: the DR sink's settings file (its output.root, Kafka and group; topicClasses
                      name a mirrored topic, which is merged by event id); environment variables
                      apply to --config only
  --dr-active <m>     merge: auto (ask the DR consumer group, default), yes or no; while the DR sink is
                      active, its newest commit per partition stays in the DR tree
  --watch             merge, compact: keep running a pass every maintenance.intervalMs until SIGTERM
  -h, --help          show this text

Exit codes: 0 ok, 1 audit found duplicates, holes, ledger breaks, missing files or too much lag (or a
merge or compaction failed; the log says why), 2 bad configuration or usage, or Kafka unreachable for the
audit, 3 another merger or compactor holds the tree.`;

/** Kafka's log start and end per partition of the audited topic. */
async function kafkaOffsets(
  settings: SinkSettings,
  topic: string,
): Promise<Map<number, { low: number; high: number }>> {
  const admin = new Kafka({
    clientId: `${settings['kafka.clientId']}-audit`,
    brokers: settings['kafka.brokers'],
    ...kafkaSecurity(settings),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
  } catch (error) {
    throw new SinkError(
      'CONFIG_INVALID',
      `audit: cannot read ${topic}'s offsets from Kafka at ${settings['kafka.brokers'].join(',')} (kafka.brokers): ${String(error)}; use --no-kafka to audit storage only`,
      { context: { configKey: 'kafka.brokers' }, cause: error },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      topic: { type: 'string' },
      'also-root': { type: 'string', multiple: true },
      format: { type: 'string' },
      'max-lag': { type: 'string' },
      'no-kafka': { type: 'boolean' },
      'dr-config': { type: 'string' },
      'dr-active': { type: 'string' },
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help === true || command === undefined) {
    console.log(HELP);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (command === 'settings') {
    console.log(`Settings (file keys; environment variables win):\n${describeSettings()}`);
    return 0;
  }
  const settings = loadSettings({
    ...(values.config === undefined ? {} : { file: values.config }),
    forRun: command === 'run',
  });
  if (command === 'audit') {
    logProcessWarnings(jsonLogger('audit', 'warn', (line) => process.stderr.write(`${line}\n`)));
    if (values.topic === undefined)
      throw new SinkError('CONFIG_INVALID', 'audit needs --topic <topic>', {
        context: { configKey: '--topic' },
      });
    const maxLag = values['max-lag'] === undefined ? undefined : Number(values['max-lag']);
    if (maxLag !== undefined && !(Number.isInteger(maxLag) && maxLag >= 0))
      throw new SinkError(
        'CONFIG_INVALID',
        `--max-lag: "${values['max-lag']}" is not a non-negative integer`,
        {
          context: { configKey: '--max-lag' },
        },
      );
    const topic = values.topic;
    const kafka = values['no-kafka'] === true ? undefined : () => kafkaOffsets(settings, topic);
    // DuckDB, a large native module, is loaded only by the command that reads files back with it.
    const { auditTopic, formatAudit } = await import('./audit.ts');
    const report = await auditTopic(
      buildStorage(settings),
      [settings['output.root'], ...(values['also-root'] ?? [])],
      values.topic,
      { ...(kafka === undefined ? {} : { kafka }), ...(maxLag === undefined ? {} : { maxLag }) },
    );
    console.log(values.format === 'json' ? JSON.stringify(report, null, 2) : formatAudit(report));
    return report.ok ? 0 : 1;
  }
  if (command === 'merge' || command === 'compact') {
    const log = jsonLogger(command);
    logProcessWarnings(log);
    const topics = values.topic === undefined ? settings.topics : [values.topic];
    if (topics.length === 0)
      throw new SinkError('CONFIG_INVALID', `${command}: set topics in the settings or pass --topic`, {
        context: { configKey: 'topics' },
      });
    const stop = new AbortController();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        log.info(`${command}.signal`, { signal, then: 'stops after the current step' });
        stop.abort();
      });
    }
    const options = { watch: values.watch === true, topics, signal: stop.signal };
    try {
      if (command === 'compact') await runCompact(settings, options, log);
      else {
        if (values['dr-config'] === undefined)
          throw new SinkError('CONFIG_INVALID', 'merge needs --dr-config <file> (the DR sink settings)', {
            context: { configKey: '--dr-config' },
          });
        const drActive = values['dr-active'] ?? 'auto';
        if (drActive !== 'auto' && drActive !== 'yes' && drActive !== 'no')
          throw new SinkError('CONFIG_INVALID', `--dr-active: "${drActive}" is not one of auto, yes, no`, {
            context: { configKey: '--dr-active' },
          });
        // The environment configures this process, which is production's side: the DR sink's settings
        // come from its own file alone.
        const dr = loadSettings({ file: values['dr-config'], env: {}, forRun: false });
        await runMerge(settings, dr, { ...options, drActive }, log);
      }
    } catch (error) {
      if (error instanceof SinkError && error.code === 'CONFIG_INVALID') throw error;
      const code = error instanceof SinkError ? error.code : undefined;
      log.error(`${command}.failed`, {
        code,
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof SinkError ? { context: error.context, retriable: error.retriable } : {}),
      });
      return exitNow(code === 'FENCED' ? 3 : 1);
    }
    log.info(`${command}.done`, {});
    return exitNow(0);
  }
  if (command === 'run') {
    const log = jsonLogger('sink');
    logProcessWarnings(log);
    const starting = runSink(settings, log);
    // Installed before start-up finishes: a stop requested while connecting still ends gracefully.
    const shutdown = (signal: string): void => {
      log.info('sink.signal', { signal });
      // A stop asked for by a signal ends the process in bounded time, even when start-up (joining the
      // group) has not finished and so there is no sink to stop yet: the ledger keeps the data safe.
      const limitMs = settings['shutdown.timeoutMs'] + 15_000;
      setTimeout(() => {
        log.error('sink.stop-forced', { signal, limitMs, reason: 'the sink did not stop in time' });
        process.exit(1);
      }, limitMs).unref();
      void starting.then((sink) => sink.stop()).catch(() => undefined);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    const sink = await starting;
    await sink.done;
    if (sink.fatal !== undefined) {
      log.error('sink.exit', { code: 1, reason: sink.fatal });
      return exitNow(1);
    }
    return exitNow(0);
  }
  console.error(`adlake-sink: unknown command "${command}"; expected run, audit, merge, compact or settings`);
  return 2;
}

/**
 * Sets the exit code and makes sure the process ends: a stop that timed out may leave a socket or a retry
 * timer behind, and a sink that can no longer work must not stay up.
 */
function exitNow(code: number): number {
  setTimeout(() => process.exit(code), 2_000).unref();
  return code;
}

ignoreKafkajsTimerWarning();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const code = (error as { code?: unknown } | null)?.code;
  if ((error instanceof SinkError || error instanceof SdkError) && code === 'CONFIG_INVALID') {
    console.error(`adlake-sink: ${error.message}`);
    process.exitCode = 2;
  } else if (
    error instanceof SdkError &&
    (code === 'AUTHENTICATION_FAILED' || code === 'AUTHORIZATION_FAILED')
  ) {
    // Refused by Kafka or the registry: one line saying who was refused what; retrying cannot help.
    console.error(`adlake-sink: ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`adlake-sink: ${error.message}\nRun "adlake-sink --help" for usage.`);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
