// Which field holds a value that a class cannot represent. The decoder knows the kind of value (a long, a
// timestamp-millis, a date) and the value itself; it decodes the record again losslessly and walks that value
// along the reader schema to the leaf of that kind holding that value. The schema decides what a leaf is, so
// a double or an int that happens to hold the same number is never named.

import { definedNamedTypes, definitionName, isNamedKind, isPrimitiveName, referenceName } from '@adlake/avro';
import type { JsonValue, WalkedNamedType } from '@adlake/avro';

export type RangeKind = 'long' | 'timestamp-millis' | 'date';

interface Walk {
  /** Every named type of the schema by full name (docs/names.md, by @adlake/avro). */
  named: ReadonlyMap<string, WalkedNamedType>;
  kind: RangeKind;
  target: bigint;
}

/** The accessor path (`inner.ts`, `ids[2]`, `attrs["k"]`) of the first leaf of `kind` equal to `target`. */
export function findField(
  schema: unknown,
  value: unknown,
  kind: RangeKind,
  target: number | bigint,
): string | undefined {
  const named = definedNamedTypes(schema as JsonValue);
  return walk({ named, kind, target: BigInt(target) }, schema, value, '', '');
}

/** The full name a reference written inside `namespace` names, or undefined for a name that is not one. */
function referenced(name: string, namespace: string): string | undefined {
  const ref = referenceName(name, namespace);
  return ref.ok ? ref.fullname : undefined;
}

function matches(w: Walk, leaf: RangeKind, v: unknown): boolean {
  return leaf === w.kind && (typeof v === 'bigint' || typeof v === 'number') && BigInt(v) === w.target;
}

function child(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The key avsc wraps a union branch under: a primitive's name, `array`, `map`, or a named type's full name. */
function branchKey(branch: unknown, namespace: string): string | undefined {
  if (typeof branch === 'string') return isPrimitiveName(branch) ? branch : referenced(branch, namespace);
  if (branch !== null && typeof branch === 'object' && !Array.isArray(branch)) {
    const b = branch as Record<string, unknown>;
    const type = b['type'];
    if (typeof type !== 'string') return undefined;
    if (isNamedKind(type)) {
      const def = definitionName(type, b, namespace);
      return def.ok ? def.fullname : undefined;
    }
    return isPrimitiveName(type) || type === 'array' || type === 'map' ? type : referenced(type, namespace);
  }
  return undefined;
}

function walk(w: Walk, s: unknown, v: unknown, ns: string, path: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof s === 'string') {
    if (s === 'long') return matches(w, 'long', v) ? path : undefined;
    const fullname = referenced(s, ns);
    const named = fullname === undefined ? undefined : w.named.get(fullname);
    // A definition's own namespace qualifies it again to the same full name, and its fields resolve in it.
    return named === undefined ? undefined : walk(w, named.json, v, named.namespace, path);
  }
  if (Array.isArray(s)) {
    // Wrapped (`{ branch: value }`) when the union was ambiguous, bare otherwise: try both readings.
    if (typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1) {
        const key = keys[0] as string;
        const branch = s.find((b) => branchKey(b, ns) === key);
        if (branch !== undefined) {
          const found = walk(w, branch, (v as Record<string, unknown>)[key], ns, child(path, key));
          if (found !== undefined) return found;
        }
      }
    }
    for (const branch of s) {
      const found = walk(w, branch, v, ns, path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (s === null || typeof s !== 'object') return undefined;
  const o = s as Record<string, unknown>;
  const type = o['type'];
  if (typeof type !== 'string') return walk(w, type, v, ns, path);
  switch (type) {
    case 'record':
    case 'error': {
      const def = definitionName(type, o, ns);
      if (!def.ok) return undefined;
      const inner = def.namespace;
      for (const f of (o['fields'] as { name: string; type: unknown }[] | undefined) ?? []) {
        const found = walk(w, f.type, (v as Record<string, unknown>)[f.name], inner, child(path, f.name));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'enum':
    case 'fixed':
      return undefined;
    case 'array':
      if (!Array.isArray(v)) return undefined;
      for (const [i, item] of v.entries()) {
        const found = walk(w, o['items'], item, ns, `${path}[${i}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    case 'map':
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const found = walk(w, o['values'], item, ns, `${path}[${JSON.stringify(k)}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    case 'long':
      return matches(w, o['logicalType'] === 'timestamp-millis' ? 'timestamp-millis' : 'long', v)
        ? path
        : undefined;
    case 'int':
      return o['logicalType'] === 'date' && matches(w, 'date', v) ? path : undefined;
    default:
      // Another primitive holds no value of these kinds; any other name is a reference in object form.
      return isPrimitiveName(type) ? undefined : walk(w, type, v, ns, path);
  }
}
