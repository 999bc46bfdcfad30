// The exactly-once check: every offset of a partition appears in exactly one committed file, or is
// accounted for by a recorded reason (dead-lettered, gone from Kafka). Works from the offsets actually
// stored in the files, so it also holds after the DR merger has moved files between roots. It proves rather
// than trusts: every file a ledger entry names must be stored with the recorded length and row count, and
// the accounted offsets are held against what Kafka has (its log start and end), so an uncommitted tail
// shows as lag and a missing start as a hole.
import type { LedgerEntry, OffsetRange } from '../commit/ledger.ts';
import { liveFiles } from '../compact/compaction.ts';
import type { CompactionRecord } from '../compact/compaction.ts';

export interface AuditedFile {
  path: string;
  dt: string;
  partition: number;
  /** The Kafka offsets of the rows in the file (its lineage column). */
  offsets: ArrayLike<number>;
}

export interface AuditInput {
  topic: string;
  files: readonly AuditedFile[];
  /** The ledger of every root the topic was written from (production, DR), entries in any order. */
  ledgers: readonly { root: string; entries: readonly LedgerEntry[] }[];
  /** The compactor's records per root: a compacted file replaces the ledger's files it joined. */
  compactions?: readonly { root: string; records: readonly CompactionRecord[] }[];
  /** Every Parquet file in storage under the topic, with its length; files are matched by name across roots. */
  stored?: readonly { path: string; length: number }[];
  /** Kafka's log start (`low`) and end (`high`, the next offset) per partition. */
  kafka?: ReadonlyMap<number, { low: number; high: number }>;
  /** Uncommitted offsets per partition above which the audit fails (default: no limit). */
  maxLag?: number;
}

export interface Range {
  from: number;
  to: number;
}

export interface PartitionAudit {
  partition: number;
  /** Contiguous runs of accounted offsets, inclusive. */
  committed: Range[];
  rows: number;
  deadLettered: number;
  skipped: number;
  /** Offsets stored more than once (first 100), and how many there are in all. */
  duplicates: { offset: number; count: number }[];
  duplicateCount: number;
  /** Offsets between the first and last accounted one that nothing accounts for. */
  holes: Range[];
  /** Ledger entries that do not continue the previous one (only within one writer's ledger). */
  ledgerBreaks: string[];
  /**
   * Files the ledger (after the compactions) says the tree holds that storage does not hold, or holds with
   * another length or row count.
   */
  missingFiles: string[];
  /** Rows, commits and offset ranges the DR merger brought into this root's ledger. */
  fromDr: { rows: number; commits: number; ranges: Range[] };
  /** Files the compactor made, and the small files they replaced. */
  compacted: { outputs: number; inputs: number };
  /** Kafka's log start and end, when Kafka was asked. */
  kafka?: { low: number; high: number };
  /** Offsets Kafka holds beyond the last accounted one: written to Kafka, not yet committed. */
  lag?: number;
  /**
   * Accounted offsets at or past Kafka's end: offsets Kafka never wrote. The topic was deleted and made
   * again, or this root belongs to the same topic on another cluster: this tree does not describe that log.
   */
  beyondKafka?: Range;
}

export interface AuditReport {
  topic: string;
  partitions: PartitionAudit[];
  rowsPerDay: Record<string, number>;
  files: number;
  ok: boolean;
}

const MAX_LISTED = 100;

export function audit(input: AuditInput): AuditReport {
  type Slot = {
    files: AuditedFile[];
    ledgers: Map<string, LedgerEntry[]>;
    compactions: Map<string, CompactionRecord[]>;
  };
  const byPartition = new Map<number, Slot>();
  const slot = (p: number): Slot => {
    let s = byPartition.get(p);
    if (s === undefined) byPartition.set(p, (s = { files: [], ledgers: new Map(), compactions: new Map() }));
    return s;
  };
  for (const f of input.files) slot(f.partition).files.push(f);
  for (const { root, records } of input.compactions ?? []) {
    for (const r of records) {
      if (r.topic !== input.topic) continue;
      const perRoot = slot(r.partition).compactions;
      perRoot.set(root, [...(perRoot.get(root) ?? []), r]);
    }
  }
  for (const { root, entries } of input.ledgers) {
    for (const e of entries) {
      if (e.topic !== input.topic) continue;
      const perRoot = slot(e.partition).ledgers;
      perRoot.set(root, [...(perRoot.get(root) ?? []), e]);
    }
  }

  const rowsPerDay: Record<string, number> = {};
  for (const f of input.files) rowsPerDay[f.dt] = (rowsPerDay[f.dt] ?? 0) + f.offsets.length;

  for (const partition of input.kafka?.keys() ?? []) slot(partition);
  const stored =
    input.stored === undefined ? undefined : new Map(input.stored.map((f) => [baseName(f.path), f]));
  const rowsByName = new Map(input.files.map((f) => [baseName(f.path), f.offsets.length]));
  const partitions = [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, { files, ledgers, compactions }]) => {
      const p = auditPartition(partition, files, ledgers);
      if (stored !== undefined) p.missingFiles = missingFiles(ledgers, compactions, stored, rowsByName);
      const records = [...compactions.values()].flat();
      p.compacted = { outputs: records.length, inputs: records.reduce((n, r) => n + r.inputs.length, 0) };
      const kafka = input.kafka?.get(partition);
      if (kafka !== undefined) holdAgainstKafka(p, kafka);
      return p;
    });
  const ok = partitions.every(
    (p) =>
      p.duplicateCount === 0 &&
      p.holes.length === 0 &&
      p.ledgerBreaks.length === 0 &&
      p.missingFiles.length === 0 &&
      p.beyondKafka === undefined &&
      (input.maxLag === undefined || (p.lag ?? 0) <= input.maxLag),
  );
  return { topic: input.topic, partitions, rowsPerDay: sortKeys(rowsPerDay), files: input.files.length, ok };
}

