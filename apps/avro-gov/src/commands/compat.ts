// avro-gov compat: is a schema change safe? Against single files, git history, a directory or the registry.
import {
  BASELINES,
  checkSchemaFiles,
  checkWorkspaceCompatibility,
  compatOutput,
  formatFindings,
  parseCompatibilityLevel,
  sortFindings,
  toJsonObject,
} from '@adlake/governance';
import type { Baseline, CompatibilityLevel, Finding, WorkspaceCompatResult } from '@adlake/governance';
import { SchemaRegistryClient } from '@adlake/registry';
import { EXIT, parseCommandLine, parseFormat, UsageError } from '../args.ts';
import type { Command, OutputFormat } from '../args.ts';
import { loadContext, WORKSPACE_HELP, WORKSPACE_OPTIONS } from '../context.ts';
import { selectPaths } from '../select.ts';

const HELP = `Usage: avro-gov compat [paths...] [options]
       avro-gov compat --schema NEW.avsc --previous OLD1.avsc [--previous OLD2.avsc ...] [--level L]

Checks that schema changes are safe at each subject's compatibility level (Avro schema resolution, with
Confluent Schema Registry semantics), reporting every incompatibility against every version checked.

Workspace mode (default): every event schema under the schema root, or those under [paths...] or using a
type defined under them, against:
  --against git       each file's history up to --base (default; repeatable with other baselines)
  --against dir       a snapshot of the schema tree in --baseline-dir
  --against registry  the subject's registered versions; the registry's own verdict must agree
  --base <ref>        newest commit counted as history (default: merge base of HEAD with main)
  --baseline-dir <d>  the snapshot for --against dir
  --registry-url <u>  Confluent-compatible API base URL (default: $AVRO_GOV_REGISTRY_URL); credentials
                      come from $AVRO_GOV_REGISTRY_AUTH (user:password) or $AVRO_GOV_REGISTRY_TOKEN
${WORKSPACE_HELP}

Single-file mode:
  --schema <file>     the new schema
  --previous <file>   a previous version, oldest first (repeatable)

Both modes:
  --level <level>     NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
                      FULL_TRANSITIVE (default: the subject's configured level; BACKWARD for single files)
  --format <f>        text, json or github (default: text)
  -h, --help          show this text

Exit codes: 0 compatible, 1 incompatible, 2 usage error or unreadable input.`;

const OPTIONS = {
  ...WORKSPACE_OPTIONS,
  against: { type: 'string', multiple: true },
  base: { type: 'string' },
  'baseline-dir': { type: 'string' },
  'registry-url': { type: 'string' },
  schema: { type: 'string' },
  previous: { type: 'string', multiple: true },
  level: { type: 'string' },
  format: { type: 'string' },
} as const;

export const compatCommand: Command = {
  name: 'compat',
  jsonOnError: (errors) => ({ compatible: false, findings: errors }),
  async run(argv) {
    const { values, positionals, help } = parseCommandLine(argv, OPTIONS);
    if (help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const format = parseFormat(values.format);
    const level =
      values.level === undefined
        ? undefined
        : parseCompatibilityLevel(values.level, { configKey: '--level' });
    if (values.schema !== undefined || values.previous !== undefined) {
      if (values.schema === undefined) throw new UsageError('--previous needs --schema <new file>');
      if (positionals.length > 0) throw new UsageError('paths cannot be combined with --schema');
      return singleFiles(values.schema, values.previous ?? [], level ?? 'BACKWARD', format);
    }
    const against = parseBaselines(values.against);
    const { cwd, workspace, config } = await loadContext(values);
    const registryUrl = values['registry-url'] ?? process.env['AVRO_GOV_REGISTRY_URL'];
    const result = await checkWorkspaceCompatibility(workspace, config, {
      against,
      cwd,
      paths: selectPaths(cwd, positionals),
      ...(values.base === undefined ? {} : { base: values.base }),
      ...(values['baseline-dir'] === undefined ? {} : { baselineDir: values['baseline-dir'] }),
      ...(registryUrl === undefined ? {} : { registry: registryClientFromEnv(registryUrl) }),
      ...(level === undefined ? {} : { level }),
    });
    printWorkspaceResult(result, format);
    if (result.inputErrors.length > 0) return EXIT.usage;
    return result.compatible ? EXIT.ok : EXIT.findings;
  },
};

function parseBaselines(values: string[] | undefined): Baseline[] {
  const against = values ?? ['git'];
  for (const value of against) {
    if (!(BASELINES as readonly string[]).includes(value)) {
      throw new UsageError(`--against: "${value}" is not one of ${BASELINES.join(', ')}`);
    }
  }
  return [...new Set(against)] as Baseline[];
}

/** Credentials come from the environment only, so they never land in a repository or a shell history. */
export function registryClientFromEnv(url: string): SchemaRegistryClient {
  const basicAuth = process.env['AVRO_GOV_REGISTRY_AUTH'];
  const bearerToken = process.env['AVRO_GOV_REGISTRY_TOKEN'];
  return new SchemaRegistryClient({
    url,
    ...(basicAuth === undefined ? {} : { basicAuth }),
    ...(bearerToken === undefined ? {} : { bearerToken }),
  });
}

function printWorkspaceResult(result: WorkspaceCompatResult, format: OutputFormat): void {
  const output = compatOutput(result, format);
  for (const line of output.stdout) console.log(line);
  for (const line of output.stderr) console.error(line);
}

async function singleFiles(
  newFile: string,
  previousFiles: readonly string[],
  level: CompatibilityLevel,
  format: OutputFormat,
): Promise<number> {
  const result = await checkSchemaFiles(newFile, previousFiles, level);
  const { compatible, findings } = result;
  print({ compatible, level, findings }, format, result.checked ? 'valid' : 'invalid');
  if (!result.checked) return EXIT.usage;
  return compatible ? EXIT.ok : EXIT.findings;
}

function print(
  result: { compatible: boolean; level: CompatibilityLevel; findings: Finding[] },
  format: OutputFormat,
  input: 'valid' | 'invalid' = 'valid',
): void {
  if (format === 'json') {
    console.log(JSON.stringify({ ...result, findings: findingsJson(result.findings) }, null, 2));
    return;
  }
  const output = formatFindings(result.findings, format);
  if (output.length > 0) console.log(output);
  console.error(
    input === 'invalid'
      ? 'not checked: not a valid Avro schema'
      : `${result.compatible ? 'compatible' : 'incompatible'} at ${result.level}`,
  );
}

function findingsJson(findings: readonly Finding[]): Record<string, unknown>[] {
  return sortFindings(findings).map(toJsonObject);
}
