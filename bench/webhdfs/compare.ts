// Measures @adlake/webhdfs side by side with the `webhdfs` npm package (built on `request`) against the local
// HDFS: latency of create+rename+delete of a small file, MB/s of a 64 MiB write and read, and what each
// reports when a rename does not happen. The `webhdfs` package is not a workspace dependency; install it
// aside and point at it:
//   npm i --prefix /tmp/whbench webhdfs@1.2.0
//   WEBHDFS_PKG=/tmp/whbench/node_modules/webhdfs node bench/webhdfs/compare.ts [rounds=20] [mib=64] [runs=3]
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { WebHdfsClient } from '@adlake/webhdfs';

interface Ops {
  readonly name: string;
  write(path: string, data: Uint8Array): Promise<void>;
  read(path: string): Promise<Uint8Array>;
  /** What the client tells its caller about a rename: a boolean, or undefined when it says nothing. */
  rename(from: string, to: string): Promise<boolean | undefined>;
  remove(path: string): Promise<void>;
  close(): void;
}

const { webhdfsUrl, hdfsUser, hdfsHomeDir } = endpoints(loadStackConfig());
const [rounds = 20, mib = 64, runs = 3] = process.argv.slice(2).map(Number);
const pkgDir = process.env['WEBHDFS_PKG'];

function ours(): Ops {
  const client = new WebHdfsClient({ url: webhdfsUrl, user: hdfsUser });
  return {
    name: '@adlake/webhdfs',
    write: (p, d) => client.create(p, d, { overwrite: true }),
    read: (p) => client.open(p),
    rename: (a, b) => client.rename(a, b),
    remove: async (p) => void (await client.delete(p, { recursive: true })),
    close: () => client.close(),
  };
}

interface LegacyClient {
  writeFile(path: string, data: Buffer, cb: (err: Error | null) => void): unknown;
  readFile(path: string, cb: (err: Error | null, data?: Buffer) => void): unknown;
  rename(path: string, dest: string, cb: (err: Error | null, ...rest: unknown[]) => void): unknown;
  unlink(path: string, recursive: boolean, cb: (err: Error | null) => void): unknown;
}

function legacy(dir: string): Ops {
  const require = createRequire(join(dir, 'package.json'));
  const { createClient } = require(dir) as { createClient: (opts: Record<string, unknown>) => LegacyClient };
  const url = new URL(webhdfsUrl);
  const client = createClient({ user: hdfsUser, host: url.hostname, port: url.port, path: '/webhdfs/v1' });
  const call = <T>(fn: (cb: (err: Error | null, value?: T) => void) => unknown) =>
    new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  return {
    name: 'webhdfs@1.2.0 (request)',
    write: async (p, d) =>
      void (await call((cb) => client.writeFile(p, Buffer.from(d.buffer, d.byteOffset, d.byteLength), cb))),
    read: async (p) =>
      new Uint8Array((await call<Buffer>((cb) => client.readFile(p, cb))) ?? Buffer.alloc(0)),
    // Its callback receives only an error: `{"boolean": false}` is not passed on.
    rename: async (a, b) => {
      const extra = await call<unknown>((cb) => client.rename(a, b, cb));
      return typeof extra === 'boolean' ? extra : undefined;
    },
    remove: async (p) => void (await call((cb) => client.unlink(p, true, cb))),
    close: () => undefined,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function bench(ops: Ops, dir: string): Promise<Record<string, string>> {
  const small = randomBytes(1024);
  const triples: number[] = [];
  const renames: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await ops.write(`${dir}/s${i}.tmp`, small);
    const t1 = performance.now();
    await ops.rename(`${dir}/s${i}.tmp`, `${dir}/s${i}`);
    const t2 = performance.now();
    await ops.remove(`${dir}/s${i}`);
    triples.push(performance.now() - t0);
    renames.push(t2 - t1);
  }
  const big = randomBytes(mib * 1024 * 1024);
  const digest = createHash('sha256').update(big).digest('hex');
  const writes: number[] = [];
  const reads: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await ops.write(`${dir}/big`, big);
    const t1 = performance.now();
    const back = await ops.read(`${dir}/big`);
    const t2 = performance.now();
    if (createHash('sha256').update(back).digest('hex') !== digest)
      throw new Error(`${ops.name}: read back differs`);
    writes.push(mib / ((t1 - t0) / 1000));
    reads.push(mib / ((t2 - t1) / 1000));
  }
  await ops.write(`${dir}/x`, small);
  await ops.write(`${dir}/y`, small);
  const refused = await ops.rename(`${dir}/x`, `${dir}/y`);
  return {
    client: ops.name,
    'create+rename+delete 1 KiB (median / p90)': `${ms(median(triples))} / ${ms(p90(triples))}`,
    'rename alone (median)': ms(median(renames)),
    [`write ${mib} MiB (median MB/s of ${runs})`]: median(writes).toFixed(0),
    [`read ${mib} MiB (median MB/s of ${runs})`]: median(reads).toFixed(0),
    'rename onto an existing file reports':
      refused === undefined ? 'nothing (success callback)' : String(refused),
  };
}

const results: Record<string, string>[] = [];
const candidates: Ops[] = [ours()];
if (pkgDir === undefined) console.log('WEBHDFS_PKG not set: measuring @adlake/webhdfs only');
else candidates.push(legacy(pkgDir));
for (const ops of candidates) {
  const dir = `${hdfsHomeDir}/bench-webhdfs-${Date.now().toString(36)}`;
  try {
    results.push(await bench(ops, dir));
  } finally {
    await ops.remove(dir).catch(() => undefined);
    ops.close();
  }
}
console.log(`node ${process.version}, ${rounds} rounds, ${mib} MiB x ${runs}, HDFS at ${webhdfsUrl}`);
console.table(results);
