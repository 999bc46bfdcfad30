// The one error base of the code generator. A schema codegen cannot turn into TypeScript is reported with the
// file and JSON pointer at fault; `CODEGEN_FAILED` is a generator or compiler failure, not bad input.

import { AvroError, AvroErrorCodes } from '@adlake/avro';

export const CodegenErrorCodes = [...AvroErrorCodes, 'CODEGEN_FAILED'] as const;

export type CodegenErrorCode = (typeof CodegenErrorCodes)[number];

export interface CodegenErrorContext {
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer into the schema document, e.g. `/fields/2/type`. */
  path?: string;
  subject?: string;
}

export class CodegenError extends Error {
  readonly code: CodegenErrorCode;
  /** Generating again from the same schemas gives the same answer. */
  readonly retriable = false;
  readonly context: CodegenErrorContext;

  constructor(
    code: CodegenErrorCode,
    message: string,
    options: { cause?: unknown; context?: CodegenErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodegenError';
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** An error of the Avro model keeps its code and place as a codegen error; anything else comes back undefined. */
export function asCodegenError(error: unknown): CodegenError | undefined {
  if (error instanceof CodegenError) return error;
  if (error instanceof AvroError) {
    return new CodegenError(error.code, error.message, { cause: error, context: error.context });
  }
  return undefined;
}
