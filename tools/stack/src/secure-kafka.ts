// Who may do what on the secured Kafka cluster (`kafka-secure`), and where its key material and passwords live.
// Plain data, so that endpoints() can point clients at the files without loading the service code.
import { join } from 'node:path';

/**
 * The principals of the secured cluster and what each may do (applied as prefixed ACLs by the service). The
 * names are the usual service identities of this product; the prefixes are its topic and group naming.
 */
export const SECURE_KAFKA_USERS = {
  /** `super.users`: creates topics, manages ACLs; the broker's own inter-broker identity. */
  admin: { username: 'admin' },
  /** Ad-server services: write the ad topics, nothing else. */
  producer: { username: 'adlake-producer' },
  /** The sink (and the DR sink and merger): read the ad topics, use its groups, write its dead letters. */
  sink: { username: 'adlake-sink' },
  /** Another team's service: its own topics and groups only. */
  other: { username: 'other-service' },
} as const;
export type SecureKafkaUser = keyof typeof SECURE_KAFKA_USERS;

export const SECURE_TOPIC_PREFIXES = {
  ad: 'adserver.',
  deadLetter: 'adlake.sink.dlq',
  other: 'other.',
} as const;
export const SECURE_GROUP_PREFIXES = { sink: 'adlake-', other: 'other.' } as const;

export interface SecretPaths {
  readonly dir: string;
  /** PEM of the stack's CA: what a client trusts. */
  readonly caPem: string;
  readonly caKeystore: string;
  readonly brokerKeystore: string;
  readonly truststore: string;
  /** Password of the PKCS12 stores (the CA's, the broker's and the truststore). */
  readonly storePassword: string;
  /** One file per user holding only that user's password. */
  passwordFile(user: SecureKafkaUser): string;
}

export function secretPaths(serviceDir: string): SecretPaths {
  return secretPathsIn(join(serviceDir, 'secrets'));
}

export function secretPathsIn(dir: string): SecretPaths {
  return {
    dir,
    caPem: join(dir, 'ca.pem'),
    caKeystore: join(dir, 'ca.p12'),
    brokerKeystore: join(dir, 'broker.p12'),
    truststore: join(dir, 'truststore.p12'),
    storePassword: join(dir, 'store.password'),
    passwordFile: (user) => join(dir, `${SECURE_KAFKA_USERS[user].username}.password`),
  };
}

export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE';

/** One ALLOW rule on a prefixed resource, any host. */
export interface AclRule {
  readonly principal: string;
  readonly resourceType: 'TOPIC' | 'GROUP';
  readonly prefix: string;
  readonly operation: AclOperation;
}

/**
 * Everything the non-admin principals may do; the StandardAuthorizer denies the rest. The producer's
 * idempotent sends need no cluster right: WRITE on a topic implies IDEMPOTENT_WRITE since Kafka 3.0.
 */
export function secureKafkaAcls(): AclRule[] {
  const user = (u: SecureKafkaUser) => `User:${SECURE_KAFKA_USERS[u].username}`;
  const rules = (
    u: SecureKafkaUser,
    resourceType: AclRule['resourceType'],
    prefix: string,
    operations: readonly AclOperation[],
  ): AclRule[] => operations.map((operation) => ({ principal: user(u), resourceType, prefix, operation }));
  return [
    ...rules('producer', 'TOPIC', SECURE_TOPIC_PREFIXES.ad, ['WRITE', 'DESCRIBE']),
    ...rules('sink', 'TOPIC', SECURE_TOPIC_PREFIXES.ad, ['READ', 'DESCRIBE']),
    ...rules('sink', 'GROUP', SECURE_GROUP_PREFIXES.sink, ['READ', 'DESCRIBE']),
    ...rules('sink', 'TOPIC', SECURE_TOPIC_PREFIXES.deadLetter, ['WRITE', 'DESCRIBE']),
    ...rules('other', 'TOPIC', SECURE_TOPIC_PREFIXES.other, ['READ', 'WRITE', 'DESCRIBE']),
    ...rules('other', 'GROUP', SECURE_GROUP_PREFIXES.other, ['READ', 'DESCRIBE']),
  ];
}
