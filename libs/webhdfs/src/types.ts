// The shapes WebHDFS answers with, as documented for Hadoop 3 (FileStatus, ContentSummary, listings).

export type FileType = 'FILE' | 'DIRECTORY' | 'SYMLINK';

/** One `FileStatus` object. Times are milliseconds since the epoch; `permission` is octal text like "750". */
export interface FileStatus {
  /** Name relative to the listed directory; empty for GETFILESTATUS and for LISTSTATUS of a file. */
  readonly pathSuffix: string;
  readonly type: FileType;
  readonly length: number;
  readonly owner: string;
  readonly group: string;
  readonly permission: string;
  readonly accessTime: number;
  readonly modificationTime: number;
  readonly blockSize: number;
  readonly replication: number;
  readonly fileId?: number;
  readonly childrenNum?: number;
  readonly symlink?: string;
}

export interface ContentSummary {
  readonly directoryCount: number;
  readonly fileCount: number;
  /** Bytes of all files, before replication. */
  readonly length: number;
  /** Name quota, -1 when none. */
  readonly quota: number;
  /** Bytes on disk including replication. */
  readonly spaceConsumed: number;
  /** Space quota in bytes, -1 when none. */
  readonly spaceQuota: number;
}

/** One page of LISTSTATUS_BATCH. */
export interface ListingPage {
  readonly entries: readonly FileStatus[];
  /** Entries after this page; 0 on the last page. */
  readonly remainingEntries: number;
}

/** GETACLSTATUS: the extended entries (`entries`, such as `group:analysts:r-x`) besides the permission bits. */
export interface AclStatus {
  readonly owner: string;
  readonly group: string;
  readonly permission: string;
  readonly stickyBit: boolean;
  readonly entries: readonly string[];
}
