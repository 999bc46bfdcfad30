// The DR merger for a DR sink that reads a mirrored topic on another cluster (MirrorMaker 2): its offsets
// are the DR cluster's, so they say nothing about what production has. Production owns every event it can
// still read (decision 0010): a DR commit is considered only once production has committed, in the same
// partition, records newer than the commit's newest by `settleMs`, so production will not write those
// events later. Its rows are then deduplicated by event id against production's files of the same day that
// overlap it in time; what production lacks (events the primary cluster lost) is written beside
// production's files, named after the DR topic so its lineage stays true, and recorded in a mirror-merge
// log: which DR offsets were merged, which were dropped as duplicates. Each record is the commit point of
// one DR commit, published by create-then-rename like a ledger entry and rolled forward on recovery.
import { newestCommit, readLedger, readLedgerAfter } from '../commit/ledger.ts';
import type { LedgerEntry } from '../commit/ledger.ts';
import { readCompactions, liveFiles } from '../compact/compaction.ts';
import { listedPartitions, listedSeqs, publishOnce } from '../commit/publish.ts';
import { SinkError } from '../errors.ts';
import { handOver } from './merger.ts';
import { columnValues, keepRows } from '../format/surgery.ts';
import {
  dayDir,
  fileName,
  ledgerName,
  ledgerTopicDir,
  mirrorMergeDir,
  padOffset,
  stagingDir,
} from '../layout.ts';
import type { Storage } from '../storage/storage.ts';

export interface MirrorMergedFile {
  path: string;
  temp: string;
  dt: string;
  rows: number;
  length: number;
  firstOffset: number;
  lastOffset: number;
}

export interface MirrorMergeRecord {
  version: 1;
  kind: 'mirror-merge';
  /** Production topic the rows joined. */
  topic: string;
  /** The mirrored topic the DR sink read, on the DR cluster. */
  source: string;
  partition: number;
  seq: number;
  drRoot: string;
  drSeq: number;
  /** DR offsets [fromOffset, nextOffset) this record accounts for. */
  fromOffset: number;
  nextOffset: number;
  files: MirrorMergedFile[];
  /** DR rows dropped because production has their event id. */
  duplicates: number;
  writer: string;
  committedAt: string;
}

export interface MirrorMergeOptions {
  storage: Storage;
  productionRoot: string;
  drRoot: string;
  /** Production topic. */
  topic: string;
  /** Mirrored topic name on the DR cluster. */
  source: string;
  writerId: string;
  drActive: boolean;
  eventIdField: string;
  settleMs: number;
  onHandled?: (record: MirrorMergeRecord, waiting: boolean) => void;
  signal?: AbortSignal;
}

export interface MirrorPartitionMerge {
  partition: number;
  records: number;
  mergedRows: number;
  duplicates: number;
  keptNewest?: number;
  /** The DR commit that waits for production to get past it, and production's watermark. */
  waiting?: { drSeq: number; drNewest: number; productionWatermark: number | null };
}

export interface MirrorMergeReport {
  topic: string;
  source: string;
  partitions: MirrorPartitionMerge[];
  mergedRows: number;
  duplicates: number;
}

export async function readMirrorMerges(
  storage: Storage,
  root: string,
  topic: string,
  source: string,
  partition: number,
): Promise<MirrorMergeRecord[]> {
  const out: MirrorMergeRecord[] = [];
  const dir = mirrorMergeDir(root, topic, source, partition);
  for (const seq of await listedSeqs(storage, dir)) {
    const path = `${dir}/${ledgerName(seq)}`;
    const parsed = JSON.parse(new TextDecoder().decode(await storage.read(path))) as MirrorMergeRecord;
    if (parsed.version !== 1 || parsed.kind !== 'mirror-merge') {
      throw new SinkError('LEDGER_CORRUPT', `${path} is not a version 1 mirror-merge record`, {
        context: { path },
      });
    }
    out.push(parsed);
  }
  return out;
}

