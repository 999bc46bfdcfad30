// Every setting of the sink, declared once with its doc, unit and default, read from one JSON file plus
// environment variables (which win), and validated at start-up with errors naming the key and the value.
import { readFileSync } from 'node:fs';
import { SinkError } from '../errors.ts';

/** `secret`: read only from the environment, never from the settings file, and never printed. */
type Kind = 'string' | 'integer' | 'list' | 'enum' | 'secret';

interface SettingSpec {
  key: string;
  doc: string;
  unit?: string;
  kind: Kind;
  default: string | number | string[] | undefined;
  values?: readonly string[];
  min?: number;
}

const spec = <const T extends SettingSpec>(s: T): T => s;

export const SETTINGS = [
  spec({ key: 'kafka.brokers', kind: 'list', default: ['127.0.0.1:9092'], doc: 'Kafka bootstrap servers.' }),
  spec({ key: 'kafka.clientId', kind: 'string', default: 'adlake-sink', doc: 'Client id sent to Kafka.' }),
  spec({
    key: 'kafka.groupId',
    kind: 'string',
    default: 'adlake-hdfs-sink',
    doc: 'Consumer group; a DR sink uses its own.',
  }),
  spec({
    key: 'kafka.sessionTimeoutMs',
    kind: 'integer',
    unit: 'ms',
    min: 6000,
    default: 30_000,
    doc: 'How long the group waits for a silent member (a crashed sink) before its partitions move to another.',
  }),
  spec({
    key: 'kafka.securityProtocol',
    kind: 'enum',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    default: 'PLAINTEXT',
    doc: 'How the sink talks to Kafka, as in Kafka client configs: TLS (SSL), SASL, both, or neither.',
  }),
  spec({
    key: 'kafka.ssl.caFile',
    kind: 'string',
    default: undefined,
    doc: "PEM file of the CA(s) that signed the brokers' certificates; default Node's bundled roots.",
  }),
  spec({
    key: 'kafka.ssl.certFile',
    kind: 'string',
    default: undefined,
    doc: "PEM file of the sink's client certificate, for brokers that require mutual TLS (with kafka.ssl.keyFile).",
  }),
  spec({
    key: 'kafka.ssl.keyFile',
    kind: 'string',
    default: undefined,
    doc: "PEM file of the client certificate's private key.",
  }),
  spec({
    key: 'kafka.sasl.mechanism',
    kind: 'enum',
    values: ['scram-sha-512', 'scram-sha-256', 'plain'],
    default: 'scram-sha-512',
    doc: 'SASL mechanism, with kafka.securityProtocol SASL_SSL or SASL_PLAINTEXT.',
  }),
  spec({
    key: 'kafka.sasl.username',
    kind: 'string',
    default: undefined,
    doc: 'SASL user (the principal the brokers authorize).',
  }),
  spec({
    key: 'kafka.sasl.passwordFile',
    kind: 'string',
    default: undefined,
    doc: "File holding the SASL user's password (its only content); or set the password itself in the environment (kafka.sasl.password).",
  }),
  spec({
    key: 'kafka.sasl.password',
    kind: 'secret',
    default: undefined,
    doc: 'The SASL password, from the environment only: never from the settings file, never printed.',
  }),
  spec({
    key: 'topics',
    kind: 'list',
    default: [],
    doc: 'Topics to consume; each must have a generated event class.',
  }),
  spec({
    key: 'topicPattern',
    kind: 'string',
    default: undefined,
    doc: 'Regular expression of topics to consume, instead of `topics`.',
  }),
  spec({
    key: 'topicClasses',
    kind: 'list',
    default: [],
    doc: 'Topics read with the event class of another topic, as `topic=classTopic` (e.g. a mirrored `dr.adserver.impressions=adserver.impressions`).',
  }),
  spec({
    key: 'eventModules',
    kind: 'list',
    default: ['@adlake/events'],
    doc: "Modules the event classes are imported from: package names (such as a published `@acme/events-adserver`) or paths to a generated package's index.ts. Every exported class that names a topic is sunk from that topic.",
  }),
  spec({
    key: 'registry.url',
    kind: 'string',
    default: 'http://127.0.0.1:8081/apis/ccompat/v7',
    doc: 'Confluent-compatible schema registry API.',
  }),
  spec({
    key: 'registry.auth',
    kind: 'enum',
    values: ['none', 'basic', 'client-credentials'],
    default: 'none',
    doc: 'How the sink authenticates to the registry: not at all, a user and password (basic), or an OAuth 2 client id and secret exchanged for tokens at registry.tokenUrl.',
  }),
  spec({
    key: 'registry.username',
    kind: 'string',
    default: undefined,
    doc: 'Basic auth: the user (for Confluent Cloud, the API key; for Apicurio, a client id).',
  }),
  spec({
    key: 'registry.passwordFile',
    kind: 'string',
    default: undefined,
    doc: 'Basic auth: file holding the password; or set it in the environment (registry.password).',
  }),
  spec({
    key: 'registry.password',
    kind: 'secret',
    default: undefined,
    doc: 'Basic auth password, from the environment only.',
  }),
  spec({
    key: 'registry.tokenUrl',
    kind: 'string',
    default: undefined,
    doc: "Client credentials: the identity provider's token endpoint (Keycloak: <base>/realms/<realm>/protocol/openid-connect/token).",
  }),
  spec({
    key: 'registry.clientId',
    kind: 'string',
    default: undefined,
    doc: 'Client credentials: the client id.',
  }),
  spec({
    key: 'registry.clientSecretFile',
    kind: 'string',
    default: undefined,
    doc: 'Client credentials: file holding the client secret; or set it in the environment (registry.clientSecret).',
  }),
  spec({
    key: 'registry.clientSecret',
    kind: 'secret',
    default: undefined,
    doc: 'Client credentials: the client secret, from the environment only.',
  }),
  spec({
    key: 'storage.kind',
    kind: 'enum',
    values: ['local', 'webhdfs'],
    default: 'local',
    doc: 'Where files land: a local directory, or HDFS over WebHDFS.',
  }),
  spec({
    key: 'storage.localDir',
    kind: 'string',
    default: '.lake',
    doc: 'Directory that stands for the file system root when storage.kind is local.',
  }),
  spec({
    key: 'storage.webhdfsUrl',
    kind: 'string',
    default: 'http://127.0.0.1:9870',
    doc: 'NameNode HTTP address (WebHDFS).',
  }),
  spec({
    key: 'storage.user',
    kind: 'string',
    default: 'adlake',
    doc: 'HDFS user the sink writes as (simple authentication).',
  }),
  spec({
    key: 'output.root',
    kind: 'string',
    default: '/data/lake/raw',
    doc: 'Root of the topic=/dt= tree, the ledger and temporary files.',
  }),
  spec({
    key: 'partition.timestampField',
    kind: 'string',
    default: 'event_time',
    doc: 'Dotted path of the event-time field; the Kafka timestamp is used when it is absent.',
  }),
  spec({
    key: 'partition.timezone',
    kind: 'string',
    default: 'UTC',
    doc: 'IANA timezone of the daily partition boundaries.',
  }),
  spec({
    key: 'rotation.maxRecords',
    kind: 'integer',
    unit: 'records',
    min: 1,
    default: 500_000,
    doc: 'Commit a partition after this many offsets.',
  }),
  spec({
    key: 'rotation.maxFileBytes',
    kind: 'integer',
    unit: 'bytes',
    min: 1024,
    default: 128 * 1024 * 1024,
    doc: 'Commit a partition when one of its open files reaches this estimated size.',
  }),
  spec({
    key: 'rotation.intervalMs',
    kind: 'integer',
    unit: 'ms',
    min: 100,
    default: 600_000,
    doc: 'Commit a partition when its oldest data has waited this long, idle or not.',
  }),
  spec({
    key: 'memory.budgetBytes',
    kind: 'integer',
    unit: 'bytes',
    min: 1024 * 1024,
    default: 512 * 1024 * 1024,
    doc: 'Cap on buffered data across all open files; the largest partitions are committed when it is reached.',
  }),
  spec({
    key: 'parquet.compression',
    kind: 'enum',
    values: ['snappy', 'gzip', 'zstd', 'none'],
    default: 'snappy',
    doc: 'Parquet page compression.',
  }),
  spec({
    key: 'parquet.timestamps',
    kind: 'enum',
    values: ['int64', 'int96'],
    default: 'int64',
    doc: 'Timestamp columns: int64 (TIMESTAMP logical types) or int96 (for Hive 2/3 readers; see docs/parquet.md).',
  }),
  spec({
    key: 'parquet.rowGroupRows',
    kind: 'integer',
    unit: 'rows',
    min: 1,
    default: 100_000,
    doc: 'Rows per Parquet row group.',
  }),
  spec({
    key: 'parquet.pageSizeBytes',
    kind: 'integer',
    unit: 'bytes',
    min: 1024,
    default: 1024 * 1024,
    doc: 'Target Parquet page size.',
  }),
  spec({
    key: 'dlq.topic',
    kind: 'string',
    default: 'adlake.sink.dlq',
    doc: 'Dead-letter topic for records that cannot be decoded or placed.',
  }),
  spec({
    key: 'consumer.partitionsConcurrently',
    kind: 'integer',
    min: 1,
    default: 4,
    doc: 'Partitions processed at the same time.',
  }),
  spec({
    key: 'shutdown.timeoutMs',
    kind: 'integer',
    unit: 'ms',
    min: 1000,
    default: 30_000,
    doc: 'How long a stop (SIGTERM, or a fatal error) may spend committing buffered records before the process exits anyway; what was not committed is read again by the next owner.',
  }),
  spec({
    key: 'health.storageOutageMs',
    kind: 'integer',
    unit: 'ms',
    min: 1000,
    default: 60_000,
    doc: 'How long commits may keep failing (an HDFS outage the sink waits out, an unwritable dead-letter topic) before /health answers 503; it turns green again with the next successful commit.',
  }),
  spec({
    key: 'metrics.port',
    kind: 'integer',
    min: 0,
    default: 0,
    doc: 'Port of the Prometheus /metrics and /health endpoint on 127.0.0.1; 0 turns it off.',
  }),
  spec({
    key: 'sink.role',
    kind: 'enum',
    values: ['production', 'dr'],
    default: 'production',
    doc: 'A DR sink writes no Hive DDL: its files reach the Hive table only through the merger (docs/dr.md).',
  }),
  spec({
    key: 'compaction.targetBytes',
    kind: 'integer',
    unit: 'bytes',
    min: 1,
    default: 268_435_456,
    doc: 'The compactor joins small files of a partition and day until the next would pass this size.',
  }),
  spec({
    key: 'compaction.graceMs',
    kind: 'integer',
    unit: 'ms',
    min: 0,
    default: 3_600_000,
    doc: 'The compactor leaves files committed less than this long ago.',
  }),
  spec({
    key: 'maintenance.intervalMs',
    kind: 'integer',
    unit: 'ms',
    min: 1000,
    default: 60_000,
    doc: 'How often `merge --watch` and `compact --watch` run a pass.',
  }),
  spec({
    key: 'merge.eventIdField',
    kind: 'string',
    default: 'event_id',
    doc: 'Column that identifies an event, for merging a mirrored DR topic whose offsets differ from production.',
  }),
  spec({
    key: 'merge.settleMs',
    kind: 'integer',
    unit: 'ms',
    min: 0,
    default: 60_000,
    doc: 'Mirrored merge: a DR commit is merged only once production has committed, in the same partition, records this much newer than it.',
  }),
] as const;

