// How a topic-partition's output is made durable, exactly once. A commit writes each closed file under a
// temporary name, then publishes a ledger entry (create-then-rename: it appears whole or not at all, and
// never overwrites, so a second writer for the same partition loses the race and must recover), then renames
// each temporary file to its final, offset-named place. The ledger entry is the commit point: recovery
// rolls the newest entry forward, deletes leftovers of commits that never reached it, and resumes at its
// `nextOffset`. Nothing is appended to an open file, so a crashed writer can never wedge a partition.
//
// Owners are fenced by the ledger itself (decision 0008): before a new owner deletes anything, it publishes
// a fence entry under the next sequence number. A previous owner whose commit is still in flight would
// publish that same number, so its rename now fails and its commit ends in COMMIT_CONFLICT; the temporary
// files the new owner then deletes belong to commits that can never be published.
import { dayDir, fileName, ledgerDir, ledgerName, tempDir } from '../layout.ts';
import { SinkError } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import { listedSeqs, publishOnce } from './publish.ts';

/** A run of offsets that were not written to Parquet, and why (dead-lettered, gone from Kafka). */
export interface OffsetRange {
  from: number;
  to: number;
  reason: string;
}

export interface CommitFile {
  dt: string;
  firstOffset: number;
  lastOffset: number;
  rows: number;
  /** The file's content, written to a temporary path before the ledger entry is published. */
  bytes?: Uint8Array;
  /**
   * Instead of `bytes`: a complete file already in storage (the DR merger's), renamed into place after the
   * entry is published, as a temporary file would be.
   */
  existing?: { path: string; length: number };
}

export interface CommitRequest {
  /** First offset this commit accounts for: the previous commit's `nextOffset`, or where consumption began. */
  fromOffset: number;
  /** One past the last offset accounted for. */
  nextOffset: number;
  files: readonly CommitFile[];
  deadLettered: readonly OffsetRange[];
  skipped: readonly OffsetRange[];
  /** Oldest and newest Kafka timestamp (epoch ms) of the rows, when known: the mirrored merge's watermark. */
  timestamps?: { min: number; max: number };
  /** Set by the DR merger: where the files came from. */
  merged?: MergeSource;
}

/** A commit the DR merger made from the DR sink's files. */
export interface MergeSource {
  /** The DR output root. */
  root: string;
  /** The DR ledger entries whose offsets this commit carries. */
  seqs: number[];
}

export interface LedgerFile {
  path: string;
  temp: string;
  dt: string;
  firstOffset: number;
  lastOffset: number;
  rows: number;
  length: number;
}

export interface LedgerEntry {
  version: 1;
  topic: string;
  partition: number;
  seq: number;
  fromOffset: number;
  nextOffset: number;
  files: LedgerFile[];
  deadLettered: OffsetRange[];
  skipped: OffsetRange[];
  writer: string;
  committedAt: string;
  timestamps?: { min: number; max: number };
  merged?: MergeSource;
  /**
   * A fence: published by a new owner's recovery to take the next sequence number from any previous owner.
   * No files and an empty range (`fromOffset` = `nextOffset` = the previous entry's `nextOffset`, 0 when
   * there is none); readers that follow offsets skip it.
   */
  fence?: true;
  /**
   * On a DR ledger only: a fence the DR merger published before moving the files of the commits before it
   * into production. The DR sink's recovery then does not roll those commits forward (their files live in
   * production now); it still resumes at their `nextOffset`.
   */
  handedOver?: true;
}

export interface RecoveryResult {
  /** Where consumption must resume; null when nothing was ever committed. */
  nextOffset: number | null;
  seq: number;
  /** Files of the newest commit whose rename had not happened yet. */
  rolledForward: number;
  /** Temporary files and ledger drafts of commits that never reached their ledger entry. */
  removedLeftovers: number;
}

export interface PartitionLedgerOptions {
  storage: Storage;
  root: string;
  topic: string;
  partition: number;
  /** Unique per process incarnation: temp names carry it so two writers never share a file. */
  writerId: string;
}

