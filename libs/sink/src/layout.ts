// Where every file of the sink lives under its output root: final Parquet files in Hive-style daily
// partitions, temporary files of commits in flight, and each topic-partition's commit ledger. Names that
// start with "_" are ignored by Hive, Spark, Trino and DuckDB's hive partitioning.

const OFFSET_DIGITS = 20;

export function padOffset(n: number): string {
  return String(n).padStart(OFFSET_DIGITS, '0');
}

export function topicDir(root: string, topic: string): string {
  return `${trimRoot(root)}/topic=${topic}`;
}

export function dayDir(root: string, topic: string, dt: string): string {
  return `${topicDir(root, topic)}/dt=${dt}`;
}

/** `<topic>+<partition>+<first>+<last>.parquet`, zero-padded so a listing sorts by offset. */
export function fileName(topic: string, partition: number, firstOffset: number, lastOffset: number): string {
  return `${topic}+${partition}+${padOffset(firstOffset)}+${padOffset(lastOffset)}.parquet`;
}

export interface ParsedFileName {
  topic: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
}

const FILE_NAME = /^(.+)\+(\d+)\+(\d{20})\+(\d{20})\.parquet$/;

export function parseFileName(name: string): ParsedFileName | undefined {
  const m = FILE_NAME.exec(name);
  if (m === null) return undefined;
  return { topic: m[1] ?? '', partition: Number(m[2]), firstOffset: Number(m[3]), lastOffset: Number(m[4]) };
}

export function tempDir(root: string, topic: string, partition: number): string {
  return `${trimRoot(root)}/_tmp/topic=${topic}/partition=${partition}`;
}

export function ledgerDir(root: string, topic: string, partition: number): string {
  return `${trimRoot(root)}/_ledger/topic=${topic}/partition=${partition}`;
}

export function ledgerTopicDir(root: string, topic: string): string {
  return `${trimRoot(root)}/_ledger/topic=${topic}`;
}

export function ledgerName(seq: number): string {
  return `${padOffset(seq)}.json`;
}

const LEDGER_NAME = /^(\d{20})\.json$/;

export function parseLedgerName(name: string): number | undefined {
  const m = LEDGER_NAME.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** The compactor's records for one topic-partition: which small files became which large one. */
export function compactionDir(root: string, topic: string, partition: number): string {
  return `${trimRoot(root)}/_compaction/topic=${topic}/partition=${partition}`;
}

export function compactionTopicDir(root: string, topic: string): string {
  return `${trimRoot(root)}/_compaction/topic=${topic}`;
}

/** Files a maintenance job (merge, compact) prepares before its record is published. */
export function stagingDir(root: string, job: string, topic: string, partition: number): string {
  return `${trimRoot(root)}/_staging/${job}/topic=${topic}/partition=${partition}`;
}

/** How far the DR merger has handled a DR topic-partition's commits (in the DR root). */
export function mergeCursorPath(root: string, topic: string, partition: number): string {
  return `${trimRoot(root)}/_merge/topic=${topic}/partition=${partition}.json`;
}

/** The mirrored merge's record of which DR offsets it merged, per DR topic-partition. */
export function mirrorMergeDir(root: string, topic: string, source: string, partition: number): string {
  return `${trimRoot(root)}/_merged/topic=${topic}/source=${source}/partition=${partition}`;
}

export function mirrorMergeTopicDir(root: string, topic: string): string {
  return `${trimRoot(root)}/_merged/topic=${topic}`;
}

/** One holder at a time per job and tree: a second merger or compactor is turned away with a message. */
export function leasePath(root: string, job: string): string {
  return `${trimRoot(root)}/_locks/${job}.json`;
}

/** Hive DDL and other readers find a topic's table here. */
export function ddlPath(root: string, topic: string): string {
  return `${trimRoot(root)}/_ddl/${topic}.hql`;
}

function trimRoot(root: string): string {
  return root.length > 1 ? root.replace(/\/+$/, '') : root;
}
