// HDFS 3.4 NameNode + DataNode daemons with WebHDFS and permissions on, from Maven Central jars.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { WebHdfsClient } from '@adlake/webhdfs';
import type { StackConfig } from '../config.ts';
import { StackError } from '../errors.ts';
import { renderCoreSite, renderHdfsSite, renderLog4j } from '../render.ts';
import { javaBinary, run } from '../tools.ts';
import { JARS_DIR, jvmService } from './jvm.ts';
import type { JvmDaemonSpec } from './jvm.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError, httpFetch, incompatible, jvmFlags, nonEmptyDir } from './service.ts';
import { parseSimpleProperties } from './kafka.ts';

export const HADOOP_VERSION = '3.4.2';

/** Hadoop 3.4 on JDK 17 needs these opens (the list `hadoop_finalize_jpms_opts` adds in the shell scripts). */
const JPMS_OPENS = [
  'java.io',
  'java.lang',
  'java.lang.reflect',
  'java.math',
  'java.net',
  'java.text',
  'java.util',
  'java.util.concurrent',
  'java.util.zip',
  'sun.security.util',
  'sun.security.x509',
].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`);

/** The HTTP servers look their webapp folders up on the classpath; the Maven jars do not ship them. */
const WEBAPPS = ['hdfs', 'datanode', 'secondary', 'static'];

function paths(ctx: ServiceContext) {
  const data = join(ctx.dir, 'data');
  return {
    libs: join(ctx.cacheDir, JARS_DIR),
    conf: join(ctx.dir, 'conf'),
    data,
    nameVersion: join(data, 'dfs/name/current/VERSION'),
    dataVersion: join(data, 'dfs/data/current/VERSION'),
  };
}

/** The OS user running the daemons: HDFS's superuser. */
export function hdfsSuperuser(): string {
  return userInfo().username;
}

/** Hadoop's own JVM options and classpath, after the common flags. */
function hadoopOptions(ctx: ServiceContext, role: string): string[] {
  const p = paths(ctx);
  return [
    '-XX:+IgnoreUnrecognizedVMOptions',
    ...JPMS_OPENS,
    `-Dhadoop.log.dir=${join(ctx.dir, 'logs')}`,
    `-Dhadoop.home.dir=${ctx.dir}`,
    `-Dhadoop.id.str=${role}`,
    '-cp',
    `${p.conf}:${p.libs}/*`,
  ];
}

function clusterIdOf(versionFile: string): string | undefined {
  if (!existsSync(versionFile)) return undefined;
  return parseSimpleProperties(readFileSync(versionFile, 'utf8')).get('clusterID');
}

async function jmx(config: StackConfig, bean: string): Promise<Record<string, unknown> | undefined> {
  const response = await httpFetch(
    `http://127.0.0.1:${config.hdfsHttpPort}/jmx?qry=Hadoop:service=NameNode,name=${bean}`,
  );
  if (!response.ok) return undefined;
  const body = (await response.json()) as { beans?: Record<string, unknown>[] };
  return body.beans?.[0];
}

/**
 * A WebHDFS client of the stack's NameNode acting as `user`, with the probe's short timeouts. It refuses a
 * CREATE or OPEN redirect to anything but 127.0.0.1: the stack sets `dfs.datanode.hostname` so that every
 * local client can follow the redirect, and another name means that setting did not take.
 */
function webhdfsClient(config: StackConfig, user: string): WebHdfsClient {
  return new WebHdfsClient({
    url: `http://127.0.0.1:${config.hdfsHttpPort}`,
    user,
    timeoutMs: 5_000,
    dataTimeoutMs: 15_000,
    rewriteDataNodeUrl: (location) => {
      if (location.hostname !== '127.0.0.1') {
        throw new StackError(
          'START_FAILED',
          `hdfs: WebHDFS redirects to ${location.href}, not to 127.0.0.1`,
          {
            service: 'hdfs',
          },
        );
      }
      return location;
    },
  });
}

const LAKE_DIR = '/data/lake';

/**
 * The lake's ACL: the owner (the service user) writes, the analyst group reads, nobody else gets in. The
 * `default:` entries make every file and folder created under it inherit the same rule, whatever mode its
 * writer asks for (a default ACL replaces the umask, and the writer's mode can only narrow it).
 */
export function lakeAcl(config: StackConfig): string[] {
  const analysts = config.hdfsAnalystGroup;
  return [
    'user::rwx',
    'group::r-x',
    `group:${analysts}:r-x`,
    'mask::r-x',
    'other::---',
    'default:user::rwx',
    'default:group::r-x',
    `default:group:${analysts}:r-x`,
    'default:mask::r-x',
    'default:other::---',
  ];
}

/** Creates the service user's folders as the superuser; every call is idempotent. */
async function bootstrapFolders(config: StackConfig): Promise<void> {
  const su = webhdfsClient(config, hdfsSuperuser());
  try {
    const folders: [string, string][] = [
      [`/user/${config.hdfsUser}`, '750'],
      [LAKE_DIR, '750'],
      [`/user/${config.hdfsOtherUser}`, '750'],
    ];
    for (const [folder, mode] of folders) {
      const owner = folder.endsWith(`/${config.hdfsOtherUser}`) ? config.hdfsOtherUser : config.hdfsUser;
      await su.mkdirs(folder);
      await su.setOwner(folder, { owner, group: owner });
      await su.setPermission(folder, mode);
    }
    await su.setAcl(LAKE_DIR, lakeAcl(config));
    // /tmp as in any Hadoop install: world-writable with the sticky bit.
    await su.mkdirs('/tmp');
    await su.setPermission('/tmp', '1777');
  } finally {
    su.close();
  }
}

