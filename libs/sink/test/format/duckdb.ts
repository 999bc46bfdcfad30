// Test support: an independent reader for the files we write. DuckDB (from npm) reads them back laid out as
// the sink lays them out (topic=<t>/dt=<day>/<file>.parquet) with hive partitioning on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

export interface Lake {
  root: string;
  /** Writes bytes to `<root>/topic=<topic>/dt=<dt>/<name>` and returns the path. */
  put(topic: string, dt: string, name: string, bytes: Uint8Array): string;
  /** `read_parquet('<root>/topic=<topic>/*\/*.parquet', hive_partitioning = true)`. */
  table(topic: string): string;
  query(sql: string): Promise<Row[]>;
  close(): void;
}

export async function openLake(): Promise<Lake> {
  const root = mkdtempSync(join(tmpdir(), 'adlake-parquet-'));
  const db = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await db.connect();
  await conn.run("SET TimeZone = 'UTC'");
  return {
    root,
    put(topic, dt, name, bytes) {
      const dir = join(root, `topic=${topic}`, `dt=${dt}`);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    table(topic) {
      return `read_parquet('${join(root, `topic=${topic}`)}/*/*.parquet', hive_partitioning = true)`;
    },
    async query(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Row[];
    },
    close() {
      conn.closeSync();
      db.closeSync();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
