// Avro naming rules (spec §Names): what a valid name is, which names are primitive, how namespaces qualify.

export const AVRO_PRIMITIVES = [
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
] as const;
export type AvroPrimitive = (typeof AVRO_PRIMITIVES)[number];

export const AVRO_NAMED_KINDS = ['record', 'error', 'enum', 'fixed'] as const;
export type AvroNamedKind = (typeof AVRO_NAMED_KINDS)[number];

const PRIMITIVE_SET: ReadonlySet<string> = new Set(AVRO_PRIMITIVES);
const NAMED_SET: ReadonlySet<string> = new Set(AVRO_NAMED_KINDS);
const NAME_PART = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPrimitiveName(name: string): name is AvroPrimitive {
  return PRIMITIVE_SET.has(name);
}

export function isNamedKind(type: string): type is AvroNamedKind {
  return NAMED_SET.has(type);
}

/** `[A-Za-z_][A-Za-z0-9_]*`: the rule for simple names, field names and enum symbols. */
export function isValidSimpleName(name: string): boolean {
  return NAME_PART.test(name);
}

/** A namespace is empty (the null namespace) or dot-separated simple names. */
export function isValidNamespace(namespace: string): boolean {
  return namespace === '' || namespace.split('.').every((part) => NAME_PART.test(part));
}

/** A possibly dotted name: every dot-separated part is a simple name. */
export function isValidFullname(name: string): boolean {
  return name !== '' && name.split('.').every((part) => NAME_PART.test(part));
}

/** Qualifies a reference or definition name against the enclosing namespace (dotted names are already full). */
export function qualifyName(name: string, namespace: string): string {
  if (name.includes('.') || namespace === '') return name;
  return `${namespace}.${name}`;
}

/** Splits a fullname into namespace (`''` for the null namespace) and simple name. */
export function splitFullname(fullname: string): { namespace: string; name: string } {
  const dot = fullname.lastIndexOf('.');
  if (dot === -1) return { namespace: '', name: fullname };
  return { namespace: fullname.slice(0, dot), name: fullname.slice(dot + 1) };
}
