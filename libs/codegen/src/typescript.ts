// Maps the resolved Avro model to TypeScript type expressions that match avsc's runtime representation exactly
// (wrapUnions 'auto', our logical types, the chosen long representation), plus identifier allocation and TSDoc.
import { CodegenError } from './errors.ts';
import { namedDef } from './model.ts';
import type { NamedDef, SchemaModel, TypeNode } from './model.ts';
import type { LongRepresentation } from '@adlake/event-runtime';

export interface TypeContext {
  model: SchemaModel;
  longs: LongRepresentation;
  /** TypeScript identifier of every named type, by full name. */
  names: ReadonlyMap<string, string>;
  /** Prefix for named type references, e.g. `T.` in event modules that `import type * as T`. */
  prefix: string;
}

export type TypeMode = 'value' | 'input';

interface BranchInfo {
  /** The key avsc uses for this branch when the union is wrapped (its branchName). */
  key: string;
  /** The bucket avsc's isAmbiguous sees; undefined for logical types, which it skips. */
  bucket: string | undefined;
  /** For branches avsc resolves dynamically (logical types, a bigint long): the bucket of their JS values. */
  dynamic: string | undefined;
}

const VALUE_BUCKET: Record<string, string> = {
  'timestamp-millis': 'object', // Date
  date: 'object', // Date
  decimal: 'string',
  uuid: 'string',
};

function branchInfo(node: TypeNode, ctx: TypeContext): BranchInfo {
  switch (node.kind) {
    case 'primitive': {
      const supported = node.logical?.supported;
      if (supported) return { key: node.name, bucket: undefined, dynamic: VALUE_BUCKET[supported] };
      switch (node.name) {
        case 'long':
          return ctx.longs === 'bigint'
            ? { key: 'long', bucket: 'abstract:long', dynamic: 'bigint' }
            : { key: 'long', bucket: 'number', dynamic: undefined };
        case 'int':
        case 'float':
        case 'double':
          return { key: node.name, bucket: 'number', dynamic: undefined };
        case 'bytes':
          return { key: node.name, bucket: 'buffer', dynamic: undefined };
        default:
          return { key: node.name, bucket: node.name, dynamic: undefined };
      }
    }
    case 'named': {
      const def = namedDef(ctx.model, node.fullname);
      switch (def.kind) {
        case 'enum':
          return { key: def.fullname, bucket: 'string', dynamic: undefined };
        case 'fixed':
          return def.logical?.supported
            ? { key: def.fullname, bucket: undefined, dynamic: VALUE_BUCKET[def.logical.supported] }
            : { key: def.fullname, bucket: 'buffer', dynamic: undefined };
        default:
          return { key: def.fullname, bucket: 'object', dynamic: undefined };
      }
    }
    case 'array':
      return { key: 'array', bucket: 'array', dynamic: undefined };
    case 'map':
      return { key: 'map', bucket: 'object', dynamic: undefined };
    case 'union':
      throw new CodegenError('AVRO_INVALID', 'unions cannot be directly nested');
  }
}

/**
 * Whether avsc (wrapUnions 'auto') wraps this union: it does when two non-logical branches share a bucket.
 * Throws when the union would be unwrapped yet a dynamically resolved branch overlaps another branch, which
 * avsc only reports at runtime ("ambiguous conversion").
 */
