#!/usr/bin/env node
// The avro-gov command line: a thin front end over the governance core, as the Nx plugin is the other.
import { GovernanceError } from '../errors.ts';
import { EXIT, UsageError } from './args.ts';
import type { Command } from './args.ts';
import { compatCommand } from './commands/compat.ts';
import { generateCommand } from './commands/generate.ts';
import { lintCommand } from './commands/lint.ts';
import { publishCommand } from './commands/publish.ts';
import { registerCommand } from './commands/register.ts';

const COMMANDS: readonly Command[] = [
  lintCommand,
  compatCommand,
  generateCommand,
  registerCommand,
  publishCommand,
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
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    console.error(
      `avro-gov: unknown command "${name}"; expected one of ${COMMANDS.map((c) => c.name).join(', ')}`,
    );
    return EXIT.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportError(command, error);
  }
}

function reportError(command: Command, error: unknown): number {
  if (error instanceof UsageError) {
    console.error(
      `avro-gov ${command.name}: ${error.message}\nRun "avro-gov ${command.name} --help" for usage.`,
    );
    return EXIT.usage;
  }
  if (error instanceof GovernanceError) {
    // User errors print where and what, never a stack trace.
    const { file, line, column } = error.context;
    const where = file === undefined ? '' : `${file}${line === undefined ? '' : `:${line}:${column ?? 1}`} `;
    console.error(`${where}${error.code} ${error.message}`);
    return EXIT.usage;
  }
  console.error(`avro-gov ${command.name}: internal error (a bug, please report it):`);
  console.error(error);
  return EXIT.internal;
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}
