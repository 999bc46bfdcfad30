// Structured logs: one JSON object per line on stdout, so any collector can parse them.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(
  component: string,
  level: Level = 'info',
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger {
  const emit =
    (l: Level) =>
    (event: string, fields: Record<string, unknown> = {}): void => {
      if (ORDER[l] < ORDER[level]) return;
      out(JSON.stringify({ ts: new Date().toISOString(), level: l, component, event, ...fields }));
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/**
 * Routes process warnings into the structured log (kafkajs's known-harmless timer warning is dropped before
 * it is raised: `ignoreKafkajsTimerWarning` in cli.ts).
 */
export function logProcessWarnings(log: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    log.warn('process.warning', { name: warning.name, message: warning.message });
  });
}
