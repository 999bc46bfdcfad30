// The one error base of the WebHDFS client, and the pure mapping from HDFS answers and socket failures to it.

export const WebHdfsErrorCodes = [
  /** FileNotFoundException: the path (or a parent) does not exist. */
  'NOT_FOUND',
  /** AccessControlException, AuthorizationException, an invalid token, or a bare 401/403. */
  'ACCESS_DENIED',
  /** FileAlreadyExistsException: CREATE without overwrite, strict RENAME onto an existing path, MKDIRS over a file. */
  'ALREADY_EXISTS',
  /** PathIsNotEmptyDirectoryException: DELETE of a non-empty directory without `recursive`. */
  'NOT_EMPTY',
  /** ParentNotDirectoryException, or a path that is a directory where a file is needed. */
  'NOT_DIRECTORY',
  /** DSQuotaExceededException, NSQuotaExceededException: space or name quota of a directory tree is full. */
  'QUOTA_EXCEEDED',
  /** AlreadyBeingCreatedException, LeaseExpiredException: another writer holds (or lost) the file's lease. */
  'LEASE_CONFLICT',
  /** SafeModeException: the NameNode is read-only until enough blocks are reported. */
  'SAFE_MODE',
  /** StandbyException: this NameNode is the HA standby; ask the active one. */
  'STANDBY',
  /** RetriableException and friends: the NameNode asks the client to try again. */
  'RETRY_LATER',
  /** IllegalArgumentException, InvalidPathException, UnsupportedOperationException, a bare 400, or a bad argument here. */
  'INVALID_ARGUMENT',
  /** Any other remote IOException. */
  'IO',
  /** No connection could be made (refused, unknown host, connect timeout): the request was never sent. */
  'UNREACHABLE',
  /** The connection broke after the request was (maybe) sent: the operation may or may not have happened. */
  'CONNECTION',
  /** The per-request timeout of the client elapsed. */
  'TIMEOUT',
  /** The caller's AbortSignal fired. */
  'ABORTED',
  /** An HTTP status with no RemoteException body (a proxy, a servlet error page). */
  'HTTP',
  /** A 2xx answer whose body is not what the WebHDFS API documents. */
  'PROTOCOL',
] as const;

export type WebHdfsErrorCode = (typeof WebHdfsErrorCodes)[number];

/** The JSON body of a failed WebHDFS call: `{"RemoteException": {...}}`. */
export interface RemoteException {
  readonly exception: string;
  readonly javaClassName?: string;
  readonly message?: string;
}

export interface WebHdfsErrorContext {
  /** WebHDFS operation, e.g. `CREATE`, `RENAME`. */
  readonly operation?: string;
  readonly path?: string;
  /** Effective user: `doas` when set, else `user.name`. */
  readonly user?: string;
  readonly httpStatus?: number;
  readonly remote?: RemoteException;
  /** `namenode` or `datanode`: which hop of a two-step CREATE/OPEN failed. */
  readonly host?: 'namenode' | 'datanode';
}

export class WebHdfsError extends Error {
  readonly code: WebHdfsErrorCode;
  /** True when the same call may succeed later; the retry helper retries nothing else. */
  readonly retriable: boolean;
  readonly context: WebHdfsErrorContext;

