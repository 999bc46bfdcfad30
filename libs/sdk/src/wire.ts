// The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro body.
import type { Type } from 'avsc';
import type { CheckedWriter } from '@adlake/event-runtime';

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** Reads the schema id of a framed record, or returns -1 when the bytes are not in the wire format. */
export function readSchemaId(buffer: Uint8Array): number {
  if (buffer.length < HEADER_SIZE || buffer[0] !== MAGIC_BYTE) return -1;
  // Inline big-endian read: no DataView or Buffer wrapper per record.
  return (
    (((buffer[1] ?? 0) << 24) | ((buffer[2] ?? 0) << 16) | ((buffer[3] ?? 0) << 8) | (buffer[4] ?? 0)) >>> 0
  );
}

/** Frames an already encoded Avro body. */
export function frame(schemaId: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  writeHeader(out, schemaId);
  out.set(body, HEADER_SIZE);
  return out;
}

function writeHeader(buffer: Buffer, schemaId: number, at = 0): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new RangeError(`schema id must be an unsigned 32-bit integer, got ${schemaId}`);
  }
  buffer[at] = MAGIC_BYTE;
  buffer.writeUInt32BE(schemaId, at + 1);
}

/**
 * Encodes framed records back to back into large arenas and hands out views of them: one allocation per arena
 * (not per record) and no copy. A view stays valid for good: an arena is never written again once full.
 */
export class WireEncoder {
  readonly #arenaSize: number;
  #arena: Buffer;
  #pos = 0;

  constructor(arenaSize = 256 * 1024) {
    this.#arenaSize = arenaSize;
    this.#arena = Buffer.allocUnsafe(arenaSize);
  }

  /**
   * Checks and writes in one pass with a compiled writer (see @adlake/event-runtime's `checkedWriter`); returns
   * undefined, and hands out nothing, when the writer refuses the value.
   */
  encodeChecked(write: CheckedWriter, schemaId: number, value: unknown): Buffer | undefined {
    const start = this.#pos;
    let end: number;
    try {
      end = write(value, this.#arena, start + HEADER_SIZE);
    } catch {
      return undefined; // a throwing getter, say: the validator reports it as avsc would
    }
    if (end < 0) return undefined;
    if (end > this.#arena.length) {
      // Did not fit: a new arena of at least twice this record (the bytes written past `start` are dropped).
      this.#arena = Buffer.allocUnsafe(Math.max(this.#arenaSize, 2 * (end - start)));
      this.#pos = 0;
      return this.encodeChecked(write, schemaId, value);
    }
    writeHeader(this.#arena, schemaId, start);
    this.#pos = end;
    return this.#arena.subarray(start, end);
  }

  /** The value must already be valid for `type`: avsc does not check while writing. */
  encode(type: Type, schemaId: number, value: unknown): Buffer {
    const start = this.#pos;
    const end =
      start + HEADER_SIZE <= this.#arena.length ? type.encode(value, this.#arena, start + HEADER_SIZE) : -1;
    if (end < 0) {
      // Does not fit (avsc returns minus the missing byte count): start a new arena at least twice this record.
      const needed = this.#arena.length - start - end;
      this.#arena = Buffer.allocUnsafe(Math.max(this.#arenaSize, 2 * needed));
      this.#pos = 0;
      return this.encode(type, schemaId, value);
    }
    writeHeader(this.#arena, schemaId, start);
    this.#pos = end;
    return this.#arena.subarray(start, end);
  }
}
