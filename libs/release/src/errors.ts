// The one error base of the release step (register schemas, publish packages). A failure names the subject,
// file, package or config key at fault; registry and npm failures keep their HTTP status and stay retriable
// when asking again may help.

export const ReleaseErrorCodes = [
  'USAGE',
  'FILE_NOT_FOUND',
  'CONFIG_INVALID',
  'CODEGEN_FAILED',
  'REGISTRY_UNREACHABLE',
  'REGISTRY_ERROR',
  /** The registry (or its token endpoint) refused the credentials: 401. */
  'REGISTRY_UNAUTHENTICATED',
  /** The credentials are valid but may not register: 403. */
  'REGISTRY_FORBIDDEN',
] as const;

export type ReleaseErrorCode = (typeof ReleaseErrorCodes)[number];

export interface ReleaseErrorContext {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  subject?: string;
  configKey?: string;
  httpStatus?: number;
  registryErrorCode?: number;
}

export class ReleaseError extends Error {
  readonly code: ReleaseErrorCode;
  readonly retriable: boolean;
  readonly context: ReleaseErrorContext;

  constructor(
    code: ReleaseErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: ReleaseErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReleaseError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}
