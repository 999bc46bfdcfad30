// Turns an .avsc JSON value into a graph of typed nodes with Avro's namespace rules applied, so the
// compatibility checker and the canonical form never have to reason about names or raw JSON again.
import { isPrimitiveName, isValidFullname, qualifyName, splitFullname } from './names.ts';
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

/**
 * Splits a possibly dotted name and applies the enclosing namespace (docs/names.md). Throws AVRO_INVALID for a
 * name outside the spec's grammar, a leading dot included.
 */
export function qualify(
  name: string,
  explicitNamespace: unknown,
  enclosing: string | null,
  loc: Loc = { path: '' },
): { name: string; namespace: string | null; fullname: string } {
  if (!isValidFullname(name)) {
    throw new AvroError(
      'AVRO_INVALID',
      `invalid name ${JSON.stringify(name)}: each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*`,
      { context: { path: loc.path || '/' } },
    );
  }
  // An explicit "" puts the type in the null namespace even inside a namespaced parent.
  const namespace = name.includes('.')
    ? splitFullname(name).namespace
    : typeof explicitNamespace === 'string'
      ? explicitNamespace
      : (enclosing ?? '');
  const fullname = qualifyName(name, namespace);
  return { name: splitFullname(fullname).name, namespace: namespace || null, fullname };
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

/** Parses one schema document (and, transitively, the named types it pulls in from other files). */
export function parseSchema(json: unknown, options: ParseOptions = {}): ParsedSchema {
  const named = new Map<string, NamedNode>();
  const refs: RefNode[] = [];

  function define(node: NamedNode): void {
    const existing = named.get(node.fullname);
    if (existing !== undefined) {
      throw new AvroError(
        'DUPLICATE_NAME',
        `type "${node.fullname}" is defined twice (at ${existing.loc.path || '/'} and ${node.loc.path || '/'})`,
        { context: { path: node.loc.path || '/' } },
      );
    }
    named.set(node.fullname, node);
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
    // The spec's rule, with no fallback to the null namespace (docs/names.md).
    const ref: RefNode = { kind: 'ref', loc, fullname: qualify(name, undefined, ns, loc).fullname };
    refs.push(ref);
    return ref;
  }

  function buildNamed(
    value: Record<string, unknown>,
    type: 'record' | 'error' | 'enum' | 'fixed',
    ns: string | null,
    loc: Loc,
    extra: { json: Record<string, unknown>; logicalType?: string },
  ): NamedNode {
    const rawName = value['name'];
    if (typeof rawName !== 'string' || rawName === '') throw invalid(`${type} schema needs a "name"`, loc);
    const names = qualify(rawName, value['namespace'], ns, child(loc, 'name'));
    const aliases = stringList(value['aliases'], '"aliases"', child(loc, 'aliases')).map(
      (a, i) => qualify(a, undefined, names.namespace, child(loc, 'aliases', i)).fullname,
    );
    const base = { ...names, aliases, loc, ...extra };
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
      if (!isObject(f) || typeof f['name'] !== 'string') throw invalid('a field needs a "name"', fieldLoc);
      if (f['type'] === undefined) throw invalid(`field "${f['name']}" needs a "type"`, fieldLoc);
      node.fields.push({
        name: f['name'],
        aliases: stringList(f['aliases'], '"aliases"', child(fieldLoc, 'aliases')),
        // `"default": null` is a default; only an absent key is not.
        hasDefault: Object.hasOwn(f, 'default'),
        type: build(f['type'], names.namespace, child(fieldLoc, 'type')),
        index,
      });
    });
    return node;
  }

  const root = build(json, null, { path: '' });

  // Resolve names after the whole document is built, so a use may precede its definition; types loaded from
  // other files may add references of their own, hence the growing queue.
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as RefNode;
    ref.target = resolve(ref);
  }

  function resolve(ref: RefNode): NamedNode | undefined {
    const candidate = ref.fullname;
    const local = named.get(candidate);
    if (local !== undefined) return local;
    if (options.resolve === 'local') return undefined;
    const lookup = options.lookupNamedType;
    if (lookup !== undefined) {
      const external = lookup(candidate);
      if (external !== undefined) {
        const dot = candidate.lastIndexOf('.');
        const namespace = dot < 0 ? null : candidate.slice(0, dot);
        build(external, namespace, { path: '', namedType: candidate });
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
    const where = ref.loc.namedType === undefined ? '' : ` (in named type ${ref.loc.namedType})`;
    const simple = splitFullname(candidate).name;
    const hint =
      simple !== candidate && named.has(simple)
        ? `; "${simple}" is in the null namespace, which a name inside a namespace never falls back to`
        : '';
    throw new AvroError('UNKNOWN_NAMED_TYPE', `unknown type "${candidate}"${where}${hint}`, {
      context: { path: ref.loc.path || '/' },
    });
  }

  return { root, named };
}
