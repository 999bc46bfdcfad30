// WebHdfsClient: one method per WebHDFS operation, one attempt per call (retrying is the caller's choice,
// through withRetry), every failure a WebHdfsError naming the operation, the path and the user.
import { errorFromResponse, WebHdfsError } from './errors.ts';
import type { WebHdfsErrorContext } from './errors.ts';
import { createAgents, deadline, fetchChecked, readBody, sendBytes } from './transport.ts';
import type { Agents, CallOptions } from './transport.ts';
import type { AclStatus, ContentSummary, FileStatus, ListingPage } from './types.ts';
import { buildUrl, checkPermission, normalizePath } from './url.ts';
import type { QueryValue } from './url.ts';

export type { CallOptions } from './transport.ts';

export interface WebHdfsClientOptions {
  /** NameNode HTTP address, e.g. `http://127.0.0.1:9870` (a gateway prefix such as `/gateway/x` is kept). */
  readonly url: string;
  /** `user.name` for simple (pseudo) authentication. Ignored when `delegationToken` is set. */
  readonly user?: string;
  /** `doas`: act as this user (the authenticated user must be allowed to proxy). */
  readonly doAs?: string;
  /** `delegation`: a Hadoop delegation token, sent instead of `user.name`. */
  readonly delegationToken?: string;
  /** Per-call timeout of metadata operations, ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Per-call timeout of CREATE and OPEN, which move the bytes, ms. Default 600 000. */
  readonly dataTimeoutMs?: number;
  /** Most concurrent keep-alive sockets to each DataNode for writes. Default 16. */
  readonly maxDataNodeSockets?: number;
  /**
   * Rewrites a DataNode redirect before following it, for DataNodes that advertise a name this host cannot
   * reach (containers, NAT). Default: follow as given.
   */
  readonly rewriteDataNodeUrl?: (location: URL) => URL;
}

export interface CreateOptions extends CallOptions {
  /** Replace an existing file. Default false: an existing file fails with ALREADY_EXISTS. */
  readonly overwrite?: boolean;
  /** Octal permission of the new file, e.g. "640"; default the NameNode's umask. */
  readonly permission?: string;
  readonly replication?: number;
  readonly blockSize?: number;
}

export interface OpenOptions extends CallOptions {
  /** First byte to read. */
  readonly offset?: number;
  /** Most bytes to read; default to the end. */
  readonly length?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DATA_TIMEOUT_MS = 600_000;

function checkCount(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new WebHdfsError(
      'INVALID_ARGUMENT',
      `WebHDFS option ${name} must be an integer >= ${min}, got ${value}`,
    );
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class WebHdfsClient {
  readonly url: string;
  /** The user HDFS checks permissions against: `doAs` when set, else `user`. */
  readonly effectiveUser: string | undefined;
  readonly #auth: Readonly<Record<string, QueryValue>>;
  readonly #timeoutMs: number;
  readonly #dataTimeoutMs: number;
  readonly #agents: Agents;
  readonly #rewrite: ((location: URL) => URL) | undefined;

  constructor(options: WebHdfsClientOptions) {
    buildUrl(options.url, '/', 'GETFILESTATUS'); // validates the base URL now rather than on the first call
    this.url = options.url;
    this.#auth = {
      ...(options.delegationToken === undefined
        ? { 'user.name': options.user }
        : { delegation: options.delegationToken }),
      doas: options.doAs,
    };
    this.effectiveUser = options.doAs ?? options.user;
    this.#timeoutMs = checkCount('timeoutMs', options.timeoutMs, 1) ?? DEFAULT_TIMEOUT_MS;
    this.#dataTimeoutMs = checkCount('dataTimeoutMs', options.dataTimeoutMs, 1) ?? DEFAULT_DATA_TIMEOUT_MS;
    this.#agents = createAgents(checkCount('maxDataNodeSockets', options.maxDataNodeSockets, 1) ?? 16);
    this.#rewrite = options.rewriteDataNodeUrl;
  }

  /** Closes the keep-alive sockets of DataNode writes. NameNode calls use fetch's shared pool. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** The request URL of an operation, for logs and tests. */
  urlFor(path: string, op: string, params: Readonly<Record<string, QueryValue>> = {}): string {
    return buildUrl(this.url, path, op, { ...this.#auth, ...params });
  }

  #context(operation: string, path: string, host: 'namenode' | 'datanode' = 'namenode'): WebHdfsErrorContext {
    return {
      operation,
      path,
      host,
      ...(this.effectiveUser === undefined ? {} : { user: this.effectiveUser }),
    };
  }

  /** One NameNode call answering JSON. */
  async #json(
    method: string,
    op: string,
    path: string,
    params: Readonly<Record<string, QueryValue>>,
    options: CallOptions,
  ) {
    const url = this.urlFor(path, op, params);
    const context = this.#context(op, path);
    const d = deadline(options.timeoutMs ?? this.#timeoutMs, options.signal);
    const response = await fetchChecked(url, { method }, context, d);
    const text = await readBody(() => response.text(), url, context, d);
    if (response.status !== 200)
      throw this.#protocol(context, `HTTP ${response.status} where 200 was expected`);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw this.#protocol(context, `answer is not JSON: ${text.slice(0, 100)}`, cause);
    }
  }

  #protocol(context: WebHdfsErrorContext, detail: string, cause?: unknown): WebHdfsError {
    return new WebHdfsError(
      'PROTOCOL',
      `WebHDFS ${context.operation} ${context.path}: unexpected answer: ${detail}`,
      {
        context,
        cause,
      },
    );
  }

