// Parquet's schema in two forms: the spec a caller writes (fields with shapes, which also say how a
// JavaScript value of each field is shredded) and the resulting schema elements and leaf columns, as the
// file footer holds them.

export type ParquetPhysicalType =
  'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';

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
  /** The root message name. */
  name: string;
  fields: ParquetField[];
  columns: ParquetColumn[];
}

// ---- the spec a writer is created from ---------------------------------------------------------------

/** A schema to write: the root message name and its top-level fields. */
export interface ParquetSchemaSpec {
  name: string;
  fields: readonly ParquetFieldSpec[];
}

/** One field of a group or of the root. A row supplies it as the property of the same name. */
export interface ParquetFieldSpec {
  name: string;
  /** OPTIONAL (null and undefined are written as null) instead of REQUIRED. Default false. */
  optional?: boolean;
  shape: ParquetShape;
}

export type ParquetShape = PrimitiveShape | GroupShape | ListShape | MapShape | OneOfShape;

/**
 * A primitive column. The JavaScript values it takes follow from the types:
 *
 * | column                                   | value                                                      |
 * | ---------------------------------------- | ---------------------------------------------------------- |
 * | BOOLEAN                                  | boolean                                                    |
 * | INT32, INT32 TIME(MILLIS)                | 32-bit integer number                                      |
 * | INT32 DATE                               | days since 1970-01-01, or a Date (its UTC day)             |
 * | INT64, INT64 TIMESTAMP(MICROS)/TIME      | safe integer number or bigint in the signed 64-bit range   |
 * | INT64 TIMESTAMP(MILLIS)                  | as INT64, or a Date                                        |
 * | INT96 (`unit` MILLIS or MICROS)          | an instant in `unit` since the epoch as INT64; MILLIS: or a Date |
 * | FLOAT, DOUBLE                            | number                                                     |
 * | BYTE_ARRAY STRING                        | string (written as UTF-8)                                  |
 * | BYTE_ARRAY                               | Uint8Array                                                 |
 * | FIXED_LEN_BYTE_ARRAY                     | Uint8Array of exactly `typeLength` bytes                   |
 * | FIXED_LEN_BYTE_ARRAY DECIMAL(p,s)        | decimal text (`"-12.30"`, never rounded) or big-endian two's complement bytes of the unscaled value |
 */
export interface PrimitiveShape {
  kind: 'primitive';
  type: ParquetPhysicalType;
  /** FIXED_LEN_BYTE_ARRAY only: the byte length. */
  typeLength?: number;
  logicalType?: ParquetLogicalType;
  /** INT96 only, and required there: the unit of the numbers appended (INT96 has no logical type to say it). */
  unit?: 'MILLIS' | 'MICROS';
}

/** A group (struct): a row supplies a plain object with one property per field. */
export interface GroupShape {
  kind: 'group';
  fields: readonly ParquetFieldSpec[];
}

/** The LIST logical type in its 3-level form (`group (LIST) { repeated group list { element } }`): an array. */
export interface ListShape {
  kind: 'list';
  element: ParquetShape;
  /** Elements may be null. Default false. */
  optionalElements?: boolean;
}

/**
 * The MAP logical type (`group (MAP) { repeated group key_value { required binary key (STRING); value } }`):
 * an object whose own enumerable properties are the entries, in property order.
 */
export interface MapShape {
  kind: 'map';
  value: ParquetShape;
  /** Values may be null. Default false. */
  optionalValues?: boolean;
}

/**
 * A tagged union as a group of OPTIONAL members of which at most one is set per row (Spark's layout for
 * unions). The caller says which member a value is: the library knows nothing of where unions come from.
 */
export interface OneOfShape {
  kind: 'oneOf';
  members: readonly { name: string; shape: ParquetShape }[];
  /** Index into `members` of the member a (non-null) value belongs to, or -1 when it belongs to none. */
  select(value: unknown): number;
  /** What the chosen member writes; default the value itself (e.g. unwrap `{ branch: value }`). */
  unwrap?(value: unknown, member: number): unknown;
  /** The accepted values, for the error message when `select` finds none, e.g. `one of int | string`. */
  expected: string;
}

// ---- decimals ----------------------------------------------------------------------------------------

/** Largest precision a two's complement integer of `bytes` bytes can hold: floor(log10(2^(8n-1) - 1)). */
export function maxDecimalPrecision(bytes: number): number {
  return bytes <= 0 ? 0 : Math.floor(Math.log10(2) * (8 * bytes - 1));
}

/** Smallest FIXED_LEN_BYTE_ARRAY length whose two's complement range holds every `precision`-digit value. */
export function decimalBytes(precision: number): number {
  let n = 1;
  while (maxDecimalPrecision(n) < precision) n++;
  return n;
}

// ---- text form ---------------------------------------------------------------------------------------

/** The schema in parquet-mr's text form (`message x { required int64 a (TIMESTAMP(MILLIS,true)); }`). */
export function formatParquetSchema(schema: { name: string; fields: readonly ParquetField[] }): string {
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
