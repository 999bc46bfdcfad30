// The app builds every client from the settings and hands them to the libraries: Kafka, the schema
// registry, the storage backend, and the event classes that decide how each topic is read and written.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as events from '@adlake/events';
import { createRegistryClient, kafkaLogCreator } from '@adlake/sdk';
import type { RegistryClient } from '@adlake/sdk';
import { LocalStorage, SinkError, WebHdfsStorage } from '@adlake/sink';
import type { SinkSettings, Storage } from '@adlake/sink';
import { WebHdfsClient } from '@adlake/webhdfs';
import { Kafka, logLevel } from 'kafkajs';
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

export function buildRegistry(settings: SinkSettings): RegistryClient {
  return createRegistryClient({ url: settings['registry.url'] });
}

export function buildKafka(settings: SinkSettings, log: Logger): Kafka {
  return new Kafka({
    clientId: settings['kafka.clientId'],
    brokers: settings['kafka.brokers'],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator((level, entry) => {
      if (level === 'error') log.error('kafka', { ...entry });
      else log.warn('kafka', { ...entry });
    }),
  });
}
