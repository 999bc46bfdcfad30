// The one client for the Confluent Schema Registry REST API (and compatible servers such as Apicurio's ccompat
// API): what the release step, the PR check and the SDK ask of a registry.
import type { CompatibilityLevel } from './levels.ts';
import { retry } from '@adlake/retry';
import { RegistryError } from './errors.ts';

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schema: string;
  references: SchemaReference[];
}

/** A schema found by id: the registry says which subject and version only on some servers and endpoints. */
export interface StoredSchema {
  id: number;
  /** The schema text as stored: possibly referring to named types of other subjects. */
  schema: string;
  references: readonly SchemaReference[];
  subject?: string;
  version?: number;
}

export interface RegistryClientOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  /** Basic credentials (`user:password`) or a bearer token; never read from the repository. */
  basicAuth?: string;
  bearerToken?: string;
  /**
   * OAuth 2 client credentials: the client fetches a token from `tokenUrl` and sends it as a bearer token,
   * fetching a new one before it expires and once more when the registry answers 401.
   */
  clientCredentials?: ClientCredentials;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Attempts for retriable failures (network errors, 5xx, 429, 408); 1 disables retries. */
  attempts?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Injectable fetch (default: the global one). */
  fetch?: typeof fetch;
}

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** A token is renewed this long before the expiry the server announced, so it never expires in flight. */
const TOKEN_MARGIN_MS = 30_000;
const SUBJECT_NOT_FOUND = 40401;
const VERSION_NOT_FOUND = 40402;
const SCHEMA_NOT_FOUND = 40403;

export class SchemaRegistryClient {
  readonly url: string;
  #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #fetch: typeof fetch;
  /** Who this client authenticates as, for error messages: never the secret. */
  readonly principal: string;
  readonly #credentials: ClientCredentials | undefined;
  #token: { value: string; renewAt: number } | undefined;

  constructor(options: RegistryClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#headers = { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE, ...options.headers };
    const given = [options.basicAuth, options.bearerToken, options.clientCredentials].filter(
      (v) => v !== undefined,
    );
    if (given.length > 1) {
      throw new RegistryError(
        'REGISTRY_ERROR',
        'give one of basicAuth, bearerToken and clientCredentials, not several',
      );
    }
    this.#credentials = options.clientCredentials;
    if (options.basicAuth !== undefined) {
      this.#headers['authorization'] = `Basic ${Buffer.from(options.basicAuth).toString('base64')}`;
      this.principal = options.basicAuth.split(':')[0] ?? '';
    } else if (options.bearerToken !== undefined) {
      this.#headers['authorization'] = `Bearer ${options.bearerToken}`;
      this.principal = 'the bearer token given';
    } else if (options.clientCredentials !== undefined) {
      this.principal = options.clientCredentials.clientId;
    } else {
      this.principal = 'anonymous';
    }
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#attempts = Math.max(1, options.attempts ?? 3);
    this.#fetch = options.fetch ?? fetch;
  }

