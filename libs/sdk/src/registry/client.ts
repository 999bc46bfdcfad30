// A small client for the parts of the Confluent-compatible registry API the SDK needs, behind an interface the
// application can implement itself (or adapt from @kafkajs/confluent-schema-registry).
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SdkError, SdkErrorCodes, errorMessage } from '../errors.ts';

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredSchema {
  id: number;
  /** The schema text as stored: possibly referring to named types of other subjects. */
  schema: string;
  references: readonly SchemaReference[];
  subject?: string;
  version?: number;
}

/** What the SDK asks of a schema registry. `undefined` means "not found"; every other failure throws SdkError. */
export interface RegistryClient {
  /** POST /subjects/{subject}: the id under which this exact schema is registered in the subject. */
  lookup(
    subject: string,
    schema: string,
    references?: readonly SchemaReference[],
  ): Promise<RegisteredSchema | undefined>;
  /** GET /schemas/ids/{id}. */
  schemaById(id: number): Promise<RegisteredSchema | undefined>;
  /** GET /subjects/{subject}/versions; `undefined` when the subject does not exist. */
  versions(subject: string): Promise<number[] | undefined>;
  /** GET /subjects/{subject}/versions/{version}. */
  version(subject: string, version: number | 'latest'): Promise<RegisteredSchema | undefined>;
  /** POST /subjects/{subject}/versions; returns the id. */
  register(subject: string, schema: string, references?: readonly SchemaReference[]): Promise<number>;
}

export interface RegistryClientOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:8080/apis/ccompat/v7`. */
  url: string;
  /** Basic auth. */
  auth?: { username: string; password: string };
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Injectable fetch (default: the global one). */
  fetch?: typeof fetch;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** The default client: plain fetch, no dependencies, errors classified as retriable or not. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { accept: CONTENT_TYPE, ...options.headers };
  if (options.auth) {
    headers['authorization'] =
      `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  }

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': CONTENT_TYPE },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new SdkError(
        SdkErrorCodes.REGISTRY_UNAVAILABLE,
        `registry ${method} ${url} failed: ${errorMessage(error)}`,
        {
          retriable: true,
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (response.status === 404) return NOT_FOUND;
    if (!response.ok) {
      const retriable = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new SdkError(
        retriable ? SdkErrorCodes.REGISTRY_UNAVAILABLE : SdkErrorCodes.REGISTRY_ERROR,
        `registry ${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`,
        { retriable },
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new SdkError(
        SdkErrorCodes.REGISTRY_ERROR,
        `registry ${method} ${url} answered non-JSON: ${text.slice(0, 200)}`,
        {
          cause: error,
        },
      );
    }
  }

  const enc = encodeURIComponent;
  return {
    async lookup(subject, schema, references = []) {
      const body = { schemaType: 'AVRO', schema, ...(references.length > 0 ? { references } : {}) };
      return toRegistered(await call('POST', `/subjects/${enc(subject)}`, body));
    },
    async schemaById(id) {
      const found = await call('GET', `/schemas/ids/${id}`);
      return found === NOT_FOUND ? undefined : toRegistered({ ...(found as object), id });
    },
    async versions(subject) {
      const found = await call('GET', `/subjects/${enc(subject)}/versions`);
      if (found === NOT_FOUND) return undefined;
      if (!Array.isArray(found)) throw unexpected('versions', found);
      return found.map(Number);
    },
    async version(subject, version) {
      return toRegistered(await call('GET', `/subjects/${enc(subject)}/versions/${version}`));
    },
    async register(subject, schema, references = []) {
      const body = { schemaType: 'AVRO', schema, ...(references.length > 0 ? { references } : {}) };
      const found = await call('POST', `/subjects/${enc(subject)}/versions`, body);
      const id = (found as { id?: unknown } | undefined)?.id;
      if (found === NOT_FOUND || typeof id !== 'number') throw unexpected('register', found);
      return id;
    },
  };
}

const NOT_FOUND = Symbol('not found');

function unexpected(what: string, body: unknown): SdkError {
  return new SdkError(
    SdkErrorCodes.REGISTRY_ERROR,
    `unexpected registry answer to ${what}: ${JSON.stringify(body)}`,
  );
}

