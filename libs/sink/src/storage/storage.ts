// Which backend a file lands in: the contract the commit protocol relies on, met by WebHDFS and by a
// local directory alike.

export interface StorageEntry {
  name: string;
  path: string;
  type: 'file' | 'directory';
  length: number;
  modificationTime: number;
}

export interface Storage {
  /** A human-readable description for logs, e.g. `webhdfs://127.0.0.1:9870 as adlake`. */
  readonly description: string;
  /** Creates or overwrites a file (parents are created). Used for temporary files only. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  read(path: string): Promise<Uint8Array>;
  /** Atomically renames; never overwrites. False when the source is missing or the destination exists. */
  rename(from: string, to: string): Promise<boolean>;
  /** True when something was deleted. */
  delete(path: string, options?: { recursive?: boolean }): Promise<boolean>;
  /** Entries sorted by name; empty when the directory does not exist. */
  list(dir: string): Promise<StorageEntry[]>;
  /** Null when nothing is there. */
  stat(path: string): Promise<StorageEntry | null>;
  mkdirs(path: string): Promise<void>;
}
