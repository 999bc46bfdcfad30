// Avro names (docs/names.md): what a valid name is, which names are primitive, which full name a definition,
// a reference or an alias has, and the messages that say why a name is refused. This is the one place the rule
// is implemented; the walk, the typed model, codegen, release, the sink and the SDK ask here.

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
const PART_RULE = '[A-Za-z_][A-Za-z0-9_]*';

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

/** A possibly dotted name: every dot-separated part is a simple name, so a leading dot is not a name (rule 4). */
export function isValidFullname(name: string): boolean {
  return name !== '' && name.split('.').every((part) => NAME_PART.test(part));
}

/** Qualifies a valid name against a namespace: a dotted name is already full; `''` is the null namespace. */
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

/**
 * Why a name is refused. `at` are the JSON pointer tokens of the offending attribute, relative to the object
 * that carries it (`['namespace']`, `['aliases', 2]`; `[]` for the object itself or a reference string).
 */
export interface NameProblem {
  ok: false;
  code: 'AVRO_INVALID';
  message: string;
  at: (string | number)[];
}

function problem(message: string, at: (string | number)[] = []): NameProblem {
  return { ok: false, code: 'AVRO_INVALID', message, at };
}

/** The name of a definition, read by rule 1. */
export interface DefinitionName {
  ok: true;
  /** The simple name (the part after the last dot). */
  name: string;
  /** The effective namespace, `''` for the null namespace; nested definitions and references inherit it. */
  namespace: string;
  fullname: string;
  /** True when the namespace came from a dotted name or a `namespace` attribute, not from the enclosing type. */
  explicitNamespace: boolean;
}

/**
 * Rule 1: the full name of the named type `json` (`{"type": kind, "name": …, "namespace": …}`) defined inside
 * `enclosing` (`''` = the null namespace): a dotted `name` is already full; else an explicit `namespace`
 * (`""` = the null namespace); else the enclosing namespace. `"namespace": null` is the null namespace where
 * that is the enclosing one, and refused inside a namespace, where the implementations disagree on it. A primitive
 * type name cannot be redefined (rule 6).
 */
export function definitionName(
  kind: string,
  json: Readonly<Record<string, unknown>>,
  enclosing: string,
): DefinitionName | NameProblem {
  const name = json['name'];
  if (typeof name !== 'string') {
    return problem(`A ${kind} must have a string "name"`, name === undefined ? [] : ['name']);
  }
  if (!isValidFullname(name)) {
    return problem(`Invalid ${kind} name ${JSON.stringify(name)}: each part must match ${PART_RULE}`, [
      'name',
    ]);
  }
  let namespace = enclosing;
  let explicitNamespace = false;
  if (name.includes('.')) {
    namespace = splitFullname(name).namespace;
    explicitNamespace = true;
  } else if (Object.hasOwn(json, 'namespace')) {
    const ns = json['namespace'];
    if (ns === null) {
      // Where the null namespace encloses it, every implementation reads null as the null namespace.
      if (enclosing !== '') {
        return problem(
          `"namespace": null inside namespace ${JSON.stringify(enclosing)} is refused (Avro Java reads it as the enclosing namespace, avsc and fastavro as the null namespace); write "" for the null namespace or leave "namespace" out`,
          ['namespace'],
        );
      }
    } else if (typeof ns !== 'string') {
      return problem('"namespace" must be a string', ['namespace']);
    } else if (!isValidNamespace(ns)) {
      return problem(`Invalid namespace ${JSON.stringify(ns)}: dot-separated parts must match ${PART_RULE}`, [
        'namespace',
      ]);
    } else {
      namespace = ns;
      explicitNamespace = true;
    }
  }
  const fullname = qualifyName(name, namespace);
  const simple = splitFullname(fullname).name;
  if (isPrimitiveName(simple)) {
    return problem(`Primitive type name ${JSON.stringify(simple)} cannot be redefined`, ['name']);
  }
  return { ok: true, name: simple, namespace, fullname, explicitNamespace };
}

/**
 * Rule 2: the full name a reference (`"type": "Device"`, not a primitive) written inside `enclosing` names: a
 * dotted name is full, another is qualified with the enclosing namespace and looked up there only (rule 3).
 */
export function referenceName(name: string, enclosing: string): { ok: true; fullname: string } | NameProblem {
  if (!isValidFullname(name)) {
    return problem(`Unknown type ${JSON.stringify(name)}: not a primitive, complex or valid named type`);
  }
  return { ok: true, fullname: qualifyName(name, enclosing) };
}

