// Port checks before a start: a port held by someone else must fail fast with a message, not a JVM bind error.
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.ts';

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export interface PortSpec {
  readonly port: number;
  /** The env var that moves this port. */
  readonly env: string;
}

/** Throws PORT_TAKEN naming the service, the port and its env var if any port is in use. */
export async function assertPortsFree(
  service: string,
  ports: readonly PortSpec[],
  probe: (port: number) => Promise<boolean> = isPortFree,
  { retries = 10, retryDelayMs = 300 }: { retries?: number; retryDelayMs?: number } = {},
): Promise<void> {
  for (const { port, env } of ports) {
    // A process that has just been stopped may hold its port for a moment longer: look again briefly.
    let free = await probe(port);
    for (let i = 0; !free && i < retries; i++) {
      await sleep(retryDelayMs);
      free = await probe(port);
    }
    if (!free) {
      throw new StackError(
        'PORT_TAKEN',
        `${service}: port ${port} on 127.0.0.1 is already in use by another process. ` +
          `Stop that process (see \`ss -ltnp 'sport = :${port}'\`) or choose another port with ${env}=<port>.`,
        { service, context: { port, configKey: env } },
      );
    }
  }
}
