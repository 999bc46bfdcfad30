// The README's main-job command: the whole pipeline on the local stack. It generates the event classes,
// registers the schemas as the CI release step would, starts the sink, sends simulated ad-server traffic
// through the typed SDK, waits until the sink has committed every event, audits the output with DuckDB
// and prints a summary. The steps are the real commands, run as child processes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ignoreKafkajsTimerWarning } from '@adlake/sdk';
import { LocalStorage, WebHdfsStorage } from '@adlake/sink';
import type { Storage } from '@adlake/sink';
import { down, endpoints, loadStackConfig, up } from '@adlake/stack';
import type { ServiceName, StackEndpoints } from '@adlake/stack';
import type { KafkaConfig } from 'kafkajs';
import { WebHdfsClient } from '@adlake/webhdfs';
import { failoverDrill } from './drill.ts';
import { committedTotal, createTopics, highWatermarks, run, startChild, sum } from './processes.ts';

const TOPICS = ['adserver.impressions', 'adserver.clicks', 'adserver.engagements'];

const HELP = `Usage: npm run main [-- options]

Runs the pipeline end to end on the local stack (started if it is not running):
  1. generate the typed event classes from schemas/        (avro-gov generate)
  2. register the schemas in the schema registry           (avro-gov register, the CI release step)
  3. start the sink: Kafka -> Parquet, daily partitions, exactly once
  4. send simulated ad-server traffic through the SDK      (adlake-loadgen, with a progress bar)
  5. wait until the sink has committed every event, stop it gracefully
  6. audit every topic (offsets exactly once; rows per day read back by DuckDB) and print a summary

Options:
  --events <n>       events to send (default 1000000)
  --storage <kind>   hdfs (default: HDFS over WebHDFS, as the stack runs it) or local (a directory)
  --local-dir <dir>  the directory for --storage local (default .lake)
  --failover-drill   run a DR sink beside production, stop production midway while DR carries the load,
                     merge DR into production, restart production, compact and audit (docs/dr.md);
                     the summary shows files per day before and after compaction
  --secure           run on the secured stack instead: Kafka over TLS with SCRAM users and ACLs
                     (kafka-secure), the registry behind Keycloak (registry-secure), each process as
                     its own principal with its secrets read from files (docs/security.md)
  --keep-stack       leave the stack running afterwards (stop it with: npm run stack -- down)
  -h, --help         show this text`;

interface Step {
  name: string;
  seconds: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      storage: { type: 'string', default: 'hdfs' },
      'local-dir': { type: 'string', default: '.lake' },
      'keep-stack': { type: 'boolean', default: false },
      'failover-drill': { type: 'boolean', default: false },
      secure: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const events = Number(values.events);
  if (!Number.isSafeInteger(events) || events <= 0)
    throw new Error(`--events: "${values.events}" is not a positive whole number`);
  if (values.storage !== 'hdfs' && values.storage !== 'local')
    throw new Error(`--storage: "${values.storage}" is not one of hdfs, local`);
  const secure = values.secure;
  if (secure && values['failover-drill'])
    throw new Error('--secure and --failover-drill together are not supported yet');

  const steps: Step[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    console.log(`\n=== ${name}`);
    const started = performance.now();
    const result = await fn();
    steps.push({ name, seconds: (performance.now() - started) / 1000 });
    return result;
  };