function auditPartition(
  partition: number,
  files: readonly AuditedFile[],
  ledgersByRoot: ReadonlyMap<string, LedgerEntry[]>,
): PartitionAudit {
  const ledgers = [...ledgersByRoot.values()].flat();
  let total = 0;
  for (const f of files) total += f.offsets.length;
  const offsets = new Float64Array(total);
  let at = 0;
  for (const f of files)
    for (let i = 0; i < f.offsets.length; i++) offsets[at++] = f.offsets[i] ?? Number.NaN;
  offsets.sort();

  const duplicates: { offset: number; count: number }[] = [];
  let duplicateCount = 0;
  const stored: Range[] = [];
  for (let i = 0; i < offsets.length;) {
    const o = offsets[i] ?? 0;
    let j = i + 1;
    while (j < offsets.length && offsets[j] === o) j++;
    if (j - i > 1) {
      duplicateCount += j - i - 1;
      if (duplicates.length < MAX_LISTED) duplicates.push({ offset: o, count: j - i });
    }
    const last = stored.at(-1);
    if (last !== undefined && last.to + 1 === o) last.to = o;
    else stored.push({ from: o, to: o });
    i = j;
  }

  const deadLettered = ledgers.flatMap((e) => e.deadLettered);
  const skipped = ledgers.flatMap((e) => e.skipped);
  const committed = mergeRanges([...stored, ...deadLettered.map(toRange), ...skipped.map(toRange)]);
  const holes: Range[] = [];
  for (let i = 1; i < committed.length; i++) {
    const prev = committed[i - 1];
    const next = committed[i];
    if (prev !== undefined && next !== undefined) holes.push({ from: prev.to + 1, to: next.from - 1 });
  }
  return {
    partition,
    committed,
    rows: total,
    deadLettered: countRanges(deadLettered),
    skipped: countRanges(skipped),
    duplicates,
    duplicateCount,
    holes,
    ledgerBreaks: [...ledgersByRoot.entries()].flatMap(([root, entries]) => ledgerBreaks(root, entries)),
    missingFiles: [],
    fromDr: {
      rows: ledgers.reduce(
        (n, e) => n + (e.merged === undefined ? 0 : e.files.reduce((m, f) => m + f.rows, 0)),
        0,
      ),
      commits: ledgers.filter((e) => e.merged !== undefined).length,
      ranges: mergeRanges(
        ledgers
          .filter((e) => e.merged !== undefined)
          .map((e) => ({ from: e.fromOffset, to: e.nextOffset - 1 })),
      ),
    },
    compacted: { outputs: 0, inputs: 0 },
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Every file the tree should hold (the ledger's files, with each compaction applied) must be stored (under
 * any root) with its recorded length and row count.
 */
function missingFiles(
  ledgersByRoot: ReadonlyMap<string, LedgerEntry[]>,
  compactionsByRoot: ReadonlyMap<string, CompactionRecord[]>,
  stored: ReadonlyMap<string, { path: string; length: number }>,
  rowsByName: ReadonlyMap<string, number>,
): string[] {
  const out: string[] = [];
  for (const [root, entries] of ledgersByRoot) {
    for (const f of liveFiles(entries, compactionsByRoot.get(root) ?? []).values()) {
      const by = 'ledger' in f.from ? `ledger #${f.from.ledger}` : `compaction #${f.from.compaction}`;
      const name = baseName(f.path);
      const found = stored.get(name);
      if (found === undefined) out.push(`${f.path} (${by}): missing`);
      else if (found.length !== f.length)
        out.push(`${f.path} (${by}): ${found.length} bytes, the ledger says ${f.length}`);
      else if (rowsByName.has(name) && rowsByName.get(name) !== f.rows)
        out.push(`${f.path} (${by}): ${rowsByName.get(name)} rows, the ledger says ${f.rows}`);
    }
  }
  return out;
}

/**
 * Offsets Kafka still has, from its log start up to the last accounted one, must all be accounted for: a
 * missing start is a hole. What lies beyond, up to Kafka's end, is the uncommitted tail (lag).
 */
function holdAgainstKafka(p: PartitionAudit, kafka: { low: number; high: number }): void {
  p.kafka = { ...kafka };
  const first = p.committed[0];
  const last = p.committed.at(-1);
  const accountedEnd = last === undefined ? kafka.low : last.to + 1;
  if (first !== undefined && first.from > kafka.low) {
    p.holes.unshift({ from: kafka.low, to: first.from - 1 });
  }
  p.lag = Math.max(0, kafka.high - Math.max(accountedEnd, kafka.low));
  if (last !== undefined && accountedEnd > kafka.high) {
    p.beyondKafka = { from: Math.max(kafka.high, first?.from ?? kafka.high), to: last.to };
  }
}

/** Within one root's ledger, each entry must start where the previous one ended. */
function ledgerBreaks(root: string, entries: readonly LedgerEntry[]): string[] {
  // Fences (a new owner taking the partition) hold no offsets: only commits must continue each other.
  const sorted = entries.filter((e) => e.fence !== true).sort((a, b) => a.seq - b.seq);
  const breaks: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const next = sorted[i];
    if (prev !== undefined && next !== undefined && next.fromOffset !== prev.nextOffset) {
      breaks.push(
        `${root}: #${next.seq} starts at ${next.fromOffset} but #${prev.seq} ended before ${prev.nextOffset}`,
      );
    }
  }
  return breaks;
}

function toRange(r: OffsetRange): Range {
  return { from: r.from, to: r.to };
}

function countRanges(ranges: readonly OffsetRange[]): number {
  return ranges.reduce((n, r) => n + (r.to - r.from + 1), 0);
}

function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a.from - b.from);
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last !== undefined && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export interface MirroredAudit {
  /** The mirrored topic on the DR cluster the rows came from. */
  source: string;
  partition: number;
  rows: number;
  /** DR offsets stored more than once. */
  duplicateCount: number;
  /** Rows the merger dropped because production had their event id. */
  droppedAsDuplicates: number;
  /** DR offset ranges the mirror-merge records account for. */
  accounted: Range[];
  missingFiles: string[];
}

