// Pools the rounds of several `bench:sdk --batches` result files (bench/results/sdk-ratio-*.json): per batch size,
// all rounds' SDK CPU over all rounds' events against the same for raw kafkajs, and the median of every round's
// ratio. One run's median moves by several percent on a shared machine; the pool of a few runs moves less.
// Run: `node bench/sdk/pool.ts <result.json> [<result.json> ...]`.
import { readFileSync } from 'node:fs';

interface Measure {
  events: number;
  cpuMs: number;
}

interface Result {
  commit: string;
  rows: { batch: number; rounds: { raw: Measure; sdk: Measure; ratio: number }[] }[];
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node bench/sdk/pool.ts <bench/results/sdk-ratio-*.json> ...');
  process.exit(2);
}

const pools = new Map<number, { raw: Measure; sdk: Measure; ratios: number[] }>();
const commits = new Set<string>();
for (const file of files) {
  const result = JSON.parse(readFileSync(file, 'utf8')) as Result;
  commits.add(result.commit);
  for (const row of result.rows) {
    let pool = pools.get(row.batch);
    if (pool === undefined) {
      pool = { raw: { events: 0, cpuMs: 0 }, sdk: { events: 0, cpuMs: 0 }, ratios: [] };
      pools.set(row.batch, pool);
    }
    for (const round of row.rounds) {
      pool.raw.events += round.raw.events;
      pool.raw.cpuMs += round.raw.cpuMs;
      pool.sdk.events += round.sdk.events;
      pool.sdk.cpuMs += round.sdk.cpuMs;
      pool.ratios.push(round.ratio);
    }
  }
}

const perEvent = (m: Measure): number => (m.cpuMs * 1000) / m.events;
console.log(`${files.length} runs, commits ${[...commits].join(', ')}`);
console.log(
  '| batch | rounds | raw kafkajs CPU µs/event | SDK CPU µs/event | SDK ÷ raw (pooled) | SDK ÷ raw (median of rounds) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [batch, pool] of [...pools].sort((a, b) => a[0] - b[0])) {
  const sorted = [...pool.ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  console.log(
    `| ${batch} | ${sorted.length} | ${perEvent(pool.raw).toFixed(2)} | ${perEvent(pool.sdk).toFixed(2)} | ` +
      `${(perEvent(pool.sdk) / perEvent(pool.raw)).toFixed(3)} | ${median.toFixed(3)} |`,
  );
}
