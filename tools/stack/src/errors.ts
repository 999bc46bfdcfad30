// The one error base of @adlake/stack: every failure carries a stable code, the service it concerns and
// whether retrying the same command may help.

export const StackErrorCodes = [
  'CONFIG_INVALID',
  'USAGE',
  'TOOL_MISSING',
  'DOWNLOAD_FAILED',
  'PORT_TAKEN',
  'DATA_INCOMPATIBLE',
  'START_FAILED',
  'READY_TIMEOUT',
  'STOP_FAILED',
] as const;

export type StackErrorCode = (typeof StackErrorCodes)[number];

export interface StackErrorContext {
  /** The env var behind a bad setting. */
  configKey?: string;
  port?: number;
  file?: string;
}

export class StackError extends Error {
  readonly code: StackErrorCode;
  /** True when the same command may succeed later (a timeout, the network); false for bad setup. */
  readonly retriable: boolean;
  /** The service concerned (kafka, hdfs, registry, npm), if any. */
  readonly service: string | undefined;
  readonly context: StackErrorContext;

  constructor(
    code: StackErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; service?: string; context?: StackErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StackError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.service = options.service;
    this.context = options.context ?? {};
  }
}
