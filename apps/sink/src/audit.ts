// The audit command's I/O: fetch a topic's Parquet files and ledgers from storage (every root it was
// written from: production, DR), read the stored Kafka offsets back with DuckDB as an independent engine,
// and hand them to the library's audit. Also gives DuckDB's own row count per day (hive partitioning).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { audit, ledgerTopicDir, parseFileName, readLedger, topicDir } from '@adlake/sink';
import type { AuditedFile, AuditReport, LedgerEntry, Storage } from '@adlake/sink';

export interface TopicAudit extends AuditReport {
  /** Row count per day as DuckDB reads it with hive_partitioning, over every root. */
  duckdbRowsPerDay: Record<string, number>;
  bytes: number;
  roots: string[];
}

export interface AuditOptions {
  /** Kafka's log start and end per partition, to hold the ledger against; undefined skips that check. */
  kafka?: ReadonlyMap<number, { low: number; high: number }>;
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
    const stored: { path: string; length: number }[] = [];
    let bytes = 0;
    for (const [i, root] of roots.entries()) {
      for (const p of await storage.list(ledgerTopicDir(root, topic))) {
        const partition = Number(p.name.replace('partition=', ''));
        if (Number.isInteger(partition))
          ledgers.push({ root, entries: await readLedger(storage, root, topic, partition) });
      }
      for (const day of await storage.list(topicDir(root, topic))) {
        if (!day.name.startsWith('dt=')) continue;
        const dt = day.name.slice(3);
        for (const file of await storage.list(day.path)) {
          const parsed = parseFileName(file.name);
          if (parsed === undefined || parsed.topic !== topic) continue;
          stored.push({ path: file.path, length: file.length });
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
    const report = audit({
      topic,
      files,
      ledgers,
      stored,
      ...(options.kafka === undefined ? {} : { kafka: options.kafka }),
      ...(options.maxLag === undefined ? {} : { maxLag: options.maxLag }),
    });
    return { ...report, duckdbRowsPerDay, bytes, roots: [...roots] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
    if (p.holes.length > 0) lines.push(`    HOLES: ${p.holes.map((h) => `${h.from}..${h.to}`).join(', ')}`);
    for (const b of p.ledgerBreaks) lines.push(`    LEDGER BREAK: ${b}`);
    for (const m of p.missingFiles) lines.push(`    FILE: ${m}`);
  }
  lines.push('  rows per day (DuckDB, hive partitioning):');
  for (const [dt, n] of Object.entries(report.duckdbRowsPerDay)) lines.push(`    dt=${dt}: ${n}`);
  lines.push(
    report.ok
      ? '  OK: every offset exactly once'
      : '  FAILED: duplicates, holes, ledger breaks, missing files or lag above the limit (see above)',
  );
  return lines.join('\n');
}
