// Client security for Kafka: TLS and SASL settings turned into kafkajs options with every secret read from a
// file or the environment (never a command-line argument), and Kafka's refusals (a wrong password, an untrusted
// or expired certificate, a missing ACL) turned into one clear, non-retriable error naming the service, the
// principal and the resource, so that a process stops instead of retrying what cannot succeed.
import { readFileSync } from 'node:fs';
import type { Admin, KafkaConfig, SASLOptions } from 'kafkajs';
import { SdkError, SdkErrorCodes } from './errors.ts';

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Where a secret comes from: a file (its content, trimmed) or an environment variable. */
export type SecretSource = { readonly file: string } | { readonly env: string };

export interface KafkaSecurity {
  readonly protocol: KafkaSecurityProtocol;
  /** PEM of the CA(s) to trust; default Node's bundled roots. */
  readonly caFile?: string;
  /** Client certificate and key (PEM) for mutual TLS. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly sasl?: {
    readonly mechanism: SaslMechanism;
    readonly username: string;
    readonly password: SecretSource;
  };
}

/** Names the setting a problem comes from, e.g. `kafka.sasl.passwordFile`, in errors. */
export type SettingNames = Partial<Record<'caFile' | 'certFile' | 'keyFile' | 'password' | 'sasl', string>>;

/** Reads a secret; the error names where it was looked for, never what was found. */
export function readSecret(
  source: SecretSource,
  setting: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '') {
      throw new SdkError(
        SdkErrorCodes.CONFIG_INVALID,
        `${setting}: the environment variable ${source.env} is not set`,
        {
          context: { option: setting },
        },
      );
    }
    return value;
  }
  const value = readFile(source.file, setting).trim();
  if (value === '') {
    throw new SdkError(SdkErrorCodes.CONFIG_INVALID, `${setting}: ${source.file} is empty`, {
      context: { option: setting },
    });
  }
  return value;
}

