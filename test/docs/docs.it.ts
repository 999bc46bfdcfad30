// The README's and docs' commands and URLs, run as written against the local stack. Every command the docs
// show (in a bash block or as inline code) must be in PLANS below: run, or excluded with the reason. A run
// must exit as the plan says and print no warning that is not in KNOWN_WARNINGS; a URL must answer.
// Benchmarks run too with ADLAKE_DOCS_BENCH=1 (`ADLAKE_DOCS_BENCH=1 npm run test:integration`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

type Plan =
  | {
      /** Exit code expected (default 0). */
      code?: number;
      timeoutMs?: number;
      /** A service: stopped with SIGTERM after this long, and must then exit with `code`. */
      stopAfterMs?: number;
      /** Files or directories the command creates in the repository, removed afterwards. */
      creates?: string[];
      /** Not shown verbatim in the docs: why it runs here anyway. */
      checks?: string;
      /** A benchmark: minutes of CPU on a shared machine, so it runs only with ADLAKE_DOCS_BENCH=1. */
      bench?: true;
      /** Environment the docs tell the user to set for this command (values for the local stack). */
      env?: Record<string, string>;
      /** For a service: what its output must show after the SIGTERM (a clean stop, not a kill). */
      stopped?: RegExp;
    }
  | { skip: string };

const MINUTE = 60_000;
const stack = endpoints(loadStackConfig());
/** docs/release.md's environment, for the local stack. */
const RELEASE_ENV = {
  AVRO_GOV_REGISTRY_URL: stack.registryUrl,
  AVRO_GOV_NPM_REGISTRY: stack.npmRegistryUrl,
  AVRO_GOV_NPM_USERCONFIG: stack.npmrcPath,
};

/**
 * Every documented command, in the order they run. The main job goes first: it registers the schemas and
 * fills the lake that the audit, compat-against-registry and release commands then work on.
 */
