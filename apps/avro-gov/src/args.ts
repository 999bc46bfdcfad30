// Shared plumbing of the CLI commands: option parsing with usage errors, exit codes, output formats.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export const FORMATS = ['text', 'json', 'github'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export interface Command {
  name: string;
  run(argv: readonly string[]): Promise<number>;
  /**
   * The command's `--format json` document for a run that failed with these errors, in the shape its
   * successful runs print, so a consumer reads one shape either way. Default: `{ "errors": [...] }`.
   */
  jsonOnError?(errors: readonly Record<string, unknown>[]): unknown;
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

/**
 * The output format asked for on a command line, read without parsing the rest, so that an error found
 * while parsing (or later) is still reported in that format. Text when absent or not a known format.
 */
export function requestedFormat(argv: readonly string[]): OutputFormat {
  let value: string | undefined;
  for (const [i, arg] of argv.entries()) {
    if (arg === '--') break;
    if (arg === '--format') value = argv[i + 1];
    else if (arg.startsWith('--format=')) value = arg.slice('--format='.length);
  }
  return (FORMATS as readonly string[]).includes(value ?? '') ? (value as OutputFormat) : 'text';
}
