// Decodes Confluent-framed records into a reader class's values: writer schema fetched by id (cached), resolved
// to the reader schema, every failure returned as a code and a reason instead of thrown. Used by the consumer
// (values as the class represents them) and by the sink (lossless values: nothing converted, nothing rounded).
import avro from 'avsc';
import type { EventCodec } from '@adlake/event-runtime';
import { errorMessage } from './errors.ts';
import type { RegistryClient } from './registry/client.ts';
import { fingerprint, parseResolved, resolveReferences } from './registry/resolve.ts';
import type { ResolvedSchema } from './registry/resolve.ts';
import { findField } from './field-path.ts';
import type { RangeKind } from './field-path.ts';
import { HEADER_SIZE, readSchemaId } from './wire.ts';

export const DecodeFailureCodes = {
  /** Null/empty value, no magic byte 0, or shorter than the 5-byte header. */
  NOT_WIRE_FORMAT: 'NOT_WIRE_FORMAT',
  /** The registry has no schema with this id. */
  UNKNOWN_SCHEMA_ID: 'UNKNOWN_SCHEMA_ID',
  /** The body ends before the value does. */
  TRUNCATED: 'TRUNCATED',
  /** The body does not decode with the writer schema (bad union index, trailing bytes, unrepresentable long...). */
  MALFORMED_BODY: 'MALFORMED_BODY',
  /**
   * A valid value that the reader class's representation cannot hold (a long beyond ±(2^53−1) in a class
   * with number longs, a timestamp beyond a Date). The reason names the field path; never a changed value.
   */
  UNREPRESENTABLE: 'UNREPRESENTABLE',
  /** The writer schema cannot be resolved to the reader class's schema. */
  INCOMPATIBLE_WRITER: 'INCOMPATIBLE_WRITER',
  /** `decodeSync` met an id that `prepare` has not loaded yet. Not a poison record: call `prepare` first. */
  SCHEMA_NOT_LOADED: 'SCHEMA_NOT_LOADED',
} as const;

export type DecodeFailureCode = (typeof DecodeFailureCodes)[keyof typeof DecodeFailureCodes];

export interface DecodeSuccess<V> {
  ok: true;
  value: V;
  schemaId: number;
}

export interface DecodeFailure {
  ok: false;
  code: DecodeFailureCode;
  reason: string;
  /** Present when the header could be read. */
  schemaId?: number;
  /** For UNREPRESENTABLE: the field path of the value, e.g. `segments[2]` or `device.geo.ts`. */
  field?: string;
}

export type DecodeResult<V> = DecodeSuccess<V> | DecodeFailure;

export interface WireDecoder<V> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input type
  readonly readerClass: EventCodec<V, any>;
  /**
   * Loads the writer schema of every id in these records that is not known yet (one registry request per new
   * id). Throws a retriable SdkError when the registry is unavailable: that is no reason to dead-letter.
   */
  prepare(buffers: Iterable<Uint8Array | null | undefined>): Promise<void>;
  /**
   * Whether records with this schema id were written with the reader's own schema (as loaded by `prepare`):
   * their bodies read without resolution, so a reader of that schema alone reads them the same way.
   */
  writtenWithReaderSchema(id: number): boolean;
  /** Decodes without waiting; an id not loaded by `prepare` yields SCHEMA_NOT_LOADED. */
  decodeSync(buffer: Uint8Array | null | undefined): DecodeResult<V>;
  /** `prepare([buffer])` then `decodeSync(buffer)`. */
  decode(buffer: Uint8Array | null | undefined): Promise<DecodeResult<V>>;
  /** `prepare(buffers)` then `decodeSync` for each. */
  decodeBatch(buffers: readonly (Uint8Array | null | undefined)[]): Promise<DecodeResult<V>[]>;
}

