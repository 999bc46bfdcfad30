// Resolves Avro schema documents into one name-indexed model: named types defined once, references by full
// name (including types from other files via lookupNamedType), and a self-contained schema per document.
import type { AvroPrimitive, JsonValue, LookupNamedType, NameProblem } from '@adlake/avro';
import {
  definedNamedTypes,
  definitionName,
  definitionSpelling,
  duplicateNameMessage,
  fieldAliases,
  fieldName,
  isPrimitiveName,
  isValidSimpleName,
  referenceName,
  referenceTo,
  splitFullname,
  typeAliases,
  unknownNameMessage,
  unreachableNameMessage,
  usedBeforeDefinitionMessage,
} from '@adlake/avro';
import { CodegenError } from './errors.ts';
import { supportedLogicalType } from '@adlake/event-runtime';
import type { AvroSchemaJson, SupportedLogicalType } from '@adlake/event-runtime';

export interface SchemaDocument {
  /** Path of the schema file, used in error context and generated headers. */
  file: string;
  json: unknown;
  subject: string;
  topic?: string;
}

export type PrimitiveName = AvroPrimitive;

export interface LogicalAnnotation {
  /** The `logicalType` as written, supported or not. */
  name: string;
  /** Set when one of our logical types applies (mirrors the runtime exactly). */
  supported: SupportedLogicalType | undefined;
  /** Every attribute of the type object except `type`, re-emitted verbatim. */
  attrs: Record<string, unknown>;
}

export type TypeNode =
  | { kind: 'primitive'; name: PrimitiveName; logical: LogicalAnnotation | undefined }
  | { kind: 'named'; fullname: string }
  | { kind: 'array'; items: TypeNode; attrs: Record<string, unknown> }
  | { kind: 'map'; values: TypeNode; attrs: Record<string, unknown> }
  | { kind: 'union'; branches: TypeNode[] };

export interface FieldDef {
  name: string;
  doc: string | undefined;
  type: TypeNode;
  /** Present when the field declares a default (which may be `null`). */
  default: { value: unknown } | undefined;
  /** Other attributes (order, aliases, custom properties), re-emitted verbatim. */
  attrs: Record<string, unknown>;
}

interface NamedBase {
  fullname: string;
  name: string;
  namespace: string;
  doc: string | undefined;
  file: string;
  attrs: Record<string, unknown>;
}

export type NamedDef =
  | (NamedBase & { kind: 'record' | 'error'; fields: FieldDef[] })
  | (NamedBase & { kind: 'enum'; symbols: string[] })
  | (NamedBase & { kind: 'fixed'; size: number; logical: LogicalAnnotation | undefined });

export interface DocumentModel {
  document: SchemaDocument;
  root: TypeNode;
}

