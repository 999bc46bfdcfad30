// Checks a schema spec and turns it into the schema elements the footer holds and the internal plan the
// writer compiles its column appenders from, in one walk, so the two can never disagree.
import { ParquetError } from './errors.ts';
import { maxDecimalPrecision } from './schema.ts';
import type {
  ParquetColumn,
  ParquetField,
  ParquetFieldSpec,
  ParquetSchema,
  ParquetSchemaSpec,
  ParquetShape,
  PrimitiveShape,
} from './schema.ts';

/** How a JavaScript value becomes a stored value of a leaf column. */
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
  /** Path for error messages (`a.b`, `a[]`, `m{key}`, `m{}`, `u<member0>`). */
  path: string;
  conv: LeafConversion;
  /** fixed and decimal: stored byte width. */
  size: number;
  /** decimal only. */
  scale: number;
  precision: number;
  /** Index of this leaf in file order. */
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
export interface PlanOneOf {
  kind: 'oneOf';
  field: ParquetField;
  optional: boolean;
  path: string;
  members: PlanNode[];
  select: (value: unknown) => number;
  unwrap: ((value: unknown, member: number) => unknown) | undefined;
  expected: string;
}
export type PlanNode = PlanLeaf | PlanRecord | PlanList | PlanMap | PlanOneOf;

export interface SchemaPlan {
  schema: ParquetSchema;
  fields: { name: string; node: PlanNode }[];
  /** Leaves in file order; `column` of each PlanLeaf indexes this. */
  leaves: PlanLeaf[];
}

/** The schema elements and leaf columns a spec is written with. Throws ParquetError SCHEMA_INVALID with the path. */
export function parquetSchema(spec: ParquetSchemaSpec): ParquetSchema {
  return planSchema(spec).schema;
}

