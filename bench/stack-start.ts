// Measures local-stack start times and memory: cold (data wiped, download caches present), warm (restart on
// existing data), each service alone and all four together, plus RSS of every process once ready.
// Usage: node bench/stack-start.ts [--rounds N] [--cold-download]
// Uses the stack settings from the environment (ADLAKE_STACK_DIR, ports...): point them at a spare stack
// folder and ports when the main stack is in use. Refuses to run while any service of that stack is running.
import { mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { down, loadStackConfig, DEFAULT_SERVICES, silentLogger, status, up } from '@adlake/stack';
import type { ServiceName, StackConfig } from '@adlake/stack';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, 'cold-download': { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);

interface Sample {
  scenario: string;
  services: string;
  seconds: number;
  rssMiB: Record<string, number>;
}

async function rss(config: StackConfig): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await status(config)) {
    for (const p of s.processes)
      if (p.rssBytes !== undefined) out[`${s.service}/${p.role}`] = Math.round(p.rssBytes / 2 ** 20);
  }
  return out;
}

async function timeUp(
  config: StackConfig,
  services: readonly ServiceName[],
): Promise<{ seconds: number; rssMiB: Record<string, number> }> {
  const t0 = performance.now();
  const result = await up(config, { services, log: silentLogger });
  const seconds = (performance.now() - t0) / 1000;
  if (result.started.length !== services.length) throw new Error(`expected to start ${services.join(',')}`);
  return { seconds, rssMiB: await rss(config) };
}

async function main(): Promise<void> {
  const config = loadStackConfig();
  const running = (await status(config)).filter((s) => s.state !== 'stopped');
  if (running.length > 0) {
    throw new Error(
      `stack in ${config.stackDir} is running (${running.map((s) => s.service).join(', ')}): stop it or point ADLAKE_STACK_DIR and the ports elsewhere`,
    );
  }
  const samples: Sample[] = [];
  const record = (
    scenario: string,
    services: readonly string[],
    r: { seconds: number; rssMiB: Record<string, number> },
  ) => {
    samples.push({ scenario, services: services.join('+'), ...r });
    console.log(
      `${scenario.padEnd(28)} ${services.join('+').padEnd(24)} ${r.seconds.toFixed(1).padStart(6)} s  ${JSON.stringify(r.rssMiB)}`,
    );
  };

  if (values['cold-download']) {
    // True cold: no stack cache and an empty Maven repository, so everything comes from Maven Central.
    const repo = join(config.stackDir, 'bench-m2');
    rmSync(repo, { recursive: true, force: true });
    rmSync(join(config.stackDir, 'cache'), { recursive: true, force: true });
    await down(config, { wipe: true, log: silentLogger });
    const wrapper = join(config.stackDir, 'bench-mvn.sh');
    mkdirSync(config.stackDir, { recursive: true });
    writeFileSync(wrapper, `#!/bin/sh\nexec ${config.mvn} -Dmaven.repo.local=${repo} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const coldConfig: StackConfig = { ...config, mvn: wrapper };
    record('cold, empty Maven repo', DEFAULT_SERVICES, await timeUp(coldConfig, DEFAULT_SERVICES));
    await down(config, { log: silentLogger });
    rmSync(repo, { recursive: true, force: true });
  }

  for (let round = 1; round <= rounds; round++) {
    for (const service of DEFAULT_SERVICES) {
      await down(config, { services: [service], wipe: true, log: silentLogger });
      // Make sure the download cache is present so "cold" measures start-up, not Maven.
      if (round === 1)
        await up(config, { services: [service], log: silentLogger }).then(() =>
          down(config, { services: [service], wipe: true, log: silentLogger }),
        );
      record(`cold (wiped data), round ${round}`, [service], await timeUp(config, [service]));
      await down(config, { services: [service], log: silentLogger });
      record(`warm (kept data), round ${round}`, [service], await timeUp(config, [service]));
      await down(config, { services: [service], log: silentLogger });
    }
    await down(config, { wipe: true, log: silentLogger });
    record(`cold all, round ${round}`, DEFAULT_SERVICES, await timeUp(config, DEFAULT_SERVICES));
    await down(config, { log: silentLogger });
    record(`warm all, round ${round}`, DEFAULT_SERVICES, await timeUp(config, DEFAULT_SERVICES));
    await down(config, { log: silentLogger });
  }

  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `stack-start-${new Date().toISOString().replaceAll(':', '-')}.json`);
  const node = JSON.parse(
    readFileSync(join(import.meta.dirname, '../node_modules/node/package.json'), 'utf8'),
  ) as { version: string };
  writeFileSync(
    file,
    `${JSON.stringify({ jvmFastStart: config.jvmFastStart, node: node.version, samples }, null, 2)}\n`,
  );
  console.log(`results: ${file}`);
}

await main();
