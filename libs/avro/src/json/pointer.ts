// JSON Pointer (RFC 6901) helpers: the one way positions, findings and config errors name a place in a document.

import type { JsonValue } from './types.ts';

/** Escapes one reference token: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string | number): string {
  const s = String(segment);
  if (s.indexOf('~') === -1 && s.indexOf('/') === -1) return s;
  return s.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Appends reference tokens to a pointer: `joinPointer('/fields', 2, 'type')` → `/fields/2/type`. */
export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const segment of segments) out += '/' + escapePointerSegment(segment);
  return out;
}

/** Splits a pointer into unescaped tokens; `''` (the whole document) yields `[]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new Error(`Invalid JSON pointer ${JSON.stringify(pointer)}: must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The pointer one level up, or undefined for the root. */
export function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** The value a pointer designates, or undefined when any step is missing. */
export function getAtPointer(value: JsonValue, pointer: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      current = Object.hasOwn(current, token) ? current[token] : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}
