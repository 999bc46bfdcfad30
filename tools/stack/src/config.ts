// Stack settings: every environment variable the stack reads is declared once here, with its doc and default.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from './errors.ts';
import type { SecureKafkaUser } from './secure-kafka.ts';
import { SECURE_KAFKA_USERS, secretPaths } from './secure-kafka.ts';
import { REGISTRY_CLIENTS, REGISTRY_REALM, registrySecretPaths } from './secure-registry.ts';

export const SERVICE_NAMES = [
  'kafka',
  'hdfs',
  'registry',
  'npm',
  'kafka-dr',
  'mirrormaker',
  'kafka-secure',
  'keycloak',
  'registry-secure',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * What `up` with no names starts (and `npm test` runs its integration phase on). The DR pair (`kafka-dr`,
 * `mirrormaker`) costs two more JVMs that only the DR tests need, so it starts only when named.
 */
export const DEFAULT_SERVICES = [
  'kafka',
  'hdfs',
  'registry',
  'npm',
] as const satisfies readonly ServiceName[];
export const OPTIONAL_SERVICES: readonly ServiceName[] = SERVICE_NAMES.filter(
  (name) => !(DEFAULT_SERVICES as readonly ServiceName[]).includes(name),
);

/**
 * The single-node KRaft clusters: one service definition, parameterised by these settings. `secure` is the
 * cluster with a SASL_SSL listener, SCRAM users and ACLs (see services/secrets.ts); the others are open.
 */
export const KAFKA_CLUSTERS = {
  kafka: { port: 'kafkaPort', controllerPort: 'kafkaControllerPort', heap: 'kafkaHeap', secure: false },
  'kafka-dr': {
    port: 'kafkaDrPort',
    controllerPort: 'kafkaDrControllerPort',
    heap: 'kafkaDrHeap',
    secure: false,
  },
  'kafka-secure': {
    port: 'kafkaSecurePort',
    controllerPort: 'kafkaSecureControllerPort',
    heap: 'kafkaSecureHeap',
    secure: true,
  },
} as const satisfies Record<
  string,
  { port: SettingKey; controllerPort: SettingKey; heap: SettingKey; secure: boolean }
>;
export type KafkaServiceName = keyof typeof KAFKA_CLUSTERS;

/**
 * MirrorMaker 2 cluster aliases. DefaultReplicationPolicy names a mirrored topic `<source alias>.<topic>`,
 * so the alias of the production cluster is part of every mirrored topic name: see `mirroredTopic`.
 */
export const MIRROR_SOURCE_ALIAS = 'primary';
export const MIRROR_TARGET_ALIAS = 'dr';

/** The name MirrorMaker 2 (DefaultReplicationPolicy, separator ".") gives `topic` on the DR cluster. */
export function mirroredTopic(topic: string): string {
  return `${MIRROR_SOURCE_ALIAS}.${topic}`;
}

/** Repository root: this file lives in tools/stack/src. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const OPENJDK_17 = '/usr/lib/jvm/java-17-openjdk-amd64';
const JVM_DIR = '/usr/lib/jvm';

type Kind = 'port' | 'path' | 'string' | 'heap' | 'seconds' | 'boolean';

interface Setting {
  readonly env: string;
  readonly doc: string;
  readonly kind: Kind;
  /** Default value, or a function of the environment for machine-dependent defaults. */
  readonly default: string | ((env: NodeJS.ProcessEnv) => string);
}

