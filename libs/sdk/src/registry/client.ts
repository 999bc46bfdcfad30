// What the SDK asks of a schema registry, behind an interface the application can implement itself. The default
// is the workspace's one registry client (@adlake/registry); an application's @kafkajs/confluent-schema-registry
// instance is adapted as well.
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { RegistryError, SchemaRegistryClient } from '@adlake/registry';
import type { SchemaReference, StoredSchema } from '@adlake/registry';
import { SdkError, SdkErrorCodes, errorMessage } from '../errors.ts';

export type { SchemaReference } from '@adlake/registry';
/** A registered schema as the SDK sees it: found by id, or by subject and version. */
export type RegisteredSchema = StoredSchema;

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
  /** OAuth 2 client credentials: a token from `tokenUrl`, renewed before it expires. */
  clientCredentials?: { tokenUrl: string; clientId: string; clientSecret: string };
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Injectable fetch (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * The default client: @adlake/registry without its own retries (the producer and the consumer retry a whole
 * send or poll), its failures as SdkError, classified as retriable or not.
 */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const client = new SchemaRegistryClient({
    url: options.url,
    ...(options.auth === undefined ? {} : { basicAuth: `${options.auth.username}:${options.auth.password}` }),
    ...(options.clientCredentials === undefined ? {} : { clientCredentials: options.clientCredentials }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    timeoutMs: options.timeoutMs ?? 10_000,
    attempts: 1,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      if (error.code === 'REGISTRY_UNAUTHENTICATED' || error.code === 'REGISTRY_FORBIDDEN') {
        throw new SdkError(
          error.code === 'REGISTRY_FORBIDDEN'
            ? SdkErrorCodes.AUTHORIZATION_FAILED
            : SdkErrorCodes.AUTHENTICATION_FAILED,
          error.message,
          { retriable: false, cause: error },
        );
      }
      throw new SdkError(
        error.retriable ? SdkErrorCodes.REGISTRY_UNAVAILABLE : SdkErrorCodes.REGISTRY_ERROR,
        error.message,
        { retriable: error.retriable, cause: error },
      );
    }
  }
  return {
    async lookup(subject, schema, references = []) {
      return (await call(() => client.lookup(subject, schema, [...references]))) ?? undefined;
    },
    async schemaById(id) {
      return (await call(() => client.schemaById(id))) ?? undefined;
    },
    async versions(subject) {
      return (await call(() => client.listVersions(subject))) ?? undefined;
    },
    async version(subject, version) {
      return call(async () => {
        try {
          return await client.getVersion(subject, version);
        } catch (error) {
          // No such subject or version is an answer here, as in the other lookups.
          if (error instanceof RegistryError && error.context.httpStatus === 404) return undefined;
          throw error;
        }
      });
    },
    async register(subject, schema, references = []) {
      return (await call(() => client.register(subject, schema, [...references]))).id;
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
