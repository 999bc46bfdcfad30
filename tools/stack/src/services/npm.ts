// verdaccio 6 as a private npm registry with no uplinks, plus a publish token written to <stack dir>/npm/npmrc.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StackConfig } from '../config.ts';
import { endpoints } from '../config.ts';
import { StackError } from '../errors.ts';
import { spawnDaemon } from '../proc.ts';
import { renderNpmrc, renderVerdaccioConfig } from '../render.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { checkDataStamp, describeError, httpFetch, logFile, nonEmptyDir, pidFile } from './service.ts';

const require = createRequire(import.meta.url);
const VERDACCIO_PACKAGE = require.resolve('verdaccio/package.json');
export const VERDACCIO_VERSION = (JSON.parse(readFileSync(VERDACCIO_PACKAGE, 'utf8')) as { version: string })
  .version;

function paths(ctx: ServiceContext) {
  return {
    config: join(ctx.dir, 'config.yaml'),
    storage: join(ctx.dir, 'storage'),
    htpasswd: join(ctx.dir, 'htpasswd'),
    credentials: join(ctx.dir, 'credentials.json'),
  };
}

function registryBase(config: StackConfig): string {
  return `http://127.0.0.1:${config.npmPort}`;
}

/** The password of the stack's npm user: random once, then kept beside the htpasswd file. */
function credentials(ctx: ServiceContext): { name: string; password: string } {
  const file = paths(ctx).credentials;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { name: string; password: string };
    if (saved.name === ctx.config.npmUser) return saved;
  }
  const fresh = { name: ctx.config.npmUser, password: randomBytes(18).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(fresh)}\n`, { mode: 0o600 });
  return fresh;
}

async function tokenWorks(config: StackConfig, token: string): Promise<boolean> {
  const response = await httpFetch(`${registryBase(config)}/-/whoami`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.body?.cancel();
  return response.ok;
}

function savedToken(npmrcPath: string): string | undefined {
  if (!existsSync(npmrcPath)) return undefined;
  return /:_authToken=(.+)$/m.exec(readFileSync(npmrcPath, 'utf8'))?.[1]?.trim();
}

/**
 * Gets a token without `npm login`: PUT /-/user/org.couchdb.user:<name> adds the user (201 + token);
 * for an existing user the same PUT with Basic credentials logs in instead.
 */
async function obtainToken(ctx: ServiceContext): Promise<string> {
  const { name, password } = credentials(ctx);
  const url = `${registryBase(ctx.config)}/-/user/org.couchdb.user:${encodeURIComponent(name)}`;
  const body = JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() });
  const headers = { 'content-type': 'application/json' };
  let response = await httpFetch(url, { method: 'PUT', headers, body });
  if (response.status === 409) {
    await response.body?.cancel();
    const basic = Buffer.from(`${name}:${password}`).toString('base64');
    response = await httpFetch(url, {
      method: 'PUT',
      headers: { ...headers, authorization: `Basic ${basic}` },
      body,
    });
  }
  const text = await response.text();
  const token = response.ok ? (JSON.parse(text) as { token?: string }).token : undefined;
  if (token === undefined) {
    throw new StackError(
      'START_FAILED',
      `npm: verdaccio refused a token for user ${name}: HTTP ${response.status} ${text.slice(0, 300)}. ` +
        'If the user was made by another run, `npm run stack -- down --wipe npm`.',
      { service: 'npm' },
    );
  }
  return token;
}

export const npm: ServiceDef = {
  name: 'npm',
  version: VERDACCIO_VERSION.split('.')[0] ?? VERDACCIO_VERSION,
  roles: ['verdaccio'],
  cache: 'npm',
  dependsOn: [],

  async prepare(ctx) {
    const p = paths(ctx);
    checkDataStamp(ctx, 'npm', npm.version, nonEmptyDir(p.storage));
    mkdirSync(p.storage, { recursive: true });
    writeFileSync(p.config, renderVerdaccioConfig(p.storage, p.htpasswd));
  },

  async start(ctx) {
    const p = paths(ctx);
    const bin = join(dirname(VERDACCIO_PACKAGE), 'bin', 'verdaccio');
    return [
      spawnDaemon({
        service: 'npm',
        command: process.execPath,
        args: [bin, '--config', p.config, '--listen', `127.0.0.1:${ctx.config.npmPort}`],
        cwd: ctx.dir,
        logFile: logFile(ctx.config, 'npm', 'verdaccio'),
        pidFile: pidFile(ctx.config, 'npm', 'verdaccio'),
        // verdaccio sets process.title, which overwrites /proc/<pid>/cmdline: the cwd check identifies it.
        markers: ['verdaccio'],
        env: { ...process.env, NODE_ENV: 'production' },
      }),
    ];
  },

  async probe(ctx) {
    try {
      const ping = await httpFetch(`${registryBase(ctx.config)}/-/ping`);
      await ping.body?.cancel();
      if (!ping.ok) return `GET /-/ping: HTTP ${ping.status}`;
      const { npmrcPath, npmRegistryUrl } = endpoints(ctx.config);
      const existing = savedToken(npmrcPath);
      if (existing !== undefined && (await tokenWorks(ctx.config, existing))) return true;
      const token = await obtainToken(ctx);
      writeFileSync(npmrcPath, renderNpmrc(npmRegistryUrl, token), { mode: 0o600 });
      ctx.log('token', `publish token for ${ctx.config.npmUser} written to ${npmrcPath}`);
      return true;
    } catch (error) {
      if (error instanceof StackError) throw error;
      return `verdaccio: ${describeError(error)}`;
    }
  },
};
