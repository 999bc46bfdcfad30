// Finds (and caches) the registry id of each event class's schema for the producer: pinned, looked up by text,
// or matched by canonical fingerprint against the subject's versions; registered only on explicit opt-in.
import type { EventCodec } from '@adlake/event-runtime';
import { SdkError, SdkErrorCodes } from './errors.ts';
import type { RegistryClient } from './registry/client.ts';
import { fingerprint, resolveReferences } from './registry/resolve.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any codec, whatever its value/input types
export type AnyEventClass = EventCodec<any, any>;

export interface SchemaIdOptions {
  /** Register the class's schema when it is not found. For local development only: releases register. */
  autoRegister?: boolean;
  /** Ids fixed per class: no registry request at all for these. */
  pinned?: Iterable<readonly [AnyEventClass, number]>;
}

export type SchemaIdSource = 'pinned' | 'lookup' | 'fingerprint' | 'registered';

export class SchemaIdCache {
  readonly #client: RegistryClient;
  readonly #autoRegister: boolean;
  readonly #ids = new Map<AnyEventClass, number>();
  readonly #pending = new Map<AnyEventClass, Promise<number>>();
  readonly #sources = new Map<AnyEventClass, SchemaIdSource>();

  constructor(client: RegistryClient, options: SchemaIdOptions = {}) {
    this.#client = client;
    this.#autoRegister = options.autoRegister ?? false;
    for (const [eventClass, id] of options.pinned ?? []) {
      if (!Number.isInteger(id) || id < 0) {
        throw new SdkError(
          SdkErrorCodes.CONFIG_INVALID,
          `/options/schemaIds: id for ${eventClass.subject} must be a non-negative integer, got ${id}`,
          {
            context: { option: '/options/schemaIds', subject: eventClass.subject },
          },
        );
      }
      this.#ids.set(eventClass, id);
      this.#sources.set(eventClass, 'pinned');
    }
  }

  /** The cached id, without waiting: the send path's fast path. */
  get(eventClass: AnyEventClass): number | undefined {
    return this.#ids.get(eventClass);
  }

  /** How the cached id was found (for diagnostics and tests). */
  source(eventClass: AnyEventClass): SchemaIdSource | undefined {
    return this.#sources.get(eventClass);
  }

  /** Resolves the id once per class; concurrent callers share the request; failures are not cached. */
  resolve(eventClass: AnyEventClass): Promise<number> {
    const known = this.#ids.get(eventClass);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.#pending.get(eventClass);
    if (pending === undefined) {
      pending = this.#find(eventClass).then(
        ({ id, source }) => {
          this.#ids.set(eventClass, id);
          this.#sources.set(eventClass, source);
          this.#pending.delete(eventClass);
          return id;
        },
        (error: unknown) => {
          this.#pending.delete(eventClass);
          throw error;
        },
      );
      this.#pending.set(eventClass, pending);
    }
    return pending;
  }

  async #find(eventClass: AnyEventClass): Promise<{ id: number; source: SchemaIdSource }> {
    const { subject } = eventClass;
    const text = JSON.stringify(eventClass.schema);
    const exact = await this.#client.lookup(subject, text);
    if (exact !== undefined) return { id: exact.id, source: 'lookup' };

    // Releases register with references (shared types are their own subjects), so the text differs from the
    // class's inlined schema: compare canonical fingerprints of the fully resolved versions, newest first.
    const wanted = fingerprint([eventClass.schema]);
    const versions = (await this.#client.versions(subject)) ?? [];
    for (const v of [...versions].sort((a, b) => b - a)) {
      const registered = await this.#client.version(subject, v);
      if (registered === undefined) continue;
      if (fingerprint(await resolveReferences(this.#client, registered)) === wanted) {
        return { id: registered.id, source: 'fingerprint' };
      }
    }

    if (this.#autoRegister) return { id: await this.#client.register(subject, text), source: 'registered' };
    throw new SdkError(
      SdkErrorCodes.SCHEMA_NOT_REGISTERED,
      `the schema of ${eventClass.fullname ?? subject} is not registered under subject ${subject} ` +
        `(canonical SHA-256 ${wanted}; ${versions.length === 0 ? 'the subject has no versions' : `none of versions ${versions.join(', ')} matches`}). ` +
        'Register it with the release step (`avro-gov register`), pin its id with the `schemaIds` option, ' +
        'or, for local development only, pass `autoRegister: true`.',
      { retriable: false, context: { subject, fingerprint: wanted } },
    );
  }
}
