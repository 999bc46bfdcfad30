// The DR merger for a DR sink that reads the same Kafka cluster as production: offsets are shared, so the
// ledgers say exactly what each side has. For every DR commit, in order:
//   - production already accounts for all its offsets: its DR files are dropped;
//   - production accounts for a prefix: the files wholly beyond it move as they are, the file that
//     straddles the boundary is rewritten to keep only the rows production lacks (values byte for byte);
//   - the moved files become one commit in production's ledger, continuing it exactly, so production's
//     audit covers them and the production sink, when it comes back, resumes after them.
// The newest DR commit stays in place while the DR sink is active (its recovery may roll that commit
// forward). Otherwise a "handed over" fence in the DR ledger tells a DR sink that starts later that those
// files now live in production. Decision 0010 says who owns which offsets after a failover.
import { newestCommit, PartitionLedger, readLedgerAfter, readLedgerEntry } from '../commit/ledger.ts';
import type { CommitFile, LedgerEntry, OffsetRange } from '../commit/ledger.ts';
import { listedPartitions, listedSeqs, publishOnce } from '../commit/publish.ts';
import { SinkError } from '../errors.ts';
import { keepRows, columnValues } from '../format/surgery.ts';
import { ledgerDir, ledgerName, ledgerTopicDir, mergeCursorPath, padOffset, stagingDir } from '../layout.ts';
import { parentOf } from '../storage/storage.ts';
import type { Storage } from '../storage/storage.ts';

export interface MergeOptions {
  storage: Storage;
  productionRoot: string;
  drRoot: string;
  topic: string;
  /** Unique per run: names staged files and ledger entries. */
  writerId: string;
  /** Whether the DR sink is still consuming: then each partition's newest DR commit stays. */
  drActive: boolean;
  /** Called after each DR commit is handled (progress, logs). */
  onHandled?: (event: MergeEvent) => void;
  signal?: AbortSignal;
}

export interface MergeEvent {
  topic: string;
  partition: number;
  drSeq: number;
  action: 'dropped' | 'merged';
  /** Production ledger entry that now carries the offsets (merged only). */
  productionSeq?: number;
  fromOffset: number;
  nextOffset: number;
  rows: number;
  files: number;
  /** Files rewritten to drop the rows production already had. */
  rewritten: number;
}

export interface PartitionMerge {
  partition: number;
  droppedCommits: number;
  mergedCommits: number;
  mergedRows: number;
  rewrittenFiles: number;
  /** The newest DR commit, left in place because the DR sink is active. */
  keptNewest?: number;
  /** Offsets production lacks that DR does not have either: production must read them from Kafka. */
  waitingFor?: { from: number; to: number };
}

export interface MergeReport {
  topic: string;
  partitions: PartitionMerge[];
  mergedRows: number;
  mergedCommits: number;
  droppedCommits: number;
}

export async function mergeTopic(o: MergeOptions): Promise<MergeReport> {
  const report: MergeReport = {
    topic: o.topic,
    partitions: [],
    mergedRows: 0,
    mergedCommits: 0,
    droppedCommits: 0,
  };
  for (const partition of await listedPartitions(o.storage, ledgerTopicDir(o.drRoot, o.topic))) {
    if (o.signal?.aborted === true) break;
    const done = await mergePartition(o, partition);
    report.partitions.push(done);
    report.mergedRows += done.mergedRows;
    report.mergedCommits += done.mergedCommits;
    report.droppedCommits += done.droppedCommits;
  }
  return report;
}

