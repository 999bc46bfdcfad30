// The Hive DDL for a topic's table: a `CREATE EXTERNAL TABLE` over the sink's Parquet files, partitioned by
// day, with column types derived from the same Parquet mapping the writer uses.
import type { ParquetShape, PrimitiveShape } from '@adlake/parquet';
import { planSchema, specOf } from './schema.ts';
import type { TimestampStorage } from './schema.ts';
import { resolveAvroSchema } from './avro.ts';

export interface HiveTableOptions {
  /** Table name; default: the topic with every character outside [A-Za-z0-9_] replaced by `_`. */
  table?: string;
  database?: string;
  topic: string;
  /** The sink's output root, e.g. `hdfs:///data/lake/raw`; the table's LOCATION is `<root>/topic=<topic>`. */
  root: string;
  /** Lineage columns (must match the writer's `lineage`). Default true. */
  lineage?: boolean;
  /** Recorded as `parquet.compression` in TBLPROPERTIES (what Hive would use if it wrote). Default snappy. */
  compression?: 'snappy' | 'gzip' | 'zstd' | 'none';
  /** Must match the writer's `timestamps`; the column type is TIMESTAMP either way. Default int64. */
  timestamps?: TimestampStorage;
}

/** `CREATE EXTERNAL TABLE IF NOT EXISTS … PARTITIONED BY (dt STRING) STORED AS PARQUET LOCATION '…'`. */
export function hiveCreateTable(avroSchema: unknown, options: HiveTableOptions): string {
  const plan = planSchema(avroSchema, {
    lineage: options.lineage ?? true,
    ...(options.timestamps === undefined ? {} : { timestamps: options.timestamps }),
  });
  const root = resolveAvroSchema(avroSchema);
  const docs = new Map<string, string>();
  if (root.kind === 'record') for (const f of root.fields) if (f.doc !== undefined) docs.set(f.name, f.doc);
  const table = options.table ?? options.topic.replace(/[^A-Za-z0-9_]/g, '_');
  const name = options.database === undefined ? quote(table) : `${quote(options.database)}.${quote(table)}`;
  const columns = specOf(plan).fields.map((f) => {
    const doc = docs.get(f.name);
    return `  ${quote(f.name)} ${hiveTypeOf(f.shape)}${doc === undefined ? '' : ` COMMENT ${literal(doc)}`}`;
  });
  const location = `${options.root.replace(/\/+$/, '')}/topic=${options.topic}`;
  const codec =
    (options.compression ?? 'snappy') === 'none'
      ? 'UNCOMPRESSED'
      : (options.compression ?? 'snappy').toUpperCase();
  const comment = root.kind === 'record' && root.doc !== undefined ? `COMMENT ${literal(root.doc)}\n` : '';
  return (
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (\n${columns.join(',\n')}\n)\n` +
    comment +
    `PARTITIONED BY (${quote('dt')} STRING)\n` +
    `STORED AS PARQUET\n` +
    `LOCATION ${literal(location)}\n` +
    `TBLPROPERTIES (${literal('parquet.compression')}=${literal(codec)});\n`
  );
}

/** The Hive type of one Avro schema (as a field of a record), e.g. `ARRAY<STRUCT<a:BIGINT>>`. */
export function hiveType(avroSchema: unknown): string {
  const wrapper = { type: 'record', name: 'HiveTypeProbe', fields: [{ name: 'x', type: avroSchema }] };
  const [field] = planSchema(wrapper).fields;
  // The probe record has exactly one field, and planSchema maps every field or throws.
  return hiveTypeOf((field as { shape: ParquetShape }).shape);
}

function hiveTypeOf(shape: ParquetShape): string {
  switch (shape.kind) {
    case 'primitive':
      return leafType(shape);
    case 'group':
      return `STRUCT<${shape.fields.map((f) => `${quote(f.name)}:${hiveTypeOf(f.shape)}`).join(',')}>`;
    case 'list':
      return `ARRAY<${hiveTypeOf(shape.element)}>`;
    case 'map':
      return `MAP<STRING,${hiveTypeOf(shape.value)}>`;
    case 'oneOf':
      return `STRUCT<${shape.members.map((m) => `${quote(m.name)}:${hiveTypeOf(m.shape)}`).join(',')}>`;
  }
}

function leafType(f: PrimitiveShape): string {
  const lt = f.logicalType;
  if (lt !== undefined) {
    switch (lt.type) {
      case 'STRING':
        return 'STRING';
      case 'DATE':
        return 'DATE';
      case 'DECIMAL':
        return `DECIMAL(${lt.precision},${lt.scale})`;
      case 'TIMESTAMP':
        return 'TIMESTAMP';
      case 'TIME':
        // Hive has no TIME type: the raw count since midnight.
        return f.type === 'INT32' ? 'INT' : 'BIGINT';
      default:
        break;
    }
  }
  switch (f.type) {
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'INT32':
      return 'INT';
    case 'INT64':
      return 'BIGINT';
    case 'INT96':
      return 'TIMESTAMP';
    case 'FLOAT':
      return 'FLOAT';
    case 'DOUBLE':
      return 'DOUBLE';
    default:
      return 'BINARY';
  }
}

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
