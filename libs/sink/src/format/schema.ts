// Maps a resolved Avro schema onto a Parquet schema: the documented table in docs/parquet.md, plus the
// lineage columns. Produces both the public description (`deriveParquetSchema`) and the internal plan the
// writer compiles its column appenders from, so the two can never disagree.
import { SinkError } from '../errors.ts';
import { decimalBytes, resolveAvroSchema } from './avro.ts';
import type { AvroNode } from './avro.ts';

export type ParquetPhysicalType =
  'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';

/**
 * How timestamps are stored: `int64` as the TIMESTAMP(MILLIS|MICROS) logical types (Spark, Trino, DuckDB,
 * pyarrow, Hive 4), or `int96` (nanoseconds of the day and a Julian day, no logical type), the only timestamp
 * Hive 2 and 3's own Parquet reader understands. Both hold every Avro timestamp exactly.
 */
export const TIMESTAMP_STORAGE = ['int64', 'int96'] as const;
export type TimestampStorage = (typeof TIMESTAMP_STORAGE)[number];
export type ParquetRepetition = 'REQUIRED' | 'OPTIONAL' | 'REPEATED';

export type ParquetLogicalType =
  | { type: 'STRING' | 'DATE' | 'LIST' | 'MAP' }
  | { type: 'DECIMAL'; precision: number; scale: number }
  | { type: 'TIMESTAMP' | 'TIME'; unit: 'MILLIS' | 'MICROS'; isAdjustedToUTC: boolean };

/** One Parquet schema element: a group when it has `children`, a primitive column otherwise. */
export interface ParquetField {
  name: string;
  repetition: ParquetRepetition;
  type?: ParquetPhysicalType;
  /** FIXED_LEN_BYTE_ARRAY only. */
  typeLength?: number;
  logicalType?: ParquetLogicalType;
  children?: ParquetField[];
}

/** A leaf column in file order, with its Dremel levels. */
export interface ParquetColumn {
  path: string[];
  type: ParquetPhysicalType;
  typeLength?: number;
  logicalType?: ParquetLogicalType;
  maxDefinitionLevel: number;
  maxRepetitionLevel: number;
}

export interface ParquetSchema {
  /** The root message name: the Avro record's full name. */
  name: string;
  fields: ParquetField[];
  columns: ParquetColumn[];
}

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

// ---- internal plan -------------------------------------------------------------------------------------

/** How an avsc runtime value becomes a stored value. */
export type LeafConversion =
  | 'boolean'
  | 'int'
  | 'long'
  | 'float'
  | 'double'
  | 'string'
  | 'bytes'
  | 'fixed'
  | 'timestamp-millis'
  | 'int96-millis'
  | 'int96-micros'
  | 'date'
  | 'decimal';

export interface PlanLeaf {
  kind: 'leaf';
  field: ParquetField;
  optional: boolean;
  path: string;
  conv: LeafConversion;
  /** fixed and decimal: stored byte width. */
  size: number;
  /** decimal only. */
  scale: number;
  precision: number;
  column: number;
}
export interface PlanRecord {
  kind: 'record';
  field: ParquetField;
  optional: boolean;
  path: string;
  fields: { name: string; node: PlanNode }[];
}
export interface PlanList {
  kind: 'list';
  field: ParquetField;
  optional: boolean;
  path: string;
  item: PlanNode;
}
export interface PlanMap {
  kind: 'map';
  field: ParquetField;
  optional: boolean;
  path: string;
  key: PlanLeaf;
  value: PlanNode;
}
export interface PlanUnion {
  kind: 'union';
  field: ParquetField;
  optional: boolean;
  path: string;
  /** True when avsc (`wrapUnions: 'auto'`) represents values as `{ branchName: value }`. */
  wrapped: boolean;
  members: { key: string; match: UnionMatch; node: PlanNode }[];
}
export type PlanNode = PlanLeaf | PlanRecord | PlanList | PlanMap | PlanUnion;

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
  schema: ParquetSchema;
  fields: { name: string; node: PlanNode }[];
  /** Leaves in file order; `column` of each PlanLeaf indexes this. */
  leaves: PlanLeaf[];
  lineage: boolean;
}

export interface PlanOptions extends DeriveOptions {
  /** The representation the values come in (default `number`). */
  values?: ValueRepresentation;
}

