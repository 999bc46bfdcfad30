// The one error base of the governance core: every failure a caller can act on carries a stable code.
import { AvroError } from '@adlake/avro';

export const GovernanceErrorCodes = [
  'FILE_NOT_FOUND',
  'JSON_SYNTAX',
  'AVRO_INVALID',
  'UNKNOWN_NAMED_TYPE',
  'REFERENCE_CYCLE',
  'DUPLICATE_NAME',
  'CONFIG_INVALID',
  'GIT_ERROR',
  'REGISTRY_UNREACHABLE',
  'REGISTRY_ERROR',
  'USAGE',
  'CODEGEN_FAILED',
] as const;

export type GovernanceErrorCode = (typeof GovernanceErrorCodes)[number];

export interface GovernanceErrorContext {
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer into the schema document, e.g. `/fields/2/type`. */
  path?: string;
  subject?: string;
  configKey?: string;
  /** For registry failures: the HTTP status and the Confluent `error_code` of the answer. */
  httpStatus?: number;
  registryErrorCode?: number;
}

export class GovernanceError extends Error {
  readonly code: GovernanceErrorCode;
  /** True when the same call may succeed later (a registry timeout); false for bad input. */
  readonly retriable: boolean;
  readonly context: GovernanceErrorContext;

  constructor(
    code: GovernanceErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: GovernanceErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GovernanceError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

/** An error of the Avro model crosses into governance with its code and place unchanged; anything else is not
 * ours to describe and comes back undefined. */
export function asGovernanceError(error: unknown): GovernanceError | undefined {
  if (error instanceof GovernanceError) return error;
  if (error instanceof AvroError) {
    return new GovernanceError(error.code, error.message, { cause: error, context: error.context });
  }
  return undefined;
}
