// Parquet's value-independent encodings: the RLE / bit-packing hybrid used for repetition and definition
// levels, and PLAIN bit-packing of booleans. Output goes into a caller-owned growable buffer.

/** A growable byte buffer reused across pages, so encoding a page allocates nothing in the steady state. */
export class Bytes {
  buf: Buffer;
  len = 0;
  constructor(capacity = 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  varint(n: number): void {
    this.ensure(5);
    while (n >= 0x80) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.len++] = n;
  }
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/** Bits needed for levels up to `max` (0 for max 0). */
export function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

// parquet-mr writes at most 63 groups of 8 per bit-packed run (its header is a single byte); we do the same.
const MAX_GROUPS = 63;

/**
 * Appends `values[0..count)` in the RLE / bit-packing hybrid (without the 4-byte length prefix).
 * Runs of 8 or more equal values become RLE runs; everything between them is bit-packed in groups of 8.
 */
export function encodeHybrid(out: Bytes, values: Uint8Array, count: number, width: number): void {
  const valueBytes = (width + 7) >> 3;
  let i = 0;
  while (i < count) {
    const v = values[i] as number;
    let j = i + 1;
    while (j < count && values[j] === v) j++;
    if (j - i >= 8) {
      out.varint((j - i) << 1);
      out.ensure(valueBytes);
      for (let b = 0; b < valueBytes; b++) out.buf[out.len++] = (v >>> (8 * b)) & 0xff;
      i = j;
      continue;
    }
    // Bit-pack groups of 8 until a run of 8 equal values starts at a group boundary.
    const start = i;
    let groups = 0;
    do {
      i += 8;
      groups++;
    } while (i < count && groups < MAX_GROUPS && !runOfEightAt(values, i, count));
    const end = Math.min(i, count);
    i = end;
    out.varint((groups << 1) | 1);
    const nbytes = groups * width;
    out.ensure(nbytes);
    const buf = out.buf;
    let p = out.len;
    // Levels are at most 8 bits wide: at most 7 pending bits plus 8 new ones fit an integer.
    let acc = 0;
    let bits = 0;
    for (let k = start; k < end; k++) {
      acc |= (values[k] as number) << bits;
      bits += width;
      if (bits >= 8) {
        buf[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) buf[p++] = acc;
    // The last group is padded with zero values.
    buf.fill(0, p, out.len + nbytes);
    out.len += nbytes;
  }
}

function runOfEightAt(values: Uint8Array, i: number, count: number): boolean {
  if (i + 8 > count) return false;
  const v = values[i];
  for (let k = i + 1; k < i + 8; k++) if (values[k] !== v) return false;
  return true;
}

/** PLAIN booleans: one bit each, least significant bit first. */
export function encodeBooleans(out: Bytes, values: Uint8Array, count: number): void {
  const n = (count + 7) >> 3;
  out.ensure(n);
  const base = out.len;
  out.buf.fill(0, base, base + n);
  for (let k = 0; k < count; k++) {
    if (values[k]) out.buf[base + (k >> 3)] = (out.buf[base + (k >> 3)] as number) | (1 << (k & 7));
  }
  out.len = base + n;
}

/**
 * Reads `count` values of the RLE / bit-packing hybrid from `buf[pos..end)` into `out` (levels fit a byte).
 * Returns false when the runs end before `count` values or hold a value wider than a byte: corrupt input.
 */
export function decodeHybrid(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  count: number,
  out: Uint8Array,
): boolean {
  if (width === 0) {
    out.fill(0, 0, count);
    return true;
  }
  if (width > 8) return false;
  const valueBytes = (width + 7) >> 3;
  const mask = (1 << width) - 1;
  let n = 0;
  while (n < count) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 28) return false;
      const b = buf[pos++] as number;
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    if (header % 2 === 1) {
      const values = Math.floor(header / 2) * 8;
      const bytes = Math.floor(header / 2) * width;
      if (pos + bytes > end) return false;
      const take = Math.min(values, count - n);
      for (let k = 0; k < take; k++) {
        const bit = k * width;
        // width <= 8, so a value spans at most two bytes.
        const lo = buf[pos + (bit >>> 3)] as number;
        const hi = (bit & 7) + width > 8 ? (buf[pos + (bit >>> 3) + 1] as number) : 0;
        out[n++] = (((hi << 8) | lo) >>> (bit & 7)) & mask;
      }
      pos += bytes;
    } else {
      const run = Math.floor(header / 2);
      if (pos + valueBytes > end) return false;
      const v = buf[pos] as number;
      pos += valueBytes;
      if (v > mask) return false;
      out.fill(v, n, Math.min(count, n + run));
      n = Math.min(count, n + run);
    }
  }
  return true;
}

/**
 * Reads `count` values of the deprecated BIT_PACKED level encoding (most significant bit first, no length
 * prefix) from `buf[pos..)`. Returns the end offset, or -1 past `end`.
 */
export function decodeBitPacked(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  count: number,
  out: Uint8Array,
): number {
  const bytes = Math.ceil((count * width) / 8);
  if (width > 8 || pos + bytes > end) return -1;
  for (let k = 0; k < count; k++) {
    let v = 0;
    for (let b = 0; b < width; b++) {
      const bit = k * width + b;
      v = (v << 1) | (((buf[pos + (bit >>> 3)] as number) >>> (7 - (bit & 7))) & 1);
    }
    out[k] = v;
  }
  return pos + bytes;
}

/**
 * Appends `values[0..count)` (unsigned, below 2^width, width up to 32) in the RLE / bit-packing hybrid, as
 * dictionary indices are written: the same run rules as `encodeHybrid`, values wider than a byte.
 */
export function encodeHybridWide(out: Bytes, values: Uint32Array, count: number, width: number): void {
  const valueBytes = (width + 7) >> 3;
  let i = 0;
  while (i < count) {
    const v = values[i] as number;
    let j = i + 1;
    while (j < count && values[j] === v) j++;
    if (j - i >= 8) {
      out.varint((j - i) << 1);
      out.ensure(valueBytes);
      for (let b = 0; b < valueBytes; b++) out.buf[out.len++] = (v >>> (8 * b)) & 0xff;
      i = j;
      continue;
    }
    const start = i;
    let groups = 0;
    do {
      i += 8;
      groups++;
    } while (i < count && groups < MAX_GROUPS && !wideRunOfEightAt(values, i, count));
    const end = Math.min(i, count);
    i = end;
    out.varint((groups << 1) | 1);
    const nbytes = groups * width;
    out.ensure(nbytes);
    const buf = out.buf;
    let p = out.len;
    if (width <= 24) {
      // At most 7 pending bits plus 24 new ones: the accumulator stays a 31-bit integer.
      let acc = 0;
      let bits = 0;
      for (let k = start; k < end; k++) {
        acc |= (values[k] as number) << bits;
        bits += width;
        while (bits >= 8) {
          buf[p++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
      if (bits > 0) buf[p++] = acc;
    } else {
      // A float accumulator: at most 7 pending bits plus 32 new ones stay exact below 2^53.
      let acc = 0;
      let bits = 0;
      for (let k = start; k < end; k++) {
        acc += (values[k] as number) * 2 ** bits;
        bits += width;
        while (bits >= 8) {
          buf[p++] = acc % 256;
          acc = Math.floor(acc / 256);
          bits -= 8;
        }
      }
      if (bits > 0) buf[p++] = acc;
    }
    // The last group is padded with zero values.
    buf.fill(0, p, out.len + nbytes);
    out.len += nbytes;
  }
}

function wideRunOfEightAt(values: Uint32Array, i: number, count: number): boolean {
  if (i + 8 > count) return false;
  const v = values[i];
  for (let k = i + 1; k < i + 8; k++) if (values[k] !== v) return false;
  return true;
}

/**
 * Reads `count` values of the RLE / bit-packing hybrid, width up to 32, from `buf[pos..end)` into `out`.
 * Returns false when the runs end before `count` values or hold a value wider than `width`: corrupt input.
 */
export function decodeHybridWide(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  count: number,
  out: Uint32Array,
): boolean {
  if (width > 32) return false;
  if (width === 0) {
    out.fill(0, 0, count);
    return true;
  }
  const valueBytes = (width + 7) >> 3;
  const limit = 2 ** width;
  let n = 0;
  while (n < count) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 28) return false;
      const b = buf[pos++] as number;
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    if (header % 2 === 1) {
      const groups = Math.floor(header / 2);
      const bytes = groups * width;
      if (pos + bytes > end) return false;
      const take = Math.min(groups * 8, count - n);
      let acc = 0;
      let bits = 0;
      let p = pos;
      for (let k = 0; k < take; k++) {
        while (bits < width) {
          acc += (buf[p++] as number) * 2 ** bits;
          bits += 8;
        }
        const v = acc % limit;
        out[n++] = v;
        acc = (acc - v) / limit;
        bits -= width;
      }
      pos += bytes;
    } else {
      const run = Math.floor(header / 2);
      if (pos + valueBytes > end) return false;
      let v = 0;
      for (let b = 0; b < valueBytes; b++) v += (buf[pos + b] as number) * 2 ** (8 * b);
      pos += valueBytes;
      if (v >= limit) return false;
      out.fill(v, n, Math.min(count, n + run));
      n = Math.min(count, n + run);
    }
  }
  return true;
}
