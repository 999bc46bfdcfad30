// Which field holds a value that a class cannot represent. The decoder knows the kind of value (a long, a
// timestamp-millis, a date) and the value itself; it decodes the record again losslessly and walks that value
// along the reader schema to the leaf of that kind holding that value. The schema decides what a leaf is, so
// a double or an int that happens to hold the same number is never named.

export type RangeKind = 'long' | 'timestamp-millis' | 'date';

interface Walk {
  named: Map<string, unknown>;
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
  return walk({ named: new Map(), kind, target: BigInt(target) }, schema, value, undefined, '');
}

function qualify(name: string, namespace: string | undefined): string {
  if (name.startsWith('.')) return name.slice(1);
  return name.includes('.') || namespace === undefined || namespace === '' ? name : `${namespace}.${name}`;
}

function matches(w: Walk, leaf: RangeKind, v: unknown): boolean {
  return leaf === w.kind && (typeof v === 'bigint' || typeof v === 'number') && BigInt(v) === w.target;
}

function child(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The key avsc wraps a union branch under: a primitive's name, `array`, `map`, or a named type's full name. */
function branchKeys(branch: unknown, namespace: string | undefined): string[] {
  if (typeof branch === 'string') {
    const full = qualify(branch, namespace);
    return [branch, full];
  }
  if (branch !== null && typeof branch === 'object' && !Array.isArray(branch)) {
    const b = branch as Record<string, unknown>;
    if (typeof b['name'] === 'string') {
      const ns = typeof b['namespace'] === 'string' ? b['namespace'] : namespace;
      return [qualify(b['name'], ns)];
    }
    if (typeof b['type'] === 'string') return [b['type']];
  }
  return [];
}

function walk(w: Walk, s: unknown, v: unknown, ns: string | undefined, path: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof s === 'string') {
    if (s === 'long') return matches(w, 'long', v) ? path : undefined;
    const named = w.named.get(qualify(s, ns)) ?? w.named.get(s);
    return named === undefined ? undefined : walk(w, named, v, ns, path);
  }
  if (Array.isArray(s)) {
    // Wrapped (`{ branch: value }`) when the union was ambiguous, bare otherwise: try both readings.
    if (typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1) {
        const key = keys[0] as string;
        const branch = s.find((b) => branchKeys(b, ns).includes(key));
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
      const full = qualify(String(o['name']), typeof o['namespace'] === 'string' ? o['namespace'] : ns);
      w.named.set(full, o);
      const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : ns;
      for (const f of (o['fields'] as { name: string; type: unknown }[] | undefined) ?? []) {
        const found = walk(w, f.type, (v as Record<string, unknown>)[f.name], inner, child(path, f.name));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case 'enum':
    case 'fixed':
      w.named.set(qualify(String(o['name']), typeof o['namespace'] === 'string' ? o['namespace'] : ns), o);
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
      return typeof type === 'string' &&
        !['null', 'boolean', 'float', 'double', 'bytes', 'string'].includes(type)
        ? walk(w, type, v, ns, path)
        : undefined;
  }
}