export async function mergeMirroredTopic(o: MirrorMergeOptions): Promise<MirrorMergeReport> {
  const report: MirrorMergeReport = {
    topic: o.topic,
    source: o.source,
    partitions: [],
    mergedRows: 0,
    duplicates: 0,
  };
  for (const partition of await listedPartitions(o.storage, ledgerTopicDir(o.drRoot, o.source))) {
    if (o.signal?.aborted === true) break;
    const done = await mergePartition(o, partition);
    report.partitions.push(done);
    report.mergedRows += done.mergedRows;
    report.duplicates += done.duplicates;
  }
  return report;
}

async function mergePartition(o: MirrorMergeOptions, partition: number): Promise<MirrorPartitionMerge> {
  const s = o.storage;
  const result: MirrorPartitionMerge = { partition, records: 0, mergedRows: 0, duplicates: 0 };
  const records = await readMirrorMerges(s, o.productionRoot, o.topic, o.source, partition);
  const newestRecord = records.at(-1);
  if (newestRecord !== undefined) await rollForward(s, newestRecord);
  const staging = stagingDir(o.drRoot, 'mirror-merge', o.source, partition);
  await s.delete(staging, { recursive: true });
  const cursor = newestRecord?.drSeq ?? 0;
  const drAll = await readLedgerAfter(s, o.drRoot, o.source, partition, Math.max(0, cursor - 1));
  // The newest record's DR files: a crash may have come between the record and their deletion.
  const handled = drAll.find((e) => e.seq === cursor);
  if (handled !== undefined) await dropFiles(s, handled);
  const drCommits = drAll.filter((e) => e.fence !== true);
  const newestDr = drCommits.at(-1);
  const watermark = (await newestCommit(s, o.productionRoot, o.topic, partition))?.timestamps?.max ?? null;
  let seq = newestRecord?.seq ?? 0;
  const idsByDay = new Map<string, Set<string>>();
  for (const e of drCommits) {
    if (e.seq <= cursor) continue;
    if (o.signal?.aborted === true) break;
    if (e.seq === newestDr?.seq && o.drActive) {
      result.keptNewest = e.seq;
      break;
    }
    const newest = e.timestamps?.max;
    if (newest === undefined || watermark === null || newest + o.settleMs > watermark) {
      result.waiting = { drSeq: e.seq, drNewest: newest ?? -1, productionWatermark: watermark };
      break;
    }
    // The DR sink's newest commit leaves the DR tree only when it is stopped, and a DR sink started later
    // must know its files are gone.
    if (e.seq === newestDr?.seq) await handOver(s, o.drRoot, e, o.writerId);
    seq++;
    const files: MirrorMergedFile[] = [];
    let duplicates = 0;
    for (const [i, f] of e.files.entries()) {
      const bytes = await s.read(f.path);
      const ids = columnValues(f.path, bytes, o.eventIdField).map(idText);
      const offsets = columnValues(f.path, bytes, '_kafka_offset').map((v) => Number(v));
      const have = await productionIds(o, f.dt, e, idsByDay);
      const keep = ids.map((id) => id === undefined || !have.has(id));
      const kept = keep.filter(Boolean).length;
      duplicates += ids.length - kept;
      if (kept === 0) continue;
      const out =
        kept === ids.length ? { bytes, rows: kept } : keepRows(f.path, bytes, (row) => keep[row] === true);
      const keptOffsets = offsets.filter((_, row) => keep[row] === true);
      const first = Math.min(...keptOffsets);
      const last = Math.max(...keptOffsets);
      const temp = `${staging}/${padOffset(seq)}-${i}-${o.writerId}.parquet`;
      await s.writeFile(temp, out.bytes);
      files.push({
        path: `${dayDir(o.productionRoot, o.topic, f.dt)}/${fileName(o.source, partition, first, last)}`,
        temp,
        dt: f.dt,
        rows: out.rows,
        length: out.bytes.byteLength,
        firstOffset: first,
        lastOffset: last,
      });
    }
    const record: MirrorMergeRecord = {
      version: 1,
      kind: 'mirror-merge',
      topic: o.topic,
      source: o.source,
      partition,
      seq,
      drRoot: o.drRoot,
      drSeq: e.seq,
      fromOffset: e.fromOffset,
      nextOffset: e.nextOffset,
      files,
      duplicates,
      writer: o.writerId,
      committedAt: new Date().toISOString(),
    };
    await publish(s, o.productionRoot, record);
    await rollForward(s, record);
    await dropFiles(s, e);
    result.records++;
    result.mergedRows += files.reduce((n, f) => n + f.rows, 0);
    result.duplicates += duplicates;
    o.onHandled?.(record, false);
  }
  return result;
}

