// LocalStorage: the Storage contract on a local directory, the embedded default for trying the sink out.
// Storage paths map under the root (`/data/x` → `<root>/data/x`). Where POSIX differs from HDFS, the
// comments and docs/storage.md say how.
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { SinkError } from '../errors.ts';
import { backendCode, storageFailure } from './failure.ts';
import type { Storage, StorageEntry } from './storage.ts';
import { checkSibling, childOf, compareNames, nameOf, normalizeStoragePath, parentOf } from './storage.ts';

export interface LocalStorageOptions {
  /** fsync files before `writeFile` resolves and directories after a rename. Default true. */
  readonly fsync?: boolean;
}

function entryOf(path: string, stats: Stats): StorageEntry | null {
  const type = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : undefined;
  if (type === undefined) return null; // sockets, fifos, devices: not something the sink reads or writes
  return {
    name: nameOf(path),
    path,
    type,
    length: type === 'file' ? stats.size : 0,
    modificationTime: Math.floor(stats.mtimeMs),
  };
}

export class LocalStorage implements Storage {
  readonly root: string;
  readonly description: string;
  readonly #fsync: boolean;

  /** `root` stands for `/` of the storage; it is created on the first write. */
  constructor(root: string, options: LocalStorageOptions = {}) {
    this.root = resolve(root);
    this.description = `local ${this.root}`;
    this.#fsync = options.fsync ?? true;
  }

  /** The local file behind a storage path. */
  localPath(path: string): string {
    const normal = normalizeStoragePath(path);
    return normal === '/' ? this.root : join(this.root, normal);
  }