const PLANS: ReadonlyMap<string, Plan> = new Map<string, Plan>([
  ['npm ci && npm run main', { skip: 'npm ci is what CI ran before this test; `npm run main` runs next' }],
  ['npm run main', { timeoutMs: 10 * MINUTE }],
  ['npm run main -- --secure --events 20000', { timeoutMs: 10 * MINUTE }],
  ['npm ci && npm test', { skip: 'this test is part of `npm test`' }],
  ['npm test', { skip: 'this test is part of it' }],
  ['adlake-sink run', { skip: 'prose: the command named, its options follow' }],
  ['adlake-sink audit --topic T', { skip: 'synopsis; the audit runs above' }],
  [
    'adlake-sink run --config dr.json',
    {
      skip: "synopsis with an operator's files; test/sink/failover.it.ts runs a DR sink with these settings",
    },
  ],
  [
    'adlake-sink merge --config prod.json --dr-config dr.json [--watch]',
    { skip: 'synopsis; test/sink/failover.it.ts and `npm run main -- --failover-drill` run the merger' },
  ],
  [
    'adlake-sink compact --config prod.json [--watch]',
    { skip: 'synopsis; test/sink/failover.it.ts and `npm run main -- --failover-drill` run the compactor' },
  ],
  [
    'adlake-sink audit --topic adserver.impressions --config prod.json',
    { skip: 'synopsis; the audit runs above' },
  ],

  ['npm run test:integration', { skip: 'this test is part of the integration tests' }],
  ['npm ci', { skip: 'what CI ran before this test; `npm ci --dry-run` below checks its output' }],
  [
    'npm ci --dry-run',
    { checks: 'what `npm ci` prints on this machine, without reinstalling under the tests' },
  ],
  ['npm run lint', { timeoutMs: 10 * MINUTE }],
  ['npm run typecheck', { timeoutMs: 10 * MINUTE }],
  ['npm run test:unit', { timeoutMs: 15 * MINUTE }],
  ['npm run stack -- up', {}],
  [
    'npm run stack -- up kafka-dr mirrormaker',
    { skip: 'the same services as `up mirrormaker`, named one by one; skipped for the same reason' },
  ],
  [
    'npm run stack -- up mirrormaker',
    {
      skip: 'would leave the optional DR JVMs running; test/smoke/mirrormaker.it.ts starts them with the same up() and stops them',
    },
  ],
  [
    'npm run stack -- up kafka-secure',
    {
      skip: 'would leave the optional secured JVM running; test/smoke/kafka-secure.it.ts starts it with the same up() and stops it',
    },
  ],
  [
    'npm run stack -- up registry-secure',
    {
      skip: 'would leave Keycloak and the secured registry running; test/smoke/registry-secure.it.ts starts them with the same up() and stops them',
    },
  ],
  ['npm run stack -- --help', {}],
  ['npm run stack -- status', { checks: 'the README lists `up`, `down`, `status`' }],
  [
    'npm run stack -- up|down|status|logs [service...]',
    { skip: 'synopsis; `up`, `status` and `--help` run' },
  ],
  ['npx avro-gov lint', {}],
  ['npx avro-gov compat', {}],
  ['npx avro-gov compat --against registry --registry-url http://127.0.0.1:8081/apis/ccompat/v7', {}],
  [
    'npx avro-gov compat --schema NEW.avsc --previous OLD1.avsc --previous OLD2.avsc --level FULL_TRANSITIVE --format json',
    { skip: 'synopsis with placeholder files; single-file mode is tested in apps/avro-gov/test' },
  ],
  ['npx avro-gov generate', { creates: ['generated'] }],
  ['npx avro-gov generate --out generated', { creates: ['generated'] }],
  ['npx nx affected -t avro-lint avro-compat', { timeoutMs: 5 * MINUTE }],
  ['tools/ci/schema-release.sh pr', { timeoutMs: 5 * MINUTE }],
  ['tools/ci/schema-release.sh release --dry-run', { timeoutMs: 5 * MINUTE, env: RELEASE_ENV }],
  ['tools/ci/schema-release.sh release', { timeoutMs: 10 * MINUTE, env: RELEASE_ENV }],
  ['npx adlake-loadgen --events 100000', { timeoutMs: 5 * MINUTE }],
  [
    'npx adlake-sink settings',
    { checks: 'docs/sink.md shows `adlake-sink settings`; a checkout runs it with npx' },
  ],
  [
    'adlake-sink settings',
    { skip: 'the bin without npx, as an installed app runs it; `npx adlake-sink settings` runs' },
  ],
  [
    'npx adlake-sink run --config apps/sink/sink.local.json',
    { stopAfterMs: 20_000, timeoutMs: 2 * MINUTE, stopped: /"event":"sink\.stopped"/ },
  ],
  ['npx adlake-sink compact --config apps/sink/sink.local.json', { timeoutMs: 5 * MINUTE }],
  [
    'npx adlake-sink merge --config apps/sink/sink.local.json --dr-config dr.json',
    { skip: 'dr.json stands for the DR sink’s settings; test/sink/failover.it.ts runs the merger' },
  ],
  [
    'adlake-sink run --config apps/sink/sink.local.json',
    { skip: 'the bin without npx; `npx adlake-sink run --config apps/sink/sink.local.json` runs' },
  ],
  ['npx adlake-sink audit --topic adserver.impressions --config apps/sink/sink.local.json', {}],
  [
    'adlake-sink audit --topic adserver.impressions [--also-root /data/lake/dr] [--format json]',
    { skip: 'synopsis; the audit runs above' },
  ],
  ['npm run bench:governance', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npm run bench:parquet', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npm run bench:parquet-size', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npm run bench:sdk', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npm run bench:sink', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npx node bench/codegen/compare.ts', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npx node bench/webhdfs/compare.ts', { timeoutMs: 15 * MINUTE, bench: true }],
  [
    'npx node bench/stack-start.ts',
    { skip: 'refuses to run while the stack the tests use is up; local-stack.md shows it on spare ports' },
  ],
  ['npx node bench/sink/throughput.ts --events 300000', { skip: 'what `npm run bench:sink` runs' }],
  // The 800,000-event table of docs/benchmarks.md.
  ['npx node bench/sink/throughput.ts --events 800000', { timeoutMs: 20 * MINUTE, bench: true }],
  ['npx node bench/sink/throughput.ts --events 200000 --secure', { timeoutMs: 20 * MINUTE, bench: true }],
  [
    'npx node bench/sink/profile-summary.ts DIR/<file>.cpuprofile',
    { skip: 'synopsis: it reads the profile a `bench:sink --profile DIR` run wrote' },
  ],
  ['npm run bench:dr', { timeoutMs: 15 * MINUTE, bench: true }],
  ['node bench/dr/maintenance.ts', { skip: 'what `npm run bench:dr` runs' }],
  ['npm run bench:latency', { timeoutMs: 15 * MINUTE, bench: true }],
  ['node bench/dr/latency.ts', { skip: 'what `npm run bench:latency` runs' }],
  ['npm run bench:latency -- --rotation-ms 30000', { timeoutMs: 15 * MINUTE, bench: true }],
  // Its 1,000,000 events give docs/benchmarks.md's files per day before and after compaction.
  ['npm run main -- --failover-drill', { timeoutMs: 20 * MINUTE, bench: true }],
  [
    'npx node bench/parquet/write.ts [--rows N] [--candidates a,b]',
    { skip: 'synopsis; `npm run bench:parquet` runs' },
  ],
  [
    'npx node bench/webhdfs/compare.ts [rounds] [MiB] [runs]',
    { skip: 'synopsis; run without arguments above' },
  ],
  ['npx node bench/parquet/write.ts', { skip: 'what `npm run bench:parquet` runs' }],
  ['npx node bench/parquet/size.ts', { skip: 'what `npm run bench:parquet-size` runs' }],
  // docs/sdk.md and docs/benchmarks.md: the SDK's CPU per event over raw kafkajs at three batch sizes.
  [
    'npm run bench:sdk -- --batches 1,100,1000 --requests 1000 --rounds 7',
    { timeoutMs: 20 * MINUTE, bench: true },
  ],
  [
    'npx node bench/sdk/pool.ts bench/results/sdk-ratio-*.json',
    {
      skip: 'pools result files of earlier benchmark runs; bench/results is git-ignored, so a checkout has none',
    },
  ],
  ['npx node bench/sdk/pool.ts <result files>', { skip: 'synopsis of the command above' }],
  ['npx node bench/sdk/pool.ts', { skip: 'named without its result files; run with them above' }],
  // docs/decisions/0011: the same with @platformatic/kafka's raw sends alongside.
  [
    'npm run bench:sdk -- --batches 1,100,1000 --requests 1000 --rounds 5 --client platformatic',
    { timeoutMs: 25 * MINUTE, bench: true },
  ],
  // The before/after table of docs/benchmarks.md: the same benchmarks with the options that table used.
  ['npx node bench/sdk/send.ts --events 100000 --rounds 3', { timeoutMs: 15 * MINUTE, bench: true }],
  [
    'npx node bench/sdk/send.ts --events 5000 --batch 1 --rounds 3 --only sdk',
    { timeoutMs: 15 * MINUTE, bench: true },
  ],
  [
    'npx node bench/parquet/write.ts --rows 500000 --candidates adlake',
    { timeoutMs: 15 * MINUTE, bench: true },
  ],
  [
    'npx node bench/parquet/write.ts --rows 300000 --candidates adlake',
    { timeoutMs: 15 * MINUTE, bench: true },
  ],
  ['npx node bench/parquet/size.ts --rows 100000', { timeoutMs: 15 * MINUTE, bench: true }],
  ['npx node bench/parquet/size.ts --size-only', { timeoutMs: 15 * MINUTE, bench: true }],
  [
    'npx node bench/governance/lint-compat.ts --runs 3 --cold-runs 2',
    { timeoutMs: 30 * MINUTE, bench: true },
  ],
  [
    'npx node bench/governance/lint-compat.ts --runs 3 --cold-runs 3',
    { timeoutMs: 30 * MINUTE, bench: true },
  ],
  ['npx node --test libs/event-runtime/test/longs.test.ts', {}],
  ['npx node tools/dev/src/cli-corpus.ts --out /tmp/after', {}],
  [
    'node tools/dev/src/cli-corpus.ts --out <dir>',
    {
      skip: "placeholder folder; docs/contributing.md's `npx node tools/dev/src/cli-corpus.ts --out /tmp/after` runs",
    },
  ],
  ['npx node', { skip: 'prose: "use `npx node`" in a shell' }],
  ['npx node …', { skip: 'prose: a pattern, not a command' }],
  ['npm run …', { skip: 'prose: a pattern, not a command' }],
]);

