// Where the schema registry is and how to log in: from the environment or a file outside the repository,
// never from the schema workspace.
import { readFile } from 'node:fs/promises';
import { ReleaseError } from './errors.ts';
import { SchemaRegistryClient } from '@adlake/registry';

export interface RegistryConnection {
  url: string;
  basicAuth?: string;
  bearerToken?: string;
}

export const REGISTRY_ENV = {
  url: 'AVRO_GOV_REGISTRY_URL',
  auth: 'AVRO_GOV_REGISTRY_AUTH',
  token: 'AVRO_GOV_REGISTRY_TOKEN',
} as const;

/**
 * The registry connection: `url` (a flag) wins, then the file, then the environment. The file is JSON
 * `{ "url": "...", "auth": "user:password" }` or `{ "url": "...", "token": "..." }`.
 */
export async function resolveRegistryConnection(options: {
  url?: string | undefined;
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Promise<RegistryConnection> {
  const env = options.env ?? process.env;
  let fromFile: { url?: unknown; auth?: unknown; token?: unknown } = {};
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
    for (const key of ['url', 'auth', 'token'] as const) {
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
  const basicAuth = (fromFile.auth as string | undefined) ?? env[REGISTRY_ENV.auth];
  const bearerToken = (fromFile.token as string | undefined) ?? env[REGISTRY_ENV.token];
  return {
    url,
    ...(basicAuth === undefined || basicAuth === '' ? {} : { basicAuth }),
    ...(bearerToken === undefined || bearerToken === '' ? {} : { bearerToken }),
  };
}

export function registryClient(connection: RegistryConnection): SchemaRegistryClient {
  return new SchemaRegistryClient(connection);
}
