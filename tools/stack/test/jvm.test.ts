// jvmService with a stand-in `java` (a shell script) and a warm download cache: the common steps run in
// order, and the daemons get the common flags, the markers and the spec's own arguments.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { loadStackConfig } from '../src/config.ts';
import type { ServiceName } from '../src/config.ts';
import type { Daemon } from '../src/proc.ts';
import { readPidState } from '../src/proc.ts';
import { jvmService } from '../src/services/jvm.ts';
import type { JvmServiceSpec } from '../src/services/jvm.ts';
import type { ServiceContext } from '../src/services/service.ts';
import { cacheDir, MAVEN_DIR, pidFile, serviceDir } from '../src/services/service.ts';
import { run } from '../src/tools.ts';

/** A JDK home whose `java -version` claims `major`, and whose `java …` writes its arguments to ./args. */
function fakeJdk(root: string, major: number): string {
  const home = join(root, `jdk-${major}`);
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(
    join(home, 'bin', 'java'),
    `#!/bin/sh\nif [ "$1" = "-version" ]; then echo 'openjdk version "${major}.0.9" 2023-10-17' >&2; exit 0; fi\n` +
      `printf '%s\\n' "$@" > args\n`,
  );
  chmodSync(join(home, 'bin', 'java'), 0o755);
  return home;
}

