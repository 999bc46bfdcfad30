// Parquet size against parquet-mr: the same AdImpression rows (the simulator's, as the demo sends them,
// decoded by avsc as the sink sees them, with the lineage columns) written by our writer with snappy, then
// read by Spark 3.5 and written again by its parquet-mr writer with snappy, timestamps kept as INT64
// millis. Reports bytes per row of each and the ratio, and fails unless Spark reads every row of both
// files back equal. Spark comes from the tests' Python witnesses (test/python/requirements.txt).
//
//   node bench/parquet/size.ts [--rows 200000]
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AdImpression } from '@adlake/events';
import { createParquetFileWriter } from '@adlake/sink';
import { AdServerSimulator } from '@adlake/simulator';
import { runPython } from '../../test/support/python.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' } } });
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows <= 0)
  throw new Error(`--rows: "${values.rows}" is not a positive whole number`);

const work = mkdtempSync(join(tmpdir(), 'adlake-parquet-size-'));
try {
  const sim = new AdServerSimulator({ seed: 7, days: 2, now: Date.parse('2026-11-29T00:00:00Z') });
  const writer = createParquetFileWriter({ avroSchema: AdImpression.schema, compression: 'snappy' });
  for (let offset = 0; offset < rows;) {
    const e = sim.next();
    if (e.kind !== 'impression') continue;
    const value = AdImpression.decode(AdImpression.encode(e.value as never));
    writer.append(value, {
      topic: 'adserver.impressions',
      partition: 0,
      offset,
      timestamp: 1_764_374_400_000 + offset,
    });
    offset++;
  }
  const ours = join(work, 'ours.parquet');
  writeFileSync(ours, writer.finish());
  const oursBytes = statSync(ours).size;
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
  console.log('every row reads back equal from both files (Spark)');
  const results = join(import.meta.dirname, '..', 'results');
  mkdirSync(results, { recursive: true });
  const file = join(results, `parquet-size-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, JSON.stringify({ rows, oursBytes, ...spark, ratio }, null, 2));
  console.log(`results: ${file}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