async function mergePartition(o: MergeOptions, partition: number): Promise<PartitionMerge> {
  const s = o.storage;
  const result: PartitionMerge = {
    partition,
    droppedCommits: 0,
    mergedCommits: 0,
    mergedRows: 0,
    rewrittenFiles: 0,
  };
  const cursorFile = mergeCursorPath(o.drRoot, o.topic, partition);
  const cursor = await readCursor(s, cursorFile);
  const drCommits = (await readLedgerAfter(s, o.drRoot, o.topic, partition, cursor)).filter(
    (e) => e.fence !== true,
  );
  if (drCommits.length === 0) return result;
  const newestDr = drCommits.at(-1);

  const staging = stagingDir(o.drRoot, 'merge', o.topic, partition);
  let production: PartitionLedger | undefined;
  const ownProduction = async (): Promise<PartitionLedger> => {
    if (production === undefined) {
      // Taking part in production's ledger fences a running production sink: it recovers and resumes
      // after what the merger commits. Only done when there is something to hand over.
      production = new PartitionLedger({
        storage: s,
        root: o.productionRoot,
        topic: o.topic,
        partition,
        writerId: o.writerId,
      });
      await production.recover();
      // Staged files of a merge that never reached production's ledger (its newest entry is rolled forward now).
      await s.delete(staging, { recursive: true });
    }
    return production;
  };
  // A merge commit whose renames a crash interrupted still names DR files as its temporaries: finish it
  // before anything here deletes a DR file as covered.
  if ((await s.list(staging)).length > 0 || (await unfinishedMerge(s, o.productionRoot, o.topic, partition)))
    await ownProduction();

  let handedOver = false;
  let prodEnd: number | null | undefined;
  for (const e of drCommits) {
    if (o.signal?.aborted === true) break;
    const isNewest = e.seq === newestDr?.seq;
    if (isNewest && o.drActive) {
      result.keptNewest = e.seq;
      break;
    }
    // Only right before its files are touched: a newest commit that waits for a gap stays the DR sink's.
    const handOverIfNewest = async (): Promise<void> => {
      if (!isNewest || handedOver) return;
      await handOver(s, o.drRoot, e, o.writerId);
      handedOver = true;
    };
    // Read once per partition: production only moves forward, so a stale value errs towards owning
    // production's ledger, which then reads the true end.
    prodEnd ??= (await newestCommit(s, o.productionRoot, o.topic, partition))?.nextOffset ?? null;
    const prodNext = production?.nextOffset ?? prodEnd;
    if (prodNext !== null && e.nextOffset <= prodNext) {
      await handOverIfNewest();
      await dropFiles(
        s,
        e.files.map((f) => f.path),
      );
      result.droppedCommits++;
      o.onHandled?.(event(o.topic, partition, e, 'dropped', 0, 0, 0));
      await writeCursor(s, cursorFile, e.seq);
      continue;
    }
    const ledger = await ownProduction();
    const need = ledger.nextOffset ?? e.fromOffset;
    if (need < e.fromOffset) {
      result.waitingFor = { from: need, to: e.fromOffset - 1 };
      break;
    }
    if (e.nextOffset <= need) continue; // production moved on while we recovered it: dropped next run
    await handOverIfNewest();
    const files: CommitFile[] = [];
    const originals: string[] = [];
    let rewritten = 0;
    for (const [i, f] of e.files.entries()) {
      if (f.lastOffset < need) {
        originals.push(f.path);
        continue;
      }
      const stored = await s.stat(f.path);
      if (stored === null || stored.length !== f.length) {
        throw new SinkError(
          'RECOVERY_FAILED',
          `DR file ${f.path} (DR ledger #${e.seq}) is ${stored === null ? 'missing' : `${stored.length} bytes, the ledger says ${f.length}`}; it was changed outside the sink`,
          { context: { topic: o.topic, partition, path: f.path } },
        );
      }
      if (f.firstOffset >= need) {
        files.push({
          dt: f.dt,
          firstOffset: f.firstOffset,
          lastOffset: f.lastOffset,
          rows: f.rows,
          existing: { path: f.path, length: f.length },
        });
        continue;
      }
      const bytes = await s.read(f.path);
      const offsets = columnValues(f.path, bytes, '_kafka_offset').map((v) => Number(v));
      const kept = keepRows(f.path, bytes, (row) => (offsets[row] ?? -1) >= need);
      const keptOffsets = offsets.filter((x) => x >= need);
      const first = Math.min(...keptOffsets);
      const staged = `${staging}/${padOffset(e.seq)}-${i}-${o.writerId}.parquet`;
      await s.writeFile(staged, kept.bytes);
      files.push({
        dt: f.dt,
        firstOffset: first,
        lastOffset: f.lastOffset,
        rows: kept.rows,
        existing: { path: staged, length: kept.bytes.byteLength },
      });
      originals.push(f.path);
      rewritten++;
    }
    const clip = (ranges: readonly OffsetRange[]) =>
      ranges.filter((r) => r.to >= need).map((r) => ({ ...r, from: Math.max(r.from, need) }));
    const entry = await ledger.commit({
      fromOffset: need,
      nextOffset: e.nextOffset,
      files,
      deadLettered: clip(e.deadLettered),
      skipped: clip(e.skipped),
      ...(e.timestamps === undefined ? {} : { timestamps: e.timestamps }),
      merged: { root: o.drRoot, seqs: [e.seq] },
    });
    await dropFiles(s, originals);
    const rows = files.reduce((n, f) => n + f.rows, 0);
    result.mergedCommits++;
    result.mergedRows += rows;
    result.rewrittenFiles += rewritten;
    o.onHandled?.(event(o.topic, partition, e, 'merged', rows, files.length, rewritten, entry.seq, need));
    await writeCursor(s, cursorFile, e.seq);
  }
  return result;
}