export function unionIsWrapped(node: TypeNode & { kind: 'union' }, ctx: TypeContext): boolean {
  const infos = node.branches.map((b) => branchInfo(b, ctx));
  const keys = new Set<string>();
  for (const info of infos) {
    if (keys.has(info.key)) {
      throw new CodegenError('AVRO_INVALID', `union has two branches named ${info.key}`);
    }
    keys.add(info.key);
  }
  const buckets = new Set<string>();
  for (const info of infos) {
    if (info.bucket === undefined) continue;
    if (buckets.has(info.bucket)) return true;
    buckets.add(info.bucket);
  }
  const occupied = new Map<string, string>();
  for (const info of infos)
    if (info.dynamic === undefined && info.bucket) occupied.set(info.bucket, info.key);
  for (const info of infos) {
    if (info.dynamic === undefined) continue;
    const other = occupied.get(info.dynamic);
    if (other !== undefined) {
      throw new CodegenError(
        'CODEGEN_FAILED',
        `union [${[...keys].join(', ')}] is ambiguous at runtime: values of ${info.key} and ${other} have the same ` +
          `JavaScript representation, and avsc (wrapUnions 'auto') leaves this union unwrapped`,
      );
    }
    occupied.set(info.dynamic, info.key);
  }
  return false;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

function logicalExpr(supported: string): string {
  return supported === 'timestamp-millis' || supported === 'date' ? 'Date' : 'string';
}

/** The TypeScript type of a node; `input` makes record fields with defaults optional, recursively. */
export function typeExpr(node: TypeNode, mode: TypeMode, ctx: TypeContext): string {
  switch (node.kind) {
    case 'primitive': {
      const supported = node.logical?.supported;
      if (supported) return logicalExpr(supported);
      switch (node.name) {
        case 'null':
          return 'null';
        case 'boolean':
          return 'boolean';
        case 'int':
        case 'float':
        case 'double':
          return 'number';
        case 'long':
          return ctx.longs === 'bigint' ? 'bigint' : 'number';
        case 'bytes':
          return 'Buffer';
        case 'string':
          return 'string';
      }
      break;
    }
    case 'named': {
      const def = namedDef(ctx.model, node.fullname);
      const name = ctx.prefix + tsName(ctx, def.fullname);
      return (def.kind === 'record' || def.kind === 'error') && mode === 'input' ? `${name}Input` : name;
    }
    case 'array': {
      const items = typeExpr(node.items, mode, ctx);
      const element = items.includes('|') ? `(${items})` : items;
      return mode === 'input' ? `readonly ${element}[]` : `${element}[]`;
    }
    case 'map':
      return `{ [key: string]: ${typeExpr(node.values, mode, ctx)} }`;
    case 'union': {
      const wrapped = unionIsWrapped(node, ctx);
      return node.branches
        .map((branch) => {
          const expr = typeExpr(branch, mode, ctx);
          if (!wrapped || expr === 'null') return expr;
          return `{ ${propertyKey(branchInfo(branch, ctx).key)}: ${expr} }`;
        })
        .join(' | ');
    }
  }
}

export function tsName(ctx: { names: ReadonlyMap<string, string> }, fullname: string): string {
  const name = ctx.names.get(fullname);
  if (name === undefined)
    throw new CodegenError('CODEGEN_FAILED', `no TypeScript name allocated for ${fullname}`);
  return name;
}

/** A short Avro description of a node for READMEs: `union<null, string>`, `long (timestamp-millis)`. */
export function describeNode(node: TypeNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.logical ? `${node.name} (${node.logical.name})` : node.name;
    case 'named':
      return node.fullname;
    case 'array':
      return `array<${describeNode(node.items)}>`;
    case 'map':
      return `map<${describeNode(node.values)}>`;
    case 'union':
      return `union<${node.branches.map(describeNode).join(', ')}>`;
  }
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Names TypeScript may not shadow in generated modules, plus the runtime's exports they use. */
const RESERVED = new Set([
  'Array',
  'BigInt',
  'Boolean',
  'Buffer',
  'Date',
  'Error',
  'Map',
  'Number',
  'Object',
  'Promise',
  'ReadonlyArray',
  'Record',
  'Set',
  'String',
  'Symbol',
  'T',
  // What the generated modules import from @adlake/event-runtime, and what index.ts re-exports from it.
  'AvroRangeError',
  'AvroTypeOptions',
  'EventCodec',
  'EventCodecError',
  'ValidateOptions',
  'ValidationError',
  'ValidationResult',
  'defineEvent',
]);

/**
 * Allocates one identifier per named type: the simple name when unique in the package, else the name
 * qualified by its namespace. Each identifier also claims `<name>Input` and `<name>Symbols`.
 */
export function allocateNames(
  defs: readonly NamedDef[],
  taken: Set<string> = new Set(),
): Map<string, string> {
  const simpleCount = new Map<string, number>();
  for (const def of defs) simpleCount.set(pascal(def.name), (simpleCount.get(pascal(def.name)) ?? 0) + 1);
  const names = new Map<string, string>();
  const free = (name: string): boolean =>
    !RESERVED.has(name) && ![name, `${name}Input`, `${name}Symbols`].some((n) => taken.has(n));
  for (const def of defs) {
    const simple = pascal(def.name);
    const candidates = [simple, pascal(def.fullname)];
    let chosen = candidates.find((c, i) => (i > 0 || simpleCount.get(simple) === 1) && free(c));
    for (let n = 2; chosen === undefined; n += 1)
      if (free(`${pascal(def.fullname)}${n}`)) chosen = `${pascal(def.fullname)}${n}`;
    names.set(def.fullname, chosen);
    for (const n of [chosen, `${chosen}Input`, `${chosen}Symbols`]) taken.add(n);
  }
  return names;
}

export function allocateName(base: string, taken: Set<string>): string {
  const root = pascal(base) || 'Event';
  const start = /^[0-9]/.test(root) ? `E${root}` : root;
  let name = start;
  for (let n = 2; RESERVED.has(name) || taken.has(name) || taken.has(`${name}Input`); n += 1)
    name = `${start}${n}`;
  taken.add(name);
  taken.add(`${name}Input`);
  return name;
}

/** A TSDoc block; `*\/` in Avro docs is escaped so it cannot end the comment. */
export function tsdoc(lines: readonly string[], indent = ''): string {
  const body = lines
    .flatMap((line) => line.split(/\r?\n/))
    .map((line) => line.replace(/\*\//g, '*\\/').trimEnd());
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  if (body.length === 0) return '';
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)).join('\n')}\n${indent} */\n`;
}
