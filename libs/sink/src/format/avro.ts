// Reads an Avro schema document (JSON) into a resolved tree the Parquet mapping can walk: named types are
// looked up by full name, logical types are kept only where the Avro spec says they apply, and constructs
// the sink cannot store (recursion, empty records, unknown names) fail with the field path.
import { maxDecimalPrecision } from '@adlake/parquet';
import { SinkError } from '../errors.ts';
import type { AvroPrimitive, JsonValue } from '@adlake/avro';
import {
  definedNamedTypes,
  definitionName,
  duplicateNameMessage,
  fieldName,
  isPrimitiveName,
  referenceName,
  splitFullname,
  typeAliases,
  unknownNameMessage,
  usedBeforeDefinitionMessage,
} from '@adlake/avro';

export type { AvroPrimitive } from '@adlake/avro';

/** A logical type that changes how the value is stored; any other (or misapplied) one is ignored, per the spec. */
export type AvroLogical =
  | { name: 'timestamp-millis' | 'timestamp-micros' | 'local-timestamp-millis' | 'local-timestamp-micros' }
  | { name: 'date' | 'time-millis' | 'time-micros' | 'uuid' }
  | { name: 'decimal'; precision: number; scale: number };

export type AvroNode =
  | { kind: 'primitive'; type: AvroPrimitive; logical?: AvroLogical }
  | { kind: 'fixed'; fullname: string; size: number; logical?: AvroLogical }
  | { kind: 'enum'; fullname: string; symbols: readonly string[] }
  | { kind: 'record'; fullname: string; doc?: string; fields: AvroField[] }
  | { kind: 'array'; items: AvroNode }
  | { kind: 'map'; values: AvroNode }
  | { kind: 'union'; branches: AvroNode[] };

export interface AvroField {
  name: string;
  type: AvroNode;
  doc?: string;
}