  #fail(operation: string, path: string, error: unknown, code?: 'RENAME_FAILED'): SinkError {
    return storageFailure(operation, path, this.description, error, code);
  }

  async #lstat(file: string): Promise<Stats | null> {
    try {
      return await lstat(file);
    } catch (error) {
      if (backendCode(error) === 'ENOENT' || backendCode(error) === 'ENOTDIR') return null;
      throw error;
    }
  }

  /** Best effort: makes a rename or a new directory entry durable; some file systems refuse to fsync a directory. */
  async #syncDir(dir: string): Promise<void> {
    if (!this.#fsync) return;
    const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
    if (handle === undefined) return;
    await handle.sync().catch(() => undefined);
    await handle.close();
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    const file = this.localPath(path);
    try {
      await mkdir(join(file, '..'), { recursive: true });
      const handle = await open(file, 'w');
      try {
        await handle.writeFile(bytes);
        if (this.#fsync) await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.#fail('writeFile', path, error);
    }
  }

  async read(path: string): Promise<Uint8Array> {
    try {
      const buffer = await readFile(this.localPath(path));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw this.#fail('read', path, error);
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    try {
      const handle = await open(this.localPath(path), 'r');
      try {
        const out = new Uint8Array(length);
        const { bytesRead } = await handle.read(out, 0, length, offset);
        return out.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.#fail('read', `${path} [${offset}, +${length})`, error);
    }
  }

  /**
   * POSIX has no multi-file atomic step: the joined bytes replace the target with one rename(2), then the
   * sources are unlinked. A crash in between leaves sources whose bytes the target already holds; the
   * caller's recovery recognises that by the target's length and deletes them.
   */
  async concat(target: string, sources: readonly string[]): Promise<void> {
    const normal = normalizeStoragePath(target);
    for (const s of sources) checkSibling(normal, normalizeStoragePath(s));
    if (sources.length === 0) return;
    const file = this.localPath(normal);
    const staging = join(file, '..', `.${nameOf(normal)}.concat-${process.pid}`);
    try {
      const parts = [await readFile(file)];
      for (const s of sources) {
        const bytes = await readFile(this.localPath(s));
        if (bytes.byteLength === 0) throw new Error(`source ${s} is empty`);
        parts.push(bytes);
      }
      const handle = await open(staging, 'w');
      try {
        for (const p of parts) await handle.write(p);
        if (this.#fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(staging, file);
      await this.#syncDir(join(file, '..'));
      for (const s of sources) await unlink(this.localPath(s));
    } catch (error) {
      await unlink(staging).catch(() => undefined);
      throw this.#fail('concat', `${target} <- ${sources.join(', ')}`, error);
    }
  }

  /**
   * A file is renamed with link(2) then unlink(2): link fails with EEXIST when the destination exists, so
   * no check-then-act race can overwrite it. Between the two calls both names exist (a crash there leaves
   * the source behind, as a leftover temporary file). A directory cannot be hard-linked: it is renamed after
   * a check that the destination is free, which a concurrent writer could race.
   */
  async rename(from: string, to: string): Promise<boolean> {
    const source = this.localPath(from);
    const target = this.localPath(to);
    try {
      const stats = await this.#lstat(source);
      if (stats === null) return false;
      if (stats.isDirectory()) {
        if ((await this.#lstat(target)) !== null) return false;
        if ((await this.#lstat(join(target, '..'))) === null) throw this.#missingParent(from, to);
        await rename(source, target);
      } else {
        try {
          await link(source, target);
        } catch (error) {
          const code = backendCode(error);
          if (code === 'EEXIST') return false;
          if (code === 'ENOENT' || code === 'ENOTDIR') {
            if ((await this.#lstat(source)) === null) return false; // renamed away meanwhile
            throw this.#missingParent(from, to);
          }
          throw error;
        }
        try {
          await unlink(source);
        } catch (error) {
          // Someone else moved the source meanwhile; our link is a valid copy of the same file.
          if (backendCode(error) !== 'ENOENT') throw error;
        }
      }
      await this.#syncDir(join(target, '..'));
      return true;
    } catch (error) {
      throw this.#fail('rename', `${from} -> ${to}`, error, 'RENAME_FAILED');
    }
  }

  #missingParent(from: string, to: string): SinkError {
    return new SinkError(
      'RENAME_FAILED',
      `storage rename ${from} -> ${to} on ${this.description}: the destination's parent ${parentOf(to)} does not exist`,
      {
        context: { path: to },
      },
    );
  }

  async delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    const file = this.localPath(path);
    try {
      const stats = await this.#lstat(file);
      if (stats === null) return false;
      if (!stats.isDirectory()) await unlink(file);
      else if (options.recursive === true) await rm(file, { recursive: true, force: true });
      else await rmdir(file);
      return true;
    } catch (error) {
      if (backendCode(error) === 'ENOENT') return false;
      throw this.#fail('delete', path, error);
    }
  }

  async list(dir: string): Promise<StorageEntry[]> {
    const base = normalizeStoragePath(dir);
    const local = this.localPath(base);
    let names: string[];
    try {
      names = await readdir(local);
    } catch (error) {
      if (backendCode(error) === 'ENOENT') return [];
      if (backendCode(error) === 'ENOTDIR') {
        throw new SinkError(
          'STORAGE_FAILED',
          `storage list ${dir} on ${this.description} failed: not a directory`,
          {
            context: { path: dir },
            cause: error,
          },
        );
      }
      throw this.#fail('list', dir, error);
    }
    const entries: StorageEntry[] = [];
    for (const name of names) {
      const stats = await this.#lstat(join(local, name)).catch((error: unknown) => {
        throw this.#fail('list', dir, error);
      });
      const entry = stats === null ? null : entryOf(childOf(base, name), stats);
      if (entry !== null) entries.push(entry);
    }
    return entries.sort((a, b) => compareNames(a.name, b.name));
  }

  async stat(path: string): Promise<StorageEntry | null> {
    const normal = normalizeStoragePath(path);
    try {
      const stats = await this.#lstat(this.localPath(normal));
      return stats === null ? null : entryOf(normal, stats);
    } catch (error) {
      throw this.#fail('stat', path, error);
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null;
  }

  async mkdirs(path: string): Promise<void> {
    const dir = this.localPath(path);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw this.#fail('mkdirs', path, error);
    }
  }
}