/** The newest JDK of at least `major` under /usr/lib/jvm, read from each JDK's `release` file. */
function newestJdk(major: number): string {
  let best = { version: 0, home: '' };
  let entries: string[] = [];
  try {
    entries = readdirSync(JVM_DIR);
  } catch {
    return '';
  }
  for (const name of entries) {
    const home = join(JVM_DIR, name);
    try {
      const release = readFileSync(join(home, 'release'), 'utf8');
      const version = Number(/JAVA_VERSION="(\d+)/.exec(release)?.[1] ?? 0);
      if (version >= major && version > best.version && existsSync(join(home, 'bin/java')))
        best = { version, home };
    } catch {
      // not a JDK
    }
  }
  return best.home;
}

function defaultJavaHome(env: NodeJS.ProcessEnv): string {
  if (existsSync(join(OPENJDK_17, 'bin/java'))) return OPENJDK_17;
  return env['JAVA_HOME'] ?? '';
}

/** The settings table; `docs/local-stack.md` lists the same names. */
export const SETTINGS = {
  stackDir: {
    env: 'ADLAKE_STACK_DIR',
    doc: 'Folder for downloads (cache/), data, logs and pid files of the local stack.',
    kind: 'path',
    default: join(REPO_ROOT, '.stack'),
  },
  javaHome: {
    env: 'ADLAKE_JAVA_HOME',
    doc: 'JDK (17) running Kafka and HDFS. Empty means `java` on PATH.',
    kind: 'string',
    default: defaultJavaHome,
  },
  registryJavaHome: {
    env: 'ADLAKE_REGISTRY_JAVA_HOME',
    doc: 'JDK (21 or newer) running Apicurio Registry 3.3. Default: the newest such JDK under /usr/lib/jvm.',
    kind: 'string',
    default: () => newestJdk(21),
  },
  mvn: {
    env: 'ADLAKE_MVN',
    doc: 'Maven executable used to download the service jars (cache: ~/.m2 and <stack dir>/cache).',
    kind: 'string',
    default: 'mvn',
  },
  kafkaPort: {
    env: 'ADLAKE_KAFKA_PORT',
    doc: 'Kafka client (PLAINTEXT) port.',
    kind: 'port',
    default: '9092',
  },
  kafkaControllerPort: {
    env: 'ADLAKE_KAFKA_CONTROLLER_PORT',
    doc: 'Kafka KRaft controller port.',
    kind: 'port',
    default: '9093',
  },
  kafkaHeap: { env: 'ADLAKE_KAFKA_HEAP', doc: 'Kafka JVM -Xmx.', kind: 'heap', default: '512m' },
  kafkaDrPort: {
    env: 'ADLAKE_KAFKA_DR_PORT',
    doc: 'DR Kafka cluster (kafka-dr, optional) client (PLAINTEXT) port.',
    kind: 'port',
    default: '9094',
  },
  kafkaDrControllerPort: {
    env: 'ADLAKE_KAFKA_DR_CONTROLLER_PORT',
    doc: 'DR Kafka cluster (kafka-dr, optional) KRaft controller port.',
    kind: 'port',
    default: '9095',
  },
  kafkaDrHeap: {
    env: 'ADLAKE_KAFKA_DR_HEAP',
    doc: 'DR Kafka (kafka-dr) JVM -Xmx.',
    kind: 'heap',
    default: '256m',
  },
  kafkaSecurePort: {
    env: 'ADLAKE_KAFKA_SECURE_PORT',
    doc: 'Secured Kafka cluster (kafka-secure, optional) client port: SASL_SSL with SCRAM-SHA-512.',
    kind: 'port',
    default: '9096',
  },
  kafkaSecureControllerPort: {
    env: 'ADLAKE_KAFKA_SECURE_CONTROLLER_PORT',
    doc: 'Secured Kafka cluster (kafka-secure, optional) KRaft controller port (SASL_SSL, PLAIN).',
    kind: 'port',
    default: '9097',
  },
  kafkaSecureHeap: {
    env: 'ADLAKE_KAFKA_SECURE_HEAP',
    doc: 'Secured Kafka (kafka-secure) JVM -Xmx.',
    kind: 'heap',
    default: '256m',
  },
  mirrormakerHeap: {
    env: 'ADLAKE_MIRRORMAKER_HEAP',
    doc: 'MirrorMaker 2 (mirrormaker, optional) JVM -Xmx.',
    kind: 'heap',
    default: '256m',
  },
  mirrormakerTopics: {
    env: 'ADLAKE_MIRRORMAKER_TOPICS',
    doc: 'Java regex of the kafka topics MirrorMaker 2 mirrors to kafka-dr (as primary.<topic>).',
    kind: 'string',
    default: 'adserver\\..*',
  },
  hdfsRpcPort: {
    env: 'ADLAKE_HDFS_RPC_PORT',
    doc: 'NameNode RPC port (fs.defaultFS).',
    kind: 'port',
    default: '8020',
  },
  hdfsHttpPort: {
    env: 'ADLAKE_HDFS_HTTP_PORT',
    doc: 'NameNode HTTP port (WebHDFS, JMX).',
    kind: 'port',
    default: '9870',
  },
  datanodePort: {
    env: 'ADLAKE_HDFS_DATANODE_PORT',
    doc: 'DataNode data transfer port.',
    kind: 'port',
    default: '9866',
  },
  datanodeHttpPort: {
    env: 'ADLAKE_HDFS_DATANODE_HTTP_PORT',
    doc: 'DataNode HTTP port (WebHDFS redirects land here).',
    kind: 'port',
    default: '9864',
  },
  datanodeIpcPort: {
    env: 'ADLAKE_HDFS_DATANODE_IPC_PORT',
    doc: 'DataNode IPC port.',
    kind: 'port',
    default: '9867',
  },
  hdfsHeap: {
    env: 'ADLAKE_HDFS_HEAP',
    doc: '-Xmx of the NameNode and of the DataNode (each).',
    kind: 'heap',
    default: '256m',
  },
  hdfsUser: {
    env: 'ADLAKE_HDFS_USER',
    doc: 'HDFS service user owning /user/<name> and /data/lake.',
    kind: 'string',
    default: 'adlake',
  },
  hdfsOtherUser: {
    env: 'ADLAKE_HDFS_OTHER_USER',
    doc: 'A second, unprivileged HDFS user for access-denied tests.',
    kind: 'string',
    default: 'intruder',
  },
  hdfsAnalystUser: {
    env: 'ADLAKE_HDFS_ANALYST_USER',
    doc: 'An HDFS user in the analyst group: may read the lake, not change it.',
    kind: 'string',
    default: 'analyst',
  },
  hdfsAnalystGroup: {
    env: 'ADLAKE_HDFS_ANALYST_GROUP',
    doc: 'HDFS group given read-only access to /data/lake by ACL.',
    kind: 'string',
    default: 'analysts',
  },
  registryPort: {
    env: 'ADLAKE_REGISTRY_PORT',
    doc: 'Apicurio Registry HTTP port (ccompat API under /apis/ccompat/v7).',
    kind: 'port',
    default: '8081',
  },
  registryManagementPort: {
    env: 'ADLAKE_REGISTRY_MANAGEMENT_PORT',
    doc: 'Apicurio management port (health at /health/ready).',
    kind: 'port',
    default: '8091',
  },
  registryHeap: {
    env: 'ADLAKE_REGISTRY_HEAP',
    doc: 'Apicurio JVM -Xmx (registry and registry-secure).',
    kind: 'heap',
    default: '384m',
  },
  registrySecurePort: {
    env: 'ADLAKE_REGISTRY_SECURE_PORT',
    doc: 'Secured Apicurio Registry (registry-secure, optional) HTTP port: OIDC tokens from keycloak.',
    kind: 'port',
    default: '8082',
  },
  registrySecureManagementPort: {
    env: 'ADLAKE_REGISTRY_SECURE_MANAGEMENT_PORT',
    doc: 'Secured Apicurio Registry (registry-secure) management port (health).',
    kind: 'port',
    default: '8092',
  },
  keycloakPort: {
    env: 'ADLAKE_KEYCLOAK_PORT',
    doc: 'Keycloak (keycloak, optional) HTTP port: the realm issuing the secured registry tokens.',
    kind: 'port',
    default: '8180',
  },
  keycloakManagementPort: {
    env: 'ADLAKE_KEYCLOAK_MANAGEMENT_PORT',
    doc: 'Keycloak management port (health).',
    kind: 'port',
    default: '9190',
  },
  keycloakHeap: { env: 'ADLAKE_KEYCLOAK_HEAP', doc: 'Keycloak JVM -Xmx.', kind: 'heap', default: '384m' },
  npmPort: {
    env: 'ADLAKE_NPM_PORT',
    doc: 'verdaccio (private npm registry) port.',
    kind: 'port',
    default: '4873',
  },
  npmUser: {
    env: 'ADLAKE_NPM_USER',
    doc: 'verdaccio user whose publish token goes into <stack dir>/npm/npmrc.',
    kind: 'string',
    default: 'adlake',
  },
  jvmFastStart: {
    env: 'ADLAKE_JVM_FAST_START',
    doc: 'true adds -XX:+UseSerialGC -XX:TieredStopAtLevel=1 to every JVM (faster start, less peak speed).',
    kind: 'boolean',
    default: 'true',
  },
  readyTimeout: {
    env: 'ADLAKE_STACK_READY_TIMEOUT',
    doc: 'Seconds each service may take to become ready before `up` fails.',
    kind: 'seconds',
    default: '180',
  },
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

export interface StackConfig {
  readonly stackDir: string;
  readonly javaHome: string;
  readonly registryJavaHome: string;
  readonly mvn: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly kafkaHeap: string;
  readonly kafkaDrPort: number;
  readonly kafkaDrControllerPort: number;
  readonly kafkaDrHeap: string;
  readonly kafkaSecurePort: number;
  readonly kafkaSecureControllerPort: number;
  readonly kafkaSecureHeap: string;
  readonly mirrormakerHeap: string;
  /** Java regex (MM2 `topics`) of the primary topics mirrored to kafka-dr. */
  readonly mirrormakerTopics: string;
  readonly hdfsRpcPort: number;
  readonly hdfsHttpPort: number;
  readonly datanodePort: number;
  readonly datanodeHttpPort: number;
  readonly datanodeIpcPort: number;
  readonly hdfsHeap: string;
  readonly hdfsUser: string;
  readonly hdfsOtherUser: string;
  readonly hdfsAnalystUser: string;
  readonly hdfsAnalystGroup: string;
  readonly registryPort: number;
  readonly registryManagementPort: number;
  readonly registryHeap: string;
  readonly registrySecurePort: number;
  readonly registrySecureManagementPort: number;
  readonly keycloakPort: number;
  readonly keycloakManagementPort: number;
  readonly keycloakHeap: string;
  readonly npmPort: number;
  readonly npmUser: string;
  readonly jvmFastStart: boolean;
  /** Per-service readiness timeout in milliseconds. */
  readonly readyTimeoutMs: number;
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function invalid(setting: Setting, raw: string, expected: string): StackError {
  return new StackError('CONFIG_INVALID', `${setting.env}="${raw}" is invalid: expected ${expected}.`, {
    context: { configKey: setting.env },
  });
}

function rawValue(setting: Setting, env: NodeJS.ProcessEnv): string {
  const given = env[setting.env];
  if (given !== undefined && given !== '') return given;
  return typeof setting.default === 'function' ? setting.default(env) : setting.default;
}

function parsePort(setting: Setting, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw invalid(setting, raw, 'a TCP port number 1-65535');
  return n;
}

function parseHeap(setting: Setting, raw: string): string {
  if (!/^\d+[mMgG]$/.test(raw)) throw invalid(setting, raw, 'a JVM heap size such as 256m or 1g');
  return raw.toLowerCase();
}

function parseSeconds(setting: Setting, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 3600)
    throw invalid(setting, raw, 'whole seconds between 1 and 3600');
  return n;
}

function parseBoolean(setting: Setting, raw: string): boolean {
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw invalid(setting, raw, 'true or false');
}

/**
 * A topic regex for MM2's `topics` list. MM2 splits that list on commas, and a line break would end the
 * property, so neither may appear; JavaScript's RegExp stands in for Java's to catch plain syntax errors.
 */
function parseTopicPattern(setting: Setting, raw: string): string {
  const expected = 'one Java regex of topic names, without commas or line breaks, such as adserver\\..*';
  if (/[,\r\n]/.test(raw)) throw invalid(setting, raw, expected);
  try {
    new RegExp(raw);
  } catch {
    throw invalid(setting, raw, expected);
  }
  return raw;
}

/** Reads and validates the stack settings; a bad value throws CONFIG_INVALID naming its env var. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const s = SETTINGS;
  const str = (setting: Setting): string => rawValue(setting, env);
  const port = (setting: Setting): number => parsePort(setting, str(setting));
  const user = (setting: Setting): string => {
    const raw = str(setting);
    if (!USER_NAME.test(raw)) throw invalid(setting, raw, 'a lower-case user name like "adlake"');
    return raw;
  };
  const stackDirRaw = str(s.stackDir);
  const config: StackConfig = {
    stackDir: isAbsolute(stackDirRaw) ? stackDirRaw : resolve(REPO_ROOT, stackDirRaw),
    javaHome: str(s.javaHome),
    registryJavaHome: str(s.registryJavaHome),
    mvn: str(s.mvn),
    kafkaPort: port(s.kafkaPort),
    kafkaControllerPort: port(s.kafkaControllerPort),
    kafkaHeap: parseHeap(s.kafkaHeap, str(s.kafkaHeap)),
    kafkaDrPort: port(s.kafkaDrPort),
    kafkaDrControllerPort: port(s.kafkaDrControllerPort),
    kafkaDrHeap: parseHeap(s.kafkaDrHeap, str(s.kafkaDrHeap)),
    kafkaSecurePort: port(s.kafkaSecurePort),
    kafkaSecureControllerPort: port(s.kafkaSecureControllerPort),
    kafkaSecureHeap: parseHeap(s.kafkaSecureHeap, str(s.kafkaSecureHeap)),
    mirrormakerHeap: parseHeap(s.mirrormakerHeap, str(s.mirrormakerHeap)),
    mirrormakerTopics: parseTopicPattern(s.mirrormakerTopics, str(s.mirrormakerTopics)),
    hdfsRpcPort: port(s.hdfsRpcPort),
    hdfsHttpPort: port(s.hdfsHttpPort),
    datanodePort: port(s.datanodePort),
    datanodeHttpPort: port(s.datanodeHttpPort),
    datanodeIpcPort: port(s.datanodeIpcPort),
    hdfsHeap: parseHeap(s.hdfsHeap, str(s.hdfsHeap)),
    hdfsUser: user(s.hdfsUser),
    hdfsOtherUser: user(s.hdfsOtherUser),
    hdfsAnalystUser: user(s.hdfsAnalystUser),
    hdfsAnalystGroup: user(s.hdfsAnalystGroup),
    registryPort: port(s.registryPort),
    registryManagementPort: port(s.registryManagementPort),
    registryHeap: parseHeap(s.registryHeap, str(s.registryHeap)),
    registrySecurePort: port(s.registrySecurePort),
    registrySecureManagementPort: port(s.registrySecureManagementPort),
    keycloakPort: port(s.keycloakPort),
    keycloakManagementPort: port(s.keycloakManagementPort),
    keycloakHeap: parseHeap(s.keycloakHeap, str(s.keycloakHeap)),
    npmPort: port(s.npmPort),
    npmUser: user(s.npmUser),
    jvmFastStart: parseBoolean(s.jvmFastStart, str(s.jvmFastStart)),
    readyTimeoutMs: parseSeconds(s.readyTimeout, str(s.readyTimeout)) * 1000,
  };
  if (config.hdfsUser === config.hdfsOtherUser) {
    throw invalid(s.hdfsOtherUser, config.hdfsOtherUser, `a user different from ${s.hdfsUser.env}`);
  }
  if ([config.hdfsUser, config.hdfsOtherUser].includes(config.hdfsAnalystUser)) {
    throw invalid(
      s.hdfsAnalystUser,
      config.hdfsAnalystUser,
      `a user different from ${s.hdfsUser.env} and ${s.hdfsOtherUser.env}`,
    );
  }
  if ([config.hdfsUser, config.hdfsOtherUser, 'supergroup'].includes(config.hdfsAnalystGroup)) {
    throw invalid(
      s.hdfsAnalystGroup,
      config.hdfsAnalystGroup,
      "a group of its own (not the service user's, the other user's or supergroup)",
    );
  }
  assertDistinctPorts(config);
  return config;
}

const PORT_KEYS = [
  'kafkaPort',
  'kafkaControllerPort',
  'kafkaDrPort',
  'kafkaDrControllerPort',
  'kafkaSecurePort',
  'kafkaSecureControllerPort',
  'hdfsRpcPort',
  'hdfsHttpPort',
  'datanodePort',
  'datanodeHttpPort',
  'datanodeIpcPort',
  'registryPort',
  'registryManagementPort',
  'registrySecurePort',
  'registrySecureManagementPort',
  'keycloakPort',
  'keycloakManagementPort',
  'npmPort',
] as const satisfies readonly SettingKey[];

function assertDistinctPorts(config: StackConfig): void {
  const seen = new Map<number, (typeof PORT_KEYS)[number]>();
  for (const key of PORT_KEYS) {
    const other = seen.get(config[key]);
    if (other !== undefined) {
      const setting = SETTINGS[key];
      throw invalid(setting, String(config[key]), `a port not already used by ${SETTINGS[other].env}`);
    }
    seen.set(config[key], key);
  }
}

/** Ports each service listens on, with the env var that moves it. */
export function servicePorts(config: StackConfig, service: ServiceName): { port: number; env: string }[] {
  const keys: Record<ServiceName, readonly (typeof PORT_KEYS)[number][]> = {
    kafka: ['kafkaPort', 'kafkaControllerPort'],
    hdfs: ['hdfsRpcPort', 'hdfsHttpPort', 'datanodePort', 'datanodeHttpPort', 'datanodeIpcPort'],
    registry: ['registryPort', 'registryManagementPort'],
    npm: ['npmPort'],
    'kafka-dr': ['kafkaDrPort', 'kafkaDrControllerPort'],
    // Dedicated-mode MirrorMaker 2 listens on nothing (its internal REST server is off by default).
    mirrormaker: [],
    'kafka-secure': ['kafkaSecurePort', 'kafkaSecureControllerPort'],
    keycloak: ['keycloakPort', 'keycloakManagementPort'],
    'registry-secure': ['registrySecurePort', 'registrySecureManagementPort'],
  };
  return keys[service].map((key) => ({ port: config[key], env: SETTINGS[key].env }));
}

export interface StackEndpoints {
  readonly kafkaBrokers: string[];
  /** The DR cluster (service `kafka-dr`), where MirrorMaker 2 writes the mirrored topics. */
  readonly kafkaDrBrokers: string[];
  /** Java regex of the `kafka` topics that `mirrormaker` mirrors to `kafka-dr`. */
  readonly mirroredTopics: string;
  /** The name of `topic` on the DR cluster once mirrored (`primary.<topic>`). */
  readonly mirroredTopic: (topic: string) => string;
  /** Confluent-compatible API base URL (Apicurio ccompat v7). */
  readonly registryUrl: string;
  readonly webhdfsUrl: string;
  /** fs.defaultFS: the NameNode's RPC address, for Hadoop clients (Hive, Spark). */
  readonly hdfsUri: string;
  readonly hdfsUser: string;
  readonly otherHdfsUser: string;
  /** In analystHdfsGroup: may list and read the lake, never change it. */
  readonly analystHdfsUser: string;
  readonly analystHdfsGroup: string;
  /**
   * Owned by hdfsUser, mode 750, with ACLs (default ones too, so new files and folders inherit them) giving
   * analystHdfsGroup r-x and nobody else anything: where services write.
   */
  readonly hdfsLakeDir: string;
  /** Owned by hdfsUser, mode 750: unreadable for otherHdfsUser. */
  readonly hdfsHomeDir: string;
  readonly npmRegistryUrl: string;
  /** npmrc holding `registry=` and a publish token for npmRegistryUrl. */
  readonly npmrcPath: string;
  /** The secured cluster (service `kafka-secure`): SASL_SSL, SCRAM-SHA-512, ACLs. */
  readonly secureKafka: {
    readonly brokers: string[];
    readonly mechanism: 'scram-sha-512';
    /** PEM of the CA that signed the broker's certificate. */
    readonly caFile: string;
    /** Each principal's name and the file holding its password (see secure-kafka.ts for their rights). */
    readonly users: Readonly<Record<SecureKafkaUser, { username: string; passwordFile: string }>>;
  };
  /** The secured registry (service `registry-secure`) and the Keycloak realm issuing its tokens. */
  readonly secureRegistry: {
    /** Confluent-compatible API base URL. */
    readonly url: string;
    /** Keycloak's token endpoint for the client-credentials flow. */
    readonly tokenUrl: string;
    /** Each OIDC client's id and the file holding its secret (see secure-registry.ts for their roles). */
    readonly clients: Readonly<Record<'release' | 'reader', { clientId: string; secretFile: string }>>;
  };
}

export function endpoints(config: StackConfig): StackEndpoints {
  return {
    kafkaBrokers: [`127.0.0.1:${config.kafkaPort}`],
    kafkaDrBrokers: [`127.0.0.1:${config.kafkaDrPort}`],
    mirroredTopics: config.mirrormakerTopics,
    mirroredTopic,
    registryUrl: `http://127.0.0.1:${config.registryPort}/apis/ccompat/v7`,
    webhdfsUrl: `http://127.0.0.1:${config.hdfsHttpPort}`,
    hdfsUri: `hdfs://127.0.0.1:${config.hdfsRpcPort}`,
    hdfsUser: config.hdfsUser,
    otherHdfsUser: config.hdfsOtherUser,
    analystHdfsUser: config.hdfsAnalystUser,
    analystHdfsGroup: config.hdfsAnalystGroup,
    hdfsLakeDir: '/data/lake',
    hdfsHomeDir: `/user/${config.hdfsUser}`,
    npmRegistryUrl: `http://127.0.0.1:${config.npmPort}/`,
    npmrcPath: join(config.stackDir, 'npm', 'npmrc'),
    secureKafka: secureKafkaEndpoint(config),
    secureRegistry: secureRegistryEndpoint(config),
  };
}

function secureKafkaEndpoint(config: StackConfig): StackEndpoints['secureKafka'] {
  const secrets = secretPaths(join(config.stackDir, 'kafka-secure'));
  const users = Object.fromEntries(
    (Object.keys(SECURE_KAFKA_USERS) as SecureKafkaUser[]).map((user) => [
      user,
      { username: SECURE_KAFKA_USERS[user].username, passwordFile: secrets.passwordFile(user) },
    ]),
  ) as Record<SecureKafkaUser, { username: string; passwordFile: string }>;
  return {
    brokers: [`127.0.0.1:${config.kafkaSecurePort}`],
    mechanism: 'scram-sha-512',
    caFile: secrets.caPem,
    users,
  };
}

function secureRegistryEndpoint(config: StackConfig): StackEndpoints['secureRegistry'] {
  const secrets = registrySecretPaths(join(config.stackDir, 'keycloak'));
  const client = (name: 'release' | 'reader') => ({
    clientId: REGISTRY_CLIENTS[name].clientId,
    secretFile: secrets.secretFile(name),
  });
  return {
    url: `http://127.0.0.1:${config.registrySecurePort}/apis/ccompat/v7`,
    tokenUrl: `http://127.0.0.1:${config.keycloakPort}/realms/${REGISTRY_REALM}/protocol/openid-connect/token`,
    clients: { release: client('release'), reader: client('reader') },
  };
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Validates a list of service names from the CLI or the API; empty means `whenEmpty` (default: all). */
export function parseServices(
  names: readonly string[],
  whenEmpty: readonly ServiceName[] = SERVICE_NAMES,
): ServiceName[] {
  if (names.length === 0) return [...whenEmpty];
  const unknown = names.filter((n) => !isServiceName(n));
  if (unknown.length > 0) {
    throw new StackError(
      'USAGE',
      `unknown service ${unknown.join(', ')}; expected one of ${SERVICE_NAMES.join(', ')}`,
    );
  }
  return SERVICE_NAMES.filter((n) => names.includes(n));
}