/** Resolves a schema document. `path` in errors is the field path (`device.ip_hash`, `viewability[]`). */
export function resolveAvroSchema(schema: unknown): AvroNode {
  const json = typeof schema === 'string' && /^\s*[[{"]/.test(schema) ? parseJson(schema) : schema;
  const named = new Map<string, AvroNode>();
  const inProgress = new Set<string>();

  function fail(path: string, message: string): never {
    throw new SinkError('SCHEMA_UNSUPPORTED', `${path === '' ? '<root>' : path}: ${message}`, {
      context: { field: path },
    });
  }

  /** The full name of the document's root type, once known: named in every refusal of a name. */
  let rootName: string | undefined;

  /** A name refused by the one rule for Avro names (docs/names.md), which every other reader follows too. */
  function refuse(path: string, message: string): never {
    fail(path, `${message} (${rootName === undefined ? '' : `schema ${rootName}, `}docs/names.md)`);
  }

  function lookup(name: string, namespace: string | undefined, path: string): AvroNode {
    const ref = referenceName(name, namespace ?? '');
    if (!ref.ok) refuse(path, ref.message);
    const full = ref.fullname;
    if (inProgress.has(full)) {
      fail(path, `recursive type ${full} cannot be stored as Parquet columns`);
    }
    const found = named.get(full);
    if (found === undefined) {
      if (definedNamedTypes(json as JsonValue).has(full)) refuse(path, usedBeforeDefinitionMessage(full));
      refuse(
        path,
        unknownNameMessage(full, (n) => named.has(n) || inProgress.has(n)),
      );
    }
    return found;
  }

  function walk(node: unknown, namespace: string | undefined, path: string): AvroNode {
    if (typeof node === 'string') {
      if (isPrimitiveName(node)) return { kind: 'primitive', type: node };
      return lookup(node, namespace, path);
    }
    if (Array.isArray(node)) {
      if (node.length === 0) fail(path, 'empty union');
      const branches = node.map((b) => walk(b, namespace, path));
      if (branches.some((b) => b.kind === 'union')) fail(path, 'a union cannot contain a union');
      return { kind: 'union', branches };
    }
    if (node === null || typeof node !== 'object') fail(path, `not a schema: ${JSON.stringify(node)}`);
    const obj = node as Record<string, unknown>;
    const type = obj['type'];
    if (typeof type !== 'string') {
      if (Array.isArray(type) || (type !== null && typeof type === 'object'))
        return walk(type, namespace, path);
      fail(path, 'schema object without a "type"');
    }
    switch (type) {
      case 'record':
      case 'error':
        return record(obj, namespace, path);
      case 'enum': {
        const full = declare(obj, namespace, path);
        const symbols = obj['symbols'];
        if (!Array.isArray(symbols) || symbols.some((s) => typeof s !== 'string'))
          fail(path, 'enum without symbols');
        const n: AvroNode = { kind: 'enum', fullname: full, symbols: symbols as string[] };
        named.set(full, n);
        return n;
      }
      case 'fixed': {
        const full = declare(obj, namespace, path);
        const size = obj['size'];
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
          fail(path, 'fixed without a valid size');
        const n: AvroNode = { kind: 'fixed', fullname: full, size };
        const logical = logicalOf(obj, 'fixed', size);
        if (logical !== undefined) n.logical = logical;
        named.set(full, n);
        return n;
      }
      case 'array':
        return { kind: 'array', items: walk(obj['items'], namespace, `${path}[]`) };
      case 'map':
        return { kind: 'map', values: walk(obj['values'], namespace, `${path}{}`) };
      default: {
        if (isPrimitiveName(type)) {
          const n: AvroNode = { kind: 'primitive', type };
          const logical = logicalOf(obj, type, 0);
          if (logical !== undefined) n.logical = logical;
          return n;
        }
        return lookup(type, namespace, path);
      }
    }
  }

  function declare(obj: Record<string, unknown>, namespace: string | undefined, path: string): string {
    const def = definitionName(String(obj['type']), obj, namespace ?? '');
    if (!def.ok) refuse(path, def.message);
    const full = def.fullname;
    rootName ??= full;
    const aliases = typeAliases(obj, def.namespace);
    if (!aliases.ok) refuse(path, aliases.message);
    if (named.has(full) || inProgress.has(full)) refuse(path, duplicateNameMessage(full));
    return full;
  }

  function record(obj: Record<string, unknown>, namespace: string | undefined, path: string): AvroNode {
    const full = declare(obj, namespace, path);
    const ns = splitFullname(full).namespace;
    const fieldsJson = obj['fields'];
    if (!Array.isArray(fieldsJson)) fail(path, `record ${full} without fields`);
    if (fieldsJson.length === 0)
      fail(path, `record ${full} has no fields; Parquet groups need at least one column`);
    inProgress.add(full);
    const fields: AvroField[] = [];
    for (const f of fieldsJson as unknown[]) {
      const fo = (f ?? {}) as Record<string, unknown>;
      const nameOfField = fieldName(fo);
      if (!nameOfField.ok) refuse(path, nameOfField.message);
      const name = nameOfField.name;
      const fieldPath = path === '' ? name : `${path}.${name}`;
      const field: AvroField = { name, type: walk(fo['type'], ns, fieldPath) };
      if (typeof fo['doc'] === 'string') field.doc = fo['doc'];
      fields.push(field);
    }
    inProgress.delete(full);
    const n: AvroNode = { kind: 'record', fullname: full, fields };
    if (typeof obj['doc'] === 'string') n.doc = obj['doc'];
    named.set(full, n);
    return n;
  }

  return walk(json, undefined, '');
}

/** The logical type of a schema object when it applies to its underlying type; undefined otherwise (spec). */
function logicalOf(obj: Record<string, unknown>, type: string, fixedSize: number): AvroLogical | undefined {
  const name = obj['logicalType'];
  switch (name) {
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
    case 'time-micros':
      return type === 'long' ? { name } : undefined;
    case 'date':
    case 'time-millis':
      return type === 'int' ? { name } : undefined;
    case 'uuid':
      return type === 'string' ? { name } : undefined;
    case 'decimal': {
      if (type !== 'bytes' && type !== 'fixed') return undefined;
      const precision = obj['precision'];
      const scale = obj['scale'] ?? 0;
      if (typeof precision !== 'number' || !Number.isInteger(precision) || precision <= 0) return undefined;
      if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision)
        return undefined;
      if (type === 'fixed' && precision > maxDecimalPrecision(fixedSize)) return undefined;
      return { name, precision, scale };
    }
    default:
      return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SinkError('SCHEMA_UNSUPPORTED', `schema is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
