// What a topic-partition holds between commits: one open file per day bucket, the offsets it has
// accounted for (written, dead-lettered or absent from Kafka), and when it opened. A commit closes all of it.
import type { CommitRequest, OffsetRange } from '../commit/ledger.ts';
import { SinkError } from '../errors.ts';
import type { Lineage } from '../format/record-writer.ts';

export type { Lineage };

/** One output file being built in memory (the Parquet writer is one). */
export interface RecordFileWriter {
  append(value: unknown, lineage: Lineage): void;
  readonly rows: number;
  /** Estimate of the memory held, in bytes; what rotation and the memory budget go by. */
  readonly estimatedBytes: number;
  finish(): Uint8Array | Promise<Uint8Array>;
}

export type WriterFactory = (topic: string, dt: string) => RecordFileWriter;

interface OpenFile {
  writer: RecordFileWriter;
  firstOffset: number;
  lastOffset: number;
}

export class PartitionBuffer {
  readonly topic: string;
  readonly partition: number;
  /** First offset this buffer accounts for: where the ledger ended. */
  readonly fromOffset: number;
  readonly openedAt: number;
  readonly #newWriter: WriterFactory;
  readonly #files = new Map<string, OpenFile>();
  readonly #deadLettered: OffsetRange[] = [];
  readonly #skipped: OffsetRange[] = [];
  #next: number;
  #records = 0;
  #minTimestamp: number | undefined;
  #maxTimestamp: number | undefined;

  constructor(topic: string, partition: number, fromOffset: number, newWriter: WriterFactory, now: number) {
    this.topic = topic;
    this.partition = partition;
    this.fromOffset = fromOffset;
    this.#next = fromOffset;
    this.#newWriter = newWriter;
    this.openedAt = now;
  }

  /** The offset the next record must have. */
  get nextOffset(): number {
    return this.#next;
  }

  /** Offsets accounted for: rows, dead letters and skipped. */
  get accounted(): number {
    return this.#next - this.fromOffset;
  }

  get rows(): number {
    return this.#records;
  }

  get estimatedBytes(): number {
    let n = 0;
    for (const f of this.#files.values()) n += f.writer.estimatedBytes;
    return n;
  }

  get largestFileBytes(): number {
    let n = 0;
    for (const f of this.#files.values()) n = Math.max(n, f.writer.estimatedBytes);
    return n;
  }

  get isEmpty(): boolean {
    return this.#next === this.fromOffset;
  }

  append(offset: number, dt: string, value: unknown, timestamp: number): void {
    this.#expect(offset);
    let file = this.#files.get(dt);
    if (file === undefined) {
      file = { writer: this.#newWriter(this.topic, dt), firstOffset: offset, lastOffset: offset };
      this.#files.set(dt, file);
    }
    file.writer.append(value, { topic: this.topic, partition: this.partition, offset, timestamp });
    if (timestamp >= 0) {
      if (this.#minTimestamp === undefined || timestamp < this.#minTimestamp) this.#minTimestamp = timestamp;
      if (this.#maxTimestamp === undefined || timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp;
    }
    file.lastOffset = offset;
    this.#records++;
    this.#next = offset + 1;
  }

  deadLetter(offset: number, reason: string): void {
    this.#expect(offset);
    addToRanges(this.#deadLettered, offset, offset, reason);
    this.#next = offset + 1;
  }

  /** Offsets Kafka no longer has (retention) or never had (transaction markers), with the reason. */
  skip(from: number, to: number, reason: string): void {
    this.#expect(from);
    addToRanges(this.#skipped, from, to, reason);
    this.#next = to + 1;
  }

  /** Closes every open file; the buffer must not be used afterwards. */
  async toCommitRequest(): Promise<CommitRequest> {
    const files = [];
    for (const [dt, f] of [...this.#files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      files.push({
        dt,
        firstOffset: f.firstOffset,
        lastOffset: f.lastOffset,
        rows: f.writer.rows,
        bytes: await f.writer.finish(),
      });
    }
    return {
      fromOffset: this.fromOffset,
      nextOffset: this.#next,
      files,
      deadLettered: this.#deadLettered,
      skipped: this.#skipped,
      ...(this.#minTimestamp === undefined || this.#maxTimestamp === undefined
        ? {}
        : { timestamps: { min: this.#minTimestamp, max: this.#maxTimestamp } }),
    };
  }

  #expect(offset: number): void {
    if (offset !== this.#next) {
      throw new SinkError(
        'LEDGER_CORRUPT',
        `${this.topic}-${this.partition}: got offset ${offset} where ${this.#next} was due`,
        {
          context: { topic: this.topic, partition: this.partition, offset: String(offset) },
        },
      );
    }
  }
}

function addToRanges(ranges: OffsetRange[], from: number, to: number, reason: string): void {
  const last = ranges.at(-1);
  if (last !== undefined && last.reason === reason && last.to + 1 === from) last.to = to;
  else ranges.push({ from, to, reason });
}

export interface RotationPolicy {
  /** Commit when a partition has accounted for this many offsets. */
  maxRecords: number;
  /** Commit when one of its open files reaches this estimated size. */
  maxFileBytes: number;
  /** Commit when its oldest data has waited this long, checked by a timer, so idle partitions close too. */
  intervalMs: number;
}

export type CommitReason = 'records' | 'bytes' | 'interval' | 'memory' | 'shutdown' | 'revoke';

export function rotationDue(
  buffer: PartitionBuffer,
  policy: RotationPolicy,
  now: number,
): CommitReason | undefined {
  if (buffer.isEmpty) return undefined;
  if (buffer.accounted >= policy.maxRecords) return 'records';
  if (buffer.largestFileBytes >= policy.maxFileBytes) return 'bytes';
  if (now - buffer.openedAt >= policy.intervalMs) return 'interval';
  return undefined;
}

/** The buffers to commit, largest first, to bring the total back under `target` bytes. */
export function overBudget(
  buffers: Iterable<PartitionBuffer>,
  budgetBytes: number,
  target = budgetBytes * 0.75,
): PartitionBuffer[] {
  const all = [...buffers].filter((b) => !b.isEmpty);
  let total = all.reduce((n, b) => n + b.estimatedBytes, 0);
  if (total < budgetBytes) return [];
  const chosen: PartitionBuffer[] = [];
  for (const b of all.sort((a, z) => z.estimatedBytes - a.estimatedBytes)) {
    if (total <= target) break;
    chosen.push(b);
    total -= b.estimatedBytes;
  }
  return chosen;
}
