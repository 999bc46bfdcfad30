// How a compaction is made durable. The compactor joins small committed files of one topic-partition and
// day into one large file with HDFS CONCAT: the first small file is the target, the others and a new
// Parquet footer (written beside them under a hidden name) are appended to it in one NameNode step, so a
// reader listing the day sees either the small files or the large one, never both and never neither. The
// pages are not touched, so no value can change, and the lineage columns stay as written.
//
// The commit point is a compaction record (create-then-rename under the next sequence number, like a
// ledger entry): it names the inputs, the footer and the output. Recovery rolls the newest record forward
// (concat if the target still has its old length, then rename to the output's name) and deletes staged
// footers that no record names. A second compactor that publishes the same sequence number loses the
// rename and stops with COMMIT_CONFLICT.
import { compactionDir, dayDir, fileName, ledgerName, padOffset, stagingDir } from '../layout.ts';
import { SinkError } from '../errors.ts';
import type { LedgerEntry } from '../commit/ledger.ts';
import { listedSeqs, publishOnce } from '../commit/publish.ts';
import type { Storage } from '../storage/storage.ts';

export interface CompactedFile {
  path: string;
  length: number;
  rows: number;
  firstOffset: number;
  lastOffset: number;
}

export interface CompactionRecord {
  version: 1;
  kind: 'compaction';
  topic: string;
  partition: number;
  seq: number;
  dt: string;
  /** In order; the first is the CONCAT target. */
  inputs: CompactedFile[];
  /** The new footer: written to `staged`, moved to `path` (beside the inputs), then appended. */
  footer: { staged: string; path: string; length: number };
  output: CompactedFile;
  writer: string;
  committedAt: string;
}

/** A file of the tree as the ledger and the compactions leave it. */
export interface LiveFile extends CompactedFile {
  dt: string;
  /** The ledger entry (seq) that committed it, or the compaction record that made it. */
  from: { ledger: number } | { compaction: number };
  /** When it was committed, epoch ms. */
  committedAt: number;
}

/**
 * The files a topic-partition's tree holds once every commit and compaction has finished: the ledger's
 * files, minus each compaction's inputs, plus its output.
 */
export function liveFiles(
  entries: readonly LedgerEntry[],
  records: readonly CompactionRecord[],
): Map<string, LiveFile> {
  const live = new Map<string, LiveFile>();
  for (const e of entries) {
    for (const f of e.files) {
      live.set(f.path, {
        path: f.path,
        length: f.length,
        rows: f.rows,
        firstOffset: f.firstOffset,
        lastOffset: f.lastOffset,
        dt: f.dt,
        from: { ledger: e.seq },
        committedAt: Date.parse(e.committedAt),
      });
    }
  }
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    for (const i of r.inputs) live.delete(i.path);
    live.set(r.output.path, {
      ...r.output,
      dt: r.dt,
      from: { compaction: r.seq },
      committedAt: Date.parse(r.committedAt),
    });
  }
  return live;
}

export async function readCompactions(
  storage: Storage,
  root: string,
  topic: string,
  partition: number,
): Promise<CompactionRecord[]> {
  const dir = compactionDir(root, topic, partition);
  const out: CompactionRecord[] = [];
  for (const seq of await listedSeqs(storage, dir))
    out.push(await readRecord(storage, `${dir}/${ledgerName(seq)}`));
  return out;
}

async function readRecord(storage: Storage, path: string): Promise<CompactionRecord> {
  let parsed: Partial<CompactionRecord>;
  try {
    parsed = JSON.parse(new TextDecoder().decode(await storage.read(path))) as Partial<CompactionRecord>;
  } catch (cause) {
    throw new SinkError('LEDGER_CORRUPT', `compaction record ${path} is not JSON`, {
      cause,
      context: { path },
    });
  }
  if (
    parsed.version !== 1 ||
    parsed.kind !== 'compaction' ||
    !Array.isArray(parsed.inputs) ||
    parsed.output === undefined
  ) {
    throw new SinkError('LEDGER_CORRUPT', `${path} is not a version 1 compaction record`, {
      context: { path },
    });
  }
  return parsed as CompactionRecord;
}