/**
 * Rule 5: the aliases of a named type whose namespace is `namespace`, as full names: a relative alias takes the
 * type's namespace, a dotted one is full. Absent `aliases` is no aliases.
 */
export function typeAliases(
  json: Readonly<Record<string, unknown>>,
  namespace: string,
): { ok: true; aliases: string[] } | NameProblem {
  const list = aliasList(json);
  if (!list.ok) return list;
  const aliases: string[] = [];
  for (const [i, alias] of list.aliases.entries()) {
    if (!isValidFullname(alias)) {
      return problem(`Invalid alias ${JSON.stringify(alias)}: each part must match ${PART_RULE}`, [
        'aliases',
        i,
      ]);
    }
    aliases.push(qualifyName(alias, namespace));
  }
  return { ok: true, aliases };
}

/** Rule 5: the aliases of a field are plain names, never qualified with a namespace. */
export function fieldAliases(
  json: Readonly<Record<string, unknown>>,
): { ok: true; aliases: string[] } | NameProblem {
  return aliasList(json);
}

function aliasList(json: Readonly<Record<string, unknown>>): { ok: true; aliases: string[] } | NameProblem {
  const value = json['aliases'];
  if (value === undefined) return { ok: true, aliases: [] };
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    return problem('"aliases" must be an array of strings', ['aliases']);
  }
  return { ok: true, aliases: value };
}

/** A field's name: a simple name. */
export function fieldName(json: Readonly<Record<string, unknown>>): { ok: true; name: string } | NameProblem {
  const name = json['name'];
  if (typeof name === 'string' && isValidSimpleName(name)) return { ok: true, name };
  return problem(
    `Invalid field name ${JSON.stringify(name)}: must be a string matching ${PART_RULE}`,
    name === undefined ? [] : ['name'],
  );
}

/**
 * How to write a reference to `fullname` inside `enclosing` so that rule 2 reads it back as `fullname`: the simple
 * name when the namespaces are the same (`short`, the default) or the full name (`full`). Undefined when no
 * spelling does: a type in the null namespace cannot be named from inside a namespace (rule 3).
 */
export function referenceTo(
  fullname: string,
  enclosing: string,
  style: 'short' | 'full' = 'short',
): string | undefined {
  const { namespace, name } = splitFullname(fullname);
  if (namespace === '' && enclosing !== '') return undefined;
  return style === 'short' && namespace === enclosing ? name : fullname;
}

/**
 * How to write the definition of `fullname` inside `enclosing` so that rule 1 reads it back: the simple name,
 * with a `namespace` attribute only when it differs from the enclosing one (`""` for the null namespace).
 */
export function definitionSpelling(
  fullname: string,
  enclosing: string,
): { name: string; namespace?: string } {
  const { namespace, name } = splitFullname(fullname);
  return namespace === enclosing ? { name } : { name, namespace };
}

/** Rule 3's hint for an unknown full name: says so when its simple name is a type in the null namespace. */
export function nullNamespaceHint(fullname: string, isDefined: (fullname: string) => boolean): string {
  const { name } = splitFullname(fullname);
  return name !== fullname && isDefined(name)
    ? `; ${JSON.stringify(name)} is in the null namespace, which a name inside a namespace never falls back to`
    : '';
}

/** The message for a reference that names no known type (with rule 3's hint). */
export function unknownNameMessage(fullname: string, isDefined: (fullname: string) => boolean): string {
  return `Unknown named type ${JSON.stringify(fullname)}${nullNamespaceHint(fullname, isDefined)}`;
}

/** The message for a reference to a type that the same document defines only further on. */
export function usedBeforeDefinitionMessage(fullname: string): string {
  return `Named type ${JSON.stringify(fullname)} is used before its definition; a schema is read in order, so define it at its first use`;
}

/** The message for a second definition of a full name. */
export function duplicateNameMessage(fullname: string): string {
  return `Named type ${JSON.stringify(fullname)} is defined twice`;
}

/** The message for a reference that no spelling can write (see `referenceTo`). */
export function unreachableNameMessage(fullname: string, enclosing: string): string {
  return `Named type ${JSON.stringify(fullname)} is in the null namespace and cannot be referred to from inside namespace ${JSON.stringify(enclosing)}; give it a namespace`;
}
