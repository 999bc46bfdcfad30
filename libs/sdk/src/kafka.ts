// The Kafka client option: the application's own kafkajs `Kafka` (preferred: apps build clients), or plain
// config from which the SDK builds one. Also what an application needs to keep kafkajs's known-harmless
// noise out of its logs: a log creator and a filter for one process warning.
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig, LogEntry, logCreator } from 'kafkajs';
import { SdkError, SdkErrorCodes } from './errors.ts';

export type KafkaOption = Kafka | KafkaConfig;

export function toKafka(option: KafkaOption | undefined, clientId: string): Kafka {
  if (option instanceof Kafka || typeof (option as Kafka | undefined)?.producer === 'function')
    return option as Kafka;
  const config = option as KafkaConfig | undefined;
  if (config === undefined || (!Array.isArray(config.brokers) && typeof config.brokers !== 'function')) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      '/options/kafka must be a kafkajs Kafka or { brokers: string[], ... }',
      {
        context: { option: '/options/kafka' },
      },
    );
  }
  return new Kafka({ clientId, logLevel: logLevel.WARN, logCreator: kafkaLogCreator(), ...config });
}

/**
 * kafkajs log lines that say nothing a user can act on, by message, each with why it is harmless here.
 */
export const HARMLESS_KAFKAJS_LOGS: ReadonlyMap<string, string> = new Map([
  [
    'Limiting retries for the idempotent producer may invalidate EoS guarantees',
    // kafkajs advances an idempotent producer's sequence numbers only on success, so the SDK's own retry of a
    // failed batch resends it with the same sequence and the broker de-duplicates it (docs/sdk.md).
    'the SDK retries a failed batch itself, with the same sequence numbers',
  ],
]);

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * A kafkajs `logCreator` that drops HARMLESS_KAFKAJS_LOGS and hands every other line to `write` (default: one
 * JSON line on stderr, as kafkajs writes by default).
 */
export function kafkaLogCreator(
  write: (level: KafkaLogLevel, entry: LogEntry['log']) => void = (level, entry) =>
    process.stderr.write(`${JSON.stringify({ level: level.toUpperCase(), ...entry })}\n`),
): logCreator {
  return () =>
    ({ level, log }) => {
      if (HARMLESS_KAFKAJS_LOGS.has(log.message)) return;
      const name: KafkaLogLevel =
        level === logLevel.ERROR
          ? 'error'
          : level === logLevel.WARN
            ? 'warn'
            : level === logLevel.INFO
              ? 'info'
              : 'debug';
      write(name, log);
    };
}

let timerWarningIgnored = false;

/**
 * kafkajs 2.2.4 arms a timer for `throttledUntil - Date.now()` while `throttledUntil` is still -1 (no broker
 * has asked it to throttle), a delay of minus the epoch time. Node 23 and later warn about the negative delay
 * (`TimeoutNegativeWarning`) and use 1 ms, which is what kafkajs means: look at the request queue again now.
 * Harmless, and nothing a user can act on. An application calls this once at startup to drop exactly that
 * warning: one raised from inside kafkajs's request queue; any other negative timeout still warns.
 */
export function ignoreKafkajsTimerWarning(): void {
  if (timerWarningIgnored) return;
  timerWarningIgnored = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (
      type === 'TimeoutNegativeWarning' &&
      /kafkajs[/\\]src[/\\]network[/\\]requestQueue/.test(new Error().stack ?? '')
    ) {
      return;
    }
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
