// Maps a resolved Avro schema onto a Parquet schema spec for @adlake/parquet: the documented table in
// docs/parquet.md, plus the lineage columns. The writer and `deriveParquetSchema` both start from this one
// spec, so the schema we describe and the files we write can never disagree.
import { decimalBytes, isParquetError, parquetSchema } from '@adlake/parquet';
import type {
  OneOfShape,
  ParquetFieldSpec,
  ParquetLogicalType,
  ParquetPhysicalType,
  ParquetSchema,
  ParquetSchemaSpec,
  ParquetShape,
  PrimitiveShape,
} from '@adlake/parquet';
import { SinkError } from '../errors.ts';
import { resolveAvroSchema } from './avro.ts';
import type { AvroNode } from './avro.ts';

/**
 * How timestamps are stored: `int64` as the TIMESTAMP(MILLIS|MICROS) logical types (Spark, Trino, DuckDB,
 * pyarrow, Hive 4), or `int96` (nanoseconds of the day and a Julian day, no logical type), the only timestamp
 * Hive 2 and 3's own Parquet reader understands. Both hold every Avro timestamp exactly.
 */
export const TIMESTAMP_STORAGE = ['int64', 'int96'] as const;
export type TimestampStorage = (typeof TIMESTAMP_STORAGE)[number];
export interface DeriveOptions {
  /** Append the Kafka lineage columns (`_kafka_topic`, `_kafka_partition`, `_kafka_offset`, `_kafka_timestamp`). */
  lineage?: boolean;
  /** Timestamp columns, top-level, nested and lineage alike (default `int64`). */
  timestamps?: TimestampStorage;
}

/** Names of the lineage columns, appended after the record's own fields. */
export const LINEAGE_COLUMNS = [
  '_kafka_topic',
  '_kafka_partition',
  '_kafka_offset',
  '_kafka_timestamp',
] as const;

/** What JavaScript value an unwrapped union branch holds. */
export type UnionMatch =
  'boolean' | 'number' | 'bigint' | 'integer' | 'string' | 'buffer' | 'date' | 'array' | 'object';

/**
 * How the values to write are represented: avsc values of a generated class with `number` or `bigint` longs
 * (logical types as Date and decimal text), or the SDK's `lossless` values (longs as numbers when safe and
 * bigints beyond, logical types as their underlying values). It only changes how multi-branch unions are
 * told apart: every leaf accepts every representation.
 */
export type ValueRepresentation = 'number' | 'bigint' | 'lossless';

export interface SchemaPlan {
  /** The root message name: the Avro record's full name. */
  name: string;
  /** The record's own fields, in schema order. */
  fields: ParquetFieldSpec[];
  /** The lineage columns (empty without `lineage`), written after the record's fields. */
  lineage: ParquetFieldSpec[];
}

export interface PlanOptions extends DeriveOptions {
  /** The representation the values come in (default `number`). */
  values?: ValueRepresentation;
}

/** The Parquet schema an Avro record schema is written with. Throws SinkError SCHEMA_UNSUPPORTED with the field path. */
export function deriveParquetSchema(avroSchema: unknown, options: DeriveOptions = {}): ParquetSchema {
  const spec = specOf(planSchema(avroSchema, options));
  try {
    return parquetSchema(spec);
  } catch (error) {
    throw sinkSchemaError(error);
  }
}