  #boolean(body: unknown, context: WebHdfsErrorContext): boolean {
    if (isObject(body) && typeof body['boolean'] === 'boolean') return body['boolean'];
    throw this.#protocol(context, `expected {"boolean": …}, got ${JSON.stringify(body)?.slice(0, 100)}`);
  }

  /** The DataNode address of a two-step operation, from the NameNode's 307. */
  async #redirect(response: Response, context: WebHdfsErrorContext): Promise<string> {
    await response.text().catch(() => undefined); // drain, so the NameNode connection goes back to the pool
    const location = response.headers.get('location');
    if (response.status !== 307 || location === null) {
      throw this.#protocol(context, `expected a 307 redirect to a DataNode, got HTTP ${response.status}`);
    }
    return this.#rewrite === undefined ? location : this.#rewrite(new URL(location)).toString();
  }

  /**
   * CREATE: asks the NameNode for a DataNode (307), then PUTs the bytes there. The file is visible, and
   * growing, while it is written; it is complete when this resolves.
   */
  async create(path: string, data: Uint8Array, options: CreateOptions = {}): Promise<void> {
    const params = {
      overwrite: options.overwrite ?? false,
      permission: options.permission === undefined ? undefined : checkPermission(options.permission),
      replication: checkCount('replication', options.replication, 1),
      blocksize: checkCount('blockSize', options.blockSize, 1),
    };
    const d = deadline(options.timeoutMs ?? this.#dataTimeoutMs, options.signal);
    const context = this.#context('CREATE', path);
    const first = await fetchChecked(this.urlFor(path, 'CREATE', params), { method: 'PUT' }, context, d);
    const location = await this.#redirect(first, context);
    const dnContext = this.#context('CREATE', path, 'datanode');
    const written = await sendBytes('PUT', location, data, this.#agents, dnContext, d);
    if (written.status !== 201) throw errorFromDataNode(written.status, written.body, dnContext);
  }

  /** OPEN: the file's bytes (or `length` bytes from `offset`), read from the DataNode the NameNode names. */
  async open(path: string, options: OpenOptions = {}): Promise<Uint8Array> {
    const params = {
      offset: checkCount('offset', options.offset, 0),
      length: checkCount('length', options.length, 0),
    };
    const d = deadline(options.timeoutMs ?? this.#dataTimeoutMs, options.signal);
    const context = this.#context('OPEN', path);
    const first = await fetchChecked(this.urlFor(path, 'OPEN', params), { method: 'GET' }, context, d);
    const location = await this.#redirect(first, context);
    const dnContext = this.#context('OPEN', path, 'datanode');
    const response = await fetchChecked(location, { method: 'GET' }, dnContext, d);
    if (response.status !== 200) throw this.#protocol(dnContext, `HTTP ${response.status} from the DataNode`);
    return readBody(() => readAll(response), location, dnContext, d);
  }

  /**
   * RENAME with HDFS's legacy semantics: false — not an error — when the source is missing, the destination
   * file exists or the destination's parent is missing; an existing destination directory receives the
   * source inside it. Callers must check the result; see `renameStrict` for the exact semantics.
   */
  async rename(from: string, to: string, options: CallOptions = {}): Promise<boolean> {
    const body = await this.#json('PUT', 'RENAME', from, { destination: normalizePath(to) }, options);
    return this.#boolean(body, this.#context('RENAME', from));
  }

  /**
   * RENAME with `renameoptions` (FileContext semantics): atomic; never moves into a directory; throws
   * ALREADY_EXISTS when `to` exists (unless `overwrite`, which replaces a file or an empty directory),
   * NOT_FOUND when `from` or the parent of `to` is missing.
   */
  async renameStrict(
    from: string,
    to: string,
    options: CallOptions & { overwrite?: boolean } = {},
  ): Promise<void> {
    const renameoptions = options.overwrite === true ? 'OVERWRITE' : 'NONE';
    await this.#json('PUT', 'RENAME', from, { destination: normalizePath(to), renameoptions }, options);
  }

  /**
   * CONCAT: appends the sources' bytes to `target`, in order, and removes the sources, as one NameNode
   * operation: a listing shows either the sources or the longer target, never both. HDFS wants the target
   * non-empty, the sources non-empty, distinct and not under construction.
   */
  async concat(target: string, sources: readonly string[], options: CallOptions = {}): Promise<void> {
    if (sources.length === 0) return;
    await this.#json(
      'POST',
      'CONCAT',
      target,
      { sources: sources.map((s) => normalizePath(s)).join(',') },
      options,
    );
  }

  /** DELETE: true when something was deleted, false when nothing was there. A non-empty directory needs `recursive`. */
  async delete(path: string, options: CallOptions & { recursive?: boolean } = {}): Promise<boolean> {
    const body = await this.#json(
      'DELETE',
      'DELETE',
      path,
      { recursive: options.recursive ?? false },
      options,
    );
    return this.#boolean(body, this.#context('DELETE', path));
  }

  /** MKDIRS: creates the directory and its missing parents; true also when it already existed. */
  async mkdirs(path: string, options: CallOptions & { permission?: string } = {}): Promise<boolean> {
    const permission = options.permission === undefined ? undefined : checkPermission(options.permission);
    const body = await this.#json('PUT', 'MKDIRS', path, { permission }, options);
    return this.#boolean(body, this.#context('MKDIRS', path));
  }

  /** GETFILESTATUS: the status of `path`, or null when it does not exist. */
  async getFileStatus(path: string, options: CallOptions = {}): Promise<FileStatus | null> {
    try {
      const body = await this.#json('GET', 'GETFILESTATUS', path, {}, options);
      if (isObject(body) && isObject(body['FileStatus'])) return body['FileStatus'] as unknown as FileStatus;
      throw this.#protocol(this.#context('GETFILESTATUS', path), 'no FileStatus');
    } catch (error) {
      if (error instanceof WebHdfsError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /**
   * LISTSTATUS: all entries of a directory in one answer, sorted by name as HDFS sorts (bytes of UTF-8).
   * For a file, one entry with an empty `pathSuffix`. NOT_FOUND when the path is missing.
   */
  async listStatus(path: string, options: CallOptions = {}): Promise<FileStatus[]> {
    const body = await this.#json('GET', 'LISTSTATUS', path, {}, options);
    const list =
      isObject(body) && isObject(body['FileStatuses']) ? body['FileStatuses']['FileStatus'] : undefined;
    if (!Array.isArray(list))
      throw this.#protocol(this.#context('LISTSTATUS', path), 'no FileStatuses.FileStatus array');
    return list as FileStatus[];
  }

  /** LISTSTATUS_BATCH: one page (the NameNode's `dfs.ls.limit` entries) after `startAfter`. */
  async listStatusBatch(
    path: string,
    options: CallOptions & { startAfter?: string } = {},
  ): Promise<ListingPage> {
    const body = await this.#json(
      'GET',
      'LISTSTATUS_BATCH',
      path,
      { startAfter: options.startAfter },
      options,
    );
    const listing = isObject(body) ? body['DirectoryListing'] : undefined;
    const partial = isObject(listing) ? listing['partialListing'] : undefined;
    const statuses =
      isObject(partial) && isObject(partial['FileStatuses'])
        ? partial['FileStatuses']['FileStatus']
        : undefined;
    const remaining = isObject(listing) ? listing['remainingEntries'] : undefined;
    if (!Array.isArray(statuses) || typeof remaining !== 'number') {
      throw this.#protocol(this.#context('LISTSTATUS_BATCH', path), 'no DirectoryListing');
    }
    return { entries: statuses as FileStatus[], remainingEntries: remaining };
  }

  /** Every entry of a big directory, page by page with LISTSTATUS_BATCH, without one huge answer. */
  async *listStatusIterator(
    path: string,
    options: CallOptions = {},
  ): AsyncGenerator<FileStatus, void, undefined> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.listStatusBatch(path, {
        ...options,
        ...(startAfter === undefined ? {} : { startAfter }),
      });
      yield* page.entries;
      const last = page.entries.at(-1);
      if (page.remainingEntries === 0 || last === undefined || last.pathSuffix === '') return;
      startAfter = last.pathSuffix;
    }
  }

  /** GETCONTENTSUMMARY: counts and bytes of a directory tree, with its quotas. */
  async getContentSummary(path: string, options: CallOptions = {}): Promise<ContentSummary> {
    const body = await this.#json('GET', 'GETCONTENTSUMMARY', path, {}, options);
    if (isObject(body) && isObject(body['ContentSummary']))
      return body['ContentSummary'] as unknown as ContentSummary;
    throw this.#protocol(this.#context('GETCONTENTSUMMARY', path), 'no ContentSummary');
  }

  /** SETPERMISSION, octal like "750". */
  async setPermission(path: string, permission: string, options: CallOptions = {}): Promise<void> {
    await this.#json('PUT', 'SETPERMISSION', path, { permission: checkPermission(permission) }, options);
  }

  /**
   * SETACL: replaces the ACL of `path` with `entries` (HDFS ACL spec entries such as `group:analysts:r-x` or
   * `default:other::---`); the base entries `user::`, `group::` and `other::` must be among them.
   */
  async setAcl(path: string, entries: readonly string[], options: CallOptions = {}): Promise<void> {
    await this.#json('PUT', 'SETACL', path, { aclspec: checkAclSpec(entries, path) }, options);
  }

  /** GETACLSTATUS: owner, group, permission and the extended ACL entries of `path`. */
  async getAclStatus(path: string, options: CallOptions = {}): Promise<AclStatus> {
    const body = await this.#json('GET', 'GETACLSTATUS', path, {}, options);
    if (isObject(body) && isObject(body['AclStatus'])) return body['AclStatus'] as unknown as AclStatus;
    throw this.#protocol(this.#context('GETACLSTATUS', path), 'no AclStatus');
  }

  /** SETOWNER: owner and/or group (changing the owner needs the superuser). */
  async setOwner(
    path: string,
    owner: { owner?: string; group?: string },
    options: CallOptions = {},
  ): Promise<void> {
    if (owner.owner === undefined && owner.group === undefined) {
      throw new WebHdfsError('INVALID_ARGUMENT', `WebHDFS SETOWNER ${path}: give an owner, a group or both`);
    }
    await this.#json('PUT', 'SETOWNER', path, { owner: owner.owner, group: owner.group }, options);
  }
}