  constructor(
    code: WebHdfsErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: WebHdfsErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebHdfsError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

export function isWebHdfsError(error: unknown): error is WebHdfsError {
  return error instanceof WebHdfsError;
}

/**
 * Codes whose failure proves the server did not act: repeating a non-idempotent call (RENAME, DELETE) after
 * one of these cannot apply it twice. A `CONNECTION` or `TIMEOUT` error proves nothing of the kind.
 */
export const NOT_APPLIED_CODES: ReadonlySet<WebHdfsErrorCode> = new Set([
  'SAFE_MODE',
  'STANDBY',
  'RETRY_LATER',
  'UNREACHABLE',
]);

interface Mapping {
  readonly code: WebHdfsErrorCode;
  readonly retriable: boolean;
}

/**
 * RemoteException class (simple name, as in `exception`) → code. The NameNode's web layer answers most
 * IOExceptions with 403, so the status alone cannot tell a denied access from a safe-mode NameNode: the
 * class name is the authority, the status only a fallback.
 */
export const REMOTE_EXCEPTION_TABLE: Readonly<Record<string, Mapping>> = {
  FileNotFoundException: { code: 'NOT_FOUND', retriable: false },
  AccessControlException: { code: 'ACCESS_DENIED', retriable: false },
  AuthorizationException: { code: 'ACCESS_DENIED', retriable: false },
  AuthenticationException: { code: 'ACCESS_DENIED', retriable: false },
  InvalidToken: { code: 'ACCESS_DENIED', retriable: false },
  SecurityException: { code: 'ACCESS_DENIED', retriable: false },
  FileAlreadyExistsException: { code: 'ALREADY_EXISTS', retriable: false },
  PathIsNotEmptyDirectoryException: { code: 'NOT_EMPTY', retriable: false },
  ParentNotDirectoryException: { code: 'NOT_DIRECTORY', retriable: false },
  PathIsNotDirectoryException: { code: 'NOT_DIRECTORY', retriable: false },
  DSQuotaExceededException: { code: 'QUOTA_EXCEEDED', retriable: false },
  NSQuotaExceededException: { code: 'QUOTA_EXCEEDED', retriable: false },
  QuotaExceededException: { code: 'QUOTA_EXCEEDED', retriable: false },
  AlreadyBeingCreatedException: { code: 'LEASE_CONFLICT', retriable: false },
  LeaseExpiredException: { code: 'LEASE_CONFLICT', retriable: false },
  SafeModeException: { code: 'SAFE_MODE', retriable: true },
  StandbyException: { code: 'STANDBY', retriable: true },
  RetriableException: { code: 'RETRY_LATER', retriable: true },
  RecoveryInProgressException: { code: 'RETRY_LATER', retriable: true },
  IllegalArgumentException: { code: 'INVALID_ARGUMENT', retriable: false },
  HadoopIllegalArgumentException: { code: 'INVALID_ARGUMENT', retriable: false },
  InvalidPathException: { code: 'INVALID_ARGUMENT', retriable: false },
  UnsupportedOperationException: { code: 'INVALID_ARGUMENT', retriable: false },
  UnresolvedPathException: { code: 'INVALID_ARGUMENT', retriable: false },
  NumberFormatException: { code: 'INVALID_ARGUMENT', retriable: false },
};

/** Retriable HTTP statuses when the body is no RemoteException: server errors, timeouts, throttling. */
function statusIsRetriable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Maps a RemoteException (and the status it came with) to a code and retriable flag. Pure. */
export function classifyRemoteException(remote: RemoteException, status: number): Mapping {
  const simple = remote.exception.includes('.')
    ? remote.exception.slice(remote.exception.lastIndexOf('.') + 1)
    : remote.exception;
  const byName = REMOTE_EXCEPTION_TABLE[simple];
  if (byName !== undefined) return byName;
  // `SecretManager$InvalidToken` and other nested classes arrive with a `$` in javaClassName only.
  const javaSimple = remote.javaClassName?.split(/[.$]/).pop();
  const byJavaName = javaSimple === undefined ? undefined : REMOTE_EXCEPTION_TABLE[javaSimple];
  if (byJavaName !== undefined) return byJavaName;
  return { code: 'IO', retriable: status >= 500 };
}

/** Maps an HTTP status with no RemoteException body. Pure. */
export function classifyHttpStatus(status: number): Mapping {
  if (status === 401 || status === 403) return { code: 'ACCESS_DENIED', retriable: false };
  if (status === 404) return { code: 'NOT_FOUND', retriable: false };
  if (status === 400) return { code: 'INVALID_ARGUMENT', retriable: false };
  return { code: 'HTTP', retriable: statusIsRetriable(status) };
}

/** Reads `{"RemoteException": {...}}` out of a response body; undefined when the body is anything else. */
export function parseRemoteException(body: string): RemoteException | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const inner = (parsed as { RemoteException?: unknown }).RemoteException;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const { exception, javaClassName, message } = inner as Record<string, unknown>;
  if (typeof exception !== 'string') return undefined;
  return {
    exception,
    ...(typeof javaClassName === 'string' ? { javaClassName } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

function describe(context: WebHdfsErrorContext): string {
  const parts = [context.operation ?? 'request'];
  if (context.path !== undefined) parts.push(context.path);
  if (context.user !== undefined) parts.push(`as ${context.user}`);
  return parts.join(' ');
}

/** The error for a non-success HTTP answer, given its status and body text. Pure. */
export function errorFromResponse(status: number, body: string, context: WebHdfsErrorContext): WebHdfsError {
  const remote = parseRemoteException(body);
  if (remote !== undefined) {
    const { code, retriable } = classifyRemoteException(remote, status);
    // Some answers append the server's Java stack trace to the message; the first line is the message.
    const detail = (remote.message ?? remote.exception).split(/\r?\n\s*at /)[0]?.trim() ?? remote.exception;
    return new WebHdfsError(code, `WebHDFS ${describe(context)} failed: ${remote.exception}: ${detail}`, {
      retriable,
      context: { ...context, httpStatus: status, remote },
    });
  }
  const { code, retriable } = classifyHttpStatus(status);
  const snippet = body.trim().slice(0, 200);
  return new WebHdfsError(
    code,
    `WebHDFS ${describe(context)} failed: HTTP ${status}${snippet === '' ? '' : `: ${snippet}`}`,
    { retriable, context: { ...context, httpStatus: status } },
  );
}

/** Socket error codes that mean no connection was made, so the request never left this process. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error for a request that got no HTTP answer. `timedOut`/`aborted` say which signal fired, if any: the
 * client's own timeout (retriable) or the caller's signal (not retriable: the caller gave up). Pure.
 */
export function errorFromNetwork(
  error: unknown,
  context: WebHdfsErrorContext & { url?: string },
  signals: { timedOut: boolean; aborted: boolean; timeoutMs?: number },
): WebHdfsError {
  const { url, ...ctx } = context;
  const where = url === undefined ? '' : ` (${new URL(url).host})`;
  if (signals.aborted) {
    return new WebHdfsError('ABORTED', `WebHDFS ${describe(ctx)} aborted by the caller`, {
      cause: error,
      context: ctx,
    });
  }
  if (signals.timedOut) {
    return new WebHdfsError(
      'TIMEOUT',
      `WebHDFS ${describe(ctx)} timed out after ${signals.timeoutMs ?? '?'} ms${where}`,
      {
        retriable: true,
        cause: error,
        context: ctx,
      },
    );
  }
  const code = errorCodeOf(error);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  if (code !== undefined && CONNECT_FAILURES.has(code)) {
    return new WebHdfsError('UNREACHABLE', `WebHDFS ${describe(ctx)}: cannot connect${where}: ${reason}`, {
      retriable: true,
      cause: error,
      context: ctx,
    });
  }
  return new WebHdfsError('CONNECTION', `WebHDFS ${describe(ctx)}: connection failed${where}: ${reason}`, {
    retriable: true,
    cause: error,
    context: ctx,
  });
}
