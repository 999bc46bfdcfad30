// The audit command's I/O: fetch a topic's Parquet files and ledgers from storage (every root it was
// written from: production, DR), read the stored Kafka offsets back with DuckDB as an independent engine,
// and hand them to the library's audit. Also gives DuckDB's own row count per day (hive partitioning).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  audit,
  auditMirrored,
  compactionTopicDir,
  listedPartitions,
  mergedThrough,
  ledgerTopicDir,
  mirrorMergeTopicDir,
  parseFileName,
  readCompactions,
  readLedger,
  readMirrorMerges,
  topicDir,
} from '@adlake/sink';
import type {
  AuditedFile,
  AuditReport,
  CompactionRecord,
  LedgerEntry,
  MirroredAudit,
  MirrorMergeRecord,
  Storage,
} from '@adlake/sink';

export interface TopicAudit extends AuditReport {
  /** Row count per day as DuckDB reads it with hive_partitioning, over every root. */
  duckdbRowsPerDay: Record<string, number>;
  bytes: number;
  roots: string[];
  /** Parquet files per day, over every root. */
  filesPerDay: Record<string, number>;
  /** Rows merged from a mirrored DR topic (its own offsets), per source topic-partition. */
  mirrored: MirroredAudit[];
}

export interface AuditOptions {
  /**
   * Kafka's log start and end per partition, to hold the ledger against; undefined skips that check. Asked
   * only after the ledgers are read, so that a sink committing meanwhile cannot seem to be past Kafka's end.
   */
  kafka?: () => Promise<ReadonlyMap<number, { low: number; high: number }>>;
  /** Uncommitted offsets per partition above which the audit fails. */
  maxLag?: number;
}

