// Which backend a file lands in: the contract the commit protocol relies on, met by WebHDFS and by a
// local directory alike (docs/storage.md). Absence is an answer (null, false, []), never an error.
import { SinkError } from '../errors.ts';

export interface StorageEntry {
  /** Last path segment; empty for the root. */
  name: string;
  /** Absolute storage path, `/`-separated. */
  path: string;
  type: 'file' | 'directory';
  /** Bytes of a file; 0 for a directory. */
  length: number;
  /** Milliseconds since the epoch. */
  modificationTime: number;
}

/**
 * Paths are absolute and `/`-separated on every backend (`/data/lake/raw/topic=x/dt=2026-11-23/f.parquet`);
 * a local backend maps them under its root directory.
 */
export interface Storage {
  /** A human-readable description for logs, e.g. `webhdfs http://127.0.0.1:9870 as adlake`. */
  readonly description: string;
  /**
   * Creates or overwrites a file, creating missing parents. Not atomic: a reader may see it while it is
   * written, so it is meant for temporary files that a rename then publishes.
   */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** The whole file. Throws STORAGE_FAILED (not retriable) when there is no file at `path`. */
  read(path: string): Promise<Uint8Array>;
  /** `length` bytes from `offset` (fewer at the end of the file); for reading a Parquet footer. */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /**
   * Appends the sources' bytes to `target` in order and removes the sources. On HDFS (CONCAT) this is one
   * atomic NameNode operation: a listing shows the sources or the longer target, never both. The local
   * backend cannot do that on POSIX: it replaces the target atomically, then deletes the sources, so a
   * reader listing in between sees their rows twice (docs/storage.md). Sources must be in the target's
   * directory, non-empty and distinct.
   */
  concat(target: string, sources: readonly string[]): Promise<void>;
  /**
   * Atomically renames; never overwrites. False when the source is missing or the destination exists
   * (a file or a directory: nothing is moved into it). Throws RENAME_FAILED when the destination's parent
   * directory is missing (create it first), STORAGE_FAILED on a backend failure.
   */
  rename(from: string, to: string): Promise<boolean>;
  /** True when something was deleted, false when nothing was there. A non-empty directory needs `recursive`. */
  delete(path: string, options?: { recursive?: boolean }): Promise<boolean>;
  /** Entries sorted by name (UTF-8 byte order, as HDFS sorts); empty when the directory does not exist. */
  list(dir: string): Promise<StorageEntry[]>;
  /** Null when nothing is there. */
  stat(path: string): Promise<StorageEntry | null>;
  /** True when a file or directory is at `path`. */
  exists(path: string): Promise<boolean>;
  /** Creates a directory and its missing parents; succeeds when it already exists. */
  mkdirs(path: string): Promise<void>;
}

/** Orders names as HDFS lists them: by the bytes of their UTF-8 encoding. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Checks a storage path (absolute, no empty, `.` or `..` segment) and drops a trailing slash. */
export function normalizeStoragePath(path: string): string {
  const bad = (why: string) =>
    new SinkError('STORAGE_FAILED', `storage path ${JSON.stringify(path)} ${why}`, { context: { path } });
  if (typeof path !== 'string' || !path.startsWith('/')) throw bad('must be absolute');
  if (path === '/') return path;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  for (const segment of trimmed.slice(1).split('/')) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) {
      throw bad(`has an invalid segment ${JSON.stringify(segment)}`);
    }
  }
  return trimmed;
}

/** `/a/b/c` → `/a/b`; the root's parent is the root. */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** `/a/b/c` → `c`; the root's name is empty. */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `dir` + `name` without a double slash at the root. */
export function childOf(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** HDFS wants the sources beside the target; the local backend relies on it too. */
export function checkSibling(target: string, source: string): void {
  if (parentOf(source) !== parentOf(target) || source === target) {
    throw new SinkError(
      'STORAGE_FAILED',
      `storage concat: source ${source} must be another file in the directory of ${target}`,
      { context: { path: source } },
    );
  }
}
