// The app builds every client from the settings and hands them to the libraries: Kafka, the schema
// registry, the storage backend, and the event classes that decide how each topic is read and written.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as events from '@adlake/events';
import { createRegistryClient, kafkaLogCreator, kafkaSecurityConfig, readSecret } from '@adlake/sdk';
import type { KafkaAccess, KafkaRefusals, RegistryClient, SecretSource } from '@adlake/sdk';
import { envName, LocalStorage, SinkError, WebHdfsStorage } from '@adlake/sink';
import type { SinkSettings, Storage } from '@adlake/sink';
import { WebHdfsClient } from '@adlake/webhdfs';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import type { Logger } from './log.ts';

/** What the sink needs of a generated event class. */
export interface EventClass {
  readonly topic: string | undefined;
  readonly subject: string;
  readonly schema: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any value type
  readonly type: any;
  decode(buffer: Uint8Array): unknown;
  avroOptions(values?: 'class' | 'lossless'): unknown;
}

/** Imports the `eventModules` setting: package names as they are, paths relative to the working directory. */
export async function loadEventModules(specifiers: readonly string[]): Promise<Record<string, unknown>[]> {
  const modules: Record<string, unknown>[] = [];
  for (const specifier of specifiers) {
    const target = /^[./]/.test(specifier) ? pathToFileURL(resolve(specifier)).href : specifier;
    try {
      modules.push(
        specifier === '@adlake/events' ? events : ((await import(target)) as Record<string, unknown>),
      );
    } catch (error) {
      throw new SinkError('CONFIG_INVALID', `eventModules: cannot import "${specifier}": ${String(error)}`, {
        context: { configKey: 'eventModules' },
        cause: error,
      });
    }
  }
  return modules;
}

/** Every generated class that names a topic, by topic; a later module's class wins a topic. */
export function eventClassesByTopic(
  modules: readonly Record<string, unknown>[] = [events],
): Map<string, EventClass> {
  const out = new Map<string, EventClass>();
  for (const value of modules.flatMap((m) => Object.values(m))) {
    const c = value as Partial<EventClass> | null;
    if (
      c !== null &&
      typeof c === 'object' &&
      typeof c.topic === 'string' &&
      typeof c.subject === 'string' &&
      'schema' in c
    ) {
      out.set(c.topic, c as EventClass);
    }
  }
  return out;
}

/** Adds `topicClasses` aliases (`topic=classTopic`) to the topic → class map. */
export function withTopicAliases(
  settings: SinkSettings,
  classes: Map<string, EventClass>,
): Map<string, EventClass> {
  for (const alias of settings.topicClasses) {
    const [topic, classTopic] = alias.split('=').map((x) => x.trim());
    const c = classTopic === undefined ? undefined : classes.get(classTopic);
    if (topic === undefined || topic === '' || c === undefined) {
      throw new SinkError(
        'CONFIG_INVALID',
        `topicClasses: "${alias}" must be topic=classTopic with a known class topic (${[...classes.keys()].join(', ')})`,
        { context: { configKey: 'topicClasses' } },
      );
    }
    classes.set(topic, c);
  }
  return classes;
}

export function resolveTopics(settings: SinkSettings, classes: ReadonlyMap<string, EventClass>): string[] {
  const pattern = settings.topicPattern === undefined ? undefined : new RegExp(settings.topicPattern);
  const topics = pattern === undefined ? settings.topics : [...classes.keys()].filter((t) => pattern.test(t));
  const missing = topics.filter((t) => !classes.has(t));
  if (missing.length > 0) {
    throw new SinkError(
      'CONFIG_INVALID',
      `topics: no generated event class for ${missing.join(', ')}; known topics: ${[...classes.keys()].join(', ')}`,
      { context: { configKey: 'topics' } },
    );
  }
  if (topics.length === 0) {
    throw new SinkError('CONFIG_INVALID', `topicPattern: ${settings.topicPattern} matches no known topic`, {
      context: { configKey: 'topicPattern' },
    });
  }
  return topics;
}

