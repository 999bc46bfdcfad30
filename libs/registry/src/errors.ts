// The one error base of the registry client: whether the registry could be reached, what it answered, and
// whether asking again may help.

export const RegistryErrorCodes = [
  'REGISTRY_UNREACHABLE',
  'REGISTRY_ERROR',
  /** 401, or the token endpoint refused the client: the credentials are missing, wrong or expired. */
  'REGISTRY_UNAUTHENTICATED',
  /** 403: the identity is known but may not do this. */
  'REGISTRY_FORBIDDEN',
] as const;

export type RegistryErrorCode = (typeof RegistryErrorCodes)[number];

export interface RegistryErrorContext {
  subject?: string;
  /** The HTTP status and the Confluent `error_code` of the answer. */
  httpStatus?: number;
  registryErrorCode?: number;
  /** Who the client authenticated as: a basic-auth user name or an OAuth client id; never a secret. */
  principal?: string;
  /** What was asked: method and path. */
  resource?: string;
}

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  /** True for network failures, timeouts, 5xx and 429; false when the registry refused the request. */
  readonly retriable: boolean;
  readonly context: RegistryErrorContext;

  constructor(
    code: RegistryErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: RegistryErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RegistryError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}
