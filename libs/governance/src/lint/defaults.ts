// Checks a field default against its type per the Avro spec (§Complex Types, Records, "default"): a union's
// default matches its first branch, bytes and fixed defaults are strings of code points 0-255, and records
// need every field without its own default. Named types resolve through the workspace, across files.

import {
  definitionName,
  isJsonObject,
  isNamedKind,
  isPrimitiveName,
  joinPointer,
  referenceName,
} from '@adlake/avro';
import type { JsonValue } from '@adlake/avro';

export interface DefaultMismatch {
  /** Pointer relative to the default value (`''` = the default itself, `/geo/country` = inside it). */
  pointer: string;
  reason: string;
}

/** Resolves a fullname to its definition (JSON and effective namespace), e.g. `workspace.lookupNamedType`. */
export type NamedTypeLookup = (fullname: string) => { json: JsonValue; namespace: string } | undefined;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Why `value` is not a valid default for `schema`, or undefined when it is. Unknown named types and
 * malformed schemas are not this check's business (other rules report them), so they pass.
 */
export function checkDefault(
  schema: JsonValue,
  value: JsonValue,
  namespace: string,
  lookup: NamedTypeLookup,
): DefaultMismatch | undefined {
  return check(schema, value, namespace, lookup, '');
}

function check(
  schema: JsonValue,
  value: JsonValue,
  namespace: string,
  lookup: NamedTypeLookup,
  at: string,
): DefaultMismatch | undefined {
  if (typeof schema === 'string') {
    if (isPrimitiveName(schema)) return checkPrimitive(schema, value, at);
    const ref = referenceName(schema, namespace);
    const def = ref.ok ? lookup(ref.fullname) : undefined;
    return def ? check(def.json, value, def.namespace, lookup, at) : undefined;
  }
  if (Array.isArray(schema)) {
    const first = schema[0];
    if (first === undefined) return undefined;
    const inner = check(first, value, namespace, lookup, at);
    if (!inner) return undefined;
    return {
      pointer: inner.pointer,
      reason: `a union's default must match its first branch (${describeType(first)}): ${inner.reason}`,
    };
  }
  if (!isJsonObject(schema)) return undefined;
  const type = schema.type;
  if (typeof type !== 'string')
    return type === undefined ? undefined : check(type, value, namespace, lookup, at);
  if (isPrimitiveName(type)) return checkPrimitive(type, value, at);
  if (isNamedKind(type)) {
    const name = typeof schema.name === 'string' ? schema.name : '';
    const definition = definitionName(type, schema, namespace);
    if (!definition.ok) return undefined;
    const ns = definition.namespace;
    switch (type) {
      case 'enum': {
        const symbols = Array.isArray(schema.symbols) ? schema.symbols : [];
        if (typeof value === 'string' && symbols.includes(value)) return undefined;
        return mismatch(at, `expected one of the symbols of enum ${name}`, value);
      }
      case 'fixed': {
        const size = typeof schema.size === 'number' ? schema.size : -1;
        if (typeof value !== 'string' || !isByteString(value))
          return mismatch(at, 'expected a string of code points 0-255 (fixed)', value);
        if (value.length !== size)
          return { pointer: at, reason: `expected ${size} bytes for fixed ${name}, got ${value.length}` };
        return undefined;
      }
      default: {
        if (!isJsonObject(value)) return mismatch(at, `expected an object for record ${name}`, value);
        const fields = Array.isArray(schema.fields) ? schema.fields : [];
        for (const field of fields) {
          if (!isJsonObject(field) || typeof field.name !== 'string' || field.type === undefined) continue;
          if (Object.hasOwn(value, field.name)) {
            const inner = check(
              field.type,
              value[field.name] as JsonValue,
              ns,
              lookup,
              joinPointer(at, field.name),
            );
            if (inner) return inner;
          } else if (field.default === undefined) {
            return {
              pointer: at,
              reason: `record ${name} needs field "${field.name}", which has no default of its own`,
            };
          }
        }
        return undefined;
      }
    }
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return mismatch(at, 'expected an array', value);
    for (let i = 0; i < value.length; i++) {
      const inner = check(
        schema.items as JsonValue,
        value[i] as JsonValue,
        namespace,
        lookup,
        joinPointer(at, i),
      );
      if (inner) return inner;
    }
    return undefined;
  }
  if (type === 'map') {
    if (!isJsonObject(value)) return mismatch(at, 'expected an object (map)', value);
    for (const key of Object.keys(value)) {
      const inner = check(
        schema.values as JsonValue,
        value[key] as JsonValue,
        namespace,
        lookup,
        joinPointer(at, key),
      );
      if (inner) return inner;
    }
    return undefined;
  }
  return check(type, value, namespace, lookup, at);
}

function checkPrimitive(type: string, value: JsonValue, at: string): DefaultMismatch | undefined {
  switch (type) {
    case 'null':
      return value === null ? undefined : mismatch(at, 'expected null', value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch(at, 'expected a boolean', value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX
        ? undefined
        : mismatch(at, 'expected a 32-bit integer (int)', value);
    case 'long':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : mismatch(at, 'expected an integer (long)', value);
    case 'float':
    case 'double':
      return typeof value === 'number' ? undefined : mismatch(at, `expected a number (${type})`, value);
    case 'bytes':
      return typeof value === 'string' && isByteString(value)
        ? undefined
        : mismatch(at, 'expected a string of code points 0-255 (bytes)', value);
    case 'string':
      return typeof value === 'string' ? undefined : mismatch(at, 'expected a string', value);
    default:
      return undefined;
  }
}

function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

function mismatch(pointer: string, expected: string, value: JsonValue): DefaultMismatch {
  return { pointer, reason: `${expected}, got ${describeValue(value)}` };
}

export function describeValue(value: JsonValue): string {
  const json = JSON.stringify(value);
  return json.length > 40 ? json.slice(0, 37) + '...' : json;
}

export function describeType(schema: JsonValue): string {
  if (typeof schema === 'string') return `"${schema}"`;
  if (Array.isArray(schema)) return 'a union';
  if (isJsonObject(schema)) {
    if (typeof schema.name === 'string') return `${String(schema.type)} ${schema.name}`;
    if (typeof schema.type === 'string') return `"${schema.type}"`;
  }
  return describeValue(schema);
}
