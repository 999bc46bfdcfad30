// Whether the sink can still do its job, and a stop that always ends. A fatal condition (a consumer crash the
// client will not restart, a partition that cannot recover, a tick that cannot go on) turns /health red,
// stops what can be stopped cleanly and makes the process exit non-zero; nothing stays up doing nothing.
import type { Logger } from './log.ts';

export interface Health {
  status: 'ok' | 'failing';
  reason?: string;
}

const FATAL_HEALTH_HOLD_MS = 1_000;

export class Lifecycle {
  readonly #log: Logger;
  readonly #stopTimeoutMs: number;
  #fatal: string | undefined;
  #stopping: Promise<void> | undefined;
  #stop: (() => Promise<void>) | undefined;
  #release: (() => Promise<void>) | undefined;

  constructor(log: Logger, stopTimeoutMs: number) {
    this.#log = log;
    this.#stopTimeoutMs = stopTimeoutMs;
  }

  /** The reason the sink failed, or undefined while it is healthy (or stopped on request). */
  get fatal(): string | undefined {
    return this.#fatal;
  }

  /** True once a stop has begun (requested or fatal). */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /**
   * Red once fatal; also red, without stopping, while commits (storage, dead letters) have failed for longer than
   * `outageMs` (the commits keep retrying and it turns green with the next success).
   */
  health(
    storage: { failingSince: number | undefined; outageMs: number; now: number } | undefined = undefined,
  ): Health {
    if (this.#fatal !== undefined) return { status: 'failing', reason: this.#fatal };
    if (storage?.failingSince !== undefined && storage.now - storage.failingSince > storage.outageMs) {
      const seconds = Math.round((storage.now - storage.failingSince) / 1000);
      return { status: 'failing', reason: `commits failing for ${seconds} s` };
    }
    return { status: 'ok' };
  }

  /**
   * What a stop does, set once the sink is up: `stop` commits what is buffered (bounded by the timeout),
   * `release` then disconnects and closes whatever is left, in any case. A failure recorded before this is
   * set stops the sink as soon as it is.
   */
  onStop(stop: () => Promise<void>, release: () => Promise<void>): void {
    this.#stop = stop;
    this.#release = release;
    if (this.#fatal !== undefined) void this.stop();
  }

  /** Records the first fatal condition and stops. Later ones are logged only. */
  fail(reason: string, fields: Record<string, unknown> = {}): void {
    this.#log.error('sink.fatal', { reason, ...fields });
    if (this.#fatal !== undefined) return;
    this.#fatal = reason;
    if (this.#stop !== undefined) void this.stop();
  }

  /**
   * Runs the stop once. A stop that cannot finish in time (HDFS down while buffers wait to be committed) is
   * abandoned: what was not committed is read again by the next owner, from the ledger.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const stop = this.#stop ?? (async () => undefined);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.#stopTimeoutMs);
      });
      const outcome = await Promise.race([stop().then(() => 'stopped' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.#log.error('sink.stop-timeout', {
          timeoutMs: this.#stopTimeoutMs,
          message: 'stop did not finish in time; uncommitted records will be read again by the next owner',
        });
      }
      // Hold the red /health a moment, so a health check sees why before the port closes.
      if (this.#fatal !== undefined) await new Promise((r) => setTimeout(r, FATAL_HEALTH_HOLD_MS));
      await this.#release?.();
    })();
    return this.#stopping;
  }
}
