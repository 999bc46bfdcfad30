// The secured Kafka cluster's key material and credentials, made on this machine by the JDK's keytool (no
// download, no openssl): a CA, the broker's certificate signed by it for 127.0.0.1, and one random password
// per SCRAM user. Everything lands in <stack dir>/kafka-secure/secrets with mode 0600, and clients read it
// from those files: no secret is ever a command-line argument of a client or a value in a settings file.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretPaths, SecureKafkaUser } from '../secure-kafka.ts';
import { SECURE_KAFKA_USERS, secretPaths, secretPathsIn } from '../secure-kafka.ts';
import { StackError } from '../errors.ts';
import { run } from '../tools.ts';

export function readSecret(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

function writeSecret(file: string, value: string): void {
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** 24 random bytes as URL-safe text: no quote or backslash to escape in a JAAS line. */
export function newPassword(random: (size: number) => Buffer = randomBytes): string {
  return random(24).toString('base64url');
}

/** Days the broker certificate is valid; the CA lives longer so that re-issuing keeps client trust. */
const BROKER_CERT_DAYS = 825;
const CA_DAYS = 3650;

async function keytool(javaHome: string, args: readonly string[], what: string): Promise<void> {
  const binary = javaHome === '' ? 'keytool' : join(javaHome, 'bin', 'keytool');
  const result = await run(binary, args, { timeoutMs: 120_000 });
  if (result === undefined) {
    throw new StackError('TOOL_MISSING', `kafka-secure: keytool not found at ${binary} (part of the JDK)`, {
      service: 'kafka-secure',
    });
  }
  if (result.code !== 0) {
    throw new StackError(
      'START_FAILED',
      `kafka-secure: keytool failed to ${what}:\n${result.output.slice(-2000)}`,
      { service: 'kafka-secure' },
    );
  }
}

/** Whether a complete set of secrets exists (the set is renamed into place whole). */
export function hasSecrets(serviceDir: string): boolean {
  return existsSync(secretPaths(serviceDir).dir);
}

/**
 * Makes the CA, the broker's keystore, the truststore and every user's password unless the set exists. Built
 * in a scratch folder and renamed into place, so an interrupted run leaves either nothing or a complete set.
 * The passwords belong with the set: the cluster's SCRAM credentials are made from them when it is formatted.
 */
export async function ensureSecrets(serviceDir: string, javaHome: string): Promise<SecretPaths> {
  const paths = secretPaths(serviceDir);
  if (!existsSync(paths.dir)) {
    const tmp = secretPathsIn(`${paths.dir}.partial`);
    rmSync(tmp.dir, { recursive: true, force: true });
    mkdirSync(tmp.dir, { recursive: true, mode: 0o700 });
    const scratch = tmp.dir;
    const storePassword = newPassword();
    writeSecret(tmp.storePassword, storePassword);
    // From the file, so that the password is not on keytool's command line either.
    const store = ['-storetype', 'PKCS12', '-storepass:file', tmp.storePassword];
    const san = 'SAN=ip:127.0.0.1,dns:localhost';
    await keytool(
      javaHome,
      [
        '-genkeypair',
        '-alias',
        'ca',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-dname',
        'CN=adlake local stack CA',
        '-ext',
        'bc:c',
        '-validity',
        String(CA_DAYS),
        '-keystore',
        tmp.caKeystore,
        ...store,
      ],
      'make the CA',
    );
    await keytool(
      javaHome,
      ['-exportcert', '-rfc', '-alias', 'ca', '-keystore', tmp.caKeystore, ...store, '-file', tmp.caPem],
      'export the CA certificate',
    );
    await keytool(
      javaHome,
      [
        '-genkeypair',
        '-alias',
        'broker',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-dname',
        'CN=127.0.0.1',
        '-ext',
        san,
        '-validity',
        String(BROKER_CERT_DAYS),
        '-keystore',
        tmp.brokerKeystore,
        ...store,
      ],
      "make the broker's key",
    );
    const csr = join(scratch, 'broker.csr');
    const signed = join(scratch, 'broker.pem');
    await keytool(
      javaHome,
      ['-certreq', '-alias', 'broker', '-keystore', tmp.brokerKeystore, ...store, '-file', csr],
      "request the broker's certificate",
    );
    await keytool(
      javaHome,
      [
        '-gencert',
        '-rfc',
        '-alias',
        'ca',
        '-keystore',
        tmp.caKeystore,
        ...store,
        '-infile',
        csr,
        '-outfile',
        signed,
        '-ext',
        san,
        '-validity',
        String(BROKER_CERT_DAYS),
      ],
      "sign the broker's certificate",
    );
    // The chain goes in CA first, so that keytool accepts the signed reply for the broker's key.
    await keytool(
      javaHome,
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'ca',
        '-file',
        tmp.caPem,
        '-keystore',
        tmp.brokerKeystore,
        ...store,
      ],
      'add the CA to the broker keystore',
    );
    await keytool(
      javaHome,
      ['-importcert', '-alias', 'broker', '-file', signed, '-keystore', tmp.brokerKeystore, ...store],
      "install the broker's signed certificate",
    );
    await keytool(
      javaHome,
      ['-importcert', '-noprompt', '-alias', 'ca', '-file', tmp.caPem, '-keystore', tmp.truststore, ...store],
      'make the truststore',
    );
    rmSync(csr);
    rmSync(signed);
    // The CA's certificate is public; everything else in the folder is not.
    for (const file of [tmp.caKeystore, tmp.brokerKeystore, tmp.truststore]) chmodSync(file, 0o600);
    for (const user of Object.keys(SECURE_KAFKA_USERS) as SecureKafkaUser[]) {
      writeSecret(tmp.passwordFile(user), newPassword());
    }
    renameSync(scratch, paths.dir);
  }
  return paths;
}
