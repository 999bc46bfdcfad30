#!/usr/bin/env node
// The avro-gov command line: a thin front end over the libraries (governance, codegen, release), as the Nx
// plugin is the other.
import {
  errorToFinding,
  formatFindings,
  InvalidSchemaError,
  sortFindings,
  toJsonObject,
} from '@adlake/governance';
import type { Finding, LocatedError } from '@adlake/governance';
import { EXIT, requestedFormat, UsageError } from './args.ts';
import type { Command, OutputFormat } from './args.ts';

// A command's module (and the libraries behind it) loads only when that command runs: `lint` and `compat` on
// a PR never load code generation or the release step.
const COMMANDS: readonly { name: string; summary: string; load(): Promise<Command> }[] = [
  {
    name: 'lint',
    summary: 'check schemas against the lint rules',
    load: async () => (await import('./commands/lint.ts')).lintCommand,
  },
  {
    name: 'compat',
    summary: 'check schema changes for compatibility (git history, a directory, the registry)',
    load: async () => (await import('./commands/compat.ts')).compatCommand,
  },
  {
    name: 'generate',
    summary: 'generate typed TypeScript event packages',
    load: async () => (await import('./commands/generate.ts')).generateCommand,
  },
  {
    name: 'register',
    summary: 'register changed schemas with the registry (plan, then apply) and write a manifest',
    load: async () => (await import('./commands/register.ts')).registerCommand,
  },
  {
    name: 'publish',
    summary: 'build and publish one typed npm package per namespace (version from the change)',
    load: async () => (await import('./commands/publish.ts')).publishCommand,
  },
];

const HELP = `avro-gov: lint, compatibility and typed codegen for Avro schemas

Usage: avro-gov <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "avro-gov <command> --help" for a command's options.
Exit codes: 0 clean, 1 findings, 2 usage error or bad input.`;

export async function run(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    const known = COMMANDS.map((c) => c.name).join(', ');
    return reportError(
      undefined,
      new UsageError(`unknown command "${name}"; expected one of ${known}`),
      requestedFormat(rest),
    );
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (error) {
    return reportError(command, error, requestedFormat(rest));
  }
}

/**
 * Every error comes out on stdout in the format asked for, as a finding (file:line:col CODE message), so a
 * CI step parsing `--format json` or annotating with `--format github` sees it; the exit code says which kind.
 */
function reportError(command: Command | undefined, error: unknown, format: OutputFormat): number {
  let finding: Finding;
  let code: number;
  const known = libraryError(error);
  if (error instanceof InvalidSchemaError) {
    // Every schema Avro refuses, each under its lint rule, as `lint` and `compat` report them.
    return report(command, format, [...error.findings], EXIT.usage);
  }
  if (error instanceof UsageError) {
    finding = {
      file: '',
      line: 1,
      column: 1,
      id: 'USAGE',
      severity: 'error',
      path: '',
      message: error.message,
    };
    code = EXIT.usage;
  } else if (known !== undefined) {
    // User errors say where and what, never a stack trace.
    finding = errorToFinding(known);
    code = EXIT.usage;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    finding = {
      file: '',
      line: 1,
      column: 1,
      id: 'INTERNAL',
      severity: 'error',
      path: '',
      message: `internal error (a bug, please report it): ${message}`,
    };
    code = EXIT.internal;
  }
  report(command, format, [finding], code);
  if (code === EXIT.usage && error instanceof UsageError && format === 'text') {
    console.error(`Run "avro-gov ${command === undefined ? '' : `${command.name} `}--help" for usage.`);
  }
  if (code === EXIT.internal) console.error(error);
  return code;
}

function report(
  command: Command | undefined,
  format: OutputFormat,
  findings: Finding[],
  code: number,
): number {
  if (format === 'json') {
    const errors = sortFindings(findings).map(toJsonObject);
    console.log(JSON.stringify(command?.jsonOnError?.(errors) ?? { errors }, null, 2));
  } else {
    console.log(formatFindings(findings, format));
  }
  return code;
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}

/**
 * A failure one of our libraries describes (bad input, an unreachable service), as opposed to a bug: every
 * library's error base carries a string code, a retriable flag and a context (docs/decisions/0009). Told by
 * shape, so that reporting an error does not load every library.
 */
function libraryError(error: unknown): LocatedError | undefined {
  const e = error as { code?: unknown; retriable?: unknown; context?: unknown } | null;
  const ours =
    error instanceof Error &&
    typeof e?.code === 'string' &&
    typeof e.retriable === 'boolean' &&
    typeof e.context === 'object' &&
    e.context !== null;
  return ours ? (error as unknown as LocatedError) : undefined;
}
