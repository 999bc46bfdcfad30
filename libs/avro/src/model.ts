// Turns an .avsc JSON value into a graph of typed nodes with Avro's namespace rules applied, so the
// compatibility checker and the canonical form never have to reason about names or raw JSON again.
import {
  definitionName,
  duplicateNameMessage,
  fieldAliases,
  fieldName,
  isPrimitiveName,
  referenceName,
  splitFullname,
  typeAliases,
  unknownNameMessage,
  usedBeforeDefinitionMessage,
  type NameProblem,
} from './names.ts';
import type { AvroPrimitive as PrimitiveName } from './names.ts';
import { AvroError } from './errors.ts';

export { AVRO_PRIMITIVES as PRIMITIVE_TYPES } from './names.ts';
export type { AvroPrimitive as PrimitiveName } from './names.ts';

/** Resolves a named type defined in another file by its full name; returns its JSON, or undefined. */
export type LookupNamedType = (fullname: string) => unknown;

/** Where a node's JSON lives: a JSON pointer, plus the full name of the type whose file it is in when that
 * file is not the document being parsed (the type was reached through `lookupNamedType`). */
export interface Loc {
  path: string;
  namedType?: string;
}

interface NodeBase {
  loc: Loc;
  /** The `logicalType` annotation, if any; Avro Java's resolution ignores it (see docs/compatibility.md). */
  logicalType?: string;
  /** The raw JSON object, for logical-type attributes such as decimal precision/scale. */
  json?: Record<string, unknown>;
}

export interface PrimitiveNode extends NodeBase {
  kind: 'primitive';
  type: PrimitiveName;
}
export interface ArrayNode extends NodeBase {
  kind: 'array';
  items: SchemaNode;
}
export interface MapNode extends NodeBase {
  kind: 'map';
  values: SchemaNode;
}
export interface UnionNode extends NodeBase {
  kind: 'union';
  branches: SchemaNode[];
}
export interface NamedBase extends NodeBase {
  /** Unqualified name: what the spec compares during resolution. */
  name: string;
  fullname: string;
  namespace: string | null;
  /** Aliases as full names (relative aliases are qualified with the type's namespace, as in Avro Java). */
  aliases: string[];
}
export interface FieldNode {
  name: string;
  aliases: string[];
  hasDefault: boolean;
  type: SchemaNode;
  /** Index in the record's `fields` array; the field's pointer is `<record>/fields/<index>`. */
  index: number;
}
export interface RecordNode extends NamedBase {
  kind: 'record';
  fields: FieldNode[];
}
export interface EnumNode extends NamedBase {
  kind: 'enum';
  symbols: string[];
  default?: string;
}
export interface FixedNode extends NamedBase {
  kind: 'fixed';
  size: number;
}
/** A use of a named type by name; `target` is filled in once the name is resolved. */
export interface RefNode {
  kind: 'ref';
  loc: Loc;
  /** The full name it refers to (the enclosing namespace applied; docs/names.md). */
  fullname: string;
  target?: NamedNode;
}

export type NamedNode = RecordNode | EnumNode | FixedNode;
export type SchemaNode = PrimitiveNode | ArrayNode | MapNode | UnionNode | NamedNode | RefNode;
export type ResolvedNode = Exclude<SchemaNode, RefNode>;

export interface ParseOptions {
  lookupNamedType?: LookupNamedType;
  /** `all` (default): every name must resolve, through `lookupNamedType` when not defined in the document.
   * `local`: only names defined in the document are resolved; others are left without a target. */
  resolve?: 'all' | 'local';
}

export interface ParsedSchema {
  root: SchemaNode;
  /** Every named type defined in the document or loaded through `lookupNamedType`, by full name. */
  named: Map<string, NamedNode>;
}

/** Follows a reference to the named type it names. A reference left unresolved (`resolve: 'local'`) throws. */
export function deref(node: SchemaNode): ResolvedNode {
  if (node.kind !== 'ref') return node;
  if (node.target === undefined) {
    throw new AvroError('UNKNOWN_NAMED_TYPE', `unknown type "${node.fullname}"`, {
      context: { path: node.loc.path },
    });
  }
  return node.target;
}

function where(ref: RefNode): string {
  return ref.loc.namedType === undefined ? '' : ` (in named type ${ref.loc.namedType})`;
}

function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