export function planSchema(avroSchema: unknown, options: PlanOptions = {}): SchemaPlan {
  const root = resolveAvroSchema(avroSchema);
  if (root.kind !== 'record') {
    throw new SinkError(
      'SCHEMA_UNSUPPORTED',
      `<root>: the top-level schema must be a record, not ${root.kind}`,
      {
        context: { field: '' },
      },
    );
  }
  const values = options.values ?? 'number';
  const int96 = (options.timestamps ?? 'int64') === 'int96';

  function fail(path: string, message: string): never {
    throw new SinkError('SCHEMA_UNSUPPORTED', `${path === '' ? '<root>' : path}: ${message}`, {
      context: { field: path },
    });
  }

  const primitive = (
    type: ParquetPhysicalType,
    extra: { logicalType?: ParquetLogicalType; typeLength?: number; unit?: 'MILLIS' | 'MICROS' } = {},
  ): PrimitiveShape => ({ kind: 'primitive', type, ...extra });
  const STRING = primitive('BYTE_ARRAY', { logicalType: { type: 'STRING' } });

  /** The shape of an Avro type, and whether it is nullable (a union with "null", or `optional` already). */
  function map(avro: AvroNode, path: string, optional: boolean): { optional: boolean; shape: ParquetShape } {
    const of = (shape: ParquetShape): { optional: boolean; shape: ParquetShape } => ({ optional, shape });
    switch (avro.kind) {
      case 'primitive': {
        const logical = avro.logical;
        if (logical !== undefined) {
          switch (logical.name) {
            case 'timestamp-millis':
            case 'local-timestamp-millis':
            case 'timestamp-micros':
            case 'local-timestamp-micros': {
              const unit = logical.name.endsWith('millis') ? 'MILLIS' : 'MICROS';
              if (int96) return of(primitive('INT96', { unit }));
              return of(
                primitive('INT64', {
                  logicalType: {
                    type: 'TIMESTAMP',
                    unit,
                    isAdjustedToUTC: !logical.name.startsWith('local-'),
                  },
                }),
              );
            }
            case 'date':
              return of(primitive('INT32', { logicalType: { type: 'DATE' } }));
            case 'time-millis':
              // Avro times of day carry no time zone: TIME(…, false), which DuckDB reads as TIME.
              return of(
                primitive('INT32', { logicalType: { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: false } }),
              );
            case 'time-micros':
              return of(
                primitive('INT64', { logicalType: { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: false } }),
              );
            case 'uuid':
              return of(STRING);
            case 'decimal':
              return of(
                primitive('FIXED_LEN_BYTE_ARRAY', {
                  typeLength: decimalBytes(logical.precision),
                  logicalType: { type: 'DECIMAL', precision: logical.precision, scale: logical.scale },
                }),
              );
          }
        }
        switch (avro.type) {
          case 'null':
            return fail(path, 'a field of type "null" has no Parquet column type');
          case 'boolean':
            return of(primitive('BOOLEAN'));
          case 'int':
            return of(primitive('INT32'));
          case 'long':
            return of(primitive('INT64'));
          case 'float':
            return of(primitive('FLOAT'));
          case 'double':
            return of(primitive('DOUBLE'));
          case 'string':
            return of(STRING);
          case 'bytes':
            return of(primitive('BYTE_ARRAY'));
        }
        return fail(path, 'unknown primitive');
      }
      case 'fixed': {
        if (avro.size === 0) fail(path, `fixed ${avro.fullname} of size 0 has no Parquet column type`);
        const logical = avro.logical;
        return of(
          primitive('FIXED_LEN_BYTE_ARRAY', {
            typeLength: avro.size,
            ...(logical !== undefined && logical.name === 'decimal'
              ? { logicalType: { type: 'DECIMAL', precision: logical.precision, scale: logical.scale } }
              : {}),
          }),
        );
      }
      case 'enum':
        return of(STRING);
      case 'record':
        return of({
          kind: 'group',
          fields: avro.fields.map((f) => field(f.name, f.type, path === '' ? f.name : `${path}.${f.name}`)),
        });
      case 'array': {
        const item = map(avro.items, `${path}[]`, false);
        return of({ kind: 'list', element: item.shape, optionalElements: item.optional });
      }
      case 'map': {
        const value = map(avro.values, `${path}{}`, false);
        return of({ kind: 'map', value: value.shape, optionalValues: value.optional });
      }
      case 'union': {
        const nonNull = avro.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
        const hasNull = nonNull.length < avro.branches.length;
        if (nonNull.length === 0) fail(path, 'a union of only "null" has no Parquet column type');
        if (nonNull.length === 1) return map(nonNull[0] as AvroNode, path, optional || hasNull);
        return { optional: optional || hasNull, shape: unionShape(nonNull, path) };
      }
    }
  }

  function field(name: string, avro: AvroNode, path: string): ParquetFieldSpec {
    const { optional, shape } = map(avro, path, false);
    return { name, optional, shape };
  }

  /**
   * Spark's layout for a union of several non-null branches: one optional member per branch. avsc wraps the
   * values of an ambiguous union as `{ branchKey: value }`; otherwise the JavaScript type tells the branch.
   */
  function unionShape(nonNull: AvroNode[], path: string): OneOfShape {
    const buckets = nonNull.map((b) => bucketOf(b, values));
    const wrapped = new Set(buckets).size < buckets.length;
    const keys = nonNull.map(branchKey);
    const members = nonNull.map((b, i) => ({
      name: `member${i}`,
      shape: map(b, `${path}<member${i}>`, true).shape,
    }));
    const expected = `one of ${keys.join(' | ')}${wrapped ? ' wrapped as { branch: value }' : ''}`;
    if (wrapped) {
      return {
        kind: 'oneOf',
        members,
        expected,
        select: (v) => {
          if (v === null || typeof v !== 'object') return -1;
          const own = Object.keys(v);
          return own.length === 1 ? keys.indexOf(own[0] as string) : -1;
        },
        unwrap: (v, i) => (v as Record<string, unknown>)[keys[i] as string],
      };
    }
    const matchers = nonNull.map((b) => matchOf(b, values));
    return { kind: 'oneOf', members, expected, select: (v) => matchers.findIndex((m) => matches(m, v)) };
  }

  const fields = root.fields.map((f) => field(f.name, f.type, f.name));
  const lineage: ParquetFieldSpec[] = [];
  if (options.lineage ?? false) {
    for (const name of LINEAGE_COLUMNS) {
      if (fields.some((f) => f.name === name))
        fail(name, `field name collides with the lineage column ${name}`);
    }
    const [topic, partition, offset, timestamp] = LINEAGE_COLUMNS;
    lineage.push(
      { name: topic, shape: STRING },
      { name: partition, shape: primitive('INT32') },
      { name: offset, shape: primitive('INT64') },
      {
        name: timestamp,
        optional: true,
        shape: int96
          ? primitive('INT96', { unit: 'MILLIS' })
          : primitive('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true } }),
      },
    );
  }
  return { name: root.fullname, fields, lineage };
}

/** The plan's fields as one Parquet schema spec: the record's fields, then the lineage columns. */
export function specOf(plan: SchemaPlan): ParquetSchemaSpec {
  return { name: plan.name, fields: [...plan.fields, ...plan.lineage] };
}

/**
 * The library checks what it is given; a spec built above always passes, so an error here is a mapping bug,
 * reported as the sink reports a schema it cannot store.
 */
export function sinkSchemaError(error: unknown): unknown {
  if (!isParquetError(error)) return error;
  return new SinkError('SCHEMA_UNSUPPORTED', error.message, {
    cause: error,
    context: { field: error.context.path ?? '' },
  });
}

/** avsc's bucket of a union branch (wrapUnions 'auto'): two branches in one bucket make the union wrapped. */
function bucketOf(b: AvroNode, values: ValueRepresentation): string {
  const logical = values === 'lossless' ? undefined : 'logical' in b ? b.logical : undefined;
  if (logical !== undefined && ['timestamp-millis', 'date', 'decimal', 'uuid'].includes(logical.name)) {
    return `logical:${logical.name}`;
  }
  switch (b.kind) {
    case 'primitive':
      if (b.type === 'long' && values === 'bigint') return 'bigint';
      if (b.type === 'int' || b.type === 'long' || b.type === 'float' || b.type === 'double') return 'number';
      if (b.type === 'bytes') return 'buffer';
      return b.type;
    case 'fixed':
      return 'buffer';
    case 'enum':
      return 'string';
    case 'record':
    case 'map':
      return 'object';
    default:
      return b.kind;
  }
}

function matchOf(b: AvroNode, values: ValueRepresentation): UnionMatch {
  // A lossless long is alone in avsc's number bucket of its union, and it is a bigint when it is not safe.
  if (values === 'lossless' && b.kind === 'primitive' && b.type === 'long') return 'integer';
  const logical = values === 'lossless' ? undefined : 'logical' in b ? b.logical : undefined;
  if (logical?.name === 'timestamp-millis' || logical?.name === 'date') return 'date';
  if (logical?.name === 'decimal' || logical?.name === 'uuid') return 'string';
  const bucket = bucketOf(b, values);
  if (bucket === 'null') return 'object';
  return bucket as UnionMatch;
}

/** avsc's key for a wrapped union branch: the primitive name, `array`, `map`, or a named type's full name. */
function branchKey(b: AvroNode): string {
  switch (b.kind) {
    case 'primitive':
      return b.type;
    case 'array':
    case 'map':
      return b.kind;
    case 'union':
      return 'union';
    default:
      return b.fullname;
  }
}

function matches(match: UnionMatch, v: unknown): boolean {
  switch (match) {
    case 'number':
      return typeof v === 'number';
    case 'bigint':
      return typeof v === 'bigint';
    case 'integer':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'boolean':
    case 'string':
      return typeof v === match;
    case 'buffer':
      return v instanceof Uint8Array;
    case 'date':
      return v instanceof Date;
    case 'array':
      return Array.isArray(v);
    default:
      return (
        v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        !(v instanceof Uint8Array) &&
        !(v instanceof Date)
      );
  }
}
