// WebHdfsStorage: the Storage contract on HDFS through a WebHdfsClient that the app builds and passes in.
// Each call retries transient failures within a small bound; the commit protocol's own retry loop handles
// longer outages.
import { isWebHdfsError, withRetry } from '@adlake/webhdfs';
import type { FileStatus, WebHdfsClient, WebHdfsRetryOptions } from '@adlake/webhdfs';
import { SinkError } from '../errors.ts';
import { storageFailure } from './failure.ts';
import type { Storage, StorageEntry } from './storage.ts';
import { checkSibling, childOf, compareNames, nameOf, normalizeStoragePath, parentOf } from './storage.ts';

export interface WebHdfsStorageOptions {
  /**
   * Bounds of the per-call retry of transient failures (safe mode, standby, timeouts, lost connections).
   * Default: 3 attempts within 10 s. `false` makes every call a single attempt.
   */
  readonly retry?: Omit<WebHdfsRetryOptions, 'idempotent'> | false;
  /** Octal permission of new files, e.g. "640". Default: the NameNode's umask (644). */
  readonly filePermission?: string;
  /** Octal permission of new directories, e.g. "750". Default: the NameNode's umask (755). */
  readonly directoryPermission?: string;
}

const DEFAULT_RETRY: Omit<WebHdfsRetryOptions, 'idempotent'> = { maxAttempts: 3, deadlineMs: 10_000 };

function entryOf(path: string, status: FileStatus): StorageEntry {
  return {
    name: nameOf(path),
    path,
    type: status.type === 'DIRECTORY' ? 'directory' : 'file',
    length: status.type === 'DIRECTORY' ? 0 : status.length,
    modificationTime: status.modificationTime,
  };
}

function codeOf(error: unknown): string | undefined {
  return isWebHdfsError(error) ? error.code : undefined;
}

export class WebHdfsStorage implements Storage {
  readonly description: string;
  readonly #client: WebHdfsClient;
  readonly #retry: Omit<WebHdfsRetryOptions, 'idempotent'>;
  readonly #filePermission: string | undefined;
  readonly #directoryPermission: string | undefined;

  constructor(client: WebHdfsClient, options: WebHdfsStorageOptions = {}) {
    this.#client = client;
    this.#retry = options.retry === false ? { maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry };
    this.#filePermission = options.filePermission;
    this.#directoryPermission = options.directoryPermission;
    this.description = `webhdfs ${client.url}${client.effectiveUser === undefined ? '' : ` as ${client.effectiveUser}`}`;
  }

