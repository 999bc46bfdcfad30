// avsc Types that mirror a generated class's type: the same logical types and long representation, taken from
// the class itself (the generated runtime does not export them). Used to parse writer schemas for resolution
// and to build the producer's encoding type.
import avro from 'avsc';
import type { Type } from 'avsc';

interface AvscInternals {
  typeName: string;
  constructor: unknown;
  underlyingType?: Type;
  types?: readonly Type[];
  itemsType?: Type;
  valuesType?: Type;
  fields?: readonly { type: Type }[];
}

type ForSchemaOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;
type AnyEventClass = { readonly schema: unknown; readonly type: Type };

/**
 * Writer types must be parsed with the reader's logical types (a decimal reader only resolves from a decimal
 * writer) and long representation. The generated runtime does not export them, so take them from the reader.
 */
export function writerParseOptions(reader: Type): Partial<ForSchemaOptions> {
  const logicalTypes: Record<string, unknown> = {};
  let bigintLong: Type | undefined;
  const seen = new Set<Type>();
  const visit = (type: Type | undefined): void => {
    if (type === undefined || seen.has(type)) return;
    seen.add(type);
    const t = type as unknown as AvscInternals;
    if (t.typeName.startsWith('logical:')) {
      logicalTypes[t.typeName.slice('logical:'.length)] ??= t.constructor;
      visit(t.underlyingType);
    } else if (t.typeName === 'abstract:long') {
      bigintLong = type;
    }
    t.types?.forEach(visit);
    visit(t.itemsType);
    visit(t.valuesType);
    t.fields?.forEach((f) => visit(f.type));
  };
  visit(reader);
  const options: Partial<ForSchemaOptions> = {
    wrapUnions: 'auto',
    logicalTypes: logicalTypes as ForSchemaOptions['logicalTypes'],
  };
  if (bigintLong !== undefined) {
    const long = bigintLong;
    const hasLogical = (s: object): boolean => {
      const name = (s as { logicalType?: unknown }).logicalType;
      return typeof name === 'string' && name in logicalTypes;
    };
    options.registry = { long };
    options.typeHook = (s: unknown) =>
      typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'long' && !hasLogical(s)
        ? long
        : undefined;
  }
  return options;
}

const encodingTypes = new WeakMap<object, Type>();

/**
 * The type the producer writes with, once the value has been validated by the class: the class's own type but
 * with `uuid` as a plain string. Same bytes (uuid is a string on the wire); it skips the uuid pattern check that
 * validation already ran, which is a sixth of the encoding time of an AdImpression.
 */
export function encodingType(eventClass: AnyEventClass): Type {
  let type = encodingTypes.get(eventClass);
  if (type === undefined) {
    const options = writerParseOptions(eventClass.type);
    const logicalTypes = { ...options.logicalTypes };
    delete logicalTypes['uuid'];
    try {
      type = avro.Type.forSchema(eventClass.schema as Parameters<typeof avro.Type.forSchema>[0], {
        ...options,
        logicalTypes,
      });
    } catch {
      type = eventClass.type;
    }
    encodingTypes.set(eventClass, type);
  }
  return type;
}
