// A column chunk's dictionary: gives each distinct value its index in first-seen order, straight from the
// value's PLAIN bytes in a page buffer (no string or object per value), and keeps the entries in PLAIN form,
// which is exactly the body of the chunk's dictionary page.

const INITIAL_SLOTS = 16;
const INITIAL_BYTES = 256;

/**
 * Values of 4 or 8 bytes (INT32, FLOAT: one 32-bit word; INT64, DOUBLE: two), compared bit for bit, so -0
 * and 0, and NaNs with different payloads, stay distinct values, as PLAIN would keep them.
 */
export class WordDictionary {
  readonly words: 1 | 2;
  /** Entries, `words` 32-bit words each, little-endian as PLAIN stores them. */
  entries: Int32Array;
  count = 0;
  /** Open addressing: entry index + 1, 0 for an empty slot. */
  private slots: Int32Array;
  private mask: number;

  constructor(words: 1 | 2) {
    this.words = words;
    this.entries = new Int32Array(INITIAL_SLOTS * words);
    this.slots = new Int32Array(INITIAL_SLOTS * 2);
    this.mask = this.slots.length - 1;
  }

  get byteLength(): number {
    return this.count * this.words * 4;
  }

  get allocated(): number {
    return this.entries.byteLength + this.slots.byteLength;
  }

  /**
   * Writes the index of each of `n` values (`words` words each from `src`) into `out`, adding new values,
   * and returns true; or returns false as soon as the entries would exceed `limitBytes`, leaving the
   * dictionary as it was before the call.
   */
  encode(src: Int32Array, n: number, out: Uint32Array, limitBytes: number): boolean {
    const before = this.count;
    const limitCount = Math.floor(limitBytes / (4 * this.words));
    let prevLo = 0;
    let prevHi = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const lo = src[i * this.words] as number;
      const hi = this.words === 2 ? (src[i * this.words + 1] as number) : 0;
      // Neighbouring values repeat often (a partition, a currency): no hashing for a repeat.
      if (prev >= 0 && lo === prevLo && hi === prevHi) {
        out[i] = prev;
        continue;
      }
      let index = this.find(lo, hi);
      if (index < 0) {
        if (this.count >= limitCount) {
          this.truncate(before);
          return false;
        }
        index = this.insert(lo, hi);
      }
      out[i] = index;
      prev = index;
      prevLo = lo;
      prevHi = hi;
    }
    return true;
  }

  private hash(lo: number, hi: number): number {
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f), 0x9e3779b1);
    h ^= h >>> 15;
    return Math.imul(h, 0x85ebca77) ^ (h >>> 13);
  }

  private find(lo: number, hi: number): number {
    const e = this.entries;
    const w = this.words;
    let s = this.hash(lo, hi) & this.mask;
    for (;;) {
      const slot = this.slots[s] as number;
      if (slot === 0) return -1;
      const k = (slot - 1) * w;
      if (e[k] === lo && (w === 1 || e[k + 1] === hi)) return slot - 1;
      s = (s + 1) & this.mask;
    }
  }

  private insert(lo: number, hi: number): number {
    const index = this.count;
    const w = this.words;
    if ((index + 1) * w > this.entries.length) {
      const next = new Int32Array(this.entries.length * 2);
      next.set(this.entries);
      this.entries = next;
    }
    this.entries[index * w] = lo;
    if (w === 2) this.entries[index * w + 1] = hi;
    this.count = index + 1;
    if (2 * this.count > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(index, lo, hi);
    return index;
  }

  private place(index: number, lo: number, hi: number): void {
    let s = this.hash(lo, hi) & this.mask;
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = index + 1;
  }

  private rehash(size: number): void {
    // The same size (a truncation): cleared in place, no new table per row group.
    if (size === this.slots.length) this.slots.fill(0);
    else this.slots = new Int32Array(size);
    this.mask = size - 1;
    const w = this.words;
    for (let i = 0; i < this.count; i++)
      this.place(i, this.entries[i * w] as number, w === 2 ? (this.entries[i * w + 1] as number) : 0);
  }

  /** Drops the entries from `count` on (those of a page that is written PLAIN instead). */
  truncate(count: number): void {
    this.count = count;
    this.rehash(this.slots.length);
  }

  /** The PLAIN bytes of the entries: the dictionary page body. */
  plain(): Buffer {
    return Buffer.from(this.entries.buffer, this.entries.byteOffset, this.byteLength);
  }

  reset(): void {
    if (this.count > 0) this.truncate(0);
  }
}

/**
 * Byte-array values: BYTE_ARRAY in PLAIN form (4-byte little-endian length, then the bytes),
 * FIXED_LEN_BYTE_ARRAY and INT96 (`width` bytes each), compared byte for byte.
 */
export class ByteDictionary {
  /** Bytes per value; 0 for BYTE_ARRAY, whose PLAIN form carries its length. */
  readonly width: number;
  /** The entries in PLAIN form: the dictionary page body is `data[0 .. starts[count])`. */
  data: Buffer;
  private dataView: DataView;
  /** Entry i is `data[starts[i] .. starts[i + 1])`, a BYTE_ARRAY's length prefix included. */
  starts: Int32Array;
  count = 0;
  private hashes: Int32Array;
  /** Open addressing, two words a slot: entry index + 1 (0 for empty), then the entry's hash. */
  private slots: Int32Array;
  private mask: number;