/**
 * Rows merged from a mirrored DR topic carry the DR cluster's offsets, which production's ledger cannot
 * hold: each must be stored once, and every file a mirror-merge record names must be there as recorded.
 */
export function auditMirrored(
  records: readonly {
    source: string;
    partition: number;
    seq: number;
    fromOffset: number;
    nextOffset: number;
    duplicates: number;
    files: readonly { path: string; length: number; rows: number }[];
  }[],
  files: readonly AuditedFile[],
  stored: readonly { path: string; length: number }[],
  source: string,
): MirroredAudit[] {
  const storedByName = new Map(stored.map((f) => [baseName(f.path), f]));
  const rowsByName = new Map(files.map((f) => [baseName(f.path), f.offsets.length]));
  const partitions = new Set([...records.map((r) => r.partition), ...files.map((f) => f.partition)]);
  return [...partitions]
    .sort((a, b) => a - b)
    .map((partition) => {
      const mine = records.filter((r) => r.partition === partition && r.source === source);
      const offsets = files
        .filter((f) => f.partition === partition)
        .flatMap((f) => Array.from(f.offsets))
        .sort((a, b) => a - b);
      let duplicateCount = 0;
      for (let i = 1; i < offsets.length; i++) if (offsets[i] === offsets[i - 1]) duplicateCount++;
      const missing: string[] = [];
      for (const r of mine) {
        for (const f of r.files) {
          const found = storedByName.get(baseName(f.path));
          if (found === undefined) missing.push(`${f.path} (mirror merge #${r.seq}): missing`);
          else if (found.length !== f.length)
            missing.push(
              `${f.path} (mirror merge #${r.seq}): ${found.length} bytes, the record says ${f.length}`,
            );
          else if (rowsByName.has(baseName(f.path)) && rowsByName.get(baseName(f.path)) !== f.rows)
            missing.push(
              `${f.path} (mirror merge #${r.seq}): ${rowsByName.get(baseName(f.path))} rows, the record says ${f.rows}`,
            );
        }
      }
      return {
        source,
        partition,
        rows: offsets.length,
        duplicateCount,
        droppedAsDuplicates: mine.reduce((n, r) => n + r.duplicates, 0),
        accounted: mergeRanges(mine.map((r) => ({ from: r.fromOffset, to: r.nextOffset - 1 }))),
        missingFiles: missing,
      };
    });
}