export interface WireDecoderOptions<V> {
  registry: RegistryClient;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input type
  readerClass: EventCodec<V, any>;
  /** How long an id the registry does not know stays known-unknown before it is asked again (default 60 000 ms). */
  unknownIdTtlMs?: number;
  /**
   * `class` (default): values as the reader class represents them. `lossless`: longs as numbers when safe and
   * bigints beyond, logical types left as their underlying values (timestamps as epoch numbers, decimals as
   * two's complement bytes, dates as day numbers): every valid value decodes, unchanged.
   */
  values?: 'class' | 'lossless';
}

type Writer =
  | { state: 'ready'; resolver: avro.Resolver | undefined; documents: ResolvedSchema | undefined }
  | { state: 'incompatible'; reason: string }
  | { state: 'unknown'; until: number };

export function createWireDecoder<V>(options: WireDecoderOptions<V>): WireDecoder<V> {
  const { registry, readerClass } = options;
  const unknownIdTtlMs = options.unknownIdTtlMs ?? 60_000;
  const values = options.values ?? 'class';
  const parseOptions = (): avro.ForSchemaOptions => readerClass.avroOptions(values) as avro.ForSchemaOptions;
  const reader =
    values === 'class'
      ? readerClass.type
      : avro.Type.forSchema(readerClass.schema as avro.Schema, parseOptions());
  const readerFingerprint = fingerprint([readerClass.schema]);
  const writers = new Map<number, Writer>();
  const loading = new Map<number, Promise<void>>();

  async function load(id: number): Promise<void> {
    const registered = await registry.schemaById(id);
    if (registered === undefined) {
      writers.set(id, { state: 'unknown', until: Date.now() + unknownIdTtlMs });
      return;
    }
    const documents = await resolveReferences(registry, registered);
    let writer: Writer;
    try {
      if (fingerprint(documents) === readerFingerprint) {
        writer = { state: 'ready', resolver: undefined, documents: undefined };
      } else {
        const writerType = parseResolved(documents, parseOptions());
        writer = { state: 'ready', resolver: reader.createResolver(writerType), documents };
      }
    } catch (error) {
      writer = { state: 'incompatible', reason: errorMessage(error) };
    }
    writers.set(id, writer);
  }

  function needsLoad(id: number): boolean {
    const writer = writers.get(id);
    return writer === undefined || (writer.state === 'unknown' && writer.until <= Date.now());
  }

  async function prepare(buffers: Iterable<Uint8Array | null | undefined>): Promise<void> {
    let waits: Promise<void>[] | undefined;
    for (const buffer of buffers) {
      if (buffer == null) continue;
      const id = readSchemaId(buffer);
      if (id < 0 || !needsLoad(id)) continue;
      let pending = loading.get(id);
      if (pending === undefined) {
        pending = load(id).finally(() => loading.delete(id));
        loading.set(id, pending);
      }
      (waits ??= []).push(pending);
    }
    if (waits !== undefined) await Promise.all(waits);
  }

  function decodeSync(buffer: Uint8Array | null | undefined): DecodeResult<V> {
    if (buffer == null || buffer.length === 0) {
      return { ok: false, code: 'NOT_WIRE_FORMAT', reason: 'empty value (null or zero bytes)' };
    }
    const id = readSchemaId(buffer);
    if (id < 0) {
      return {
        ok: false,
        code: 'NOT_WIRE_FORMAT',
        reason:
          buffer.length < HEADER_SIZE
            ? `${buffer.length} bytes, shorter than the 5-byte header`
            : `first byte is ${buffer[0]}, not the magic byte 0`,
      };
    }
    const writer = writers.get(id);
    if (writer === undefined) {
      return {
        ok: false,
        code: 'SCHEMA_NOT_LOADED',
        reason: `schema ${id} not loaded: call prepare() first`,
        schemaId: id,
      };
    }
    if (writer.state === 'unknown') {
      return {
        ok: false,
        code: 'UNKNOWN_SCHEMA_ID',
        reason: `the registry has no schema with id ${id}`,
        schemaId: id,
      };
    }
    if (writer.state === 'incompatible') {
      return {
        ok: false,
        code: 'INCOMPATIBLE_WRITER',
        reason: `writer schema ${id} cannot be read as ${readerClass.fullname ?? readerClass.subject}: ${writer.reason}`,
        schemaId: id,
      };
    }
    const bytes = Buffer.isBuffer(buffer)
      ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    let decoded: { value: unknown; offset: number };
    try {
      decoded = reader.decode(bytes, HEADER_SIZE, writer.resolver);
    } catch (error) {
      if (isRangeError(error)) return unrepresentable(bytes, id, writer, error);
      return {
        ok: false,
        code: 'MALFORMED_BODY',
        reason: `body does not decode with schema ${id}: ${errorMessage(error)}`,
        schemaId: id,
      };
    }
    if (decoded.offset < 0) {
      return {
        ok: false,
        code: 'TRUNCATED',
        reason: `body of ${bytes.length - HEADER_SIZE} bytes ends before the value (schema ${id})`,
        schemaId: id,
      };
    }
    if (decoded.offset !== bytes.length) {
      return {
        ok: false,
        code: 'MALFORMED_BODY',
        reason: `${bytes.length - decoded.offset} trailing bytes after the value (schema ${id})`,
        schemaId: id,
      };
    }
    return { ok: true, value: decoded.value as V, schemaId: id };
  }

  let lossless: { reader: avro.Type; resolvers: WeakMap<ResolvedSchema, avro.Resolver> } | undefined;

  /** Decodes again losslessly to name the field whose valid value the class cannot hold. */
  function unrepresentable(
    bytes: Buffer,
    id: number,
    writer: Extract<Writer, { state: 'ready' }>,
    error: Error & { kind: RangeKind; value: number | bigint },
  ): DecodeFailure {
    let field: string | undefined;
    try {
      lossless ??= {
        reader: avro.Type.forSchema(
          readerClass.schema as avro.Schema,
          readerClass.avroOptions('lossless') as avro.ForSchemaOptions,
        ),
        resolvers: new WeakMap(),
      };
      let resolver: avro.Resolver | undefined;
      if (writer.documents !== undefined) {
        resolver = lossless.resolvers.get(writer.documents);
        if (resolver === undefined) {
          const writerType = parseResolved(writer.documents, readerClass.avroOptions('lossless'));
          resolver = lossless.reader.createResolver(writerType);
          lossless.resolvers.set(writer.documents, resolver);
        }
      }
      const value = lossless.reader.decode(bytes, HEADER_SIZE, resolver).value;
      field = findField(readerClass.schema, value, error.kind, error.value);
    } catch {
      field = undefined;
    }
    const failure: DecodeFailure = {
      ok: false,
      code: 'UNREPRESENTABLE',
      reason: `${field === undefined ? 'a field' : field}: ${error.message} (schema ${id})`,
      schemaId: id,
    };
    if (field !== undefined) failure.field = field;
    return failure;
  }

  return {
    readerClass,
    prepare,
    writtenWithReaderSchema(id) {
      const writer = writers.get(id);
      return writer !== undefined && writer.state === 'ready' && writer.resolver === undefined;
    },
    decodeSync,
    async decode(buffer) {
      await prepare([buffer]);
      return decodeSync(buffer);
    },
    async decodeBatch(buffers) {
      await prepare(buffers);
      return buffers.map(decodeSync);
    },
  };
}

/**
 * The runtime's AvroRangeError, told by its code: the reader class may come from an event package that brought
 * its own copy of @adlake/event-runtime, whose classes are not this package's.
 */
function isRangeError(error: unknown): error is Error & { kind: RangeKind; value: number | bigint } {
  if (!(error instanceof Error)) return false;
  const { code, value } = error as { code?: unknown; value?: unknown };
  return code === 'VALUE_OUT_OF_RANGE' && (typeof value === 'number' || typeof value === 'bigint');
}
