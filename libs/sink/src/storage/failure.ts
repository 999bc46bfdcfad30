// Turns a backend failure (a WebHdfsError, a Node fs error) into the sink's one error type, keeping
// whether retrying can help and the backend's own error as the cause.
import { SinkError } from '../errors.ts';
import type { SinkErrorCode } from '../errors.ts';

/** fs error codes that may pass by themselves; a permission, a full disk or a read-only mount will not. */
const TRANSIENT_FS_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT', 'EIO']);

/** The backend's error code: a WebHdfsError's `code` (ACCESS_DENIED…) or an fs `code` (EACCES…). */
export function backendCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isRetriable(error: unknown): boolean {
  const flag = (error as { retriable?: unknown } | null)?.retriable;
  if (typeof flag === 'boolean') return flag;
  const code = backendCode(error);
  return code !== undefined && TRANSIENT_FS_CODES.has(code);
}

/**
 * `STORAGE_FAILED` (or `code`) for `operation` on `path`, with the backend's message, its retriable flag and
 * the original error as `cause`. A SinkError passes through unchanged.
 */
export function storageFailure(
  operation: string,
  path: string,
  description: string,
  error: unknown,
  code: SinkErrorCode = 'STORAGE_FAILED',
): SinkError {
  if (error instanceof SinkError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new SinkError(code, `storage ${operation} ${path} on ${description} failed: ${detail}`, {
    retriable: isRetriable(error),
    cause: error,
    context: { path },
  });
}
