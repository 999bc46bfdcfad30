// The child processes and Kafka/ledger probes the main job drives: commands run from the workspace root,
// long-running ones started in the background with their output in a log file.
import { spawn } from 'node:child_process';
import { readLedger } from '@adlake/sink';
import type { Storage } from '@adlake/sink';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import { WORKSPACE_ROOT } from './nx.ts';

export function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}

type Security = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** Runs `fn` with a connected admin client; `security`: TLS and SASL of an admin identity (secured cluster). */
async function withAdmin<T>(
  brokers: string[],
  security: Security,
  fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
): Promise<T> {
  const admin = new Kafka({
    clientId: 'adlake-main',
    brokers,
    ...security,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export function highWatermarks(
  brokers: string[],
  topics: readonly string[],
  security: Security = {},
): Promise<Map<string, number>> {
  return withAdmin(brokers, security, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const out = new Map<string, number>();
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const o of await admin.fetchTopicOffsets(topic))
        out.set(`${topic}-${o.partition}`, Number(o.high));
    }
    return out;
  });
}

export async function committedTotal(
  storage: Storage,
  root: string,
  target: Map<string, number>,
): Promise<number> {
  let n = 0;
  for (const key of target.keys()) {
    const at = key.lastIndexOf('-');
    n +=
      (await readLedger(storage, root, key.slice(0, at), Number(key.slice(at + 1)))).at(-1)?.nextOffset ?? 0;
  }
  return n;
}

export function startChild(
  command: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
): { child: ReturnType<typeof spawn>; exited: Promise<number | null>; exitCode: number | null } {
  const out = { exitCode: null as number | null };
  // exec: the shell becomes the process, so signals reach the sink itself.
  const child = spawn(`exec ${command} ${args.join(' ')} > ${logFile} 2>&1`, {
    cwd: WORKSPACE_ROOT,
    shell: true,
    env: { ...process.env, ...env },
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      out.exitCode = code ?? -1;
      resolve(code);
    }),
  );
  return Object.assign(out, { child, exited });
}

/** Runs a command from the workspace root with its output shown, or captured when `capture` is set. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  capture = false,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString());
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** Creates the topics that do not exist yet: on the secured cluster only the admin may. */
export function createTopics(
  brokers: string[],
  topics: readonly string[],
  partitions: number,
  security: Security,
): Promise<void> {
  return withAdmin(brokers, security, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
        waitForLeaders: true,
      });
    }
  });
}