export class PartitionLedger {
  readonly topic: string;
  readonly partition: number;
  readonly #storage: Storage;
  readonly #root: string;
  readonly #writer: string;
  #seq = 0;
  #nextOffset: number | null = null;
  #recovered = false;
  /** A committed entry whose renames did not all finish: finished before anything else. */
  #unfinished: LedgerEntry | undefined;
  readonly #knownDirs = new Set<string>();

  constructor(options: PartitionLedgerOptions) {
    this.#storage = options.storage;
    this.#root = options.root;
    this.topic = options.topic;
    this.partition = options.partition;
    this.#writer = options.writerId;
  }

  get nextOffset(): number | null {
    return this.#nextOffset;
  }

  get seq(): number {
    return this.#seq;
  }

  async recover(): Promise<RecoveryResult> {
    const dir = ledgerDir(this.#root, this.topic, this.partition);
    // `newest` is the commit to roll forward: none when the DR merger has taken its files.
    let fenced:
      { fence: LedgerEntry; newest: LedgerEntry | undefined; resumeAt: number | undefined } | undefined;
    for (let attempt = 1; fenced === undefined; attempt++) {
      const seqs = await listedSeqs(this.#storage, dir);
      const latest = seqs.length === 0 ? 0 : Math.max(...seqs);
      const found = await this.#newestCommit(dir, seqs);
      const newest = found?.entry;
      const fence: LedgerEntry = {
        version: 1,
        topic: this.topic,
        partition: this.partition,
        seq: latest + 1,
        fromOffset: newest?.nextOffset ?? 0,
        nextOffset: newest?.nextOffset ?? 0,
        files: [],
        deadLettered: [],
        skipped: [],
        writer: this.#writer,
        committedAt: new Date().toISOString(),
        fence: true,
      };
      if (await this.#tryPublish(fence))
        fenced = {
          fence,
          newest: found?.handedOver === true ? undefined : newest,
          resumeAt: newest?.nextOffset,
        };
      else if (attempt >= 20) {
        throw new SinkError(
          'RECOVERY_FAILED',
          `${this.topic}-${this.partition}: another writer took every sequence number this recovery tried (${attempt} times)`,
          { retriable: true, context: { topic: this.topic, partition: this.partition } },
        );
      }
      // Otherwise an older owner published that number just now: look again, it may be the newest commit.
    }
    // From here no previous owner can publish: what is left unpublished is garbage.
    let removedLeftovers = 0;
    for (const e of await this.#storage.list(dir)) {
      if (e.name.includes('.tmp-') && (await this.#storage.delete(e.path))) removedLeftovers++;
    }
    const rolledForward = fenced.newest === undefined ? 0 : await this.#rollForward(fenced.newest);
    this.#seq = fenced.fence.seq;
    this.#nextOffset = fenced.resumeAt ?? null;
    const temp = tempDir(this.#root, this.topic, this.partition);
    removedLeftovers += (await this.#storage.list(temp)).length;
    await this.#storage.delete(temp, { recursive: true });
    this.#unfinished = undefined;
    this.#recovered = true;
    return { nextOffset: this.#nextOffset, seq: this.#seq, rolledForward, removedLeftovers };
  }

  /** The newest entry that is a commit rather than a fence, reading back from the newest. */
  async #newestCommit(
    dir: string,
    seqs: readonly number[],
  ): Promise<{ entry: LedgerEntry; handedOver: boolean } | undefined> {
    let handedOver = false;
    for (const seq of [...seqs].sort((a, b) => b - a)) {
      const entry = await readLedgerEntry(this.#storage, `${dir}/${ledgerName(seq)}`);
      if (entry.fence !== true) return { entry, handedOver };
      if (entry.handedOver === true) handedOver = true;
    }
    return undefined;
  }

  /** Publishes a fence; false when another writer holds that sequence number. */
  async #tryPublish(entry: LedgerEntry): Promise<boolean> {
    try {
      await this.#publish(entry);
      return true;
    } catch (error) {
      if (error instanceof SinkError && error.code === 'COMMIT_CONFLICT') return false;
      throw error;
    }
  }

  /**
   * Makes the request durable. Retrying a failed call with the same request is safe: temporary files are
   * overwritten and a ledger entry that did get published is recognised as ours.
   */
  async commit(request: CommitRequest): Promise<LedgerEntry> {
    if (!this.#recovered) {
      throw new SinkError('RECOVERY_FAILED', `commit before recovery of ${this.topic}-${this.partition}`, {
        context: { topic: this.topic, partition: this.partition },
      });
    }
    if (this.#unfinished !== undefined) {
      await this.#rollForward(this.#unfinished);
      this.#unfinished = undefined;
    }
    this.#validate(request);
    const seq = this.#seq + 1;
    const files: LedgerFile[] = request.files.map((f, i) => ({
      path: `${dayDir(this.#root, this.topic, f.dt)}/${fileName(this.topic, this.partition, f.firstOffset, f.lastOffset)}`,
      temp:
        f.existing?.path ??
        `${tempDir(this.#root, this.topic, this.partition)}/${ledgerName(seq).replace('.json', '')}-${i}-${this.#writer}.parquet`,
      dt: f.dt,
      firstOffset: f.firstOffset,
      lastOffset: f.lastOffset,
      rows: f.rows,
      length: f.existing?.length ?? f.bytes?.byteLength ?? 0,
    }));
    for (const [i, f] of request.files.entries()) {
      if (f.bytes !== undefined) await this.#storage.writeFile(files[i]?.temp ?? '', f.bytes);
    }
    const entry: LedgerEntry = {
      version: 1,
      topic: this.topic,
      partition: this.partition,
      seq,
      fromOffset: request.fromOffset,
      nextOffset: request.nextOffset,
      files,
      deadLettered: [...request.deadLettered],
      skipped: [...request.skipped],
      writer: this.#writer,
      committedAt: new Date().toISOString(),
      ...(request.timestamps === undefined ? {} : { timestamps: request.timestamps }),
      ...(request.merged === undefined ? {} : { merged: request.merged }),
    };
    await this.#publish(entry);
    // Committed from here on: the offsets are accounted for even if a rename below fails.
    this.#seq = seq;
    this.#nextOffset = request.nextOffset;
    try {
      await this.#rollForward(entry);
    } catch (error) {
      this.#unfinished = entry;
      throw error;
    }
    return entry;
  }

  #validate(r: CommitRequest): void {
    const context = { topic: this.topic, partition: this.partition };
    const fail = (message: string): never => {
      throw new SinkError(
        'LEDGER_CORRUPT',
        `refusing to commit ${this.topic}-${this.partition}: ${message}`,
        { context },
      );
    };
    if (this.#nextOffset !== null && r.fromOffset !== this.#nextOffset) {
      fail(`it starts at offset ${r.fromOffset} but the last commit ended before ${this.#nextOffset}`);
    }
    if (!(r.nextOffset > r.fromOffset)) fail(`empty offset range [${r.fromOffset}, ${r.nextOffset})`);
    for (const f of r.files) {
      if ((f.bytes === undefined) === (f.existing === undefined))
        fail('a file needs either bytes or an existing path');
      if (f.firstOffset < r.fromOffset || f.lastOffset >= r.nextOffset || f.firstOffset > f.lastOffset) {
        fail(`file offsets ${f.firstOffset}..${f.lastOffset} lie outside [${r.fromOffset}, ${r.nextOffset})`);
      }
    }
  }

  async #publish(entry: LedgerEntry): Promise<void> {
    const dir = ledgerDir(this.#root, this.topic, this.partition);
    const final = `${dir}/${ledgerName(entry.seq)}`;
    if (await publishOnce(this.#storage, final, this.#writer, entry)) return;
    // Either our own earlier attempt got there (its answer was lost), or another writer committed this
    // sequence number: only the first is ours.
    const existing = await readLedgerEntry(this.#storage, final).catch(() => undefined);
    if (
      existing !== undefined &&
      existing.writer === this.#writer &&
      existing.nextOffset === entry.nextOffset
    )
      return;
    throw new SinkError(
      'COMMIT_CONFLICT',
      `another writer (${existing?.writer ?? 'unknown'}) committed ${this.topic}-${this.partition} #${entry.seq} first; this writer must recover and resume from the ledger`,
      { context: { topic: this.topic, partition: this.partition, path: final } },
    );
  }

  /** Renames every temporary file of a committed entry into place; returns how many it moved. */
  async #rollForward(entry: LedgerEntry): Promise<number> {
    let moved = 0;
    for (const f of entry.files) {
      const context = { topic: entry.topic, partition: entry.partition, path: f.path };
      const final = await this.#storage.stat(f.path);
      if (final !== null) {
        if (final.length !== f.length) {
          throw new SinkError(
            'LEDGER_CORRUPT',
            `${f.path} has ${final.length} bytes but the ledger says ${f.length}`,
            { context },
          );
        }
        continue;
      }
      const temp = await this.#storage.stat(f.temp);
      if (temp === null) {
        throw new SinkError(
          'RECOVERY_FAILED',
          `committed file ${f.path} is missing and so is its temporary ${f.temp}; it was removed outside the sink`,
          { context },
        );
      }
      const dir = f.path.slice(0, f.path.lastIndexOf('/'));
      if (!this.#knownDirs.has(dir)) {
        await this.#storage.mkdirs(dir);
        this.#knownDirs.add(dir);
      }
      if (!(await this.#storage.rename(f.temp, f.path))) {
        // The rename may have happened with its answer lost; anything else is a storage fault to retry.
        const after = await this.#storage.stat(f.path);
        if (after === null || after.length !== f.length) {
          throw new SinkError('RENAME_FAILED', `rename of ${f.temp} to ${f.path} returned false`, {
            retriable: true,
            context,
          });
        }
      }
      moved++;
    }
    return moved;
  }
}

export async function readLedgerEntry(storage: Storage, path: string): Promise<LedgerEntry> {
  const bytes = await storage.read(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new SinkError('LEDGER_CORRUPT', `ledger entry ${path} is not JSON`, { cause, context: { path } });
  }
  const e = parsed as Partial<LedgerEntry>;
  if (
    e.version !== 1 ||
    typeof e.seq !== 'number' ||
    typeof e.nextOffset !== 'number' ||
    !Array.isArray(e.files)
  ) {
    throw new SinkError('LEDGER_CORRUPT', `ledger entry ${path} is not a version 1 ledger entry`, {
      context: { path },
    });
  }
  return parsed as LedgerEntry;
}

/** Every ledger entry of a topic-partition, oldest first (for the audit and the DR merger). */
export async function readLedger(
  storage: Storage,
  root: string,
  topic: string,
  partition: number,
): Promise<LedgerEntry[]> {
  const dir = ledgerDir(root, topic, partition);
  const out: LedgerEntry[] = [];
  for (const seq of await listedSeqs(storage, dir))
    out.push(await readLedgerEntry(storage, `${dir}/${ledgerName(seq)}`));
  return out;
}

/** The sequence numbers a topic-partition's ledger holds, ascending (one listing, no entry read). */
export async function ledgerSeqs(
  storage: Storage,
  root: string,
  topic: string,
  partition: number,
): Promise<number[]> {
  return listedSeqs(storage, ledgerDir(root, topic, partition));
}

/** The entries after `afterSeq`, oldest first: what a reader that keeps a cursor has not seen yet. */
export async function readLedgerAfter(
  storage: Storage,
  root: string,
  topic: string,
  partition: number,
  afterSeq: number,
): Promise<LedgerEntry[]> {
  const dir = ledgerDir(root, topic, partition);
  const out: LedgerEntry[] = [];
  for (const seq of await ledgerSeqs(storage, root, topic, partition)) {
    if (seq > afterSeq) out.push(await readLedgerEntry(storage, `${dir}/${ledgerName(seq)}`));
  }
  return out;
}

/** The newest entry that is a commit rather than a fence, read back from the newest; undefined if none. */
export async function newestCommit(
  storage: Storage,
  root: string,
  topic: string,
  partition: number,
): Promise<LedgerEntry | undefined> {
  const dir = ledgerDir(root, topic, partition);
  for (const seq of (await ledgerSeqs(storage, root, topic, partition)).reverse()) {
    const entry = await readLedgerEntry(storage, `${dir}/${ledgerName(seq)}`);
    if (entry.fence !== true) return entry;
  }
  return undefined;
}