  const config = loadStackConfig();
  const services: ServiceName[] = [
    ...(secure ? (['kafka-secure', 'registry-secure'] as const) : (['kafka', 'registry'] as const)),
    ...(values.storage === 'hdfs' ? (['hdfs'] as const) : []),
  ];
  const stack = await step('start the local stack', () => up(config, { services }));
  try {
    const urls = endpoints(config);
    const wiring = secure ? secureWiring(urls) : openWiring(urls);
    // Its own tree on the secured cluster: a ledger records offsets of one cluster's topics, never two.
    const root = secure ? '/data/lake/raw-secure' : '/data/lake/raw';
    const storage: Storage =
      values.storage === 'hdfs'
        ? new WebHdfsStorage(new WebHdfsClient({ url: urls.webhdfsUrl, user: urls.hdfsUser }))
        : new LocalStorage(values['local-dir']);
    const env = {
      AVRO_GOV_REGISTRY_URL: wiring.registryUrl,
      ADLAKE_SINK_TOPICS: TOPICS.join(','),
      ADLAKE_SINK_KAFKA_BROKERS: wiring.brokers.join(','),
      ADLAKE_SINK_REGISTRY_URL: wiring.registryUrl,
      ...wiring.sinkEnv,
      ADLAKE_SINK_STORAGE_KIND: values.storage === 'hdfs' ? 'webhdfs' : 'local',
      ADLAKE_SINK_STORAGE_LOCAL_DIR: values['local-dir'],
      ADLAKE_SINK_STORAGE_WEBHDFS_URL: urls.webhdfsUrl,
      ADLAKE_SINK_STORAGE_USER: urls.hdfsUser,
      ADLAKE_SINK_OUTPUT_ROOT: root,
      ADLAKE_SINK_ROTATION_MAX_RECORDS: '200000',
      ADLAKE_SINK_ROTATION_INTERVAL_MS: '5000',
      ADLAKE_SINK_METRICS_PORT: '0',
    };

    await step('generate the event classes', () =>
      run('avro-gov', ['generate', '--schemas', 'schemas', '--out', 'libs/events/generated'], env),
    );
    if (secure) {
      // On the secured cluster no service may create topics: the platform's admin does, beforehand.
      await step('create the topics (as the Kafka admin)', () =>
        createTopics(wiring.brokers, [...TOPICS, 'adlake.sink.dlq'], 3, wiring.admin),
      );
    }
    await step('register the schemas (CI release step)', () =>
      run('avro-gov', ['register', '--schemas', 'schemas'], { ...env, ...wiring.registerEnv }),
    );

    if (values['failover-drill'])
      return await failoverDrill({ env, storage, root, events, urls, topics: TOPICS, step });

    const sink = startChild('node', ['apps/sink/src/main.ts', 'run'], env, '/tmp/adlake-sink.log');
    const before = await highWatermarks(wiring.brokers, TOPICS, wiring.admin);
    const sendStarted = performance.now();
    await step(`send ${events} simulated events through the SDK`, () =>
      run(
        'node',
        [
          'apps/loadgen/src/main.ts',
          '--events',
          String(events),
          '--brokers',
          wiring.brokers.join(','),
          '--registry-url',
          wiring.registryUrl,
          ...wiring.loadgenArgs,
        ],
        env,
      ),
    );
    const target = await highWatermarks(wiring.brokers, TOPICS, wiring.admin);
    await step('wait until the sink has committed every event', async () => {
      for (let last = ''; ;) {
        const committed = await committedTotal(storage, root, target);
        const pending = [...target.values()].reduce((a, b) => a + b, 0) - committed;
        const line = `committed ${committed}, pending ${pending}`;
        if (line !== last) process.stderr.write(`${line}\n`);
        last = line;
        if (pending <= 0) return;
        if (sink.exitCode !== null)
          throw new Error(`the sink exited early (code ${sink.exitCode}); see /tmp/adlake-sink.log`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    const pipelineSeconds = (performance.now() - sendStarted) / 1000;
    await step('stop the sink', async () => {
      sink.child.kill('SIGTERM');
      await sink.exited;
    });

    const audits = await step('audit with DuckDB', async () => {
      const out: AuditJson[] = [];
      for (const topic of TOPICS) {
        const text = await run(
          'node',
          ['apps/sink/src/main.ts', 'audit', '--topic', topic, '--format', 'json'],
          env,
          true,
        );
        out.push(JSON.parse(text) as AuditJson);
      }
      return out;
    });

    const sentNow = sum(target) - sum(before);
    console.log('\n=== summary');
    console.log(`events sent this run:   ${sentNow} (${events} requested)`);
    console.log(
      `pipeline throughput:    ${Math.round(sentNow / pipelineSeconds)} events/s from first send to last commit (${pipelineSeconds.toFixed(1)} s)`,
    );
    for (const a of audits) {
      const rows = a.partitions.reduce((n, p) => n + p.rows, 0);
      console.log(
        `topic ${a.topic}: ${a.files} files, ${(a.bytes / 1024 / 1024).toFixed(1)} MiB, ${rows} rows, ${a.ok ? 'every offset exactly once' : 'AUDIT FAILED'}`,
      );
      for (const [dt, n] of Object.entries(a.duckdbRowsPerDay))
        console.log(`    dt=${dt}: ${n} rows (DuckDB)`);
    }
    const where =
      values.storage === 'hdfs'
        ? `HDFS ${root}/topic=<topic>/dt=<day>/ (list: ${urls.webhdfsUrl}/webhdfs/v1${root}?op=LISTSTATUS&user.name=${urls.hdfsUser})`
        : `${values['local-dir']}${root}/topic=<topic>/dt=<day>/`;
    console.log(`files are under:        ${where}`);
    console.log(`Hive DDL:               ${root}/_ddl/<topic>.hql`);
    console.log(
      `steps:                  ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)}s`).join('; ')}`,
    );
    return audits.every((a) => a.ok) ? 0 : 1;
  } finally {
    if (!values['keep-stack'] && stack.started.length > 0) {
      console.log(`\nstopping what this run started: ${stack.started.join(', ')}`);
      await down(config, { services: stack.started });
    }
  }
}

/** Where each process finds Kafka and the registry, and as whom it talks to them. */
interface Wiring {
  brokers: string[];
  registryUrl: string;
  /** The sink's security settings (and the audit's: the same process settings). */
  sinkEnv: Record<string, string>;
  /** The release step's registry identity. */
  registerEnv: Record<string, string>;
  /** The load generator's identity: file paths only, never a secret. */
  loadgenArgs: string[];
  /** The platform admin's TLS and SASL, for creating topics and reading offsets. */
  admin: Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

function openWiring(urls: StackEndpoints): Wiring {
  return {
    brokers: urls.kafkaBrokers,
    registryUrl: urls.registryUrl,
    sinkEnv: {},
    registerEnv: {},
    loadgenArgs: [],
    admin: {},
  };
}

function secureWiring(urls: StackEndpoints): Wiring {
  const kafka = urls.secureKafka;
  const registry = urls.secureRegistry;
  const read = (file: string) => readFileSync(file, 'utf8').trim();
  return {
    brokers: kafka.brokers,
    registryUrl: registry.url,
    sinkEnv: {
      ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      ADLAKE_SINK_KAFKA_SSL_CA_FILE: kafka.caFile,
      ADLAKE_SINK_KAFKA_SASL_USERNAME: kafka.users.sink.username,
      ADLAKE_SINK_KAFKA_SASL_PASSWORD_FILE: kafka.users.sink.passwordFile,
      ADLAKE_SINK_REGISTRY_AUTH: 'client-credentials',
      ADLAKE_SINK_REGISTRY_TOKEN_URL: registry.tokenUrl,
      ADLAKE_SINK_REGISTRY_CLIENT_ID: registry.clients.reader.clientId,
      ADLAKE_SINK_REGISTRY_CLIENT_SECRET_FILE: registry.clients.reader.secretFile,
    },
    registerEnv: {
      AVRO_GOV_REGISTRY_TOKEN_URL: registry.tokenUrl,
      AVRO_GOV_REGISTRY_CLIENT_ID: registry.clients.release.clientId,
      // The release step reads its secret from the environment, as a CI secret is injected.
      AVRO_GOV_REGISTRY_CLIENT_SECRET: read(registry.clients.release.secretFile),
    },
    loadgenArgs: [
      '--security-protocol',
      'SASL_SSL',
      '--ca-file',
      kafka.caFile,
      '--sasl-username',
      kafka.users.producer.username,
      '--sasl-password-file',
      kafka.users.producer.passwordFile,
      '--registry-token-url',
      registry.tokenUrl,
      '--registry-client-id',
      registry.clients.reader.clientId,
      '--registry-client-secret-file',
      registry.clients.reader.secretFile,
    ],
    admin: {
      ssl: { ca: [readFileSync(kafka.caFile, 'utf8')] },
      sasl: {
        mechanism: 'scram-sha-512',
        username: kafka.users.admin.username,
        password: read(kafka.users.admin.passwordFile),
      },
    },
  };
}

interface AuditJson {
  topic: string;
  ok: boolean;
  files: number;
  bytes: number;
  partitions: { rows: number }[];
  duckdbRowsPerDay: Record<string, number>;
}

ignoreKafkajsTimerWarning();
try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
