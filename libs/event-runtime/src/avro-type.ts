// avsc Types built the runtime's way: our logical types, the exact long code and long-to-double promotion
// wired in through avsc's options, so a class's own schema and every writer schema parse the same way.
import avro from 'avsc';
import type { Type } from 'avsc';
import { EventCodecError } from './errors.ts';
import { isObject, LOGICAL_TYPES, SUPPORTED_LOGICAL_TYPES, supportedLogicalType } from './logical.ts';
import type { SupportedLogicalType } from './logical.ts';
import { BIGINT_LONG, DOUBLE, FLOAT, LOSSLESS_LONG, SAFE_LONG, takeUnderlyingLossless } from './longs.ts';
import type { ValueRepresentation } from './longs.ts';

/** A schema as JSON: a type name, a union or a type object. */
export type AvroSchemaJson = string | readonly AvroSchemaJson[] | { readonly [key: string]: unknown };

export type AvroTypeOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;

export interface TypeOptions {
  /**
   * The logical types to apply; the others read and write as their underlying type (same bytes, no check of
   * their own). Default: all four for `number` and `bigint` values, none for `lossless`. The SDK writes
   * validated values with every one but `uuid`, whose pattern validation already checked.
   */
  logicalTypes?: readonly SupportedLogicalType[];
}

/**
 * avsc options for parsing a schema (a class's own or a writer's) into values of one representation. Writer
 * schemas must be parsed with the reader's options: avsc only resolves a logical type from the same one.
 * `wrapUnions: 'auto'` is explicit on purpose: the generated TypeScript mirrors it (unambiguous unions
 * unwrapped, ambiguous ones wrapped as `{ branchName: value }`).
 */
export function avroTypeOptions(
  values: ValueRepresentation = 'number',
  typeOptions: TypeOptions = {},
): AvroTypeOptions {
  const long = values === 'bigint' ? BIGINT_LONG : values === 'lossless' ? LOSSLESS_LONG : SAFE_LONG;
  const applied = new Set<SupportedLogicalType>(
    typeOptions.logicalTypes ?? (values === 'lossless' ? [] : SUPPORTED_LOGICAL_TYPES),
  );
  const options: AvroTypeOptions = {
    wrapUnions: 'auto',
    // `"long"` references go through the registry (fresh for each parse: avsc adds named types to it);
    // `{ "type": "long", … }` objects through the type hook.
    registry: { long, double: DOUBLE, float: FLOAT },
    typeHook: (s: unknown) => {
      if (!isObject(s)) return undefined;
      // A timestamp's long, read losslessly so that a value beyond a Date is named as a timestamp.
      if (takeUnderlyingLossless(s)) return LOSSLESS_LONG;
      switch (s['type']) {
        case 'long': {
          // A logical type that applies is built by avsc from `logicalTypes`; the hook must not pre-empt it.
          const logical = supportedLogicalType(s);
          return logical !== undefined && applied.has(logical) ? undefined : long;
        }
        case 'double':
          return DOUBLE;
        case 'float':
          return FLOAT;
        default:
          return undefined;
      }
    },
  };
  if (applied.size > 0) {
    options.logicalTypes = Object.fromEntries(
      SUPPORTED_LOGICAL_TYPES.filter((name) => applied.has(name)).map((name) => [name, LOGICAL_TYPES[name]]),
    );
  }
  return options;
}

/**
 * Builds the avsc Type for a self-contained schema in one value representation. Throws EventCodecError
 * INVALID_SCHEMA (avsc's reason as the cause) when avsc cannot build it.
 */
export function createType(
  schema: AvroSchemaJson,
  values: ValueRepresentation = 'number',
  options: TypeOptions = {},
): Type {
  try {
    return avro.Type.forSchema(
      schema as Parameters<typeof avro.Type.forSchema>[0],
      avroTypeOptions(values, options),
    );
  } catch (error) {
    throw new EventCodecError(
      'INVALID_SCHEMA',
      `avsc rejects the schema: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