  /** Runs one client call under the retry bounds; `idempotent: false` for calls that must not apply twice. */
  #run<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    return withRetry(fn, { ...this.#retry, idempotent });
  }

  #fail(operation: string, path: string, error: unknown, code?: 'RENAME_FAILED'): SinkError {
    return storageFailure(operation, path, this.description, error, code);
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const normal = normalizeStoragePath(path);
    const permission = this.#filePermission;
    try {
      // CREATE with overwrite is idempotent: a retry after a lost answer writes the same bytes again.
      await this.#run(
        () =>
          this.#client.create(normal, bytes, {
            overwrite: true,
            ...(permission === undefined ? {} : { permission }),
          }),
        true,
      );
    } catch (error) {
      throw this.#fail('writeFile', path, error);
    }
  }

  async read(path: string): Promise<Uint8Array> {
    const normal = normalizeStoragePath(path);
    try {
      return await this.#run(() => this.#client.open(normal), true);
    } catch (error) {
      throw this.#fail('read', path, error);
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const normal = normalizeStoragePath(path);
    try {
      return await this.#run(() => this.#client.open(normal, { offset, length }), true);
    } catch (error) {
      throw this.#fail('read', `${path} [${offset}, +${length})`, error);
    }
  }

  /**
   * Not retried here: a CONCAT whose answer was lost may have happened, and a second one would fail on the
   * missing sources. The caller checks the target's length instead.
   */
  async concat(target: string, sources: readonly string[]): Promise<void> {
    const normal = normalizeStoragePath(target);
    const parts = sources.map((s) => normalizeStoragePath(s));
    for (const s of parts) checkSibling(normal, s);
    try {
      await this.#run(() => this.#client.concat(normal, parts), false);
    } catch (error) {
      throw this.#fail('concat', `${target} <- ${sources.join(', ')}`, error);
    }
  }

  /**
   * HDFS's strict rename (`renameoptions=NONE`): atomic, and it refuses an existing destination instead of
   * moving the source into it as the legacy RENAME would. A lost answer is not retried here (the rename may
   * have happened): the SinkError is retriable and the caller checks the destination.
   */
  async rename(from: string, to: string): Promise<boolean> {
    const source = normalizeStoragePath(from);
    const target = normalizeStoragePath(to);
    try {
      await this.#run(() => this.#client.renameStrict(source, target), false);
      return true;
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ALREADY_EXISTS') return false;
      if (code === 'NOT_FOUND' || code === 'IO') {
        // NOT_FOUND: the source, or the destination's parent. IO: a file renamed onto a directory
        // ("must both be directories"). Ask which, rather than parse messages.
        try {
          if ((await this.stat(source)) === null) return false;
          if ((await this.stat(target)) !== null) return false;
          if ((await this.stat(parentOf(target))) === null) {
            throw new SinkError(
              'RENAME_FAILED',
              `storage rename ${from} -> ${to} on ${this.description}: the destination's parent ${parentOf(target)} does not exist`,
              { context: { path: to }, cause: error },
            );
          }
        } catch (checkError) {
          throw this.#fail('rename', `${from} -> ${to}`, checkError, 'RENAME_FAILED');
        }
      }
      throw this.#fail('rename', `${from} -> ${to}`, error, 'RENAME_FAILED');
    }
  }

  async delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    const normal = normalizeStoragePath(path);
    try {
      return await this.#run(
        () => this.#client.delete(normal, { recursive: options.recursive ?? false }),
        false,
      );
    } catch (error) {
      throw this.#fail('delete', path, error);
    }
  }

  /** Pages through LISTSTATUS_BATCH, so a directory of any size arrives in bounded answers. */
  async list(dir: string): Promise<StorageEntry[]> {
    const base = normalizeStoragePath(dir);
    let statuses: FileStatus[];
    try {
      statuses = await this.#run(async () => {
        const all: FileStatus[] = [];
        for await (const status of this.#client.listStatusIterator(base)) all.push(status);
        return all;
      }, true);
    } catch (error) {
      if (codeOf(error) === 'NOT_FOUND') return [];
      throw this.#fail('list', dir, error);
    }
    if (statuses.length === 1 && statuses[0]?.pathSuffix === '') {
      throw new SinkError(
        'STORAGE_FAILED',
        `storage list ${dir} on ${this.description} failed: not a directory`,
        {
          context: { path: dir },
        },
      );
    }
    return statuses
      .map((s) => entryOf(childOf(base, s.pathSuffix), s))
      .sort((a, b) => compareNames(a.name, b.name));
  }

  async stat(path: string): Promise<StorageEntry | null> {
    const normal = normalizeStoragePath(path);
    try {
      const status = await this.#run(() => this.#client.getFileStatus(normal), true);
      return status === null ? null : entryOf(normal, status);
    } catch (error) {
      throw this.#fail('stat', path, error);
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async mkdirs(path: string): Promise<void> {
    const normal = normalizeStoragePath(path);
    const permission = this.#directoryPermission;
    let made: boolean;
    try {
      made = await this.#run(
        () => this.#client.mkdirs(normal, permission === undefined ? {} : { permission }),
        true,
      );
    } catch (error) {
      throw this.#fail('mkdirs', path, error);
    }
    if (!made)
      throw new SinkError(
        'STORAGE_FAILED',
        `storage mkdirs ${path} on ${this.description}: HDFS answered false`,
        { context: { path } },
      );
  }
}
