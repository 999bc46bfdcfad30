// Public API of @adlake/webhdfs: the client, its error hierarchy and its retry policy (on @adlake/retry).
export { WebHdfsClient } from './client.ts';
export type { CallOptions, CreateOptions, OpenOptions, WebHdfsClientOptions } from './client.ts';
export {
  classifyHttpStatus,
  classifyRemoteException,
  errorFromResponse,
  isWebHdfsError,
  NOT_APPLIED_CODES,
  parseRemoteException,
  REMOTE_EXCEPTION_TABLE,
  WebHdfsError,
  WebHdfsErrorCodes,
} from './errors.ts';
export type { RemoteException, WebHdfsErrorCode, WebHdfsErrorContext } from './errors.ts';
export { shouldRetry, WEBHDFS_RETRY_POLICY, withRetry } from './retry.ts';
export type { WebHdfsRetryOptions } from './retry.ts';
export type { AclStatus, ContentSummary, FileStatus, FileType, ListingPage } from './types.ts';
export { buildUrl, encodePath, encodeQuery, normalizePath } from './url.ts';
