// Test and benchmark support: random valid values for any record schema, in avsc's runtime representation
// (Date for timestamp-millis/date, decimal text, Buffer for bytes/fixed, unwrapped nullable unions), from a
// seeded generator so a failure can be replayed.
import { resolveAvroSchema } from '../../src/format/avro.ts';
import type { AvroNode } from '../../src/format/avro.ts';

/** Mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'iOS',
  'Android',
  'Web',
  'US',
  'DE',
  'FR',
  'rock',
  'news',
  'jazz',
  'talk',
  'podcast',
  'Berlin',
  'Paris',
  'Austin',
];
const MAP_KEYS = ['genre', 'station_id', 'content_id', 'app', 'experiment', 'tier', 'language'];
const BASE_MS = Date.UTC(2026, 10, 23);

export interface RandomOptions {
  /** Draw every `long` from this many distinct values (ids repeat in real traffic); unset: uniform random. */
  longPool?: number;
}

export function randomValueFactory(schema: unknown, seed = 1, options: RandomOptions = {}): () => unknown {
  const root = resolveAvroSchema(schema);
  const r = rng(seed);
  const longPool = Array.from({ length: options.longPool ?? 0 }, () => 1 + Math.floor(r() * 9_000_000_000));
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(0, 15)];
    return s;
  };
  const text = (): string => {
    const w = pick(WORDS);
    return r() < 0.3 ? `${w}-${int(0, 9999)}` : w;
  };

  function value(n: AvroNode): unknown {
    switch (n.kind) {
      case 'primitive': {
        const l = n.logical;
        if (l !== undefined) {
          switch (l.name) {
            case 'timestamp-millis':
              return new Date(BASE_MS + int(0, 86_400_000 * 2 - 1));
            case 'date':
              return new Date(BASE_MS + int(-3, 3) * 86_400_000);
            case 'uuid':
              return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
            case 'decimal': {
              const intDigits = Math.max(0, Math.min(l.precision - l.scale, int(0, 3)));
              const whole =
                intDigits === 0
                  ? '0'
                  : String(int(1, 9)) +
                    String(int(0, 10 ** (intDigits - 1) - 1))
                      .padStart(intDigits - 1, '0')
                      .slice(0, intDigits - 1);
              const frac =
                l.scale === 0 ? '' : `.${Array.from({ length: l.scale }, () => int(0, 9)).join('')}`;
              return `${r() < 0.2 ? '-' : ''}${whole}${frac}`;
            }
            default:
              break;
          }
        }
        switch (n.type) {
          case 'null':
            return null;
          case 'boolean':
            return r() < 0.5;
          case 'int':
            return int(-1000, 100_000);
          case 'long':
            return longPool.length > 0 ? pick(longPool) : int(1, 9_000_000_000);
          case 'float':
            return Math.fround(r() * 100);
          case 'double':
            return Math.round(r() * 18_000 - 9_000) / 100;
          case 'string':
            return text();
          case 'bytes':
            return Buffer.from(hex(int(0, 12)), 'latin1');
        }
        return null;
      }
      case 'fixed':
        return Buffer.from(Array.from({ length: n.size }, () => int(0, 255)));
      case 'enum':
        return pick(n.symbols);
      case 'record': {
        const o: Record<string, unknown> = {};
        for (const f of n.fields) o[f.name] = value(f.type);
        return o;
      }
      case 'array':
        return Array.from({ length: int(0, 4) }, () => value(n.items));
      case 'map': {
        const o: Record<string, unknown> = {};
        const count = int(0, 4);
        for (let i = 0; i < count; i++) o[pick(MAP_KEYS)] = value(n.values);
        return o;
      }
      case 'union': {
        const nonNull = n.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
        if (nonNull.length < n.branches.length && r() < 0.3) return null;
        return value(pick(nonNull));
      }
    }
  }
  return () => value(root);
}