export interface CompactionLogOptions {
  storage: Storage;
  root: string;
  topic: string;
  partition: number;
  writerId: string;
}

/** One topic-partition's compaction records: publish, roll forward, recover. */
export class CompactionLog {
  readonly topic: string;
  readonly partition: number;
  readonly #storage: Storage;
  readonly #root: string;
  readonly #writer: string;
  #seq = 0;
  #records: CompactionRecord[] = [];

  constructor(o: CompactionLogOptions) {
    this.#storage = o.storage;
    this.#root = o.root;
    this.topic = o.topic;
    this.partition = o.partition;
    this.#writer = o.writerId;
  }

  get records(): readonly CompactionRecord[] {
    return this.#records;
  }

  /** Finishes the newest record if a crash interrupted it and removes staged footers nobody published. */
  async recover(): Promise<{ rolledForward: boolean; removedLeftovers: number }> {
    this.#records = await readCompactions(this.#storage, this.#root, this.topic, this.partition);
    this.#seq = this.#records.at(-1)?.seq ?? 0;
    const newest = this.#records.at(-1);
    const rolledForward = newest === undefined ? false : await this.rollForward(newest);
    const staging = stagingDir(this.#root, 'compact', this.topic, this.partition);
    const removedLeftovers = (await this.#storage.list(staging)).length;
    await this.#storage.delete(staging, { recursive: true });
    for (const e of await this.#storage.list(compactionDir(this.#root, this.topic, this.partition))) {
      if (e.name.includes('.tmp-')) await this.#storage.delete(e.path);
    }
    return { rolledForward, removedLeftovers };
  }

  /** Plans the record for joining `inputs` (in order) with `footer` appended; nothing is written. */
  plan(dt: string, inputs: readonly CompactedFile[], footerLength: number): CompactionRecord {
    const seq = this.#seq + 1;
    const first = Math.min(...inputs.map((i) => i.firstOffset));
    const last = Math.max(...inputs.map((i) => i.lastOffset));
    const day = dayDir(this.#root, this.topic, dt);
    return {
      version: 1,
      kind: 'compaction',
      topic: this.topic,
      partition: this.partition,
      seq,
      dt,
      inputs: [...inputs],
      footer: {
        staged: `${stagingDir(this.#root, 'compact', this.topic, this.partition)}/${padOffset(seq)}-${this.#writer}.footer`,
        // Hidden from Hive, Spark and DuckDB ("_" prefix, not *.parquet) for the moment it sits beside the inputs.
        path: `${day}/_compaction-${this.partition}-${padOffset(seq)}.footer`,
        length: footerLength,
      },
      output: {
        path: `${day}/${fileName(this.topic, this.partition, first, last)}`,
        length: inputs.reduce((n, i) => n + i.length, 0) + footerLength,
        rows: inputs.reduce((n, i) => n + i.rows, 0),
        firstOffset: first,
        lastOffset: last,
      },
      writer: this.#writer,
      committedAt: new Date().toISOString(),
    };
  }

  /** Stages the footer, publishes the record (the commit point) and carries it out. */
  async commit(record: CompactionRecord, footer: Uint8Array): Promise<void> {
    if (record.seq !== this.#seq + 1) {
      throw new SinkError(
        'LEDGER_CORRUPT',
        `compaction #${record.seq} planned out of turn (next is #${this.#seq + 1})`,
        {
          context: { topic: this.topic, partition: this.partition },
        },
      );
    }
    await this.#storage.writeFile(record.footer.staged, footer);
    const dir = compactionDir(this.#root, this.topic, this.partition);
    const final = `${dir}/${ledgerName(record.seq)}`;
    if (!(await publishOnce(this.#storage, final, this.#writer, record))) {
      await this.#storage.delete(record.footer.staged).catch(() => false);
      throw new SinkError(
        'COMMIT_CONFLICT',
        `another compactor published ${this.topic}-${this.partition} compaction #${record.seq} first`,
        { context: { topic: this.topic, partition: this.partition, path: final } },
      );
    }
    this.#seq = record.seq;
    this.#records.push(record);
    await this.rollForward(record);
  }

  /**
   * Carries a published record out from wherever a crash left it. True when it changed something. Each
   * step is checked by length, so a lost answer (a CONCAT that happened) is recognised, not repeated.
   */
  async rollForward(r: CompactionRecord): Promise<boolean> {
    const context = { topic: r.topic, partition: r.partition, path: r.output.path };
    const s = this.#storage;
    const target = r.inputs[0];
    if (target === undefined) return false;
    // The output can have the first input's own name (a file whose offsets lie inside the target's range
    // joined into it): then the target's original length means not joined yet, not a corrupt output.
    const inPlace = r.output.path === target.path;
    const out = await s.stat(r.output.path);
    if (out !== null && !(inPlace && out.length === target.length)) {
      if (out.length !== r.output.length) {
        throw new SinkError(
          'LEDGER_CORRUPT',
          `${r.output.path} has ${out.length} bytes but compaction #${r.seq} says ${r.output.length}`,
          { context },
        );
      }
      return this.#removeLeftovers(r);
    }
    const t = await s.stat(target.path);
    if (t === null) {
      throw new SinkError(
        'RECOVERY_FAILED',
        `compaction #${r.seq}: neither ${target.path} nor ${r.output.path} exists; files were removed outside the compactor`,
        { context },
      );
    }
    if (t.length === target.length) {
      if ((await s.stat(r.footer.path)) === null) {
        if (!(await s.rename(r.footer.staged, r.footer.path)) && (await s.stat(r.footer.path)) === null) {
          throw new SinkError(
            'RENAME_FAILED',
            `compaction #${r.seq}: could not move ${r.footer.staged} to ${r.footer.path}`,
            {
              retriable: true,
              context,
            },
          );
        }
      }
      await s.concat(target.path, [...r.inputs.slice(1).map((i) => i.path), r.footer.path]);
    }
    const joined = await s.stat(target.path);
    if (joined?.length !== r.output.length) {
      throw new SinkError(
        'LEDGER_CORRUPT',
        `compaction #${r.seq}: ${target.path} has ${joined?.length ?? 0} bytes, expected ${target.length} before or ${r.output.length} after joining`,
        { context },
      );
    }
    if (!inPlace && !(await s.rename(target.path, r.output.path))) {
      const after = await s.stat(r.output.path);
      if (after?.length !== r.output.length) {
        throw new SinkError(
          'RENAME_FAILED',
          `compaction #${r.seq}: rename of ${target.path} to ${r.output.path} returned false`,
          {
            retriable: true,
            context,
          },
        );
      }
    }
    await this.#removeLeftovers(r);
    return true;
  }

  /** Sources the local backend's concat left behind after a crash, and a staged footer. */
  async #removeLeftovers(r: CompactionRecord): Promise<boolean> {
    let changed = false;
    for (const i of r.inputs.slice(1)) {
      const st = await this.#storage.stat(i.path);
      if (st !== null && st.length === i.length) changed = (await this.#storage.delete(i.path)) || changed;
    }
    if (r.inputs[0] !== undefined && r.inputs[0].path !== r.output.path) {
      const st = await this.#storage.stat(r.inputs[0].path);
      if (st !== null && st.length === r.output.length)
        changed = (await this.#storage.delete(r.inputs[0].path)) || changed;
    }
    changed = (await this.#storage.delete(r.footer.path)) || changed;
    changed = (await this.#storage.delete(r.footer.staged)) || changed;
    return changed;
  }
}