/**
 * Warnings that may appear in a command's output, each with why it is expected. Anything else that looks
 * like a warning fails the test.
 */
const KNOWN_WARNINGS: readonly { pattern: RegExp; why: string }[] = [];

const WARNING = /\bwarn(ing)?\b|deprecat|EBADENGINE|\(node:\d+\)/i;

/** Inline code that reads like a command; module names and paths (`node:test`, `node_modules/.bin`) do not. */
const INLINE_COMMAND =
  /^(npx \S|npm (run|ci|test)\b|node \S+\.ts|tools\/ci\/|adlake-sink (run|audit|settings)\b)/;

function documentFiles(): string[] {
  const docs = readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md'));
  const decisions = readdirSync(join(REPO, 'docs', 'decisions')).filter((f) => f.endsWith('.md'));
  return [
    'README.md',
    ...docs.map((f) => `docs/${f}`),
    ...decisions.map((f) => `docs/decisions/${f}`),
  ].sort();
}

function documented(): { commands: Map<string, string[]>; urls: Map<string, string[]> } {
  const commands = new Map<string, string[]>();
  const urls = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, file: string): void => {
    map.set(key, [...new Set([...(map.get(key) ?? []), file])]);
  };
  for (const file of documentFiles()) {
    const text = readFileSync(join(REPO, file), 'utf8');
    for (const block of text.matchAll(/```(?:bash|sh|shell)\n([\s\S]*?)```/g)) {
      for (const line of (block[1] ?? '').split('\n')) {
        // A trailing "  # ..." explains the command; it is not part of it.
        const command = line.replace(/\s{2,}#.*$/, '').trim();
        if (command !== '' && !command.startsWith('#')) add(commands, command.replace(/\s+/g, ' '), file);
      }
    }
    for (const span of text.matchAll(/`([^`\n]+)`/g)) {
      const code = (span[1] ?? '').trim();
      if (INLINE_COMMAND.test(code)) add(commands, code.replace(/\s+/g, ' '), file);
    }
    for (const url of text.matchAll(/https?:\/\/127\.0\.0\.1:\d+[^\s`'")\]]*/g)) {
      // `http://127.0.0.1:9864/...` is a pattern; a sentence's full stop is not part of an address.
      if (!url[0].endsWith('...')) add(urls, url[0].replace(/[.,;:]+$/, ''), file);
    }
  }
  return { commands, urls };
}