/** The Parquet schema an Avro record schema is written with. Throws SinkError SCHEMA_UNSUPPORTED with the field path. */
export function deriveParquetSchema(avroSchema: unknown, options: DeriveOptions = {}): ParquetSchema {
  return planSchema(avroSchema, options).schema;
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
  const leaves: PlanLeaf[] = [];

  function fail(path: string, message: string): never {
    throw new SinkError('SCHEMA_UNSUPPORTED', `${path === '' ? '<root>' : path}: ${message}`, {
      context: { field: path },
    });
  }

  function leaf(
    name: string,
    optional: boolean,
    path: string,
    conv: LeafConversion,
    type: ParquetPhysicalType,
    extra: { logicalType?: ParquetLogicalType; size?: number; scale?: number; precision?: number } = {},
  ): PlanLeaf {
    const field: ParquetField = { name, repetition: optional ? 'OPTIONAL' : 'REQUIRED', type };
    if (type === 'FIXED_LEN_BYTE_ARRAY') field.typeLength = extra.size ?? 0;
    if (extra.logicalType !== undefined) field.logicalType = extra.logicalType;
    const node: PlanLeaf = {
      kind: 'leaf',
      field,
      optional,
      path,
      conv,
      size: extra.size ?? 0,
      scale: extra.scale ?? 0,
      precision: extra.precision ?? 0,
      column: leaves.length,
    };
    leaves.push(node);
    return node;
  }

  function map(avro: AvroNode, name: string, path: string, optional: boolean): PlanNode {
    const repetition: ParquetRepetition = optional ? 'OPTIONAL' : 'REQUIRED';
    switch (avro.kind) {
      case 'primitive': {
        const logical = avro.logical;
        if (logical !== undefined) {
          switch (logical.name) {
            case 'timestamp-millis':
            case 'local-timestamp-millis':
            case 'timestamp-micros':
            case 'local-timestamp-micros': {
              const millis = logical.name.endsWith('millis');
              if (int96) return leaf(name, optional, path, millis ? 'int96-millis' : 'int96-micros', 'INT96');
              return leaf(name, optional, path, millis ? 'timestamp-millis' : 'long', 'INT64', {
                logicalType: {
                  type: 'TIMESTAMP',
                  unit: millis ? 'MILLIS' : 'MICROS',
                  isAdjustedToUTC: !logical.name.startsWith('local-'),
                },
              });
            }
            case 'date':
              return leaf(name, optional, path, 'date', 'INT32', { logicalType: { type: 'DATE' } });
            case 'time-millis':
              // Avro times of day carry no time zone: TIME(…, false), which DuckDB reads as TIME.
              return leaf(name, optional, path, 'int', 'INT32', {
                logicalType: { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: false },
              });
            case 'time-micros':
              return leaf(name, optional, path, 'long', 'INT64', {
                logicalType: { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: false },
              });
            case 'uuid':
              return leaf(name, optional, path, 'string', 'BYTE_ARRAY', { logicalType: { type: 'STRING' } });
            case 'decimal': {
              const size = decimalBytes(logical.precision);
              return leaf(name, optional, path, 'decimal', 'FIXED_LEN_BYTE_ARRAY', {
                logicalType: { type: 'DECIMAL', precision: logical.precision, scale: logical.scale },
                size,
                scale: logical.scale,
                precision: logical.precision,
              });
            }
          }
        }
        switch (avro.type) {
          case 'null':
            return fail(path, 'a field of type "null" has no Parquet column type');
          case 'boolean':
            return leaf(name, optional, path, 'boolean', 'BOOLEAN');
          case 'int':
            return leaf(name, optional, path, 'int', 'INT32');
          case 'long':
            return leaf(name, optional, path, 'long', 'INT64');
          case 'float':
            return leaf(name, optional, path, 'float', 'FLOAT');
          case 'double':
            return leaf(name, optional, path, 'double', 'DOUBLE');
          case 'string':
            return leaf(name, optional, path, 'string', 'BYTE_ARRAY', { logicalType: { type: 'STRING' } });
          case 'bytes':
            return leaf(name, optional, path, 'bytes', 'BYTE_ARRAY');
        }
        return fail(path, 'unknown primitive');
      }
      case 'fixed': {
        if (avro.size === 0) fail(path, `fixed ${avro.fullname} of size 0 has no Parquet column type`);
        const logical = avro.logical;
        if (logical !== undefined && logical.name === 'decimal') {
          return leaf(name, optional, path, 'decimal', 'FIXED_LEN_BYTE_ARRAY', {
            logicalType: { type: 'DECIMAL', precision: logical.precision, scale: logical.scale },
            size: avro.size,
            scale: logical.scale,
            precision: logical.precision,
          });
        }
        return leaf(name, optional, path, 'fixed', 'FIXED_LEN_BYTE_ARRAY', { size: avro.size });
      }
      case 'enum':
        return leaf(name, optional, path, 'string', 'BYTE_ARRAY', { logicalType: { type: 'STRING' } });
      case 'record': {
        const fields = avro.fields.map((f) => ({
          name: f.name,
          node: map(f.type, f.name, path === '' ? f.name : `${path}.${f.name}`, false),
        }));
        return {
          kind: 'record',
          field: { name, repetition, children: fields.map((f) => f.node.field) },
          optional,
          path,
          fields,
        };
      }
      case 'array': {
        const item = map(avro.items, 'element', `${path}[]`, false);
        const list: ParquetField = { name: 'list', repetition: 'REPEATED', children: [item.field] };
        return {
          kind: 'list',
          field: { name, repetition, logicalType: { type: 'LIST' }, children: [list] },
          optional,
          path,
          item,
        };
      }
      case 'map': {
        const key = leaf('key', false, `${path}{key}`, 'string', 'BYTE_ARRAY', {
          logicalType: { type: 'STRING' },
        });
        const value = map(avro.values, 'value', `${path}{}`, false);
        const kv: ParquetField = {
          name: 'key_value',
          repetition: 'REPEATED',
          children: [key.field, value.field],
        };
        return {
          kind: 'map',
          field: { name, repetition, logicalType: { type: 'MAP' }, children: [kv] },
          optional,
          path,
          key,
          value,
        };
      }
      case 'union': {
        const nonNull = avro.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
        const hasNull = nonNull.length < avro.branches.length;
        if (nonNull.length === 0) fail(path, 'a union of only "null" has no Parquet column type');
        if (nonNull.length === 1) return map(nonNull[0] as AvroNode, name, path, optional || hasNull);
        const buckets = nonNull.map((b) => bucketOf(b, values));
        const wrapped = new Set(buckets).size < buckets.length;
        const members = nonNull.map((b, i) => ({
          key: branchKey(b),
          match: matchOf(b, values),
          node: map(b, `member${i}`, `${path}<member${i}>`, true),
        }));
        return {
          kind: 'union',
          field: {
            name,
            repetition: optional || hasNull ? 'OPTIONAL' : 'REQUIRED',
            children: members.map((m) => m.node.field),
          },
          optional: optional || hasNull,
          path,
          wrapped,
          members,
        };
      }
    }
  }

  const fields = root.fields.map((f) => ({ name: f.name, node: map(f.type, f.name, f.name, false) }));
  const lineage = options.lineage ?? false;
  if (lineage) {
    for (const name of LINEAGE_COLUMNS) {
      if (fields.some((f) => f.name === name))
        fail(name, `field name collides with the lineage column ${name}`);
    }
    const [topic, partition, offset, timestamp] = LINEAGE_COLUMNS;
    fields.push(
      {
        name: topic,
        node: leaf(topic, false, topic, 'string', 'BYTE_ARRAY', { logicalType: { type: 'STRING' } }),
      },
      { name: partition, node: leaf(partition, false, partition, 'int', 'INT32') },
      { name: offset, node: leaf(offset, false, offset, 'long', 'INT64') },
      {
        name: timestamp,
        node: int96
          ? leaf(timestamp, true, timestamp, 'int96-millis', 'INT96')
          : leaf(timestamp, true, timestamp, 'timestamp-millis', 'INT64', {
              logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true },
            }),
      },
    );
  }

  const parquetFields = fields.map((f) => f.node.field);
  const columns: ParquetColumn[] = [];
  const walkLevels = (field: ParquetField, path: string[], def: number, rep: number): void => {
    const d = field.repetition === 'REQUIRED' ? def : def + 1;
    const r = field.repetition === 'REPEATED' ? rep + 1 : rep;
    const p = [...path, field.name];
    if (field.children !== undefined) {
      for (const c of field.children) walkLevels(c, p, d, r);
      return;
    }
    const col: ParquetColumn = {
      path: p,
      type: field.type ?? 'BYTE_ARRAY',
      maxDefinitionLevel: d,
      maxRepetitionLevel: r,
    };
    if (field.typeLength !== undefined) col.typeLength = field.typeLength;
    if (field.logicalType !== undefined) col.logicalType = field.logicalType;
    columns.push(col);
  };
  for (const f of parquetFields) walkLevels(f, [], 0, 0);

  return { schema: { name: root.fullname, fields: parquetFields, columns }, fields, leaves, lineage };
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

