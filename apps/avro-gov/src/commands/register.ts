// avro-gov register: the CI release step that registers exactly what changed, once, in dependency order.
import {
  DEFAULT_MANIFEST,
  formatPlanTable,
  planJson,
  REFERENCE_MODES,
  registerRelease,
  REGISTRY_ENV,
  resolveRegistryConnection,
} from '@adlake/release';
import type { ReferenceMode } from '@adlake/release';
import { EXIT, parseCommandLine, UsageError } from '../args.ts';
import type { Command } from '../args.ts';
import { WORKSPACE_HELP, WORKSPACE_OPTIONS } from '../context.ts';

const HELP = `Usage: avro-gov register [options]

Registers the workspace's event schemas (and the shared named types they use) with a Confluent-compatible
schema registry. First a plan: every subject is unchanged, level-drift (its compatibility level in the
registry differs from the config), new-subject, new-version (compatible) or incompatible. Then, unless
--dry-run: one more compatibility check against the registry, registration in dependency order (a shared
type is registered under its fullname and referenced from events as a Confluent schema reference), the
configured compatibility level per subject, and a manifest of what is registered. Rerunning registers
nothing twice; after a failure it finishes the rest.

Options:
${WORKSPACE_HELP}
  --registry-url <u>       Confluent-compatible API base URL (default: $${REGISTRY_ENV.url})
  --registry-config <file> JSON {"url", "auth": "user:password"}, {"url", "token"} or, for an OAuth 2
                           identity provider, {"url", "tokenUrl", "clientId", "clientSecret"}; keep it out
                           of git. Otherwise credentials come from $${REGISTRY_ENV.auth}, $${REGISTRY_ENV.token}
                           or $${REGISTRY_ENV.tokenUrl} + $${REGISTRY_ENV.clientId} + $${REGISTRY_ENV.clientSecret}
  --dry-run                print the plan, change nothing
  --manifest <file>        where apply writes the manifest (default: ${DEFAULT_MANIFEST})
  --references <mode>      subjects (default): shared types get their own subject and are referenced;
                           inline: every event is registered self-contained
  --format <f>             text (a table) or json (default: text)
  -h, --help               show this text

Exit codes: 0 registered (or nothing to do), 1 incompatible (nothing registered), 2 bad input or a
registry failure (the message names the subject; rerun to finish).`;

const OPTIONS = {
  ...WORKSPACE_OPTIONS,
  'registry-url': { type: 'string' },
  'registry-config': { type: 'string' },
  'dry-run': { type: 'boolean' },
  manifest: { type: 'string' },
  references: { type: 'string' },
  format: { type: 'string' },
} as const;

export const registerCommand: Command = {
  name: 'register',
  async run(argv) {
    const { values, positionals, help } = parseCommandLine(argv, OPTIONS);
    if (help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`--format: "${format}" is not one of text, json`);
    const references = values.references ?? 'subjects';
    if (!(REFERENCE_MODES as readonly string[]).includes(references))
      throw new UsageError(`--references: "${references}" is not one of ${REFERENCE_MODES.join(', ')}`);
    const registry = await resolveRegistryConnection({
      url: values['registry-url'],
      configFile: values['registry-config'],
    });
    const result = await registerRelease({
      cwd: process.cwd(),
      schemas: values.schemas,
      config: values.config,
      registry,
      dryRun: values['dry-run'] === true,
      manifest: values.manifest,
      references: references as ReferenceMode,
      log: (line) => console.error(line),
    });
    if (format === 'json') console.log(JSON.stringify(planJson(result.plan, result.applied), null, 2));
    else console.log(formatPlanTable(result.plan));
    if (result.blocked !== undefined) {
      console.error(`avro-gov register: ${result.blocked.message}`);
      return EXIT.findings;
    }
    if (result.applied !== undefined) {
      console.error(
        `registered ${result.applied.registered.length} version(s), set ${result.applied.levelsSet.length} level(s); manifest ${result.manifestPath}`,
      );
    } else {
      console.error('dry run: nothing registered');
    }
    return EXIT.ok;
  },
};