function toRegistered(body: unknown): RegisteredSchema | undefined {
  if (body === NOT_FOUND) return undefined;
  const b = body as {
    id?: unknown;
    schema?: unknown;
    references?: unknown;
    subject?: unknown;
    version?: unknown;
  };
  if (typeof b.id !== 'number' || (b.schema !== undefined && typeof b.schema !== 'string')) {
    throw unexpected('schema request', body);
  }
  return {
    id: b.id,
    schema: typeof b.schema === 'string' ? b.schema : '',
    references: Array.isArray(b.references) ? (b.references as SchemaReference[]) : [],
    ...(typeof b.subject === 'string' ? { subject: b.subject } : {}),
    ...(typeof b.version === 'number' ? { version: b.version } : {}),
  };
}

/**
 * Adapts an application's `SchemaRegistry` from @kafkajs/confluent-schema-registry (its auth, agent and retry
 * settings kept) to `RegistryClient`. It goes through the library's REST resources, because its public methods
 * return avsc Types built without our logical types and drop the references we need.
 */
export function fromConfluentSchemaRegistry(registry: SchemaRegistry): RegistryClient {
  type Call = (args: Record<string, unknown>) => Promise<{ data(): unknown }>;
  const api = (registry as unknown as { api?: { Schema: { find: Call }; Subject: Record<string, Call> } })
    .api;
  if (api === undefined) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      '/options/registry is not a @kafkajs/confluent-schema-registry SchemaRegistry',
      {
        context: { option: '/options/registry' },
      },
    );
  }
  async function run(call: () => Promise<{ data(): unknown }>): Promise<unknown> {
    try {
      return (await call()).data();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return NOT_FOUND;
      const retriable = typeof status !== 'number' || status >= 500 || status === 429;
      throw new SdkError(
        retriable ? SdkErrorCodes.REGISTRY_UNAVAILABLE : SdkErrorCodes.REGISTRY_ERROR,
        `registry request failed: ${errorMessage(error)}`,
        { retriable, cause: error },
      );
    }
  }
  const subject = (name: string): Call => {
    const call = api.Subject[name];
    if (call === undefined)
      throw new SdkError(SdkErrorCodes.CONFIG_INVALID, `registry client has no Subject.${name}`);
    return call;
  };
  return {
    async lookup(s, schema, references = []) {
      const body = { schemaType: 'AVRO', schema, ...(references.length > 0 ? { references } : {}) };
      return toRegistered(await run(() => subject('registered')({ subject: s, body })));
    },
    async schemaById(id) {
      const found = await run(() => api.Schema.find({ id }));
      return found === NOT_FOUND ? undefined : toRegistered({ ...(found as object), id });
    },
    async versions(s) {
      // The library has no "list versions" resource: walk down from the latest, skipping deleted versions.
      const latest = toRegistered(await run(() => subject('latestVersion')({ subject: s })));
      if (latest?.version === undefined) return undefined;
      return Array.from({ length: latest.version }, (_, i) => i + 1);
    },
    async version(s, version) {
      return toRegistered(await run(() => subject('version')({ subject: s, version })));
    },
    async register(s, schema, references = []) {
      const body = { schemaType: 'AVRO', schema, ...(references.length > 0 ? { references } : {}) };
      const found = (await run(() => subject('register')({ subject: s, body }))) as { id?: unknown };
      if (typeof found.id !== 'number') throw unexpected('register', found);
      return found.id;
    },
  };
}

/** What `registry` may be in the SDK's options. */
export type RegistryOption = RegistryClient | RegistryClientOptions | SchemaRegistry;

/** Accepts our client, a @kafkajs/confluent-schema-registry `SchemaRegistry`, or plain `{ url }` config. */
export function toRegistryClient(option: RegistryOption | undefined): RegistryClient {
  const o = option as
    (Partial<RegistryClient> & Partial<RegistryClientOptions> & { api?: unknown }) | undefined;
  if (o !== undefined && typeof o.lookup === 'function' && typeof o.schemaById === 'function')
    return o as RegistryClient;
  if (
    o !== undefined &&
    o.api !== undefined &&
    typeof (o as { getSchema?: unknown }).getSchema === 'function'
  ) {
    return fromConfluentSchemaRegistry(o as unknown as SchemaRegistry);
  }
  if (o !== undefined && typeof o.url === 'string') return createRegistryClient(o as RegistryClientOptions);
  throw new SdkError(
    SdkErrorCodes.CONFIG_INVALID,
    '/options/registry must be a RegistryClient, a @kafkajs/confluent-schema-registry SchemaRegistry, or { url }',
    { context: { option: '/options/registry' } },
  );
}