export function planSchema(spec: ParquetSchemaSpec): SchemaPlan {
  const leaves: PlanLeaf[] = [];
  const columns: ParquetColumn[] = [];

  /** Where a field sits: its path in the file and its own maximum definition and repetition levels. */
  interface At {
    path: string[];
    def: number;
    rep: number;
  }
  const below = (at: At, name: string, optional: boolean, repeated = false): At => ({
    path: [...at.path, name],
    def: at.def + (optional || repeated ? 1 : 0),
    rep: at.rep + (repeated ? 1 : 0),
  });

  function fail(path: string, message: string): never {
    throw new ParquetError('SCHEMA_INVALID', `${path === '' ? '<root>' : path}: ${message}`, {
      context: { path },
    });
  }

  function fieldsOf(
    specs: readonly ParquetFieldSpec[],
    path: string,
    parent: At,
  ): { name: string; node: PlanNode }[] {
    if (specs.length === 0) fail(path, 'a group needs at least one field');
    const seen = new Set<string>();
    return specs.map((f) => {
      const at = path === '' ? f.name : `${path}.${f.name}`;
      if (typeof f.name !== 'string' || f.name === '') fail(at, 'a field needs a name');
      if (seen.has(f.name)) fail(at, `duplicate field name ${JSON.stringify(f.name)}`);
      seen.add(f.name);
      const optional = f.optional ?? false;
      return { name: f.name, node: plan(f.shape, f.name, at, optional, below(parent, f.name, optional)) };
    });
  }

  function plan(shape: ParquetShape, name: string, path: string, optional: boolean, at: At): PlanNode {
    const repetition = optional ? 'OPTIONAL' : 'REQUIRED';
    switch (shape.kind) {
      case 'primitive':
        return leaf(shape, name, path, optional, at);
      case 'group': {
        const fields = fieldsOf(shape.fields, path, at);
        return {
          kind: 'record',
          field: { name, repetition, children: fields.map((f) => f.node.field) },
          optional,
          path,
          fields,
        };
      }
      case 'list': {
        const repeated = below(at, 'list', false, true);
        const optionalElements = shape.optionalElements ?? false;
        const item = plan(
          shape.element,
          'element',
          `${path}[]`,
          optionalElements,
          below(repeated, 'element', optionalElements),
        );
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
        const repeated = below(at, 'key_value', false, true);
        const key = leaf(
          { kind: 'primitive', type: 'BYTE_ARRAY', logicalType: { type: 'STRING' } },
          'key',
          `${path}{key}`,
          false,
          below(repeated, 'key', false),
        );
        const optionalValues = shape.optionalValues ?? false;
        const value = plan(
          shape.value,
          'value',
          `${path}{}`,
          optionalValues,
          below(repeated, 'value', optionalValues),
        );
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
      case 'oneOf': {
        if (shape.members.length === 0) fail(path, 'a one-of needs at least one member');
        if (typeof shape.select !== 'function') fail(path, 'a one-of needs a select function');
        const seen = new Set<string>();
        const members = shape.members.map((m) => {
          const memberPath = `${path}<${m.name}>`;
          if (typeof m.name !== 'string' || m.name === '') fail(memberPath, 'a member needs a name');
          if (seen.has(m.name)) fail(memberPath, `duplicate member name ${JSON.stringify(m.name)}`);
          seen.add(m.name);
          // Members are OPTIONAL: every row leaves all but one of them null.
          return plan(m.shape, m.name, memberPath, true, below(at, m.name, true));
        });
        return {
          kind: 'oneOf',
          field: { name, repetition, children: members.map((m) => m.field) },
          optional,
          path,
          members,
          select: shape.select,
          unwrap: shape.unwrap,
          expected: shape.expected,
        };
      }
      default:
        return fail(path, `unknown shape kind ${JSON.stringify((shape as { kind?: unknown }).kind)}`);
    }
  }

  function leaf(shape: PrimitiveShape, name: string, path: string, optional: boolean, at: At): PlanLeaf {
    const { type, logicalType: lt } = shape;
    const field: ParquetField = { name, repetition: optional ? 'OPTIONAL' : 'REQUIRED', type };
    let conv: LeafConversion;
    let size = 0;
    let scale = 0;
    let precision = 0;
    const refuse = (): never =>
      fail(
        path,
        `logical type ${lt?.type ?? '-'} cannot annotate ${type}${lt?.type === 'TIME' || lt?.type === 'TIMESTAMP' ? ` in ${lt.unit}` : ''}`,
      );
    if (shape.unit !== undefined && type !== 'INT96') fail(path, '`unit` applies to INT96 columns only');
    switch (type) {
      case 'BOOLEAN':
      case 'FLOAT':
      case 'DOUBLE':
        if (lt !== undefined) refuse();
        conv = type === 'BOOLEAN' ? 'boolean' : type === 'FLOAT' ? 'float' : 'double';
        break;
      case 'INT32':
        if (lt === undefined) conv = 'int';
        else if (lt.type === 'DATE') conv = 'date';
        else if (lt.type === 'TIME' && lt.unit === 'MILLIS') conv = 'int';
        else return refuse();
        break;
      case 'INT64':
        if (lt === undefined) conv = 'long';
        else if (lt.type === 'TIMESTAMP') conv = lt.unit === 'MILLIS' ? 'timestamp-millis' : 'long';
        else if (lt.type === 'TIME' && lt.unit === 'MICROS') conv = 'long';
        else return refuse();
        break;
      case 'INT96':
        if (lt !== undefined) refuse();
        if (shape.unit === 'MILLIS') conv = 'int96-millis';
        else if (shape.unit === 'MICROS') conv = 'int96-micros';
        else
          return fail(
            path,
            'an INT96 column needs `unit` MILLIS or MICROS: the unit of the numbers appended',
          );
        break;
      case 'BYTE_ARRAY':
        if (lt === undefined) conv = 'bytes';
        else if (lt.type === 'STRING') conv = 'string';
        else return refuse();
        break;
      case 'FIXED_LEN_BYTE_ARRAY': {
        const n = shape.typeLength;
        if (n === undefined || !Number.isSafeInteger(n) || n <= 0)
          fail(path, `FIXED_LEN_BYTE_ARRAY needs a positive integer typeLength, got ${String(n)}`);
        field.typeLength = n;
        size = n;
        if (lt === undefined) conv = 'fixed';
        else if (lt.type === 'DECIMAL') {
          const ok = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;
          if (!ok(lt.precision) || lt.precision === 0 || !ok(lt.scale) || lt.scale > lt.precision)
            fail(
              path,
              `DECIMAL(${lt.precision},${lt.scale}) needs 0 < precision and 0 <= scale <= precision`,
            );
          if (lt.precision > maxDecimalPrecision(n))
            fail(
              path,
              `DECIMAL(${lt.precision},${lt.scale}) does not fit ${n} bytes (at most ${maxDecimalPrecision(n)} digits)`,
            );
          conv = 'decimal';
          scale = lt.scale;
          precision = lt.precision;
        } else return refuse();
        break;
      }
      default:
        return fail(path, `unknown physical type ${JSON.stringify(type)}`);
    }
    if (shape.typeLength !== undefined && type !== 'FIXED_LEN_BYTE_ARRAY')
      fail(path, '`typeLength` applies to FIXED_LEN_BYTE_ARRAY columns only');
    if (lt !== undefined) field.logicalType = lt;
    const node: PlanLeaf = {
      kind: 'leaf',
      field,
      optional,
      path,
      conv,
      size,
      scale,
      precision,
      column: leaves.length,
    };
    leaves.push(node);
    const column: ParquetColumn = {
      path: at.path,
      type,
      maxDefinitionLevel: at.def,
      maxRepetitionLevel: at.rep,
    };
    if (field.typeLength !== undefined) column.typeLength = field.typeLength;
    if (lt !== undefined) column.logicalType = lt;
    columns.push(column);
    return node;
  }

  if (typeof spec.name !== 'string') fail('', 'the schema needs a root name');
  const fields = fieldsOf(spec.fields, '', { path: [], def: 0, rep: 0 });
  return { schema: { name: spec.name, fields: fields.map((f) => f.node.field), columns }, fields, leaves };
}