export interface SchemaModel {
  named: Map<string, NamedDef>;
  documents: DocumentModel[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function omit(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** Serialises one definition with references by name, so two definitions of a name can be compared. */
function signature(def: NamedDef): string {
  const strip = (node: TypeNode): unknown => {
    switch (node.kind) {
      case 'primitive':
        return [node.name, node.logical?.attrs ?? null];
      case 'named':
        return node.fullname;
      case 'array':
        return ['array', strip(node.items)];
      case 'map':
        return ['map', strip(node.values)];
      case 'union':
        return node.branches.map(strip);
    }
  };
  const { file: _file, ...rest } = def;
  return JSON.stringify(
    rest.kind === 'record' || rest.kind === 'error'
      ? { ...rest, fields: rest.fields.map((f) => ({ ...f, type: strip(f.type) })) }
      : rest,
  );
}

class Resolver {
  readonly named = new Map<string, NamedDef>();
  readonly #lookup: LookupNamedType | undefined;
  #file = '';
  #definedHere = new Set<string>();
  /** Names this document used before anything defined them, with the path of the first use. */
  #usedEarly = new Map<string, string>();
  /** The full names the current document defines, asked only to explain an unknown name. */
  #definesLater: () => ReadonlyMap<string, unknown> = () => new Map();

  constructor(lookup: LookupNamedType | undefined) {
    this.#lookup = lookup;
  }

  fail(code: 'AVRO_INVALID' | 'UNKNOWN_NAMED_TYPE' | 'DUPLICATE_NAME', message: string, path: string): never {
    throw new CodegenError(code, `${this.#file}: ${message}`, { context: { file: this.#file, path } });
  }

  /** A name refused by docs/names.md, at the attribute at fault. */
  refuse(problem: NameProblem, path: string): never {
    return this.fail(problem.code, problem.message, path + problem.at.map((token) => `/${token}`).join(''));
  }

  /** Reads one document; `namespace` encloses its root (a type looked up by full name is read in its own). */
  document(file: string, json: unknown, namespace = ''): TypeNode {
    const previousFile = this.#file;
    const previousDefined = this.#definedHere;
    const previousUsedEarly = this.#usedEarly;
    const previousDefinesLater = this.#definesLater;
    this.#file = file;
    this.#definedHere = new Set();
    this.#usedEarly = new Map();
    this.#definesLater = () => definedNamedTypes(json as JsonValue);
    try {
      return this.parse(json, namespace, '');
    } finally {
      this.#file = previousFile;
      this.#definedHere = previousDefined;
      this.#usedEarly = previousUsedEarly;
      this.#definesLater = previousDefinesLater;
    }
  }

  /** A reference, read by docs/names.md: relative to the enclosing namespace, never the null namespace. */
  reference(name: string, namespace: string, path: string): TypeNode {
    if (isPrimitiveName(name)) return { kind: 'primitive', name, logical: undefined };
    const ref = referenceName(name, namespace);
    if (!ref.ok) this.refuse(ref, path);
    const fullname = ref.fullname;
    if (!this.named.has(fullname)) {
      if (!this.#usedEarly.has(fullname)) this.#usedEarly.set(fullname, path);
      const external = this.#lookup?.(fullname);
      if (external === undefined) {
        if (this.#definesLater().has(fullname))
          this.fail('UNKNOWN_NAMED_TYPE', usedBeforeDefinitionMessage(fullname), path);
        const lookup = this.#lookup;
        const isDefined = (n: string): boolean =>
          this.named.has(n) || (lookup !== undefined && lookup(n) !== undefined);
        this.fail('UNKNOWN_NAMED_TYPE', unknownNameMessage(fullname, isDefined), path);
      }
      // A nested type is looked up without its enclosing type, so it is read in the namespace of its full name.
      const node = this.document(`<lookup ${fullname}>`, external, splitFullname(fullname).namespace);
      if (node.kind !== 'named' || node.fullname !== fullname) {
        this.fail(
          'UNKNOWN_NAMED_TYPE',
          `lookupNamedType(${fullname}) did not return a definition of ${fullname}`,
          path,
        );
      }
    }
    return { kind: 'named', fullname };
  }

  parse(json: unknown, namespace: string, path: string): TypeNode {
    if (typeof json === 'string') return this.reference(json, namespace, path);
    if (Array.isArray(json)) {
      const branches = json.map((branch, i) => this.parse(branch, namespace, `${path}/${i}`));
      if (branches.some((b) => b.kind === 'union'))
        this.fail('AVRO_INVALID', 'unions cannot be directly nested', path);
      return { kind: 'union', branches };
    }
    if (!isObject(json)) this.fail('AVRO_INVALID', `invalid schema: ${JSON.stringify(json)}`, path);
    const type = json.type;
    if (Array.isArray(type) || isObject(type)) {
      // `{ "type": { … } }` wraps another schema; attributes on the wrapper are not part of the type.
      return this.parse(type, namespace, `${path}/type`);
    }
    if (typeof type !== 'string') this.fail('AVRO_INVALID', 'missing "type"', path);
    switch (type) {
      case 'record':
      case 'error':
      case 'enum':
      case 'fixed':
        return this.define(type, json, namespace, path);
      case 'array':
        return {
          kind: 'array',
          items: this.parse(json.items, namespace, `${path}/items`),
          attrs: omit(json, ['type', 'items']),
        };
      case 'map':
        return {
          kind: 'map',
          values: this.parse(json.values, namespace, `${path}/values`),
          attrs: omit(json, ['type', 'values']),
        };
      default:
        if (isPrimitiveName(type)) {
          const logical =
            typeof json.logicalType === 'string'
              ? { name: json.logicalType, supported: supportedLogicalType(json), attrs: omit(json, ['type']) }
              : undefined;
          return { kind: 'primitive', name: type, logical };
        }
        return this.reference(type, namespace, path);
    }
  }

  define(
    type: 'record' | 'error' | 'enum' | 'fixed',
    json: Record<string, unknown>,
    enclosing: string,
    path: string,
  ): TypeNode {
    const definition = definitionName(type, json, enclosing);
    if (!definition.ok) this.refuse(definition, path);
    const { fullname, name, namespace } = definition;
    const aliases = typeAliases(json, namespace);
    if (!aliases.ok) this.refuse(aliases, path);
    // A document is read in order: a name it uses must be defined before the use (docs/names.md).
    const early = this.#usedEarly.get(fullname);
    if (early !== undefined) this.fail('UNKNOWN_NAMED_TYPE', usedBeforeDefinitionMessage(fullname), early);
    if (this.#definedHere.has(fullname))
      this.fail('DUPLICATE_NAME', duplicateNameMessage(fullname), `${path}/name`);
    this.#definedHere.add(fullname);
    const previous = this.named.get(fullname);
    const doc = typeof json.doc === 'string' ? json.doc : undefined;
    const base = { fullname, name, namespace, doc, file: this.#file };
    let def: NamedDef;
    if (type === 'enum') {
      const symbols = json.symbols;
      if (
        !Array.isArray(symbols) ||
        !symbols.every((s): s is string => typeof s === 'string' && isValidSimpleName(s))
      ) {
        this.fail('AVRO_INVALID', `enum ${fullname} needs an array of symbol names`, `${path}/symbols`);
      }
      def = {
        ...base,
        kind: 'enum',
        symbols,
        attrs: omit(json, ['type', 'name', 'namespace', 'doc', 'symbols']),
      };
    } else if (type === 'fixed') {
      const size = json.size;
      if (!Number.isInteger(size) || (size as number) < 0)
        this.fail('AVRO_INVALID', `fixed ${fullname} needs a size`, path);
      const logical =
        typeof json.logicalType === 'string'
          ? {
              name: json.logicalType,
              supported: supportedLogicalType(json),
              attrs: omit(json, ['type', 'name', 'namespace', 'doc', 'size']),
            }
          : undefined;
      def = {
        ...base,
        kind: 'fixed',
        size: size as number,
        logical,
        attrs: omit(json, ['type', 'name', 'namespace', 'doc', 'size']),
      };
    } else {
      const fields = json.fields;
      if (!Array.isArray(fields))
        this.fail('AVRO_INVALID', `record ${fullname} needs a fields array`, `${path}/fields`);
      const record: NamedDef = {
        ...base,
        kind: type,
        fields: [],
        attrs: omit(json, ['type', 'name', 'namespace', 'doc', 'fields']),
      };
      def = record;
      // Registered before the fields are parsed, so a record may refer to itself.
      if (!previous) this.named.set(fullname, def);
      fields.forEach((field: unknown, i) => {
        const fieldPath = `${path}/fields/${i}`;
        if (!isObject(field))
          this.fail('AVRO_INVALID', `field ${i} of ${fullname} is not an object`, fieldPath);
        const nameOfField = fieldName(field);
        if (!nameOfField.ok) this.refuse(nameOfField, fieldPath);
        const fieldAliasList = fieldAliases(field);
        if (!fieldAliasList.ok) this.refuse(fieldAliasList, fieldPath);
        if (record.fields.some((f) => f.name === nameOfField.name)) {
          this.fail(
            'DUPLICATE_NAME',
            `field ${nameOfField.name} of ${fullname} is declared twice`,
            `${fieldPath}/name`,
          );
        }
        record.fields.push({
          name: nameOfField.name,
          doc: typeof field.doc === 'string' ? field.doc : undefined,
          type: this.parse(field.type, namespace, `${fieldPath}/type`),
          default: 'default' in field ? { value: field.default } : undefined,
          attrs: omit(field, ['name', 'doc', 'type', 'default']),
        });
      });
    }
    if (previous) {
      if (signature(previous) !== signature(def)) {
        this.fail(
          'DUPLICATE_NAME',
          `named type ${JSON.stringify(fullname)} is already defined differently in ${previous.file}`,
          `${path}/name`,
        );
      }
    } else {
      this.named.set(fullname, def);
    }
    return { kind: 'named', fullname };
  }
}

/** Resolves documents (in dependency order) into one model; throws CodegenError on invalid or unknown types. */
export function buildModel(
  documents: readonly SchemaDocument[],
  lookupNamedType?: LookupNamedType,
): SchemaModel {
  const resolver = new Resolver(lookupNamedType);
  const models = documents.map((document) => ({
    document,
    root: resolver.document(document.file, document.json),
  }));
  return { named: resolver.named, documents: models };
}

export function namedDef(model: SchemaModel, fullname: string): NamedDef {
  const def = model.named.get(fullname);
  if (!def) throw new CodegenError('UNKNOWN_NAMED_TYPE', `unknown named type ${fullname}`);
  return def;
}

/**
 * The self-contained schema of a root type: each named type is defined at its first occurrence and referenced
 * by name afterwards, with namespaces written so that avsc resolves every reference to the same full name.
 */
export function standaloneSchema(model: SchemaModel, root: TypeNode): AvroSchemaJson {
  const emitted = new Set<string>();
  const reference = (fullname: string, enclosing: string): string => {
    const name = referenceTo(fullname, enclosing);
    if (name === undefined) {
      throw new CodegenError(
        'AVRO_INVALID',
        `the standalone schema cannot be written: ${unreachableNameMessage(fullname, enclosing)}`,
        { context: { file: namedDef(model, fullname).file } },
      );
    }
    return name;
  };
  const emit = (node: TypeNode, enclosing: string): AvroSchemaJson => {
    switch (node.kind) {
      case 'primitive':
        return node.logical ? { type: node.name, ...node.logical.attrs } : node.name;
      case 'array':
        return { type: 'array', items: emit(node.items, enclosing), ...node.attrs };
      case 'map':
        return { type: 'map', values: emit(node.values, enclosing), ...node.attrs };
      case 'union':
        return node.branches.map((b) => emit(b, enclosing));
      case 'named': {
        if (emitted.has(node.fullname)) return reference(node.fullname, enclosing);
        emitted.add(node.fullname);
        const def = namedDef(model, node.fullname);
        const head: Record<string, unknown> = {
          type: def.kind,
          ...definitionSpelling(def.fullname, enclosing),
        };
        if (def.doc !== undefined) head.doc = def.doc;
        switch (def.kind) {
          case 'enum':
            return { ...head, symbols: def.symbols, ...def.attrs };
          case 'fixed':
            return { ...head, size: def.size, ...def.attrs };
          default:
            return {
              ...head,
              fields: def.fields.map((f) => ({
                name: f.name,
                ...(f.doc === undefined ? {} : { doc: f.doc }),
                type: emit(f.type, def.namespace),
                ...(f.default === undefined ? {} : { default: f.default.value }),
                ...f.attrs,
              })),
              ...def.attrs,
            };
        }
      }
    }
  };
  return emit(root, '');
}