function child(loc: Loc, ...tokens: (string | number)[]): Loc {
  const path = loc.path + tokens.map((t) => `/${pointerToken(t)}`).join('');
  return loc.namedType === undefined ? { path } : { path, namedType: loc.namedType };
}

function invalid(message: string, loc: Loc): AvroError {
  const where = loc.namedType === undefined ? '' : ` (in named type ${loc.namedType})`;
  return new AvroError('AVRO_INVALID', `${message}${where}`, { context: { path: loc.path || '/' } });
}

/** A name refused by docs/names.md, located at the attribute at fault. */
function refused(problem: NameProblem, loc: Loc): AvroError {
  return invalid(problem.message, child(loc, ...problem.at));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, what: string, loc: Loc): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(`${what} must be an array of strings`, loc);
  }
  return value as string[];
}

/**
 * Parses one schema document (and, transitively, the named types it pulls in from other files), reading every
 * name by docs/names.md. A document is read in order: a name it uses must be defined before the use, in it or
 * (through `lookupNamedType`) in another file.
 */
export function parseSchema(json: unknown, options: ParseOptions = {}): ParsedSchema {
  const named = new Map<string, NamedNode>();
  /** The pass (0 = this document, then one per file loaded through the lookup) that defined each name. */
  const definedIn = new Map<string, number>();
  /** References to names not defined yet when they were read, with the pass that read them. */
  const pending: { ref: RefNode; pass: number }[] = [];
  let pass = 0;

  function define(node: NamedNode): void {
    const existing = named.get(node.fullname);
    if (existing !== undefined) {
      throw new AvroError(
        'DUPLICATE_NAME',
        `${duplicateNameMessage(node.fullname)} (at ${existing.loc.path || '/'} and ${node.loc.path || '/'})`,
        { context: { path: node.loc.path || '/' } },
      );
    }
    named.set(node.fullname, node);
    definedIn.set(node.fullname, pass);
  }

  function build(value: unknown, ns: string | null, loc: Loc, inUnion = false): SchemaNode {
    if (typeof value === 'string') return buildName(value, ns, loc);
    if (Array.isArray(value)) {
      if (inUnion) throw invalid('a union may not directly contain another union', loc);
      return { kind: 'union', loc, branches: value.map((b, i) => build(b, ns, child(loc, i), true)) };
    }
    if (!isObject(value)) throw invalid(`expected a type name, an object or a union array`, loc);
    const type = value['type'];
    if (typeof type !== 'string') {
      // `{"type": {...}}` / `{"type": [...]}`: the wrapper adds nothing, the inner value is the schema.
      if (isObject(type) || Array.isArray(type)) return build(type, ns, child(loc, 'type'), inUnion);
      throw invalid('"type" must be a string, an object or an array', loc);
    }
    const logicalType = typeof value['logicalType'] === 'string' ? value['logicalType'] : undefined;
    const extra = logicalType === undefined ? { json: value } : { json: value, logicalType };
    if (isPrimitiveName(type)) return { kind: 'primitive', type, loc, ...extra };
    switch (type) {
      case 'array':
        if (value['items'] === undefined) throw invalid('array schema needs "items"', loc);
        return { kind: 'array', loc, items: build(value['items'], ns, child(loc, 'items')), ...extra };
      case 'map':
        if (value['values'] === undefined) throw invalid('map schema needs "values"', loc);
        return { kind: 'map', loc, values: build(value['values'], ns, child(loc, 'values')), ...extra };
      case 'record':
      case 'error':
      case 'enum':
      case 'fixed':
        return buildNamed(value, type, ns, loc, extra);
      default:
        // `{"type": "com.example.Money"}` is a reference written as an object.
        return buildName(type, ns, loc);
    }
  }

  function buildName(name: string, ns: string | null, loc: Loc): SchemaNode {
    if (isPrimitiveName(name)) return { kind: 'primitive', type: name, loc };
    const fullname = referenceName(name, ns ?? '');
    if (!fullname.ok) throw refused(fullname, loc);
    const ref: RefNode = { kind: 'ref', loc, fullname: fullname.fullname };
    const target = named.get(ref.fullname);
    if (target !== undefined) ref.target = target;
    else pending.push({ ref, pass });
    return ref;
  }

  function buildNamed(
    value: Record<string, unknown>,
    type: 'record' | 'error' | 'enum' | 'fixed',
    ns: string | null,
    loc: Loc,
    extra: { json: Record<string, unknown>; logicalType?: string },
  ): NamedNode {
    const definition = definitionName(type, value, ns ?? '');
    if (!definition.ok) throw refused(definition, loc);
    // A type nested in another file may be looked up by its own full name before that file is: reading the file
    // then meets the same definition (the same JSON) again, which is that type, not a second one.
    const again = named.get(definition.fullname);
    const againIn = definedIn.get(definition.fullname) ?? 0;
    if (again !== undefined && again.json === value && pass > 0 && againIn > 0 && againIn !== pass) {
      return again;
    }
    const aliases = typeAliases(value, definition.namespace);
    if (!aliases.ok) throw refused(aliases, loc);
    const names = {
      name: definition.name,
      namespace: definition.namespace === '' ? null : definition.namespace,
      fullname: definition.fullname,
    };
    const base = { ...names, aliases: aliases.aliases, loc, ...extra };
    if (type === 'enum') {
      const symbols = stringList(value['symbols'], '"symbols"', child(loc, 'symbols'));
      const node: EnumNode = { kind: 'enum', ...base, symbols };
      if (typeof value['default'] === 'string') node.default = value['default'];
      define(node);
      return node;
    }
    if (type === 'fixed') {
      const size = value['size'];
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
        throw invalid('fixed schema needs a non-negative integer "size"', loc);
      }
      const node: FixedNode = { kind: 'fixed', ...base, size };
      define(node);
      return node;
    }
    const rawFields = value['fields'];
    if (!Array.isArray(rawFields)) throw invalid('record schema needs a "fields" array', loc);
    // Defined before its fields are built so a field may refer to its own record (recursion).
    const node: RecordNode = { kind: 'record', ...base, fields: [] };
    define(node);
    rawFields.forEach((f, index) => {
      const fieldLoc = child(loc, 'fields', index);
      if (!isObject(f)) throw invalid('a field must be an object', fieldLoc);
      const name = fieldName(f);
      if (!name.ok) throw refused(name, fieldLoc);
      if (f['type'] === undefined) throw invalid(`field "${name.name}" needs a "type"`, fieldLoc);
      const fieldAliasList = fieldAliases(f);
      if (!fieldAliasList.ok) throw refused(fieldAliasList, fieldLoc);
      node.fields.push({
        name: name.name,
        aliases: fieldAliasList.aliases,
        // `"default": null` is a default; only an absent key is not.
        hasDefault: Object.hasOwn(f, 'default'),
        type: build(f['type'], names.namespace, child(fieldLoc, 'type')),
        index,
      });
    });
    return node;
  }

  const root = build(json, null, { path: '' });

  // A name not defined when it was read comes from another file; types loaded from other files may add
  // references of their own, hence the growing queue.
  for (let i = 0; i < pending.length; i++) {
    const { ref, pass: readIn } = pending[i] as { ref: RefNode; pass: number };
    ref.target = resolve(ref, readIn);
  }

  function resolve(ref: RefNode, readIn: number): NamedNode | undefined {
    const candidate = ref.fullname;
    const local = named.get(candidate);
    if (local !== undefined) {
      // Defined by the file that uses it, but only after the use.
      if (definedIn.get(candidate) === readIn) {
        throw new AvroError('UNKNOWN_NAMED_TYPE', `${usedBeforeDefinitionMessage(candidate)}${where(ref)}`, {
          context: { path: ref.loc.path || '/' },
        });
      }
      return local;
    }
    if (options.resolve === 'local') return undefined;
    const lookup = options.lookupNamedType;
    if (lookup !== undefined) {
      const external = lookup(candidate);
      if (external !== undefined) {
        pass += 1;
        const namespace = splitFullname(candidate).namespace;
        build(external, namespace === '' ? null : namespace, { path: '', namedType: candidate });
        const loaded = named.get(candidate);
        if (loaded === undefined) {
          throw new AvroError(
            'UNKNOWN_NAMED_TYPE',
            `looking up "${candidate}" returned a schema that does not define "${candidate}"`,
            { context: { path: ref.loc.path || '/' } },
          );
        }
        return loaded;
      }
    }
    const isDefined = (fullname: string): boolean =>
      named.has(fullname) || (lookup !== undefined && lookup(fullname) !== undefined);
    throw new AvroError('UNKNOWN_NAMED_TYPE', `${unknownNameMessage(candidate, isDefined)}${where(ref)}`, {
      context: { path: ref.loc.path || '/' },
    });
  }

  return { root, named };
}