function setup(t: TestContext, service: ServiceName, major = 21) {
  const root = mkdtempSync(join(tmpdir(), 'stack-jvm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const jdk = fakeJdk(root, major);
  const config = loadStackConfig({
    ADLAKE_STACK_DIR: join(root, 'stack'),
    ADLAKE_JAVA_HOME: jdk,
    ADLAKE_REGISTRY_JAVA_HOME: jdk,
    ADLAKE_MVN: join(root, 'no-maven-here'),
  });
  const logged: string[] = [];
  const ctx: ServiceContext = {
    config,
    dir: serviceDir(config, service),
    cacheDir: cacheDir(config, service),
    log: (step, message) => logged.push(`${step}: ${message}`),
  };
  mkdirSync(ctx.dir, { recursive: true });
  return { root, jdk, config, ctx, logged };
}

/** Makes `<cache>/<into>` look like a finished Maven download of the service's pom: no mvn runs. */
function warmCache(ctx: ServiceContext, service: ServiceName, into: string): string {
  const dir = join(ctx.cacheDir, into);
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256')
    .update(readFileSync(join(MAVEN_DIR, service, 'pom.xml')))
    .digest('hex');
  writeFileSync(join(dir, '.complete'), `${hash}\n`);
  return dir;
}

async function exited(daemon: Daemon): Promise<void> {
  while (daemon.exit === undefined) await setImmediate();
}

function spec(overrides: Partial<JvmServiceSpec> = {}): JvmServiceSpec {
  return {
    name: 'kafka',
    version: '9.9.9',
    java: { home: 'javaHome', minMajor: 17 },
    heap: 'kafkaHeap',
    download: {},
    hasData: () => false,
    daemons: [
      {
        role: 'kafka',
        main: 'example.Main',
        args: (ctx) => ['-cp', `${ctx.cacheDir}/libs/*`, 'example.Main'],
      },
    ],
    probe: async () => true,
    ...overrides,
  };
}

test('prepare checks the JDK, uses the cached jars, stamps the data folder, then configures', async (t) => {
  const { ctx, logged } = setup(t, 'kafka');
  warmCache(ctx, 'kafka', 'libs');
  const seen: boolean[] = [];
  const def = jvmService(
    spec({
      configure: async (c) => {
        seen.push(existsSync(join(c.dir, 'stack-meta.json')));
      },
    }),
  );
  assert.deepEqual(def.roles, ['kafka']);
  await def.prepare(ctx);
  assert.deepEqual(seen, [true], 'configure ran once, after the data stamp');
  assert.deepEqual(JSON.parse(readFileSync(join(ctx.dir, 'stack-meta.json'), 'utf8')), {
    service: 'kafka',
    version: '9.9.9',
  });
  assert.deepEqual(logged, [], 'a warm cache downloads nothing and says nothing');
});

test('a JDK older than the spec needs is refused, naming the setting to change', async (t) => {
  const { ctx } = setup(t, 'registry', 17);
  const def = jvmService(spec({ name: 'registry', java: { home: 'registryJavaHome', minMajor: 21 } }));
  await assert.rejects(def.prepare(ctx), {
    code: 'TOOL_MISSING',
    message: /registry: needs Java 21 or newer .* Point ADLAKE_REGISTRY_JAVA_HOME at a newer JDK/,
  });
});

test('data without this version’s stamp is refused before configure runs', async (t) => {
  const { ctx } = setup(t, 'kafka');
  warmCache(ctx, 'kafka', 'libs');
  let configured = false;
  const def = jvmService(
    spec({
      hasData: () => true,
      configure: async () => {
        configured = true;
      },
    }),
  );
  await assert.rejects(def.prepare(ctx), { code: 'DATA_INCOMPATIBLE' });
  assert.equal(configured, false);
});

test('an archive download is unpacked once, and its absence says what to delete', async (t) => {
  const { ctx, logged } = setup(t, 'registry');
  const dist = warmCache(ctx, 'registry', 'dist');
  const def = jvmService(
    spec({
      name: 'registry',
      java: { home: 'registryJavaHome', minMajor: 21 },
      download: { into: 'dist', unpack: { suffix: '-all.tar.gz', into: 'app-1' } },
    }),
  );
  await assert.rejects(def.prepare(ctx), {
    code: 'DOWNLOAD_FAILED',
    message: `registry: no *-all.tar.gz in ${dist}; delete that folder and retry.`,
  });

  const content = join(ctx.cacheDir, 'content');
  mkdirSync(content);
  writeFileSync(join(content, 'quarkus-run.jar'), 'jar');
  const tar = await run('tar', ['-czf', join(dist, 'app-1-all.tar.gz'), '-C', content, 'quarkus-run.jar']);
  assert.equal(tar?.code, 0, tar?.output);
  await def.prepare(ctx);
  assert.equal(readFileSync(join(ctx.cacheDir, 'app-1', 'quarkus-run.jar'), 'utf8'), 'jar');
  assert.equal(readFileSync(join(ctx.cacheDir, 'app-1', '.complete'), 'utf8'), '9.9.9\n');
  await def.prepare(ctx);
  assert.deepEqual(
    logged,
    ['unpack: extracting app-1-all.tar.gz'],
    'the second prepare does not extract again',
  );
});

test('start launches each role with the common JVM flags, its marker and its own arguments', async (t) => {
  const { ctx, config } = setup(t, 'hdfs');
  const cwd = join(ctx.dir, 'elsewhere');
  mkdirSync(cwd);
  const def = jvmService(
    spec({
      name: 'hdfs',
      heap: 'hdfsHeap',
      daemons: [
        { role: 'namenode', main: 'example.NameNode', args: () => ['example.NameNode'] },
        {
          role: 'datanode',
          main: 'example.DataNode',
          args: () => ['example.DataNode', '-x'],
          cwd: () => cwd,
        },
      ],
    }),
  );
  assert.deepEqual(def.roles, ['namenode', 'datanode']);
  const daemons = await def.start(ctx);
  assert.equal(daemons.length, 2);
  await Promise.all(daemons.map(exited));

  const argsOf = (dir: string) => readFileSync(join(dir, 'args'), 'utf8').trimEnd().split('\n');
  const namenode = argsOf(ctx.dir);
  assert.equal(namenode[0], `-Xmx${config.hdfsHeap}`);
  assert.ok(namenode.includes(`-Dadlake.stack=${config.stackDir}#namenode`), namenode.join(' '));
  assert.equal(namenode.at(-1), 'example.NameNode');
  const datanode = argsOf(cwd);
  assert.ok(datanode.includes(`-Dadlake.stack=${config.stackDir}#datanode`), datanode.join(' '));
  assert.deepEqual(datanode.slice(-2), ['example.DataNode', '-x']);

  const record = JSON.parse(readFileSync(pidFile(config, 'hdfs', 'datanode'), 'utf8')) as {
    markers: string[];
  };
  assert.deepEqual(record.markers, [`-Dadlake.stack=${config.stackDir}#datanode`, 'example.DataNode']);
  assert.equal(readPidState(pidFile(config, 'hdfs', 'namenode')).kind, 'stale', 'the stand-in has exited');
});
