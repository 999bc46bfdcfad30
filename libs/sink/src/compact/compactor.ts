// The compactor: turns the small committed files of each topic-partition and day into files of a target
// size, one compaction record at a time (compaction.ts says how each is made durable). Which files qualify:
// committed, older than the grace period, smaller than the target, not part of the partition's newest
// commit (the sink's recovery may still roll that one forward), and with the same Parquet schema as their
// neighbours. Files are joined in offset order, so an output's name still gives its first and last offset.
import { readLedger } from '../commit/ledger.ts';
import { listedPartitions } from '../commit/publish.ts';
import { ledgerTopicDir } from '../layout.ts';
import { joiningFooter, schemaKey, storedFooter } from '../format/surgery.ts';
import type { ParquetFooter } from '../format/surgery.ts';
import type { Storage } from '../storage/storage.ts';
import { CompactionLog, liveFiles } from './compaction.ts';
import type { CompactedFile, CompactionRecord, LiveFile } from './compaction.ts';

export const COMPACTION_DEFAULTS = {
  targetBytes: 256 * 1024 * 1024,
  graceMs: 60 * 60 * 1000,
} as const;

export interface CompactOptions {
  storage: Storage;
  root: string;
  topic: string;
  writerId: string;
  /** Files are joined until the next would pass this size. Default 256 MiB. */
  targetBytes?: number;
  /** Only files committed at least this long ago. Default 1 hour. */
  graceMs?: number;
  now?: () => number;
  /** Called after each compaction (progress, logs). */
  onCompacted?: (record: CompactionRecord) => void;
  /** Checked between compactions: a stop request ends the run after the current one. */
  signal?: AbortSignal;
}

export interface PartitionCompaction {
  partition: number;
  filesBefore: number;
  filesAfter: number;
  compactions: number;
  bytes: number;
  rows: number;
  recovered: boolean;
}

export interface CompactReport {
  topic: string;
  partitions: PartitionCompaction[];
  compactions: number;
  inputFiles: number;
  bytes: number;
  rows: number;
}

export async function compactTopic(o: CompactOptions): Promise<CompactReport> {
  const report: CompactReport = {
    topic: o.topic,
    partitions: [],
    compactions: 0,
    inputFiles: 0,
    bytes: 0,
    rows: 0,
  };
  for (const partition of await listedPartitions(o.storage, ledgerTopicDir(o.root, o.topic))) {
    if (o.signal?.aborted === true) break;
    const done = await compactPartition(o, partition);
    report.partitions.push(done.summary);
    report.compactions += done.summary.compactions;
    report.inputFiles += done.inputFiles;
    report.bytes += done.summary.bytes;
    report.rows += done.summary.rows;
  }
  return report;
}

async function compactPartition(
  o: CompactOptions,
  partition: number,
): Promise<{ summary: PartitionCompaction; inputFiles: number }> {
  const now = (o.now ?? Date.now)();
  const target = o.targetBytes ?? COMPACTION_DEFAULTS.targetBytes;
  const grace = o.graceMs ?? COMPACTION_DEFAULTS.graceMs;
  const log = new CompactionLog({
    storage: o.storage,
    root: o.root,
    topic: o.topic,
    partition,
    writerId: o.writerId,
  });
  const recovered = await log.recover();
  const entries = await readLedger(o.storage, o.root, o.topic, partition);
  const live = liveFiles(entries, log.records);
  const newest = entries.filter((e) => e.fence !== true).at(-1);
  const pinned = new Set(newest?.files.map((f) => f.path) ?? []);
  const summary: PartitionCompaction = {
    partition,
    filesBefore: live.size,
    filesAfter: live.size,
    compactions: 0,
    bytes: 0,
    rows: 0,
    recovered: recovered.rolledForward,
  };
  let inputFiles = 0;
  const eligible = (f: LiveFile) => !pinned.has(f.path) && f.length < target && now - f.committedAt >= grace;
  const byDay = new Map<string, LiveFile[]>();
  for (const f of live.values()) byDay.set(f.dt, [...(byDay.get(f.dt) ?? []), f]);
  for (const [dt, files] of [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!files.some(eligible)) continue;
    files.sort((a, b) => a.firstOffset - b.firstOffset);
    // Runs of neighbours only: a file left out (too fresh, too large, pinned) ends a run, so a joined
    // file's name never spans offsets that another file of the day holds.
    const runs: (LiveFile & { footer: ParquetFooter })[][] = [[]];
    for (const f of files) {
      if (!eligible(f)) runs.push([]);
      else runs.at(-1)?.push({ ...f, footer: await storedFooter(o.storage, f.path, f.length) });
    }
    for (const group of runs.flatMap((run) => groups(run, target))) {
      if (o.signal?.aborted === true) return { summary, inputFiles };
      const footer = joiningFooter(group);
      const inputs: CompactedFile[] = group.map(({ path, length, rows, firstOffset, lastOffset }) => ({
        path,
        length,
        rows,
        firstOffset,
        lastOffset,
      }));
      const record = log.plan(dt, inputs, footer.byteLength);
      await log.commit(record, footer);
      summary.compactions++;
      summary.filesAfter -= group.length - 1;
      summary.bytes += record.output.length;
      summary.rows += record.output.rows;
      inputFiles += group.length;
      o.onCompacted?.(record);
    }
  }
  return { summary, inputFiles };
}

/**
 * Runs of neighbouring files with one schema whose joined file stays within the target; two files or more.
 * The joined file holds each input whole plus a new footer about as long as the inputs' footers together.
 */
function groups<T extends LiveFile & { footer: ParquetFooter }>(files: readonly T[], target: number): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let size = 0;
  let key = '';
  const close = () => {
    if (run.length >= 2) out.push(run);
    run = [];
    size = 0;
  };
  for (const f of files) {
    const k = schemaKey(f.footer);
    const grows = f.length + f.footer.footerLength;
    if (run.length > 0 && (k !== key || size + grows > target)) close();
    if (run.length === 0) key = k;
    run.push(f);
    size += grows;
  }
  close();
  return out;
}