  constructor(width: number) {
    this.width = width;
    this.data = Buffer.allocUnsafe(INITIAL_BYTES);
    this.dataView = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    this.starts = new Int32Array(INITIAL_SLOTS + 1);
    this.hashes = new Int32Array(INITIAL_SLOTS + 1);
    this.slots = new Int32Array(INITIAL_SLOTS * 4);
    this.mask = INITIAL_SLOTS * 2 - 1;
  }

  get byteLength(): number {
    return this.starts[this.count] as number;
  }

  get allocated(): number {
    return this.data.byteLength + this.starts.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }

  /**
   * Writes the index of each of `n` PLAIN values laid end to end in `src` from `from` into `out`, adding new
   * values, and returns true; or returns false as soon as the entries would exceed `limitBytes`, leaving the
   * dictionary as it was before the call.
   */
  encode(src: Buffer, from: number, n: number, out: Uint32Array, limitBytes: number): boolean {
    const before = this.count;
    const width = this.width;
    // DataView reads of 32-bit words compile to single loads: hashing and comparing go a word at a time.
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    let p = from;
    let prevStart = -1;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const start = p;
      const end = width > 0 ? p + width : p + 4 + view.getUint32(p, true);
      p = end;
      const len = end - start;
      // The same bytes as the value before: a BYTE_ARRAY's first word is its length, so the whole value
      // matches, and the compared range ends inside this value, never past the buffer.
      if (prev >= 0 && sameWords(view, start, view, prevStart, len)) {
        out[i] = prev;
        continue;
      }
      // FNV-1a over 32-bit words, then the tail bytes. A BYTE_ARRAY's length prefix is not hashed or compared
      // byte by byte: the length is in the hash's seed and compared first.
      const skip = width > 0 ? 0 : 4;
      let h = 0x811c9dc5 ^ len;
      let k = start + skip;
      for (const stop = end - 3; k < stop; k += 4) h = Math.imul(h ^ view.getInt32(k, true), 0x01000193);
      for (; k < end; k++) h = Math.imul(h ^ view.getUint8(k), 0x01000193);
      // Murmur3's finaliser: every input bit reaches the low bits the table uses.
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h ^= h >>> 16;
      const slots = this.slots;
      const mask = this.mask;
      const starts = this.starts;
      const data = this.dataView;
      let s = h & mask;
      let index = -1;
      for (;;) {
        const slot = slots[2 * s] as number;
        if (slot === 0) break;
        if (slots[2 * s + 1] === h) {
          const e = slot - 1;
          const es = starts[e] as number;
          if (
            (starts[e + 1] as number) - es === len &&
            sameWords(data, es + skip, view, start + skip, len - skip)
          ) {
            index = e;
            break;
          }
        }
        s = (s + 1) & mask;
      }
      if (index < 0) {
        if ((starts[this.count] as number) + len > limitBytes) {
          this.truncate(before);
          return false;
        }
        index = this.insert(src, start, len, h, s);
      }
      out[i] = index;
      prev = index;
      prevStart = start;
    }
    return true;
  }

  /** Adds a value known to be absent, at the free slot `s` its probe ended on. */
  private insert(src: Buffer, start: number, len: number, h: number, s: number): number {
    const index = this.count;
    const at = this.starts[index] as number;
    if (at + len > this.data.length) {
      const next = Buffer.allocUnsafe(Math.max(this.data.length * 2, at + len));
      this.data.copy(next, 0, 0, at);
      this.data = next;
      this.dataView = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    // Short values (most of them) are copied in JavaScript: cheaper than a native call.
    if (len <= 64) for (let k = 0; k < len; k++) this.data[at + k] = src[start + k] as number;
    else src.copy(this.data, at, start, start + len);
    if (index + 2 > this.starts.length) {
      const next = new Int32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.starts[index + 1] = at + len;
    this.hashes[index] = h;
    this.count = index + 1;
    if (2 * this.count > this.mask + 1) this.rehash(2 * (this.mask + 1));
    else {
      this.slots[2 * s] = index + 1;
      this.slots[2 * s + 1] = h;
    }
    return index;
  }

  private rehash(size: number): void {
    // The same size (a truncation): cleared in place, no new table per row group.
    if (2 * size === this.slots.length) this.slots.fill(0);
    else this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      const h = this.hashes[i] as number;
      let s = h & this.mask;
      while (this.slots[2 * s] !== 0) s = (s + 1) & this.mask;
      this.slots[2 * s] = i + 1;
      this.slots[2 * s + 1] = h;
    }
  }

  /** Drops the entries from `count` on (those of a page that is written PLAIN instead). */
  truncate(count: number): void {
    this.count = count;
    this.rehash(this.mask + 1);
  }

  /** The PLAIN bytes of the entries: the dictionary page body. */
  plain(): Buffer {
    return this.data.subarray(0, this.byteLength);
  }

  reset(): void {
    if (this.count > 0) this.truncate(0);
  }
}

/** Whether `a[ai..ai+len)` and `b[bi..bi+len)` hold the same bytes, compared a word at a time. */
function sameWords(a: DataView, ai: number, b: DataView, bi: number, len: number): boolean {
  let k = 0;
  for (; k + 4 <= len; k += 4) if (a.getInt32(ai + k) !== b.getInt32(bi + k)) return false;
  for (; k < len; k++) if (a.getUint8(ai + k) !== b.getUint8(bi + k)) return false;
  return true;
}
