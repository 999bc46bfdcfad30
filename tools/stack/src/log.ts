// Progress logging for `up`/`down`: one structured entry per step, rendered as a readable line by default.

export interface LogEntry {
  /** The service the step belongs to, or undefined for the whole stack. */
  readonly service: string | undefined;
  /** Short step name: download, format, start, ready, stop, ... */
  readonly step: string;
  readonly message: string;
  /** Milliseconds since the command began. */
  readonly elapsedMs: number;
}

export type StackLogger = (entry: LogEntry) => void;

export function formatLogEntry(entry: LogEntry): string {
  const seconds = (entry.elapsedMs / 1000).toFixed(1).padStart(6);
  const service = (entry.service ?? 'stack').padEnd(8);
  return `[${seconds}s] ${service} ${entry.step.padEnd(9)} ${entry.message}`;
}

/** Writes entries to stderr so that stdout stays for command output (status tables). */
export const consoleLogger: StackLogger = (entry) => {
  process.stderr.write(`${formatLogEntry(entry)}\n`);
};

export const silentLogger: StackLogger = () => {};

/** A logger bound to one service and a start time. */
export interface StepLog {
  (step: string, message: string): void;
}

export function stepLog(logger: StackLogger, service: string | undefined, startedAt: number): StepLog {
  return (step, message) => logger({ service, step, message, elapsedMs: Date.now() - startedAt });
}