/** CREATE (through the DataNode, which must be 127.0.0.1), OPEN and DELETE as the service user. */
async function roundTrip(config: StackConfig): Promise<void> {
  const client = webhdfsClient(config, config.hdfsUser);
  try {
    const path = `/user/${config.hdfsUser}/.stack-ready-${process.pid}`;
    const payload = `ready ${Date.now()}`;
    await client.create(path, Buffer.from(payload), { overwrite: true });
    const text = Buffer.from(await client.open(path)).toString('utf8');
    if (text !== payload) throw new Error(`OPEN ${path}: read ${JSON.stringify(text.slice(0, 100))}`);
    await client.delete(path);
  } finally {
    client.close();
  }
}

const daemon = (role: string, mainClass: string): JvmDaemonSpec => ({
  role,
  main: mainClass,
  args: (ctx) => [...hadoopOptions(ctx, role), mainClass],
});

export const hdfs: ServiceDef = jvmService({
  name: 'hdfs',
  version: HADOOP_VERSION,
  java: { home: 'javaHome', minMajor: 17 },
  heap: 'hdfsHeap',
  download: { includeScope: 'runtime' },
  hasData: (ctx) => nonEmptyDir(paths(ctx).data),

  async configure(ctx) {
    const p = paths(ctx);
    mkdirSync(join(ctx.dir, 'logs'), { recursive: true });
    mkdirSync(p.conf, { recursive: true });
    writeFileSync(join(p.conf, 'core-site.xml'), renderCoreSite(ctx.config, p.data, hdfsSuperuser()));
    writeFileSync(join(p.conf, 'hdfs-site.xml'), renderHdfsSite(ctx.config, p.data));
    writeFileSync(
      join(p.conf, 'log4j.properties'),
      renderLog4j([
        'org.apache.hadoop.hdfs.StateChange',
        'BlockStateChange',
        'org.eclipse.jetty',
        'com.sun.jersey',
      ]),
    );
    for (const app of WEBAPPS) {
      mkdirSync(join(p.conf, 'webapps', app, 'WEB-INF'), { recursive: true });
      writeFileSync(
        join(p.conf, 'webapps', app, 'WEB-INF', 'web.xml'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="3.1"/>\n',
      );
    }
    mkdirSync(p.data, { recursive: true });

    const nameCluster = clusterIdOf(p.nameVersion);
    const dataCluster = clusterIdOf(p.dataVersion);
    if (nameCluster === undefined && dataCluster !== undefined) {
      throw incompatible(
        'hdfs',
        p.data,
        `the DataNode holds blocks of cluster ${dataCluster} but the NameNode has no metadata`,
      );
    }
    if (nameCluster !== undefined && dataCluster !== undefined && nameCluster !== dataCluster) {
      throw incompatible(
        'hdfs',
        p.data,
        `NameNode clusterID ${nameCluster} and DataNode clusterID ${dataCluster} differ`,
      );
    }
    if (nameCluster !== undefined) return;
    const clusterId = `CID-adlake-${randomUUID()}`;
    ctx.log('format', `formatting the NameNode (${clusterId})`);
    const result = await run(
      javaBinary(ctx.config.javaHome),
      [
        ...jvmFlags(ctx.config, ctx.config.hdfsHeap, 'namenode-format'),
        ...hadoopOptions(ctx, 'namenode-format'),
        'org.apache.hadoop.hdfs.server.namenode.NameNode',
        '-format',
        '-clusterid',
        clusterId,
        '-force',
        '-nonInteractive',
      ],
      { timeoutMs: 120_000 },
    );
    if (result === undefined || result.code !== 0) {
      throw new StackError(
        'START_FAILED',
        `hdfs: formatting the NameNode failed:\n${result?.output.slice(-2000) ?? ''}`,
        {
          service: 'hdfs',
        },
      );
    }
  },

  daemons: [
    daemon('namenode', 'org.apache.hadoop.hdfs.server.namenode.NameNode'),
    daemon('datanode', 'org.apache.hadoop.hdfs.server.datanode.DataNode'),
  ],

  async probe(ctx) {
    try {
      const state = await jmx(ctx.config, 'FSNamesystemState');
      const live = Number(state?.['NumLiveDataNodes'] ?? 0);
      if (live < 1) return `NameNode reports ${live} live DataNodes`;
      const info = await jmx(ctx.config, 'NameNodeInfo');
      const safemode = String(info?.['Safemode'] ?? '?');
      if (safemode !== '') return `NameNode in safemode: ${safemode}`;
      await bootstrapFolders(ctx.config);
      await roundTrip(ctx.config);
      return true;
    } catch (error) {
      if (error instanceof StackError) throw error;
      return `WebHDFS: ${describeError(error)}`;
    }
  },
});