/** The schema in parquet-mr's text form (`message x { required int64 a (TIMESTAMP(MILLIS,true)); }`). */
export function formatParquetSchema(schema: ParquetSchema): string {
  const lines = [`message ${schema.name} {`];
  const emit = (f: ParquetField, indent: string): void => {
    const rep = f.repetition.toLowerCase();
    const ann = f.logicalType === undefined ? '' : ` (${formatLogicalType(f.logicalType)})`;
    if (f.children !== undefined) {
      lines.push(`${indent}${rep} group ${f.name}${ann} {`);
      for (const c of f.children) emit(c, `${indent}  `);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}${rep} ${formatPhysical(f)} ${f.name}${ann};`);
    }
  };
  for (const f of schema.fields) emit(f, '  ');
  lines.push('}');
  return lines.join('\n');
}

export function formatPhysical(f: { type?: ParquetPhysicalType; typeLength?: number }): string {
  switch (f.type) {
    case 'BYTE_ARRAY':
      return 'binary';
    case 'FIXED_LEN_BYTE_ARRAY':
      return `fixed_len_byte_array(${f.typeLength ?? 0})`;
    default:
      return (f.type ?? 'group').toLowerCase();
  }
}

export function formatLogicalType(t: ParquetLogicalType): string {
  switch (t.type) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'TIMESTAMP':
    case 'TIME':
      return `${t.type}(${t.unit},${t.isAdjustedToUTC})`;
    default:
      return t.type;
  }
}
