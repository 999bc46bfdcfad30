// A lease on a tree for one maintenance job (merge, compact). It is not what keeps the data right: every
// change is still a sequence-numbered record published by create-then-rename, so a second job that got
// past the lease would lose that race. The lease is what gives the second job a clear message instead of a
// conflict halfway through, and what lets a crashed holder be replaced without waiting: a holder on this
// host whose process is gone, or whose lease expired, is taken over.
import { hostname } from 'node:os';
import { SinkError } from '../errors.ts';
import { leasePath } from '../layout.ts';
import type { Storage } from '../storage/storage.ts';
import { publishOnce } from './publish.ts';

export interface LeaseHolder {
  job: string;
  owner: string;
  host: string;
  pid: number;
  acquiredAt: string;
  expiresAt: string;
}

export interface LeaseOptions {
  storage: Storage;
  root: string;
  job: string;
  /** Who asks, for the message the next one sees (e.g. `merge-<pid>-<random>`). */
  owner: string;
  /** How long the lease holds without renewal. Default 10 minutes. */
  ttlMs?: number;
  now?: () => number;
  /** Whether a process of this host is alive (tests replace it). */
  alive?: (pid: number) => boolean;
}

export class Lease {
  readonly path: string;
  readonly #o: Required<Omit<LeaseOptions, 'alive' | 'now' | 'ttlMs'>> & {
    ttlMs: number;
    now: () => number;
    alive: (pid: number) => boolean;
  };
  #held = false;

  constructor(options: LeaseOptions) {
    this.#o = {
      ...options,
      ttlMs: options.ttlMs ?? 600_000,
      now: options.now ?? Date.now,
      alive: options.alive ?? processAlive,
    };
    this.path = leasePath(options.root, options.job);
  }

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lease, or throws FENCED naming the holder. */
  async acquire(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await publishOnce(this.#o.storage, this.path, this.#o.owner, this.#holder())) {
        this.#held = true;
        await this.#removeDrafts();
        return;
      }
      const holder = await this.#read();
      if (holder !== undefined && !this.#stale(holder)) {
        throw new SinkError(
          'FENCED',
          `another ${this.#o.job} (${holder.owner}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}) holds ${this.path} until ${holder.expiresAt}; stop it first, or wait for its lease to expire`,
          { context: { path: this.path } },
        );
      }
      // Stale or unreadable: remove it and try again; if two take over at once, one rename wins.
      await this.#o.storage.delete(this.path).catch(() => false);
    }
    throw new SinkError('FENCED', `could not take ${this.path}: it kept changing hands`, {
      retriable: true,
      context: { path: this.path },
    });
  }

  /** Extends the lease; throws FENCED when someone else took it meanwhile. */
  async renew(): Promise<void> {
    const holder = await this.#read();
    if (holder?.owner !== this.#o.owner) {
      this.#held = false;
      throw new SinkError('FENCED', `${this.path} was taken over by ${holder?.owner ?? 'nobody'}`, {
        context: { path: this.path },
      });
    }
    await this.#o.storage.writeFile(this.path, new TextEncoder().encode(JSON.stringify(this.#holder())));
  }

  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    const holder = await this.#read().catch(() => undefined);
    if (holder?.owner === this.#o.owner) await this.#o.storage.delete(this.path).catch(() => false);
  }

  /**
   * Drafts of this job's lease that a holder-to-be left when it died between writing and renaming its draft:
   * nobody else would ever remove them. A live contender whose draft goes loses its rename and is fenced,
   * as it would have been anyway.
   */
  async #removeDrafts(): Promise<void> {
    const dir = this.path.slice(0, this.path.lastIndexOf('/'));
    const prefix = `${this.path.slice(this.path.lastIndexOf('/') + 1)}.tmp-`;
    for (const e of await this.#o.storage.list(dir).catch(() => []))
      if (e.name.startsWith(prefix)) await this.#o.storage.delete(e.path).catch(() => false);
  }

  #holder(): LeaseHolder {
    const now = this.#o.now();
    const holder: LeaseHolder = {
      job: this.#o.job,
      owner: this.#o.owner,
      host: hostname(),
      pid: process.pid,
      acquiredAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#o.ttlMs).toISOString(),
    };
    return holder;
  }

  async #read(): Promise<LeaseHolder | undefined> {
    try {
      return JSON.parse(new TextDecoder().decode(await this.#o.storage.read(this.path))) as LeaseHolder;
    } catch {
      return undefined;
    }
  }

  #stale(holder: LeaseHolder): boolean {
    if (Date.parse(holder.expiresAt) <= this.#o.now()) return true;
    return holder.host === hostname() && holder.pid !== process.pid && !this.#o.alive(holder.pid);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
