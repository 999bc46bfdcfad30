// Validation that reports every bad path of a value, not just the first: avsc's errorHook keeps going, and each
// path it reports is rendered as a JavaScript accessor with the expected Avro type and what was found.
import type { Type } from 'avsc';
import { isObject } from './logical.ts';
import type { DecimalSpec } from './logical.ts';

export interface ValidationError {
  /** JavaScript accessor from the value's root: `device.os`, `attributes["k"]`, `segments[2]`; `""` is the root. */
  path: string;
  /** The Avro type expected there, e.g. `long (safe integer)` or `enum com.acme.Os ("IOS" | "ANDROID")`. */
  expected: string;
  /** What was found, e.g. `string "abc"` or `undefined`. */
  actual: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

export interface ValidateOptions {
  /** Also reject record values carrying fields the schema does not declare. */
  noUndeclaredFields?: boolean;
}

interface AvscInternals {
  typeName: string;
  name?: string;
  branchName?: string;
  underlyingType?: Type;
  types?: readonly Type[];
  itemsType?: Type;
  valuesType?: Type;
  size?: number;
  symbols?: readonly string[];
  spec?: DecimalSpec;
  field?: (name: string) => { type: Type } | undefined;
}

function internals(type: Type): AvscInternals {
  return type as unknown as AvscInternals;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Skips logical wrappers and picks the branch of an unwrapped union the value went down. */
function structural(type: Type, value: unknown): Type {
  let current = internals(type);
  for (;;) {
    if (current.typeName.startsWith('logical:') && current.underlyingType) {
      current = internals(current.underlyingType);
    } else if (current.typeName === 'union:unwrapped' && current.types) {
      const wanted = Array.isArray(value) ? ['array'] : ['record', 'error', 'map'];
      const branch = current.types.find((t) => wanted.includes(internals(structural(t, value)).typeName));
      if (!branch) return current as unknown as Type;
      current = internals(branch);
    } else {
      return current as unknown as Type;
    }
  }
}

function formatPath(root: Type, rootValue: unknown, segments: readonly string[]): string {
  let type: Type | undefined = root;
  let value = rootValue;
  let path = '';
  for (const segment of segments) {
    const t: AvscInternals | undefined = type === undefined ? undefined : internals(structural(type, value));
    switch (t?.typeName) {
      case 'record':
      case 'error':
        path += path === '' ? segment : `.${segment}`;
        type = t.field?.(segment)?.type;
        break;
      case 'map':
        path += `[${JSON.stringify(segment)}]`;
        type = t.valuesType;
        break;
      case 'array':
        path += `[${segment}]`;
        type = t.itemsType;
        break;
      default:
        // A wrapped union's branch key, or something we cannot see into: render as a property access.
        path += IDENTIFIER.test(segment)
          ? path === ''
            ? segment
            : `.${segment}`
          : `[${JSON.stringify(segment)}]`;
        type = t?.types?.find((b) => internals(b).branchName === segment);
    }
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function branchLabel(type: Type): string {
  const t = internals(type);
  if (t.typeName.startsWith('logical:')) return t.typeName.slice('logical:'.length);
  if (t.typeName === 'abstract:long') return 'long';
  return t.name ?? t.typeName;
}

/** Human-readable expected type for a validation error. */
export function describeType(type: Type): string {
  const t = internals(type);
  switch (t.typeName) {
    case 'logical:timestamp-millis':
      return 'timestamp-millis (Date)';
    case 'logical:date':
      return 'date (Date at UTC midnight)';
    case 'logical:uuid':
      return 'uuid (string)';
    case 'logical:decimal':
      return `decimal(${t.spec?.precision},${t.spec?.scale}) (decimal string)`;
    case 'abstract:long':
      return 'long (bigint)';
    case 'long':
      return 'long (safe integer, within ±(2^53−1))';
    case 'int':
      return 'int (32-bit integer)';
    case 'float':
    case 'double':
      return `${t.typeName} (number)`;
    case 'bytes':
      return 'bytes (Buffer)';
    case 'fixed':
      return `fixed ${t.name} (Buffer of ${t.size} bytes)`;
    case 'enum':
      return `enum ${t.name} (${(t.symbols ?? []).map((s) => JSON.stringify(s)).join(' | ')})`;
    case 'record':
    case 'error':
      return `record ${t.name}`;
    case 'array':
      return t.itemsType ? `array<${branchLabel(t.itemsType)}>` : 'array';
    case 'map':
      return t.valuesType ? `map<${branchLabel(t.valuesType)}>` : 'map';
    case 'union:unwrapped':
    case 'union:wrapped':
      return `union (${(t.types ?? []).map(branchLabel).join(' | ')})${t.typeName === 'union:wrapped' ? ' wrapped as { branch: value }' : ''}`;
    default:
      return t.typeName;
  }
}

/** Human-readable actual value for a validation error. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'object':
      if (Buffer.isBuffer(value)) return `Buffer(${value.length} bytes)`;
      if (value instanceof Date)
        return Number.isFinite(value.getTime()) ? `Date ${value.toISOString()}` : 'Invalid Date';
      if (Array.isArray(value)) return `array(${value.length})`;
      return value.constructor === Object || value.constructor === undefined
        ? 'object'
        : `object ${value.constructor.name}`;
    default:
      return typeof value;
  }
}

/** Checks a value against a type and lists every bad path (avsc's errorHook keeps going after the first). */
export function validateValue(type: Type, value: unknown, options: ValidateOptions = {}): ValidationResult {
  const errors: ValidationError[] = [];
  let valid: boolean;
  try {
    valid = type.isValid(value, {
      noUndeclaredFields: options.noUndeclaredFields ?? false,
      errorHook: (path: string[], actual: unknown, at: Type) => {
        errors.push({
          path: formatPath(type, value, path),
          expected: describeType(at),
          actual: describeValue(actual),
        });
      },
    });
  } catch (error) {
    // avsc throws "ambiguous conversion" when a value fits two unwrapped-union branches.
    valid = false;
    errors.push({
      path: '',
      expected: describeType(type),
      actual: error instanceof Error ? error.message : String(error),
    });
  }
  return { valid: valid && errors.length === 0, errors };
}

export function formatErrors(errors: readonly ValidationError[]): string {
  return errors
    .map((e) => `${e.path === '' ? '(root)' : e.path}: expected ${e.expected}, got ${e.actual}`)
    .join('; ');
}