export function buildStorage(settings: SinkSettings): Storage {
  if (settings['storage.kind'] === 'local') return new LocalStorage(settings['storage.localDir']);
  return new WebHdfsStorage(
    new WebHdfsClient({ url: settings['storage.webhdfsUrl'], user: settings['storage.user'] }),
  );
}

/** A secret from its `…File` setting, else from the environment variable of its secret setting. */
function secretSource(
  settings: SinkSettings,
  fileKey: 'kafka.sasl.passwordFile' | 'registry.passwordFile' | 'registry.clientSecretFile',
  envKey: 'kafka.sasl.password' | 'registry.password' | 'registry.clientSecret',
): SecretSource {
  const file = settings[fileKey];
  return file !== undefined ? { file } : { env: envName(envKey) };
}

export function buildRegistry(settings: SinkSettings): RegistryClient {
  const url = settings['registry.url'];
  switch (settings['registry.auth']) {
    case 'none':
      return createRegistryClient({ url });
    case 'basic':
      return createRegistryClient({
        url,
        auth: {
          username: settings['registry.username'] ?? '',
          password: readSecret(
            secretSource(settings, 'registry.passwordFile', 'registry.password'),
            'registry.passwordFile',
          ),
        },
      });
    case 'client-credentials':
      return createRegistryClient({
        url,
        clientCredentials: {
          tokenUrl: settings['registry.tokenUrl'] ?? '',
          clientId: settings['registry.clientId'] ?? '',
          clientSecret: readSecret(
            secretSource(settings, 'registry.clientSecretFile', 'registry.clientSecret'),
            'registry.clientSecretFile',
          ),
        },
      });
  }
}

/** Who the sink is to Kafka and what it uses, for errors that name them. */
export function kafkaAccess(settings: SinkSettings, topics: readonly string[]): KafkaAccess {
  return {
    brokers: settings['kafka.brokers'],
    principal: settings['kafka.sasl.username'] ?? 'ANONYMOUS',
    topics,
    group: settings['kafka.groupId'],
  };
}

/** TLS and SASL for every Kafka client the sink builds (the consumer's, the audit's, the merger's). */
export function kafkaSecurity(settings: SinkSettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const sasl = settings['kafka.sasl.username'];
  return kafkaSecurityConfig(
    {
      protocol: settings['kafka.securityProtocol'],
      ...(settings['kafka.ssl.caFile'] === undefined ? {} : { caFile: settings['kafka.ssl.caFile'] }),
      ...(settings['kafka.ssl.certFile'] === undefined ? {} : { certFile: settings['kafka.ssl.certFile'] }),
      ...(settings['kafka.ssl.keyFile'] === undefined ? {} : { keyFile: settings['kafka.ssl.keyFile'] }),
      ...(sasl === undefined
        ? {}
        : {
            sasl: {
              mechanism: settings['kafka.sasl.mechanism'],
              username: sasl,
              password: secretSource(settings, 'kafka.sasl.passwordFile', 'kafka.sasl.password'),
            },
          }),
    },
    {
      sasl: 'kafka.sasl.username',
      caFile: 'kafka.ssl.caFile',
      certFile: 'kafka.ssl.certFile',
      keyFile: 'kafka.ssl.keyFile',
      password: 'kafka.sasl.passwordFile',
    },
  );
}

/** `refusals` learns of the authorization refusals kafkajs logs but leaves out of its errors. */
export function buildKafka(settings: SinkSettings, log: Logger, refusals?: KafkaRefusals): Kafka {
  return new Kafka({
    clientId: settings['kafka.clientId'],
    brokers: settings['kafka.brokers'],
    ...kafkaSecurity(settings),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator((level, entry) => {
      refusals?.observe(entry as { error?: unknown });
      if (level === 'error') log.error('kafka', { ...entry });
      else log.warn('kafka', { ...entry });
    }),
  });
}
