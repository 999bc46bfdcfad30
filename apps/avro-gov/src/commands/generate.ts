// avro-gov generate: typed TypeScript packages, one per namespace, from the workspace's event schemas.
import {
  assertAvroValid,
  codegenSchemas,
  eventNamespaces,
  namedTypeLookup,
  workspaceEvents,
} from '@adlake/governance';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateNamespacePackage, writeGeneratedFiles } from '@adlake/codegen';
import { EXIT, parseCommandLine, UsageError } from '../args.ts';
import type { Command } from '../args.ts';
import { loadContext, WORKSPACE_HELP, WORKSPACE_OPTIONS } from '../context.ts';
import { selectPaths, underAny } from '../select.ts';

const HELP = `Usage: avro-gov generate [paths...] [options]

Generates one TypeScript package per namespace that has event schemas (those mapped to a topic in the
config): an interface and input type per event, a codec const with the schema, the avsc Type, subject,
topic, validate/encode/decode, and a README. Shared named types from other namespaces are included where
used. Generated code is a build output: keep the output directory out of git.

Options:
${WORKSPACE_HELP}
  --out <dir>              output directory (default: generated); each package goes to <out>/<namespace>
  --longs <number|bigint>  TypeScript type of Avro long (default: number, range-checked)
  --package-name <pattern> npm name pattern, {segment} = last namespace segment,
                           {namespace} = the namespace with dots as dashes (default: @acme/events-{segment})
  -h, --help               show this text

With paths, only namespaces with an event schema under them are generated.`;

const OPTIONS = {
  ...WORKSPACE_OPTIONS,
  out: { type: 'string' },
  longs: { type: 'string' },
  'package-name': { type: 'string' },
} as const;

export const generateCommand: Command = {
  name: 'generate',
  async run(argv) {
    const { values, positionals, help } = parseCommandLine(argv, OPTIONS);
    if (help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const longs = values.longs ?? 'number';
    if (longs !== 'number' && longs !== 'bigint')
      throw new UsageError(`--longs: "${longs}" is not one of number, bigint`);
    const out = values.out ?? 'generated';
    const { cwd, workspace, config } = await loadContext(values);
    assertAvroValid(workspace);
    const specs = selectPaths(cwd, positionals);
    const events = workspaceEvents(workspace, config);
    const namespaces = eventNamespaces(events.filter((e) => underAny(e.doc.file, specs)));
    const schemas = codegenSchemas(events);
    for (const namespace of namespaces) {
      const pkg = generateNamespacePackage(
        { schemas, lookupNamedType: namedTypeLookup(workspace) },
        {
          namespace,
          longs,
          ...(values['package-name'] === undefined ? {} : { packageNamePattern: values['package-name'] }),
        },
      );
      const dir = path.join(out, namespace);
      // Stale files from a removed event must not survive in a build output.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeGeneratedFiles(dir, pkg.files);
      writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify({ version: '0.0.0', ...pkg.packageJson }, null, 2)}\n`,
      );
      console.error(`${pkg.packageName}: ${pkg.events.map((e) => e.name).join(', ')} -> ${dir}`);
    }
    if (namespaces.length === 0) console.error('no event schemas selected; nothing generated');
    return EXIT.ok;
  },
};