  /** GET /schemas/ids/{id}, or `null` when no schema has that id. */
  async schemaById(id: number): Promise<StoredSchema | null> {
    const answer = await this.#request('GET', `/schemas/ids/${id}`, undefined, {
      notFound: [SCHEMA_NOT_FOUND],
    });
    if (answer === NOT_FOUND) return null;
    const found = answer as Partial<StoredSchema> | undefined;
    if (typeof found?.schema !== 'string') {
      throw new RegistryError(
        'REGISTRY_ERROR',
        `unexpected registry answer to GET /schemas/ids/${id}: ${JSON.stringify(answer)}`,
      );
    }
    return {
      id,
      schema: found.schema,
      references: Array.isArray(found.references) ? found.references : [],
      ...(typeof found.subject === 'string' ? { subject: found.subject } : {}),
      ...(typeof found.version === 'number' ? { version: found.version } : {}),
    };
  }

  async listSubjects(): Promise<string[]> {
    return (await this.#request('GET', '/subjects')) as string[];
  }

  /** The subject's version numbers, oldest first, or `null` when the subject does not exist. */
  async listVersions(subject: string): Promise<number[] | null> {
    const answer = await this.#request('GET', `/subjects/${enc(subject)}/versions`, undefined, {
      subject,
      notFound: [SUBJECT_NOT_FOUND, VERSION_NOT_FOUND],
    });
    return answer === NOT_FOUND ? null : [...(answer as number[])].sort((a, b) => a - b);
  }

  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const answer = (await this.#request('GET', `/subjects/${enc(subject)}/versions/${version}`, undefined, {
      subject,
    })) as Partial<RegisteredSchema> & { schema: string; id: number; version: number };
    return {
      subject,
      version: answer.version,
      id: answer.id,
      schema: answer.schema,
      references: answer.references ?? [],
    };
  }

  /** Every registered version of a subject, oldest first; empty when the subject does not exist. */
  async getAllVersions(subject: string): Promise<RegisteredSchema[]> {
    const versions = (await this.listVersions(subject)) ?? [];
    const out: RegisteredSchema[] = [];
    for (const v of versions) out.push(await this.getVersion(subject, v));
    return out;
  }

  /** The schema's registration under the subject, or `null` when that exact schema is not registered. */
  async lookup(
    subject: string,
    schema: string,
    references: SchemaReference[] = [],
  ): Promise<RegisteredSchema | null> {
    const answer = await this.#request(
      'POST',
      `/subjects/${enc(subject)}`,
      { schema, schemaType: 'AVRO', references },
      { subject, notFound: [SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND] },
    );
    if (answer === NOT_FOUND) return null;
    const found = answer as RegisteredSchema;
    return {
      subject,
      version: found.version,
      id: found.id,
      schema: found.schema,
      references: found.references ?? [],
    };
  }

  async register(
    subject: string,
    schema: string,
    references: SchemaReference[] = [],
  ): Promise<{ id: number }> {
    const answer = (await this.#request(
      'POST',
      `/subjects/${enc(subject)}/versions`,
      { schema, schemaType: 'AVRO', references },
      { subject },
    )) as { id: number };
    return { id: answer.id };
  }

  /**
   * Asks the registry whether `schema` may be registered under `subject`, at the subject's configured
   * level. Returns `null` when the subject does not exist (nothing to be compatible with), or when an
   * Apicurio registry cannot judge a schema against versions that use references (see below).
   */
  async testCompatibility(
    subject: string,
    schema: string,
    references: SchemaReference[] = [],
  ): Promise<{ compatible: boolean; messages: string[] } | null> {
    const body = { schema, schemaType: 'AVRO', references };
    // Against "latest": every server we target supports it, and the server widens it to all versions
    // itself when the subject's level is transitive.
    let answer: unknown;
    try {
      answer = await this.#request(
        'POST',
        `/compatibility/subjects/${enc(subject)}/versions/latest?verbose=true`,
        body,
        { subject, notFound: [SUBJECT_NOT_FOUND, VERSION_NOT_FOUND] },
      );
    } catch (error) {
      // Apicurio 3's ccompat compatibility endpoint cannot parse a subject whose versions use schema
      // references (42201 "Syntax violation" / "Could not execute compatibility rule on invalid Avro
      // schema"); its native API judges the same request correctly (docs/release.md has the evidence).
      if (!isApicurioReferenceFailure(error) || apicurioNativeUrl(this.url) === undefined) throw error;
      const verdict = await this.#apicurioDryRun(subject, schema, references);
      if (verdict === undefined) throw error; // no references involved: the schema itself is invalid
      return verdict;
    }
    if (answer === NOT_FOUND) return null;
    const result = answer as { is_compatible: boolean; messages?: string[] };
    return { compatible: result.is_compatible, messages: result.messages ?? [] };
  }

  /**
   * Apicurio's native "create version, dry run": runs the subject's rules without registering. References
   * default to those of the latest version, which Apicurio also uses to read the existing versions. Returns
   * `null` when Apicurio cannot judge the schema either (a referenced type inlined with a different
   * definition: "Can't redefine"), so callers fall back to their own verdict; `undefined` when no
   * references are involved, so the original failure stands.
   */
  async #apicurioDryRun(
    subject: string,
    schema: string,
    references: SchemaReference[],
  ): Promise<{ compatible: boolean; messages: string[] } | null | undefined> {
    const refs = references.length > 0 ? references : (await this.getVersion(subject, 'latest')).references;
    if (refs.length === 0) return undefined;
    const native = new SchemaRegistryClient({
      url: apicurioNativeUrl(this.url) ?? this.url,
      timeoutMs: this.#timeoutMs,
      attempts: this.#attempts,
      fetch: this.#fetch,
      ...(this.#credentials === undefined ? {} : { clientCredentials: this.#credentials }),
    });
    native.#headers = { ...this.#headers, accept: 'application/json', 'content-type': 'application/json' };
    const body = {
      content: {
        content: schema,
        contentType: 'application/json',
        references: refs.map((r) => ({
          groupId: 'default',
          artifactId: r.subject,
          version: String(r.version),
          name: r.name,
        })),
      },
    };
    try {
      await native.#request('POST', `/groups/default/artifacts/${enc(subject)}/versions?dryRun=true`, body, {
        subject,
      });
      return { compatible: true, messages: [] };
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      const problem = (error.cause ?? {}) as {
        name?: unknown;
        causes?: { description?: string; context?: string }[];
      };
      if (problem.name === 'RuleViolationException') {
        const causes = (problem.causes ?? []).map((c) => `${c.description ?? ''} at ${c.context ?? '/'}`);
        return { compatible: false, messages: causes.length > 0 ? causes : [error.message] };
      }
      if (error.context.httpStatus === 422) return null;
      throw error;
    }
  }

  /** The subject's own compatibility level, or the global one when `subject` is omitted. */
  async getCompatibilityLevel(subject?: string): Promise<CompatibilityLevel | null> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
    const answer = await this.#request('GET', path, undefined, {
      ...(subject === undefined ? {} : { subject }),
      notFound: [SUBJECT_NOT_FOUND, 40408],
    });
    if (answer === NOT_FOUND) return null;
    const config = answer as { compatibilityLevel?: string; compatibility?: string };
    const level = config.compatibilityLevel ?? config.compatibility;
    return level === undefined ? null : (level as CompatibilityLevel);
  }

  async setCompatibilityLevel(subject: string, level: CompatibilityLevel): Promise<void> {
    await this.#request('PUT', `/config/${enc(subject)}`, { compatibility: level }, { subject });
  }

  /**
   * Deletes a subject: soft, then with `permanent` hard as well (the Confluent API needs both steps). A
   * subject that does not exist is not an error. Subjects referenced by others must be deleted after them.
   */
  async deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<void> {
    const path = `/subjects/${enc(subject)}`;
    const notFound = [SUBJECT_NOT_FOUND, VERSION_NOT_FOUND, 40404];
    await this.#request('DELETE', path, undefined, { subject, notFound });
    if (options.permanent === true)
      await this.#request('DELETE', `${path}?permanent=true`, undefined, { subject, notFound });
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
    options: { subject?: string; notFound?: number[] } = {},
  ): Promise<unknown> {
    // Jittered exponential backoff from 200 ms, never retrying a refusal, bad input or a bug.
    return retry(() => this.#authorized(method, path, body, options), {
      maxAttempts: this.#attempts,
      initialDelayMs: 200,
      maxDelayMs: 10_000,
      multiplier: 2,
      jitter: [0.5, 1.5],
      retriable: (error) => error instanceof RegistryError && error.retriable,
    });
  }

  /** One request with a current token when the client uses client credentials, and one renewal on a 401. */
  async #authorized(
    method: string,
    path: string,
    body: unknown,
    options: { subject?: string; notFound?: number[] },
  ): Promise<unknown> {
    if (this.#credentials === undefined) return this.#once(method, path, body, options, this.#headers);
    const token = await this.#currentToken(false);
    try {
      return await this.#once(method, path, body, options, {
        ...this.#headers,
        authorization: `Bearer ${token}`,
      });
    } catch (error) {
      // A token the server no longer accepts (revoked, or its key rotated) is renewed once, not retried.
      if (!(error instanceof RegistryError) || error.code !== 'REGISTRY_UNAUTHENTICATED') throw error;
      const renewed = await this.#currentToken(true);
      return this.#once(method, path, body, options, {
        ...this.#headers,
        authorization: `Bearer ${renewed}`,
      });
    }
  }

  async #currentToken(renew: boolean): Promise<string> {
    const credentials = this.#credentials;
    if (credentials === undefined) throw new Error('no client credentials');
    if (!renew && this.#token !== undefined && Date.now() < this.#token.renewAt) return this.#token.value;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      ...(credentials.scope === undefined ? {} : { scope: credentials.scope }),
    });
    const context = { principal: credentials.clientId, resource: `POST ${credentials.tokenUrl}` };
    let response: Response;
    try {
      response = await this.#fetch(credentials.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw new RegistryError(
        'REGISTRY_UNREACHABLE',
        `token endpoint ${credentials.tokenUrl} is unreachable for client "${credentials.clientId}": ${describe(cause)}`,
        { retriable: true, cause, context },
      );
    }
    const answer = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof answer.access_token !== 'string') {
      const why = [answer.error, answer.error_description].filter((v) => typeof v === 'string').join(': ');
      const refused = response.status === 400 || response.status === 401 || response.status === 403;
      throw new RegistryError(
        refused ? 'REGISTRY_UNAUTHENTICATED' : 'REGISTRY_ERROR',
        `token endpoint ${credentials.tokenUrl} refused client "${credentials.clientId}" (HTTP ${response.status}${why === '' ? '' : `, ${why}`})`,
        {
          retriable: response.status >= 500 || response.status === 429,
          context: { ...context, httpStatus: response.status },
        },
      );
    }
    const lifetimeMs = typeof answer.expires_in === 'number' ? answer.expires_in * 1000 : 60_000;
    this.#token = {
      value: answer.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - TOKEN_MARGIN_MS, lifetimeMs / 2),
    };
    return answer.access_token;
  }

  async #once(
    method: string,
    path: string,
    body: unknown,
    options: { subject?: string; notFound?: number[] },
    headers: Record<string, string>,
  ): Promise<unknown> {
    const target = `${this.url}${path}`;
    const context = options.subject === undefined ? {} : { subject: options.subject };
    let response: Response;
    try {
      response = await this.#fetch(target, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw new RegistryError(
        'REGISTRY_UNREACHABLE',
        `schema registry at ${this.url} is unreachable (${method} ${path}): ${describe(cause)}`,
        {
          retriable: true,
          cause,
          context,
        },
      );
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.ok) return parsed;
    const errorCode =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { error_code?: unknown }).error_code
        : undefined;
    const registryErrorCode = typeof errorCode === 'number' ? errorCode : undefined;
    // A 404 is an answer ("no such subject") only where the caller expects one; servers differ in which
    // error_code they send with it (Apicurio says 40402 where Confluent says 40401), so any listed code counts.
    const expected = options.notFound;
    if (response.status === 404 && expected !== undefined) {
      if (registryErrorCode === undefined || expected.includes(registryErrorCode)) return NOT_FOUND;
    }
    const serverMessage =
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { message?: unknown }).message === 'string'
        ? (parsed as { message: string }).message
        : text.slice(0, 300);
    const retriable = response.status >= 500 || response.status === 429 || response.status === 408;
    const who = options.subject === undefined ? '' : ` for subject "${options.subject}"`;
    if (response.status === 401 || response.status === 403) {
      const denied = response.status === 401;
      throw new RegistryError(
        denied ? 'REGISTRY_UNAUTHENTICATED' : 'REGISTRY_FORBIDDEN',
        denied
          ? `schema registry at ${this.url} did not accept the credentials of "${this.principal}" (401) for ${method} ${path}${who}: ${serverMessage}`
          : `schema registry at ${this.url} does not allow "${this.principal}" to ${method} ${path}${who} (403): ${serverMessage}`,
        {
          context: {
            ...context,
            httpStatus: response.status,
            principal: this.principal,
            resource: `${method} ${path}`,
          },
        },
      );
    }
    throw new RegistryError(
      'REGISTRY_ERROR',
      `schema registry answered ${response.status}${registryErrorCode === undefined ? '' : ` (error ${registryErrorCode})`}${who} to ${method} ${path}: ${serverMessage}`,
      {
        retriable,
        // The server's error document, for callers that need its details (e.g. Apicurio's rule causes).
        ...(typeof parsed === 'object' && parsed !== null ? { cause: parsed } : {}),
        context: {
          ...context,
          httpStatus: response.status,
          ...(registryErrorCode === undefined ? {} : { registryErrorCode }),
        },
      },
    );
  }
}

const NOT_FOUND = Symbol('not found');

/** `.../apis/ccompat/v7` → `.../apis/registry/v3`: Apicurio serves both; other servers have no such path. */
function apicurioNativeUrl(url: string): string | undefined {
  const match = /^(.*\/apis)\/ccompat\/v\d+$/.exec(url);
  return match === null ? undefined : `${match[1]}/registry/v3`;
}

function isApicurioReferenceFailure(error: unknown): boolean {
  return (
    error instanceof RegistryError &&
    error.context.httpStatus === 422 &&
    error.context.registryErrorCode === 42201
  );
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

/** The schema text of a registered version, parsed; a registry holding non-JSON is a registry error. */
export function parseRegistered(schema: string, subject: string, version: number): unknown {
  try {
    return JSON.parse(schema);
  } catch (cause) {
    throw new RegistryError(
      'REGISTRY_ERROR',
      `subject "${subject}" version ${version} holds a schema that is not JSON`,
      {
        cause,
        context: { subject },
      },
    );
  }
}
