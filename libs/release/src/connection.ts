// Where the schema registry is and how to log in: from the environment or a file outside the repository,
// never from the schema workspace.
import { readFile } from 'node:fs/promises';
import { ReleaseError } from './errors.ts';
import { SchemaRegistryClient } from '@adlake/registry';
import type { ClientCredentials } from '@adlake/registry';

export interface RegistryConnection {
  url: string;
  basicAuth?: string;
  bearerToken?: string;
  clientCredentials?: ClientCredentials;
}

export const REGISTRY_ENV = {
  url: 'AVRO_GOV_REGISTRY_URL',
  auth: 'AVRO_GOV_REGISTRY_AUTH',
  token: 'AVRO_GOV_REGISTRY_TOKEN',
  tokenUrl: 'AVRO_GOV_REGISTRY_TOKEN_URL',
  clientId: 'AVRO_GOV_REGISTRY_CLIENT_ID',
  clientSecret: 'AVRO_GOV_REGISTRY_CLIENT_SECRET',
} as const;

const FILE_KEYS = ['url', 'auth', 'token', 'tokenUrl', 'clientId', 'clientSecret'] as const;

/**
 * The registry connection: `url` (a flag) wins, then the file, then the environment; credentials come from
 * the file when it has any, else from the environment, and one kind at a time. The file is JSON
 * `{ "url": "...", "auth": "user:password" }`, `{ "url": "...", "token": "..." }` or, for an OAuth 2
 * identity provider, `{ "url": "...", "tokenUrl": "...", "clientId": "...", "clientSecret": "..." }`.
 */
export async function resolveRegistryConnection(options: {
  url?: string | undefined;
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Promise<RegistryConnection> {
  const env = options.env ?? process.env;
  let fromFile: Partial<Record<(typeof FILE_KEYS)[number], unknown>> = {};
  if (options.configFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.configFile, 'utf8');
    } catch (cause) {
      throw new ReleaseError('FILE_NOT_FOUND', `cannot read registry config ${options.configFile}`, {
        cause,
        context: { file: options.configFile, configKey: '--registry-config' },
      });
    }
    try {
      fromFile = JSON.parse(text) as typeof fromFile;
    } catch (cause) {
      throw new ReleaseError('CONFIG_INVALID', `registry config ${options.configFile} is not JSON`, {
        cause,
        context: { file: options.configFile, configKey: '--registry-config' },
      });
    }
    for (const key of FILE_KEYS) {
      if (fromFile[key] !== undefined && typeof fromFile[key] !== 'string') {
        throw new ReleaseError(
          'CONFIG_INVALID',
          `registry config ${options.configFile}: "${key}" must be a string`,
          {
            context: { file: options.configFile, configKey: key },
          },
        );
      }
    }
  }
  const url = options.url ?? (fromFile.url as string | undefined) ?? env[REGISTRY_ENV.url];
  if (url === undefined || url === '') {
    throw new ReleaseError(
      'USAGE',
      `no schema registry: pass --registry-url, --registry-config FILE or set ${REGISTRY_ENV.url}`,
      { context: { configKey: REGISTRY_ENV.url } },
    );
  }
  // Credentials come whole from one place: the file when it holds any, else the environment.
  const fileHasCredentials = FILE_KEYS.some((key) => key !== 'url' && fromFile[key] !== undefined);
  const pick = (key: (typeof FILE_KEYS)[number], envKey: keyof typeof REGISTRY_ENV): string | undefined => {
    const value = fileHasCredentials ? (fromFile[key] as string | undefined) : env[REGISTRY_ENV[envKey]];
    return value === '' ? undefined : value;
  };
  const basicAuth = pick('auth', 'auth');
  const bearerToken = pick('token', 'token');
  const tokenUrl = pick('tokenUrl', 'tokenUrl');
  const clientId = pick('clientId', 'clientId');
  const clientSecret = pick('clientSecret', 'clientSecret');
  const oauth = [tokenUrl, clientId, clientSecret];
  if (oauth.some((v) => v !== undefined) && oauth.some((v) => v === undefined)) {
    const missing = (['tokenUrl', 'clientId', 'clientSecret'] as const).filter(
      (_, i) => oauth[i] === undefined,
    );
    throw new ReleaseError(
      'CONFIG_INVALID',
      `registry client credentials need tokenUrl, clientId and clientSecret; missing ${missing.map((k) => `${k} (${REGISTRY_ENV[k]})`).join(', ')}`,
      { context: { configKey: REGISTRY_ENV[missing[0] ?? 'tokenUrl'] } },
    );
  }
  const kinds = [basicAuth, bearerToken, tokenUrl].filter((v) => v !== undefined).length;
  if (kinds > 1) {
    throw new ReleaseError(
      'CONFIG_INVALID',
      `registry credentials: give one of auth (${REGISTRY_ENV.auth}), token (${REGISTRY_ENV.token}) and client credentials (${REGISTRY_ENV.tokenUrl}), not several`,
      { context: { configKey: REGISTRY_ENV.auth } },
    );
  }
  return {
    url,
    ...(basicAuth === undefined ? {} : { basicAuth }),
    ...(bearerToken === undefined ? {} : { bearerToken }),
    ...(tokenUrl === undefined || clientId === undefined || clientSecret === undefined
      ? {}
      : { clientCredentials: { tokenUrl, clientId, clientSecret } }),
  };
}

export function registryClient(connection: RegistryConnection): SchemaRegistryClient {
  return new SchemaRegistryClient(connection);
}
