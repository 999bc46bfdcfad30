// avro-gov publish: one typed npm package per namespace, versioned by what changed since the last release.
import {
  DEFAULT_PACKAGE_PATTERN,
  DEFAULT_PACKAGES_DIR,
  NPM_ENV,
  publishRelease,
  resolveNpmTarget,
} from '@adlake/release';
import { EXIT, parseCommandLine, UsageError } from '../args.ts';
import type { Command } from '../args.ts';
import { WORKSPACE_HELP, WORKSPACE_OPTIONS } from '../context.ts';

const HELP = `Usage: avro-gov publish [namespace...] [options]

Builds one npm package per namespace with event schemas (compiled JavaScript, type declarations, the .avsc
schemas, an exports map, engines node >=22, a README of events, subjects and fields) and publishes it with
the system npm. First it publishes the runtime those packages depend on, @adlake/event-runtime at the
workspace's version, unless the registry has that version already (built from other sources: an error).
The version follows what changed since the latest published version (read from the npm registry): a new
event or a compatible change is minor, a doc-only change patch, a change allowed only under NONE (or a
removed event) major; nothing changed: skipped. A version already published with the same content is
skipped; with different content it is an error.

Options:
${WORKSPACE_HELP}
  --registry <url>         npm registry (default: $${NPM_ENV.registry}, else the userconfig's registry=)
  --userconfig <npmrc>     npmrc with the registry token (default: $${NPM_ENV.userconfig}); otherwise a
                           temporary one is written with $${NPM_ENV.token}. ~/.npmrc is never read.
  --package-name <pattern> npm name pattern, {segment} = last namespace segment, {namespace} = whole
                           namespace (default: ${DEFAULT_PACKAGE_PATTERN})
  --out <dir>              build directory (default: ${DEFAULT_PACKAGES_DIR})
  --longs <number|bigint>  TypeScript type of Avro long (default: number)
  --version <semver>       publish the event packages at exactly this version instead of the derived one
  --dry-run                build and pack (tarball under --out), do not publish
  --format <f>             text or json (default: text)
  -h, --help               show this text

Exit codes: 0 published, packed or nothing to do; 2 bad input or an npm registry failure (the message
names the package).`;

const OPTIONS = {
  ...WORKSPACE_OPTIONS,
  registry: { type: 'string' },
  userconfig: { type: 'string' },
  'package-name': { type: 'string' },
  out: { type: 'string' },
  longs: { type: 'string' },
  version: { type: 'string' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
} as const;

export const publishCommand: Command = {
  name: 'publish',
  async run(argv) {
    const { values, positionals, help } = parseCommandLine(argv, OPTIONS);
    if (help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`--format: "${format}" is not one of text, json`);
    const longs = values.longs ?? 'number';
    if (longs !== 'number' && longs !== 'bigint')
      throw new UsageError(`--longs: "${longs}" is not one of number, bigint`);
    const npm = resolveNpmTarget({ registry: values.registry, userconfig: values.userconfig });
    try {
      const outcomes = await publishRelease({
        cwd: process.cwd(),
        schemas: values.schemas,
        config: values.config,
        npm,
        outDir: values.out,
        packageNamePattern: values['package-name'],
        namespaces: positionals,
        longs,
        dryRun: values['dry-run'] === true,
        version: values.version,
        log: (line) => console.error(line),
      });
      if (format === 'json') console.log(JSON.stringify(outcomes, null, 2));
      else for (const o of outcomes) console.log(`${o.name}\t${o.action}\t${o.version ?? '-'}\t${o.reason}`);
      return EXIT.ok;
    } finally {
      npm.dispose();
    }
  },
};