function idText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v);
}

/**
 * Event ids of production's files of that day (every partition) whose commit overlaps the DR commit's time
 * span, widened by `settleMs`; cached per day for the run.
 */
async function productionIds(
  o: MirrorMergeOptions,
  dt: string,
  dr: LedgerEntry,
  cache: Map<string, Set<string>>,
): Promise<Set<string>> {
  const key = `${dt}/${dr.timestamps?.min ?? 0}/${dr.timestamps?.max ?? 0}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const ids = new Set<string>();
  const lo = (dr.timestamps?.min ?? Number.NEGATIVE_INFINITY) - o.settleMs;
  const hi = (dr.timestamps?.max ?? Number.POSITIVE_INFINITY) + o.settleMs;
  for (const partition of await listedPartitions(o.storage, ledgerTopicDir(o.productionRoot, o.topic))) {
    const entries = await readLedger(o.storage, o.productionRoot, o.topic, partition);
    const overlapping = new Set(
      entries
        .filter(
          (e) =>
            e.fence !== true &&
            (e.timestamps === undefined || (e.timestamps.max >= lo && e.timestamps.min <= hi)),
        )
        .map((e) => e.seq),
    );
    const compactions = await readCompactions(o.storage, o.productionRoot, o.topic, partition);
    for (const f of liveFiles(entries, compactions).values()) {
      // A compacted file joins several commits: it is read when it came from a compaction at all.
      if (f.dt !== dt || ('ledger' in f.from && !overlapping.has(f.from.ledger))) continue;
      const bytes = await o.storage.read(f.path);
      for (const v of columnValues(f.path, bytes, o.eventIdField)) {
        const id = idText(v);
        if (id !== undefined) ids.add(id);
      }
    }
  }
  // Rows merged from DR earlier count as production's too.
  for (const file of await o.storage.list(dayDir(o.productionRoot, o.topic, dt))) {
    if (!file.name.startsWith(`${o.source}+`) || !file.name.endsWith('.parquet')) continue;
    const bytes = await o.storage.read(file.path);
    for (const v of columnValues(file.path, bytes, o.eventIdField)) {
      const id = idText(v);
      if (id !== undefined) ids.add(id);
    }
  }
  cache.set(key, ids);
  return ids;
}

async function publish(s: Storage, root: string, r: MirrorMergeRecord): Promise<void> {
  const final = `${mirrorMergeDir(root, r.topic, r.source, r.partition)}/${ledgerName(r.seq)}`;
  if (await publishOnce(s, final, r.writer, r)) return;
  throw new SinkError(
    'COMMIT_CONFLICT',
    `another merger published ${r.source}-${r.partition} mirror merge #${r.seq} first`,
    { context: { topic: r.source, partition: r.partition, path: final } },
  );
}

async function rollForward(s: Storage, r: MirrorMergeRecord): Promise<void> {
  for (const f of r.files) {
    const final = await s.stat(f.path);
    if (final !== null) {
      if (final.length !== f.length)
        throw new SinkError(
          'LEDGER_CORRUPT',
          `${f.path} has ${final.length} bytes, mirror merge #${r.seq} says ${f.length}`,
          {
            context: { path: f.path },
          },
        );
      continue;
    }
    await s.mkdirs(f.path.slice(0, f.path.lastIndexOf('/')));
    if (!(await s.rename(f.temp, f.path)) && (await s.stat(f.path))?.length !== f.length) {
      throw new SinkError(
        'RECOVERY_FAILED',
        `mirror merge #${r.seq}: ${f.path} is missing and so is its staged copy ${f.temp}`,
        { context: { path: f.path } },
      );
    }
  }
}

/** A handled DR commit's files: no longer needed in the DR tree. */
async function dropFiles(s: Storage, e: LedgerEntry): Promise<void> {
  for (const f of e.files) await s.delete(f.path);
}