function readFile(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      `${setting}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { context: { option: setting }, cause: error },
    );
  }
}

/**
 * The kafkajs `ssl` and `sasl` options for `security`, files read now so that a missing one fails at
 * start-up. PLAINTEXT gives none; a protocol with SASL needs `sasl`, and one without refuses it.
 */
export function kafkaSecurityConfig(
  security: KafkaSecurity,
  names: SettingNames = {},
  env: NodeJS.ProcessEnv = process.env,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const name = (key: keyof SettingNames) => names[key] ?? key;
  const tls = security.protocol === 'SSL' || security.protocol === 'SASL_SSL';
  const wantsSasl = security.protocol === 'SASL_SSL' || security.protocol === 'SASL_PLAINTEXT';
  if (wantsSasl && security.sasl === undefined) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      `${name('sasl')}: ${security.protocol} needs a SASL user and password`,
      {
        context: { option: name('sasl') },
      },
    );
  }
  if (!tls && (security.caFile ?? security.certFile ?? security.keyFile) !== undefined) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      `${name('caFile')}: TLS files are set but the protocol ${security.protocol} does not use TLS`,
      { context: { option: name('caFile') } },
    );
  }
  if ((security.certFile === undefined) !== (security.keyFile === undefined)) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      `${name('certFile')}: a client certificate needs its key, and a key its certificate`,
      {
        context: { option: name('certFile') },
      },
    );
  }
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (tls) {
    out.ssl = {
      ...(security.caFile === undefined ? {} : { ca: [readFile(security.caFile, name('caFile'))] }),
      ...(security.certFile === undefined ? {} : { cert: readFile(security.certFile, name('certFile')) }),
      ...(security.keyFile === undefined ? {} : { key: readFile(security.keyFile, name('keyFile')) }),
    };
  }
  if (wantsSasl && security.sasl !== undefined) {
    const password = readSecret(security.sasl.password, name('password'), env);
    out.sasl = {
      mechanism: security.sasl.mechanism,
      username: security.sasl.username,
      password,
    } as SASLOptions;
  }
  return out;
}

/** What a Kafka refusal is about, for the message: the cluster, who asked, and for what. */
export interface KafkaAccess {
  readonly brokers: readonly string[];
  readonly principal: string;
  readonly topics?: readonly string[];
  readonly group?: string;
}

const AUTHORIZATION_TYPES: Readonly<Record<string, string>> = {
  TOPIC_AUTHORIZATION_FAILED: 'topic',
  GROUP_AUTHORIZATION_FAILED: 'group',
  CLUSTER_AUTHORIZATION_FAILED: 'cluster',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'transactional id',
};

// kafkajs 2.2.4's messages for those codes, as its logger prints them when it drops the code from an error.
const AUTHORIZATION_MESSAGES: Readonly<Record<string, string>> = {
  'Not authorized to access topics: [Topic authorization failed]': 'TOPIC_AUTHORIZATION_FAILED',
  'Not authorized to access group: Group authorization failed': 'GROUP_AUTHORIZATION_FAILED',
  'Cluster authorization failed': 'CLUSTER_AUTHORIZATION_FAILED',
  'Transactional ID authorization failed': 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
};

/**
 * The authorization refusals a client's kafkajs logger reported. kafkajs logs the broker's answer to a
 * FindCoordinator request but then throws only "Failed to find group coordinator" (KafkaJSGroupCoordinatorNotFound),
 * which looks retriable; with this record, kafkaAccessError can say it was a refused group. Feed it every log
 * entry of the client (see `kafkaLogCreator`'s `write`).
 */
export class KafkaRefusals {
  readonly #types = new Set<string>();

  observe(entry: { readonly error?: unknown }): void {
    const type = typeof entry.error === 'string' ? AUTHORIZATION_MESSAGES[entry.error] : undefined;
    if (type !== undefined) this.#types.add(type);
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }
}

// Node's TLS verification codes that no retry can fix.
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
]);

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
    const original = (e as { originalError?: unknown }).originalError;
    if (original !== undefined) out.push(original);
  }
  return out;
}

/**
 * Kafka's refusal hidden in `error`, as an SdkError (AUTHENTICATION_FAILED or AUTHORIZATION_FAILED, not
 * retriable) that names the cluster, the principal and the resource; undefined for any other failure.
 */
export function kafkaAccessError(
  error: unknown,
  access: KafkaAccess,
  refusals?: KafkaRefusals,
): SdkError | undefined {
  const cluster = `Kafka at ${access.brokers.join(',')}`;
  for (const e of chain(error)) {
    const { name, code, message } = (e ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
    let { type } = (e ?? {}) as { type?: unknown };
    if (name === 'KafkaJSGroupCoordinatorNotFound' && refusals?.has('GROUP_AUTHORIZATION_FAILED') === true) {
      type = 'GROUP_AUTHORIZATION_FAILED';
    }
    const text = typeof message === 'string' ? message : '';
    if (name === 'KafkaJSSASLAuthenticationError') {
      return new SdkError(
        SdkErrorCodes.AUTHENTICATION_FAILED,
        `${cluster} refused the credentials of "${access.principal}": ${text}`,
        { retriable: false, cause: error },
      );
    }
    if (typeof code === 'string' && TLS_CODES.has(code)) {
      return new SdkError(
        SdkErrorCodes.AUTHENTICATION_FAILED,
        `${cluster}: the broker's TLS certificate is not trusted (${code}: ${text}); check the CA file and the certificate's dates and names`,
        { retriable: false, cause: error },
      );
    }
    if (typeof type === 'string' && AUTHORIZATION_TYPES[type] !== undefined) {
      const kind = AUTHORIZATION_TYPES[type];
      const resource =
        kind === 'topic'
          ? `topic ${(access.topics ?? []).join(', ') || '(unknown)'}`
          : kind === 'group'
            ? `group ${access.group ?? '(unknown)'}`
            : kind;
      return new SdkError(
        SdkErrorCodes.AUTHORIZATION_FAILED,
        `${cluster} does not allow "${access.principal}" to use ${resource} (${type}): grant it an ACL`,
        { retriable: false, cause: error },
      );
    }
  }
  return undefined;
}

/**
 * Checks before consuming that `access.principal` may describe its topics and use its group, so that a
 * missing ACL is one clear error at start-up rather than a consumer that retries joining for ever. kafkajs
 * hides a group refusal behind "Failed to find group coordinator"; pass the client's `refusals` to name it.
 */
export async function checkConsumerAccess(
  admin: Admin,
  access: KafkaAccess,
  refusals?: KafkaRefusals,
): Promise<void> {
  try {
    if ((access.topics ?? []).length > 0)
      await admin.fetchTopicMetadata({ topics: [...(access.topics ?? [])] });
    if (access.group !== undefined) {
      const { groups } = await admin.describeGroups([access.group]);
      const refused = groups.find((g) => (g as { errorCode?: number }).errorCode === 30);
      if (refused !== undefined) {
        throw new SdkError(
          SdkErrorCodes.AUTHORIZATION_FAILED,
          `Kafka at ${access.brokers.join(',')} does not allow "${access.principal}" to use group ${access.group} (GROUP_AUTHORIZATION_FAILED): grant it an ACL`,
          { retriable: false },
        );
      }
    }
  } catch (error) {
    if (error instanceof SdkError) throw error;
    throw kafkaAccessError(error, access, refusals) ?? error;
  }
}