type Setting = (typeof SETTINGS)[number];
export type SettingKey = Setting['key'];

type ValueOf<S extends SettingSpec> = S['kind'] extends 'integer'
  ? number
  : S['kind'] extends 'enum'
    ? NonNullable<S['values']>[number]
    : S['kind'] extends 'list'
      ? string[]
      : S['kind'] extends 'secret'
        ? string | undefined
        : S['default'] extends undefined
          ? string | undefined
          : string;

export type SinkSettings = { [S in Setting as S['key']]: ValueOf<S> };

/** `rotation.maxRecords` → `ADLAKE_SINK_ROTATION_MAX_RECORDS`. */
export function envName(key: string): string {
  return `ADLAKE_SINK_${key
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`;
}

/**
 * Reads the settings: defaults, then the JSON file (flat dotted keys or nested objects), then the
 * environment. Every problem is reported at once, each naming the key, the value and where it came from.
 */
/**
 * Reads every setting from the file and the environment and reports every problem at once. `forRun: false`
 * (the audit) does not require the topics to consume.
 */
export function loadSettings(
  options: { file?: string; env?: NodeJS.ProcessEnv; forRun?: boolean } = {},
): SinkSettings {
  const env = options.env ?? process.env;
  const fromFile = options.file === undefined ? {} : readJson(options.file);
  const problems: string[] = [];
  const known = new Set<string>(SETTINGS.map((s) => s.key));
  for (const key of Object.keys(fromFile)) {
    if (!known.has(key))
      problems.push(`${key}: unknown setting in ${options.file} (known: ${[...known].join(', ')})`);
  }
  for (const s of SETTINGS as readonly SettingSpec[]) {
    if (s.kind === 'secret' && fromFile[s.key] !== undefined) {
      problems.push(
        `${s.key}: a secret may not be written in ${options.file}; set ${envName(s.key)} or the matching …File setting`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS as readonly SettingSpec[]) {
    const name = envName(s.key);
    const raw = env[name] !== undefined ? env[name] : fromFile[s.key];
    const source =
      env[name] !== undefined
        ? `environment ${name}`
        : fromFile[s.key] !== undefined
          ? String(options.file)
          : 'default';
    if (raw === undefined || (s.kind === 'secret' && env[name] === undefined)) {
      out[s.key] = s.default;
      continue;
    }
    const parsed = parse(s, raw);
    if (typeof parsed === 'string' && parsed.startsWith('!'))
      problems.push(
        `${s.key}: ${s.kind === 'secret' ? '(the value)' : JSON.stringify(raw)} ${parsed.slice(1)} (from ${source})`,
      );
    else out[s.key] = parsed;
  }
  const settings = out as SinkSettings;
  problems.push(...securityProblems(settings));
  if (options.forRun !== false && settings.topics.length === 0 && settings.topicPattern === undefined) {
    problems.push(`topics: set topics (${envName('topics')}) or topicPattern (${envName('topicPattern')})`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: settings['partition.timezone'] });
  } catch {
    problems.push(
      `partition.timezone: ${JSON.stringify(settings['partition.timezone'])} is not an IANA timezone`,
    );
  }
  if (settings.topicPattern !== undefined) {
    try {
      new RegExp(settings.topicPattern);
    } catch (error) {
      problems.push(
        `topicPattern: ${JSON.stringify(settings.topicPattern)} is not a regular expression: ${(error as Error).message}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new SinkError('CONFIG_INVALID', `invalid sink configuration:\n  ${problems.join('\n  ')}`, {
      context: { configKey: problems[0]?.split(':')[0] ?? '' },
    });
  }
  return settings;
}

/** Settings that only make sense together: SASL needs a user and a password, each registry auth its parts. */
function securityProblems(settings: SinkSettings): string[] {
  const problems: string[] = [];
  const has = (key: SettingKey) => settings[key] !== undefined;
  if (settings['kafka.securityProtocol'].startsWith('SASL_')) {
    if (!has('kafka.sasl.username'))
      problems.push(
        `kafka.sasl.username: required with kafka.securityProtocol ${settings['kafka.securityProtocol']}`,
      );
    if (!has('kafka.sasl.passwordFile') && !has('kafka.sasl.password')) {
      problems.push(
        `kafka.sasl.passwordFile: required with kafka.securityProtocol ${settings['kafka.securityProtocol']} (or set ${envName('kafka.sasl.password')})`,
      );
    }
  }
  const auth = settings['registry.auth'];
  if (auth === 'basic') {
    if (!has('registry.username')) problems.push('registry.username: required with registry.auth basic');
    if (!has('registry.passwordFile') && !has('registry.password'))
      problems.push(
        `registry.passwordFile: required with registry.auth basic (or set ${envName('registry.password')})`,
      );
  }
  if (auth === 'client-credentials') {
    for (const key of ['registry.tokenUrl', 'registry.clientId'] as const) {
      if (!has(key)) problems.push(`${key}: required with registry.auth client-credentials`);
    }
    if (!has('registry.clientSecretFile') && !has('registry.clientSecret')) {
      problems.push(
        `registry.clientSecretFile: required with registry.auth client-credentials (or set ${envName('registry.clientSecret')})`,
      );
    }
  }
  return problems;
}

/** The settings reference, for `--help` and the docs. */
export function describeSettings(): string {
  return (SETTINGS as readonly SettingSpec[])
    .map((s) => {
      const def = Array.isArray(s.default) ? s.default.join(',') : s.default;
      const values = s.values === undefined ? '' : ` One of: ${s.values.join(', ')}.`;
      return `  ${s.key}${s.unit === undefined ? '' : ` (${s.unit})`}\n      ${s.doc}${values} Default: ${def === undefined || def === '' ? '(none)' : def}. Env: ${envName(s.key)}`;
    })
    .join('\n');
}

function parse(s: SettingSpec, raw: unknown): unknown {
  switch (s.kind) {
    case 'string':
    case 'secret':
      return typeof raw === 'string' && raw.length > 0 ? raw : '!is not a non-empty string';
    case 'enum':
      return typeof raw === 'string' && s.values?.includes(raw)
        ? raw
        : `!is not one of ${s.values?.join(', ')}`;
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
            ? Number(raw)
            : Number.NaN;
      if (!Number.isSafeInteger(n))
        return `!is not a whole number${s.unit === undefined ? '' : ` of ${s.unit}`}`;
      if (s.min !== undefined && n < s.min)
        return `!is below the minimum ${s.min}${s.unit === undefined ? '' : ` ${s.unit}`}`;
      return n;
    }
    case 'list': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
      if (list === undefined || !list.every((x) => typeof x === 'string')) return '!is not a list of strings';
      return list.map((x: string) => x.trim()).filter((x: string) => x.length > 0);
    }
  }
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SinkError('CONFIG_INVALID', `cannot read config file ${file}: ${(cause as Error).message}`, {
      cause,
      context: { path: file },
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SinkError('CONFIG_INVALID', `config file ${file} is not JSON: ${(cause as Error).message}`, {
      cause,
      context: { path: file },
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SinkError('CONFIG_INVALID', `config file ${file} must hold a JSON object`, {
      context: { path: file },
    });
  }
  return flatten(parsed as Record<string, unknown>);
}

/** `{ "rotation": { "maxRecords": 5 } }` and `{ "rotation.maxRecords": 5 }` mean the same. */
function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}
