// min_value / max_value of byte-array columns (strings and binary): the exact bounds in unsigned byte order
// (the order the spec's TYPE_ORDER defines for BYTE_ARRAY, which for UTF-8 is also code point order), and
// their truncation for the footer: a truncated min is a prefix of the min, a truncated max a prefix of the
// max with its last character incremented, above every value that starts with that prefix. Both say when
// they are no longer exact.

/** Default longest bound written, in bytes (parquet-mr truncates its column index bounds to 64 too). */
export const STATISTICS_TRUNCATE_BYTES = 64;

/** Exact bounds of the byte-array values seen, compared as unsigned bytes; copies only when a bound moves. */
export class ByteBounds {
  min: Buffer | undefined;
  max: Buffer | undefined;

  /** Takes value `src[start..end)`. */
  add(src: Buffer, start: number, end: number): void {
    if (this.min === undefined || this.max === undefined) {
      this.min = Buffer.from(src.subarray(start, end));
      this.max = this.min;
      return;
    }
    if (compareBytes(src, start, end, this.min) < 0) this.min = Buffer.from(src.subarray(start, end));
    else if (compareBytes(src, start, end, this.max) > 0) this.max = Buffer.from(src.subarray(start, end));
  }

  reset(): void {
    this.min = undefined;
    this.max = undefined;
  }
}

/**
 * `a[start..end)` against `b` in unsigned byte order: negative, zero or positive. In JavaScript, not
 * Buffer.compare: values usually differ in their first bytes, and a native call costs more than that.
 */
export function compareBytes(a: Uint8Array, start: number, end: number, b: Uint8Array): number {
  const n = Math.min(end - start, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[start + i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return end - start - b.length;
}

/** A bound as written to the footer: its bytes and whether they are the column's exact min or max. */
export interface Bound {
  readonly value: Uint8Array;
  readonly exact: boolean;
}

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * The min as written: the value itself up to `limit` bytes, else its longest prefix of at most `limit`
 * bytes (cut on a character boundary when `utf8`), which is below or equal to every value.
 */
export function truncateMin(min: Uint8Array, limit: number, utf8: boolean): Bound {
  if (min.length <= limit) return { value: min, exact: true };
  let cut = limit;
  if (utf8 && validUtf8(min)) while (cut > 0 && isContinuation(min[cut] as number)) cut--;
  return { value: min.subarray(0, cut), exact: false };
}

/**
 * The max as written: the value itself up to `limit` bytes, else a prefix of at most `limit` bytes whose
 * last character (`utf8`: code point, skipping surrogates; else byte) is incremented, dropping characters
 * that cannot be; that is above every value starting with the prefix. Undefined when nothing can be
 * incremented (every character is U+10FFFF, or every byte 0xFF): no upper bound short enough exists.
 */
export function truncateMax(max: Uint8Array, limit: number, utf8: boolean): Bound | undefined {
  if (max.length <= limit) return { value: max, exact: true };
  if (utf8 && validUtf8(max)) {
    let cut = limit;
    while (cut > 0 && isContinuation(max[cut] as number)) cut--;
    const text = Buffer.from(max.subarray(0, cut)).toString('utf8');
    const points = Array.from(text, (ch) => ch.codePointAt(0) as number);
    while (points.length > 0) {
      let next = (points.pop() as number) + 1;
      if (next === 0xd800) next = 0xe000;
      if (next <= 0x10ffff) {
        points.push(next);
        return { value: Buffer.from(String.fromCodePoint(...points), 'utf8'), exact: false };
      }
    }
    return undefined;
  }
  const out = Buffer.from(max.subarray(0, limit));
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i] = (out[i] as number) + 1;
      return { value: out.subarray(0, i + 1), exact: false };
    }
  }
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Uint8Array): boolean {
  try {
    strictUtf8.decode(b);
    return true;
  } catch {
    return false;
  }
}