interface Ran {
  code: number | null;
  output: string;
}

function run(
  command: string,
  plan: { timeoutMs?: number; stopAfterMs?: number; env?: Record<string, string> },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // A user's shell: the machine's PATH (its own Node), not this test's pinned one.
    // Nor this test runner's context: a `node --test` started inside it would think it is a subtest.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const child = spawn('bash', ['-c', command], {
      cwd: REPO,
      env: { ...env, FORCE_COLOR: '0', ...plan.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const signal = (name: NodeJS.Signals): void => {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    };
    const stop =
      plan.stopAfterMs === undefined ? undefined : setTimeout(() => signal('SIGTERM'), plan.stopAfterMs);
    const kill = setTimeout(
      () => {
        signal('SIGKILL');
        reject(new Error(`${command}: still running after ${(plan.timeoutMs ?? 2 * MINUTE) / 1000} s`));
      },
      plan.timeoutMs ?? 2 * MINUTE,
    );
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(kill);
      if (stop !== undefined) clearTimeout(stop);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

function unknownWarnings(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => WARNING.test(line) && !KNOWN_WARNINGS.some((w) => w.pattern.test(line)));
}

const { commands, urls } = documented();

describe('the docs’ commands', () => {
  test('every documented command is planned, and every plan is still documented', () => {
    const unplanned = [...commands.keys()].filter((c) => !PLANS.has(c));
    assert.deepEqual(unplanned, [], 'documented commands with no plan: run them here, or say why not');
    const stale = [...PLANS].filter(([c, plan]) => !commands.has(c) && !('checks' in plan)).map(([c]) => c);
    assert.deepEqual(stale, [], 'plans for commands the docs no longer show');
  });

  const benches = process.env['ADLAKE_DOCS_BENCH'] === '1';
  for (const [command, plan] of PLANS) {
    if ('skip' in plan) continue;
    if (plan.bench === true && !benches) continue;
    test(
      `${command} (${(commands.get(command) ?? ['this test']).join(', ')})`,
      { timeout: (plan.timeoutMs ?? 2 * MINUTE) + MINUTE },
      async () => {
        const existed = (plan.creates ?? []).filter((p) => existsSync(join(REPO, p)));
        try {
          const ran = await run(command, plan);
          if (plan.stopped !== undefined) {
            // npx passes the SIGTERM on and ends by the signal itself once the service has stopped.
            assert.match(
              ran.output,
              plan.stopped,
              `${command} did not stop cleanly:\n${ran.output.slice(-4000)}`,
            );
            assert.ok(
              ran.code === null || ran.code === 0 || ran.code === 143,
              `${command} exited ${ran.code}`,
            );
          } else {
            assert.equal(
              ran.code,
              plan.code ?? 0,
              `${command} exited ${ran.code}:\n${ran.output.slice(-4000)}`,
            );
          }
          assert.deepEqual(unknownWarnings(ran.output), [], `${command} printed warnings`);
        } finally {
          for (const p of plan.creates ?? [])
            if (!existed.includes(p)) rmSync(join(REPO, p), { recursive: true, force: true });
        }
      },
    );
  }
});

describe('the docs’ URLs', () => {
  for (const [url, files] of urls) {
    test(`${url} (${files.join(', ')})`, async () => {
      // An API base answers on its resources, not on itself.
      const target = url.endsWith('/apis/ccompat/v7')
        ? `${url}/subjects`
        : url === stack.webhdfsUrl
          ? `${url}/webhdfs/v1/?op=GETFILESTATUS&user.name=${stack.hdfsUser}`
          : url;
      const answer = await fetch(target, { redirect: 'follow', signal: AbortSignal.timeout(10_000) });
      assert.ok(answer.ok, `${target} answered ${answer.status}`);
    });
  }
});
