// Parquet size against parquet-mr: the same AdImpression rows (the simulator's, as the demo sends them,
// decoded by avsc as the sink sees them, with the lineage columns) written by our writer with snappy, then
// read by Spark 3.5 and written again by its parquet-mr writer with snappy, timestamps kept as INT64
// millis. Reports bytes per row of each and the ratio, and fails unless Spark reads every row of both
// files back equal and DuckDB reads every row of ours equal to the same row of parquet-mr's file. Spark
// comes from the tests' Python witnesses (test/python/requirements.txt), DuckDB from npm. Also reports our
// writer's CPU per row on these rows (decoded beforehand, so only the writer is timed); `--size-only` stops
// there, without Spark, for comparing commits.
//
//   node bench/parquet/size.ts [--rows 200000] [--size-only]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { AdImpression } from '@adlake/events';
import { footerOf } from '@adlake/parquet';
import { createParquetFileWriter } from '@adlake/sink';
import { AdServerSimulator } from '@adlake/simulator';
import { runPython } from '../../test/support/python.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '200000' }, 'size-only': { type: 'boolean', default: false } },
});
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows <= 0)
  throw new Error(`--rows: "${values.rows}" is not a positive whole number`);

const work = mkdtempSync(join(tmpdir(), 'adlake-parquet-size-'));
try {
  const sim = new AdServerSimulator({ seed: 7, days: 2, now: Date.parse('2026-11-29T00:00:00Z') });
  const decoded: unknown[] = [];
  while (decoded.length < rows) {
    const e = sim.next();
    if (e.kind === 'impression') decoded.push(AdImpression.decode(AdImpression.encode(e.value as never)));
  }
  const cpu = process.cpuUsage();
  const writer = createParquetFileWriter({ avroSchema: AdImpression.schema, compression: 'snappy' });
  for (let offset = 0; offset < rows; offset++) {
    writer.append(decoded[offset], {
      topic: 'adserver.impressions',
      partition: 0,
      offset,
      timestamp: 1_764_374_400_000 + offset,
    });
  }
  const bytes = writer.finish();
  const used = process.cpuUsage(cpu);
  const writerCpuSeconds = (used.user + used.system) / 1e6;
  const ours = join(work, 'ours.parquet');
  writeFileSync(ours, bytes);
  const oursBytes = statSync(ours).size;
  console.log(
    `our writer: ${oursBytes} bytes (${(oursBytes / rows).toFixed(1)} per row), ${writerCpuSeconds.toFixed(2)} CPU s, ${Math.round(rows / writerCpuSeconds).toLocaleString('en-US')} rows per CPU-second`,
  );
  if (values['size-only']) {
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  }
  const out = join(work, 'spark');
  const spark = JSON.parse(
    await runPython('spark_rewrite.py', [ours, out], '', 15 * 60_000, { TZ: 'UTC' }),
  ) as {
    oursRows: number;
    sparkRows: number;
    sparkBytes: number;
    sparkFiles: number;
    equal: boolean;
    sparkVersion: string;
  };
  if (spark.oursRows !== rows || spark.sparkRows !== rows || !spark.equal) {
    throw new Error(`Spark did not read the same rows back: ${JSON.stringify(spark)}`);
  }
  const duck = await duckdbCompare(ours, join(out, 'part-*.parquet'));
  if (duck.ours !== rows || duck.onlyOurs !== 0 || duck.onlySpark !== 0) {
    throw new Error(`DuckDB did not read our rows as parquet-mr's: ${JSON.stringify(duck)}`);
  }
  const footer = footerOf(readFileSync(ours));
  const chunks = footer.rowGroups.flatMap((g) => g.columns);
  const dictionaryChunks = chunks.filter((c) => c.dictionaryPageOffset !== undefined).length;
  const ratio = oursBytes / spark.sparkBytes;
  console.log(
    `Parquet size, ${rows} AdImpression rows with lineage columns, snappy (Spark ${spark.sparkVersion})`,
  );
  console.log('| writer | bytes | bytes per row | vs parquet-mr |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| adlake | ${oursBytes} | ${(oursBytes / rows).toFixed(1)} | ${ratio.toFixed(3)}x |`);
  console.log(
    `| parquet-mr (Spark) | ${spark.sparkBytes} | ${(spark.sparkBytes / rows).toFixed(1)} | 1.000x |`,
  );
  console.log(
    `ours: ${footer.rowGroups.length} row groups, ${dictionaryChunks} of ${chunks.length} column chunks dictionary-encoded`,
  );
  const name = (c: { path: readonly string[] }): string => c.path.join('.');
  const dictionaryColumns = [
    ...new Set(chunks.filter((c) => c.dictionaryPageOffset !== undefined).map(name)),
  ];
  console.log(`dictionary-encoded columns: ${dictionaryColumns.join(', ')}`);
  console.log(
    `PLAIN columns: ${[...new Set(chunks.map(name))].filter((c) => !dictionaryColumns.includes(c)).join(', ')}`,
  );
  console.log(
    "every row reads back equal from both files (Spark), and from ours as from parquet-mr's (DuckDB)",
  );
  const results = join(import.meta.dirname, '..', 'results');
  mkdirSync(results, { recursive: true });
  const file = join(results, `parquet-size-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        rows,
        oursBytes,
        writerCpuSeconds,
        ...spark,
        ratio,
        duckdb: duck,
        dictionaryChunks,
        chunks: chunks.length,
      },
      null,
      2,
    ),
  );
  console.log(`results: ${file}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * DuckDB's reading of both files, compared as multisets of rows: how many rows it reads from ours and how
 * many rows of each file have no equal row in the other.
 */
async function duckdbCompare(
  oursPath: string,
  sparkGlob: string,
): Promise<{ ours: number; onlyOurs: number; onlySpark: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const one = async (sql: string): Promise<number> =>
      Number((await conn.runAndReadAll(sql)).getRowObjectsJson()[0]?.['n']);
    const a = `read_parquet('${oursPath}')`;
    const b = `read_parquet('${sparkGlob}')`;
    return {
      ours: await one(`SELECT count(*)::BIGINT AS n FROM ${a}`),
      onlyOurs: await one(
        `SELECT count(*)::BIGINT AS n FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`,
      ),
      onlySpark: await one(
        `SELECT count(*)::BIGINT AS n FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`,
      ),
    };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