export async function auditTopic(
  storage: Storage,
  roots: readonly string[],
  topic: string,
  options: AuditOptions = {},
): Promise<TopicAudit> {
  const work = mkdtempSync(path.join(tmpdir(), 'adlake-audit-'));
  try {
    const localToStored = new Map<string, { path: string; dt: string; partition: number }>();
    const ledgers: { root: string; entries: LedgerEntry[] }[] = [];
    const compactions: { root: string; records: CompactionRecord[] }[] = [];
    const mirrorRecords: MirrorMergeRecord[] = [];
    const mirroredStored = new Set<string>();
    const stored: { path: string; length: number }[] = [];
    const filesPerDay: Record<string, number> = {};
    let bytes = 0;
    for (const [i, root] of roots.entries()) {
      for (const partition of await listedPartitions(storage, ledgerTopicDir(root, topic))) {
        // In a DR tree, the commits the merger has handled moved to production (or were production's):
        // they are audited there, not here.
        const merged = await mergedThrough(storage, root, topic, partition);
        const entries = await readLedger(storage, root, topic, partition);
        ledgers.push({ root, entries: entries.filter((e) => e.seq > merged) });
      }
      for (const partition of await listedPartitions(storage, compactionTopicDir(root, topic)))
        compactions.push({ root, records: await readCompactions(storage, root, topic, partition) });
      for (const source of await storage.list(mirrorMergeTopicDir(root, topic))) {
        const name = source.name.replace('source=', '');
        for (const partition of await listedPartitions(storage, source.path))
          mirrorRecords.push(...(await readMirrorMerges(storage, root, topic, name, partition)));
      }
      const sources = new Set(mirrorRecords.map((r) => r.source));
      for (const day of await storage.list(topicDir(root, topic))) {
        if (!day.name.startsWith('dt=')) continue;
        const dt = day.name.slice(3);
        for (const file of await storage.list(day.path)) {
          const parsed = parseFileName(file.name);
          if (parsed === undefined) continue;
          if (parsed.topic !== topic) {
            if (!sources.has(parsed.topic)) continue;
            mirroredStored.add(file.path);
          }
          stored.push({ path: file.path, length: file.length });
          filesPerDay[dt] = (filesPerDay[dt] ?? 0) + 1;
          const dir = path.join(work, String(i), `topic=${topic}`, `dt=${dt}`);
          mkdirSync(dir, { recursive: true });
          const local = path.join(dir, file.name);
          const content = await storage.read(file.path);
          bytes += content.byteLength;
          writeFileSync(local, content);
          localToStored.set(local, { path: file.path, dt, partition: parsed.partition });
        }
      }
    }
    const kafka = options.kafka === undefined ? undefined : await options.kafka();
    const files: AuditedFile[] = [];
    let duckdbRowsPerDay: Record<string, number> = {};
    if (localToStored.size > 0) {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        const glob = `${work}/*/topic=${topic}/*/*.parquet`.replaceAll("'", "''");
        const offsets = await connection.runAndReadAll(
          `SELECT filename, _kafka_offset::DOUBLE AS o FROM read_parquet('${glob}', filename = true) ORDER BY filename`,
        );
        const [names = [], values = []] = offsets.getColumnsJS() as [unknown[], unknown[]];
        const byFile = new Map<string, number[]>();
        names.forEach((name, row) => {
          const list = byFile.get(String(name)) ?? [];
          list.push(Number(values[row]));
          byFile.set(String(name), list);
        });
        for (const [local, stored] of localToStored) {
          files.push({
            path: stored.path,
            dt: stored.dt,
            partition: stored.partition,
            offsets: byFile.get(local) ?? [],
          });
        }
        const days = await connection.runAndReadAll(
          `SELECT dt::VARCHAR AS dt, count(*)::DOUBLE AS n FROM read_parquet('${glob}', hive_partitioning = true) GROUP BY dt ORDER BY dt`,
        );
        duckdbRowsPerDay = Object.fromEntries(
          (days.getRowsJS() as [string, number][]).map(([dt, n]) => [dt, Number(n)]),
        );
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    }
    const own = files.filter((f) => !mirroredStored.has(f.path));
    const mirrored = [...new Set(mirrorRecords.map((r) => r.source))].flatMap((source) =>
      auditMirrored(
        mirrorRecords,
        files.filter((f) => mirroredStored.has(f.path) && parseFileName(baseName(f.path))?.topic === source),
        stored,
        source,
      ),
    );
    const report = audit({
      topic,
      files: own,
      ledgers,
      compactions,
      stored: stored.filter((f) => !mirroredStored.has(f.path)),
      ...(kafka === undefined ? {} : { kafka }),
      ...(options.maxLag === undefined ? {} : { maxLag: options.maxLag }),
    });
    const ok = report.ok && mirrored.every((m) => m.duplicateCount === 0 && m.missingFiles.length === 0);
    return { ...report, ok, duckdbRowsPerDay, filesPerDay, bytes, roots: [...roots], mirrored };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function formatAudit(report: TopicAudit): string {
  const lines = [
    `topic ${report.topic} (${report.roots.join(', ')}): ${report.files} files, ${report.bytes} bytes`,
  ];
  for (const p of report.partitions) {
    const ranges = p.committed.map((r) => `${r.from}..${r.to}`).join(', ') || '(none)';
    lines.push(
      `  partition ${p.partition}: offsets ${ranges}; ${p.rows} rows, ${p.deadLettered} dead-lettered, ${p.skipped} skipped`,
    );
    if (p.duplicateCount > 0)
      lines.push(
        `    DUPLICATES: ${p.duplicateCount} (first: ${p.duplicates.map((d) => `${d.offset}x${d.count}`).join(', ')})`,
      );
    if (p.kafka !== undefined)
      lines.push(`    kafka: log ${p.kafka.low}..${p.kafka.high - 1}; uncommitted (lag): ${p.lag ?? 0}`);
    if (p.beyondKafka !== undefined)
      lines.push(
        `    BEYOND KAFKA: offsets ${p.beyondKafka.from}..${p.beyondKafka.to} are accounted for but Kafka's log ends at ${(p.kafka?.high ?? 0) - 1}: the topic was made again, or this root belongs to another cluster`,
      );
    if (p.holes.length > 0) lines.push(`    HOLES: ${p.holes.map((h) => `${h.from}..${h.to}`).join(', ')}`);
    for (const b of p.ledgerBreaks) lines.push(`    LEDGER BREAK: ${b}`);
    for (const m of p.missingFiles) lines.push(`    FILE: ${m}`);
    if (p.fromDr.commits > 0)
      lines.push(
        `    from DR: ${p.fromDr.rows} rows in ${p.fromDr.commits} merged commits (offsets ${p.fromDr.ranges.map((r) => `${r.from}..${r.to}`).join(', ')})`,
      );
    if (p.compacted.outputs > 0)
      lines.push(`    compacted: ${p.compacted.inputs} files joined into ${p.compacted.outputs}`);
  }
  for (const m of report.mirrored) {
    lines.push(
      `  mirrored ${m.source} partition ${m.partition}: ${m.rows} rows merged (DR offsets ${m.accounted.map((r) => `${r.from}..${r.to}`).join(', ') || 'none'}), ${m.droppedAsDuplicates} dropped as already in production`,
    );
    if (m.duplicateCount > 0) lines.push(`    DUPLICATES: ${m.duplicateCount} DR offsets stored twice`);
    for (const f of m.missingFiles) lines.push(`    FILE: ${f}`);
  }
  lines.push('  rows per day (DuckDB, hive partitioning):');
  for (const [dt, n] of Object.entries(report.duckdbRowsPerDay)) lines.push(`    dt=${dt}: ${n}`);
  lines.push(
    report.ok
      ? '  OK: every offset exactly once'
      : '  FAILED: duplicates, holes, ledger breaks, missing files, offsets beyond Kafka or lag above the limit (see above)',
  );
  return lines.join('\n');
}
