// The sink's per-partition state machine, free of any Kafka client: the app feeds it assignments and
// batches of records and calls `tick` on a timer. For each topic-partition it recovers the next offset
// from the ledger, drops records that are already committed, decodes and places the rest, dead-letters
// what cannot be written, and commits when rotation or the memory budget says so, retrying storage
// failures with backoff and never skipping an offset.
import { resolvePolicy, retry, RetryError } from '@adlake/retry';
import type { Backoff, RetryPolicy } from '@adlake/retry';
import type { CommitReason, RotationPolicy, WriterFactory } from '../buffer/partition-buffer.ts';
import { overBudget, PartitionBuffer, rotationDue } from '../buffer/partition-buffer.ts';
import { PartitionLedger } from '../commit/ledger.ts';
import type { LedgerEntry } from '../commit/ledger.ts';
import { SinkError } from '../errors.ts';
import type { Placement } from '../partition/daily.ts';
import type { Storage } from '../storage/storage.ts';

export interface SinkRecord {
  offset: number;
  /** Kafka timestamp, epoch ms (-1 when the broker had none). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export type DecodeResult = { ok: true; value: unknown } | { ok: false; code: string; reason: string };

export interface DeadLetter {
  topic: string;
  partition: number;
  record: SinkRecord;
  code: string;
  reason: string;
}

export interface SinkTaskLogger {
  info(event: string, fields: Record<string, unknown>): void;
  warn(event: string, fields: Record<string, unknown>): void;
  error(event: string, fields: Record<string, unknown>): void;
}

export interface SinkTaskOptions {
  storage: Storage;
  root: string;
  /** Unique per process incarnation. */
  writerId: string;
  decode(topic: string, value: Buffer | null): DecodeResult | Promise<DecodeResult>;
  /** Must be durable when it resolves: a commit that accounts for these offsets follows. */
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  place(topic: string, value: unknown, kafkaTimestamp: number): Placement;
  newWriter: WriterFactory;
  rotation: RotationPolicy;
  memoryBudgetBytes: number;
  /** Earliest offset Kafka still has for a partition, to tell retention from a mispositioned consumer. */
  lowWatermark(topic: string, partition: number): Promise<number>;
  log: SinkTaskLogger;
  now?: () => number;
  /** Backoff for failed commits (default: equal jitter on 200 ms doubling up to 30 s). */
  retry?: Partial<Backoff>;
  /** Called while a commit is being retried, so the app can keep its group membership alive. */
  heartbeat?: () => Promise<void>;
  /** How often `heartbeat` is called while a commit waits to retry (default 2 s). */
  heartbeatEveryMs?: number;
}

export interface SinkTaskStats {
  records: number;
  rows: number;
  deadLettered: number;
  skippedAlreadyCommitted: number;
  timestampFromKafka: number;
  commits: number;
  commitFailures: number;
  filesWritten: number;
  bytesWritten: number;
}

export type BatchOutcome = { seekTo?: number };

interface PartitionState {
  topic: string;
  partition: number;
  ledger: PartitionLedger;
  buffer: PartitionBuffer | undefined;
  /** Serialises commits with appends of the same partition. */
  lock: Promise<unknown>;
}

export class SinkTask {
  #failingSince: number | undefined;

  /**
   * Since when (epoch ms) commits (storage writes, dead letters) have been failing without a success in
   * between, or undefined while they succeed: an outage being waited out, which health reports past a threshold.
   */
  get failingSince(): number | undefined {
    return this.#failingSince;
  }

  readonly stats: SinkTaskStats = {
    records: 0,
    rows: 0,
    deadLettered: 0,
    skippedAlreadyCommitted: 0,
    timestampFromKafka: 0,
    commits: 0,
    commitFailures: 0,
    filesWritten: 0,
    bytesWritten: 0,
  };
  readonly #o: SinkTaskOptions;
  readonly #now: () => number;
  readonly #retryPolicy: RetryPolicy;
  readonly #partitions = new Map<string, PartitionState>();
  /** Called after every commit with the ledger entry, e.g. to commit Kafka offsets for lag monitoring. */
  onCommit: ((entry: LedgerEntry) => Promise<void> | void) | undefined;