function event(
  topic: string,
  partition: number,
  e: LedgerEntry,
  action: MergeEvent['action'],
  rows: number,
  files: number,
  rewritten: number,
  productionSeq?: number,
  from?: number,
): MergeEvent {
  return {
    topic,
    partition,
    drSeq: e.seq,
    action,
    ...(productionSeq === undefined ? {} : { productionSeq }),
    fromOffset: from ?? e.fromOffset,
    nextOffset: e.nextOffset,
    rows,
    files,
    rewritten,
  };
}

async function unfinishedMerge(s: Storage, root: string, topic: string, partition: number): Promise<boolean> {
  const newest = await newestCommit(s, root, topic, partition);
  if (newest?.merged === undefined) return false;
  for (const f of newest.files) if ((await s.stat(f.path)) === null) return true;
  return false;
}

async function dropFiles(s: Storage, paths: readonly string[]): Promise<void> {
  for (const p of paths) await s.delete(p);
}

/**
 * The cursor is overwritten in place, so a merger killed while writing it can leave it empty or cut short.
 * It only saves work: handling a DR commit again changes nothing, so an unreadable cursor means start over.
 */
/**
 * How far the merger has handled a DR topic-partition's commits: their files now live in production (or
 * were dropped as production's own), so an audit of the DR tree skips them.
 */
export async function mergedThrough(
  s: Storage,
  drRoot: string,
  topic: string,
  partition: number,
): Promise<number> {
  return readCursor(s, mergeCursorPath(drRoot, topic, partition));
}

async function readCursor(s: Storage, path: string): Promise<number> {
  if ((await s.stat(path)) === null) return 0;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await s.read(path))) as { drSeq?: unknown };
    return typeof parsed.drSeq === 'number' ? parsed.drSeq : 0;
  } catch (error) {
    if (error instanceof SyntaxError) return 0;
    throw error;
  }
}

async function writeCursor(s: Storage, path: string, drSeq: number): Promise<void> {
  await s.writeFile(path, new TextEncoder().encode(JSON.stringify({ drSeq, at: new Date().toISOString() })));
}

/**
 * Publishes a fence marked `handedOver` in the DR ledger: a DR sink that starts afterwards resumes where the
 * DR commits end without rolling the newest one forward, because its files move to production. A DR sink
 * that died between publishing `newest` and renaming its files left them in its temporary directory, which
 * that recovery would delete: they are renamed into place first.
 */
export async function handOver(
  s: Storage,
  drRoot: string,
  newest: LedgerEntry,
  writer: string,
): Promise<void> {
  const { topic, partition } = newest;
  for (const f of newest.files) {
    // Neither name: handled before (a rerun after a lost cursor); the merge's own checks decide.
    if ((await s.stat(f.path)) !== null || (await s.stat(f.temp)) === null) continue;
    await s.mkdirs(parentOf(f.path));
    if (!(await s.rename(f.temp, f.path)) && (await s.stat(f.path)) === null) {
      throw new SinkError('RENAME_FAILED', `rename of ${f.temp} to ${f.path} returned false`, {
        retriable: true,
        context: { topic, partition, path: f.path },
      });
    }
  }
  const dir = ledgerDir(drRoot, topic, partition);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const seqs = await listedSeqs(s, dir);
    const latest = seqs.at(-1) ?? 0;
    let next = 0;
    for (const seq of [...seqs].reverse()) {
      const entry = await readLedgerEntry(s, `${dir}/${ledgerName(seq)}`);
      if (entry.handedOver === true) return; // already, by an earlier run
      if (entry.fence !== true) {
        next = entry.nextOffset;
        break;
      }
    }
    const fence: LedgerEntry = {
      version: 1,
      topic,
      partition,
      seq: latest + 1,
      fromOffset: next,
      nextOffset: next,
      files: [],
      deadLettered: [],
      skipped: [],
      writer,
      committedAt: new Date().toISOString(),
      fence: true,
      handedOver: true,
    };
    const final = `${dir}/${ledgerName(fence.seq)}`;
    if (await publishOnce(s, final, writer, fence)) return;
  }
  throw new SinkError(
    'COMMIT_CONFLICT',
    `${topic}-${partition}: the DR ledger kept changing while handing over`,
    {
      retriable: true,
      context: { topic, partition },
    },
  );
}
