// Shared plumbing of the CLI commands: option parsing with usage errors, exit codes, output formats.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export const FORMATS = ['text', 'json', 'github'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface Command {
  name: string;
  summary: string;
  run(argv: readonly string[]): Promise<number>;
}

/** A mistake in how the command was called; printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help`, and with its errors turned into usage errors. */
export function parseCommandLine<T extends Options>(
  argv: readonly string[],
  options: T,
): {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true }>>['values'];
  positionals: string[];
  help: boolean;
} {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    const help = (parsed.values as { help?: boolean }).help === true;
    return { values: parsed.values as never, positionals: parsed.positionals, help };
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error),
    );
  }
}

export function parseFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  return format as OutputFormat;
}