  constructor(options: SinkTaskOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#retryPolicy = commitRetryPolicy(options.retry);
  }

  /**
   * Takes ownership of a partition: recovers it from storage and says where consumption must start.
   * Idempotent: a second call (the rebalance callback racing the first fetched batch) waits for the first.
   */
  async assign(topic: string, partition: number): Promise<number | null> {
    const key = `${topic}-${partition}`;
    let state = this.#partitions.get(key);
    if (state === undefined) {
      const ledger = new PartitionLedger({
        storage: this.#o.storage,
        root: this.#o.root,
        topic,
        partition,
        writerId: this.#o.writerId,
      });
      const recovered = this.#keepAlive(() => ledger.recover()).then((recovery) => {
        this.#o.log.info('partition.recovered', { topic, partition, ...recovery });
      });
      // Nothing of this partition runs before its recovery: every later step queues behind it.
      state = { topic, partition, ledger, buffer: undefined, lock: recovered };
      this.#partitions.set(key, state);
      recovered.catch(() => {
        if (this.#partitions.get(key) === state) this.#partitions.delete(key);
      });
    }
    await state.lock;
    return state.ledger.nextOffset;
  }

  /** Gives a partition up. Uncommitted data is dropped: the next owner re-reads it from the ledger's offset. */
  revoke(topic: string, partition: number): void {
    const state = this.#partitions.get(`${topic}-${partition}`);
    if (state?.buffer !== undefined && !state.buffer.isEmpty) {
      this.#o.log.info('partition.revoked', { topic, partition, droppedOffsets: state.buffer.accounted });
    }
    this.#partitions.delete(`${topic}-${partition}`);
  }

  assigned(): { topic: string; partition: number }[] {
    return [...this.#partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Handles one fetched batch of a partition, in offset order. */
  async process(topic: string, partition: number, records: readonly SinkRecord[]): Promise<BatchOutcome> {
    await this.assign(topic, partition);
    const state = this.#partitions.get(`${topic}-${partition}`);
    // Revoked while recovering: the new owner reads these records.
    if (state === undefined) return {};
    return this.#locked(state, () =>
      this.#partitions.get(`${topic}-${partition}`) === state ? this.#process(state, records) : {},
    );
  }

  async #process(state: PartitionState, records: readonly SinkRecord[]): Promise<BatchOutcome> {
    const { topic, partition } = state;
    const letters: DeadLetter[] = [];
    for (const record of records) {
      const expected = state.buffer?.nextOffset ?? state.ledger.nextOffset;
      if (expected !== null && record.offset < expected) {
        // Already committed (a replay after a crash or a rebalance): this is where duplicates die.
        this.stats.skippedAlreadyCommitted++;
        continue;
      }
      if (expected !== null && record.offset > expected) {
        const low = await this.#o.lowWatermark(topic, partition);
        if (low <= expected) {
          // Kafka still has the offsets we need: the consumer is positioned wrong, so move it back.
          if (letters.length > 0) await this.#deadLetter(letters.splice(0));
          return { seekTo: expected };
        }
        // Retention removed them before we read them: record the gap with its reason rather than wait forever.
        this.#bufferFor(state, expected).skip(
          expected,
          Math.min(low, record.offset) - 1,
          'OFFSET_OUT_OF_RANGE',
        );
        this.#o.log.warn('partition.gap', {
          topic,
          partition,
          from: expected,
          to: Math.min(low, record.offset) - 1,
          reason: 'retention',
        });
      }
      const buffer = this.#bufferFor(state, record.offset);
      this.stats.records++;
      const decoded = await this.#o.decode(topic, record.value);
      if (!decoded.ok) {
        letters.push({ topic, partition, record, code: decoded.code, reason: decoded.reason });
        buffer.deadLetter(record.offset, decoded.code);
        continue;
      }
      const placement = this.#o.place(topic, decoded.value, record.timestamp);
      if (!placement.ok) {
        letters.push({ topic, partition, record, code: 'NO_TIMESTAMP', reason: placement.reason });
        buffer.deadLetter(record.offset, 'NO_TIMESTAMP');
        continue;
      }
      if (placement.source === 'kafka') this.stats.timestampFromKafka++;
      buffer.append(record.offset, placement.dt, decoded.value, record.timestamp);
      this.stats.rows++;
      // Files hold at most maxRecords offsets, however large the fetched batch.
      if (buffer.accounted >= this.#o.rotation.maxRecords) {
        if (letters.length > 0) await this.#deadLetter(letters.splice(0));
        await this.#commit(state, 'records');
      }
    }
    if (letters.length > 0) await this.#deadLetter(letters);
    const due =
      state.buffer === undefined ? undefined : rotationDue(state.buffer, this.#o.rotation, this.#now());
    if (due !== undefined) await this.#commit(state, due);
    await this.#enforceBudget(state);
    return {};
  }

  /** Timer work: closes partitions whose interval has passed (idle ones too) and enforces the memory budget. */
  async tick(): Promise<void> {
    for (const state of [...this.#partitions.values()]) {
      const buffer = state.buffer;
      if (buffer === undefined) continue;
      const due = rotationDue(buffer, this.#o.rotation, this.#now());
      if (due === 'interval')
        await this.#locked(state, () => (state.buffer === buffer ? this.#commit(state, due) : undefined));
    }
    await this.#enforceBudget(undefined);
  }

  /** Commits everything buffered, e.g. before a graceful shutdown. */
  async flushAll(reason: CommitReason = 'shutdown'): Promise<void> {
    for (const state of [...this.#partitions.values()]) {
      await this.#locked(state, () =>
        state.buffer !== undefined && !state.buffer.isEmpty ? this.#commit(state, reason) : undefined,
      );
    }
  }

  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.#partitions.values()) n += s.buffer?.estimatedBytes ?? 0;
    return n;
  }

  async #enforceBudget(current: PartitionState | undefined): Promise<void> {
    const buffers = [...this.#partitions.values()].flatMap((s) => (s.buffer === undefined ? [] : [s.buffer]));
    for (const buffer of overBudget(buffers, this.#o.memoryBudgetBytes)) {
      const state = this.#partitions.get(`${buffer.topic}-${buffer.partition}`);
      if (state === undefined || state.buffer !== buffer) continue;
      // The partition being processed already holds its own lock.
      if (state === current) await this.#commit(state, 'memory');
      else
        await this.#locked(state, () =>
          state.buffer === buffer ? this.#commit(state, 'memory') : undefined,
        );
    }
  }

  #bufferFor(state: PartitionState, offset: number): PartitionBuffer {
    if (state.buffer === undefined) {
      state.buffer = new PartitionBuffer(
        state.topic,
        state.partition,
        state.ledger.nextOffset ?? offset,
        this.#o.newWriter,
        this.#now(),
      );
    }
    return state.buffer;
  }

  async #deadLetter(letters: DeadLetter[]): Promise<void> {
    await this.#withRetry('dead-letter', letters[0]?.topic ?? '', letters[0]?.partition ?? -1, () =>
      this.#o.deadLetter(letters),
    );
    this.stats.deadLettered += letters.length;
  }

  async #commit(state: PartitionState, reason: CommitReason): Promise<void> {
    const buffer = state.buffer;
    if (buffer === undefined || buffer.isEmpty) return;
    const started = this.#now();
    const request = await buffer.toCommitRequest();
    let entry: LedgerEntry;
    try {
      entry = await this.#keepAlive(() =>
        this.#withRetry('commit', state.topic, state.partition, () => state.ledger.commit(request)),
      );
    } catch (error) {
      if (error instanceof SinkError && error.code === 'COMMIT_CONFLICT') {
        // A newer owner fenced this partition: drop ours without recovering (a recovery would fence the new
        // owner in turn). If Kafka still gives us the partition, its next batch recovers it from the ledger.
        this.#o.log.warn('partition.fenced', {
          topic: state.topic,
          partition: state.partition,
          message: error.message,
        });
        state.buffer = undefined;
        const key = `${state.topic}-${state.partition}`;
        if (this.#partitions.get(key) === state) this.#partitions.delete(key);
        return;
      }
      throw error;
    }
    state.buffer = undefined;
    this.stats.commits++;
    this.stats.filesWritten += entry.files.length;
    this.stats.bytesWritten += entry.files.reduce((n, f) => n + f.length, 0);
    this.#o.log.info('partition.committed', {
      topic: state.topic,
      partition: state.partition,
      reason,
      seq: entry.seq,
      fromOffset: entry.fromOffset,
      nextOffset: entry.nextOffset,
      files: entry.files.length,
      rows: entry.files.reduce((n, f) => n + f.rows, 0),
      ms: this.#now() - started,
    });
    await this.onCommit?.(entry);
  }

  /**
   * Retries with capped, jittered backoff for as long as it takes: an HDFS outage, a refused write or a full
   * disk must stall the partition until someone fixes it, never lose or skip data. Only the protocol's own
   * verdicts (a corrupt ledger, a lost ownership race) end the attempt.
   */
  async #withRetry<T>(what: string, topic: string, partition: number, fn: () => Promise<T>): Promise<T> {
    const slice = this.#o.heartbeatEveryMs ?? HEARTBEAT_SLICE_MS;
    return retry(
      async () => {
        try {
          const result = await fn();
          this.#failingSince = undefined;
          return result;
        } catch (error) {
          this.#failingSince ??= this.#now();
          throw error;
        }
      },
      {
        ...this.#retryPolicy,
        retriable: (error) => !isFatal(error),
        onRetry: ({ attempt, delayMs, error }) => {
          this.stats.commitFailures++;
          // A failure that will not pass by itself (a permission, a quota) needs an operator: say so loudly.
          const transient = (error as { retriable?: unknown } | null)?.retriable !== false;
          this.#o.log[transient ? 'warn' : 'error'](`${what}.failed`, {
            topic,
            partition,
            attempt,
            transient,
            code: (error as { code?: unknown } | null)?.code,
            message: error instanceof Error ? error.message : String(error),
            delayMs,
          });
        },
        // Heartbeat through the wait, not only after it: a backoff longer than the session timeout would
        // otherwise cost the group membership (and a rebalance) on top of the outage.
        sleep: async (ms) => {
          for (let waited = 0; waited < ms; waited += slice) {
            await new Promise((resolve) => setTimeout(resolve, Math.min(slice, ms - waited)));
            await this.#o.heartbeat?.().catch(() => undefined);
          }
        },
      },
    );
  }

  /**
   * Heartbeats while `fn` runs: a commit of large files to a slow HDFS, or a recovery, can outlast the
   * session timeout even when nothing fails, and the group would then move the partition away.
   */
  async #keepAlive<T>(fn: () => Promise<T>): Promise<T> {
    const beat = this.#o.heartbeat;
    if (beat === undefined) return fn();
    const timer = setInterval(
      () => void beat().catch(() => undefined),
      this.#o.heartbeatEveryMs ?? HEARTBEAT_SLICE_MS,
    );
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  #locked<T>(state: PartitionState, fn: () => Promise<T> | T): Promise<T> {
    const run = state.lock.then(fn, fn);
    state.lock = run.catch(() => undefined);
    return run;
  }
}

const HEARTBEAT_SLICE_MS = 2_000;

/**
 * No bound but success or a fatal verdict; equal jitter, so a commit waits at least half its base and a long
 * outage is not hammered.
 */
const COMMIT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: Infinity,
  initialDelayMs: 200,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: [0.5, 1] as const,
});

function commitRetryPolicy(backoff: Partial<Backoff> | undefined): RetryPolicy {
  try {
    return resolvePolicy({ ...backoff, maxAttempts: Infinity }, COMMIT_RETRY);
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    throw new SinkError('CONFIG_INVALID', error.message, {
      cause: error,
      context: { configKey: `retry.${error.context.option ?? ''}` },
    });
  }
}

const FATAL: ReadonlySet<string> = new Set([
  'LEDGER_CORRUPT',
  'RECOVERY_FAILED',
  'COMMIT_CONFLICT',
  'CONFIG_INVALID',
]);

function isFatal(error: unknown): boolean {
  return error instanceof SinkError && FATAL.has(error.code);
}