const ACL_ENTRY = /^(default:)?(user|group|mask|other):[^,:]*:[r-][w-][x-]$/;

function checkAclSpec(entries: readonly string[], path: string): string {
  const bad = entries.find((entry) => !ACL_ENTRY.test(entry));
  if (entries.length === 0 || bad !== undefined) {
    throw new WebHdfsError(
      'INVALID_ARGUMENT',
      `WebHDFS SETACL ${path}: ${bad === undefined ? 'no entries' : `"${bad}" is not an ACL entry like group:analysts:r-x`}`,
    );
  }
  return entries.join(',');
}

/**
 * The body into one buffer of the announced size, filled chunk by chunk: no second copy of a large file
 * (as `arrayBuffer()` makes when it joins the chunks), and a short body is an error, not a short file.
 */
async function readAll(response: Response): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (response.body === null) return new Uint8Array(0);
  if (!Number.isSafeInteger(announced) || announced < 0) return new Uint8Array(await response.arrayBuffer());
  const out = new Uint8Array(announced);
  let filled = 0;
  for await (const chunk of response.body) {
    if (filled + chunk.byteLength > announced)
      throw new Error(`body longer than its content-length ${announced}`);
    out.set(chunk, filled);
    filled += chunk.byteLength;
  }
  if (filled !== announced) throw new Error(`body ended after ${filled} of ${announced} bytes`);
  return out;
}

/** A DataNode answers a failed CREATE with the same RemoteException JSON as the NameNode; another 2xx is a surprise. */
function errorFromDataNode(status: number, body: string, context: WebHdfsErrorContext): WebHdfsError {
  if (status >= 200 && status < 300) {
    return new WebHdfsError(
      'PROTOCOL',
      `WebHDFS ${context.operation} ${context.path}: DataNode answered ${status}, expected 201`,
      {
        context,
      },
    );
  }
  return errorFromResponse(status, body, context);
}
