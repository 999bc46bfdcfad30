// Builds WebHDFS request URLs: path validation, per-segment percent-encoding and the query string. Pure.
import { WebHdfsError } from './errors.ts';

export type QueryValue = string | number | boolean | undefined;

/**
 * Checks an HDFS path the way the NameNode would reject it, before any request: absolute, no empty, `.` or
 * `..` segment. A trailing slash is dropped (`/a/` is `/a`), the root stays `/`.
 */
export function normalizePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new WebHdfsError('INVALID_ARGUMENT', `WebHDFS path must be absolute, got ${JSON.stringify(path)}`);
  }
  if (path === '/') return path;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) {
      throw new WebHdfsError(
        'INVALID_ARGUMENT',
        `WebHDFS path ${JSON.stringify(path)} has an invalid segment ${JSON.stringify(segment)}`,
      );
    }
  }
  return trimmed;
}

/**
 * Percent-encodes each segment of an absolute path. `encodeURIComponent` and not `encodeURI`: `#`, `?`, `;`,
 * `+`, `=` and `%` are legal in HDFS names and must not be read as URL syntax (`;` starts a path parameter in
 * Jetty, `+` would be a space to a form decoder).
 */
export function encodePath(path: string): string {
  const normal = normalizePath(path);
  return normal === '/' ? '/' : normal.split('/').map(encodeURIComponent).join('/');
}

/**
 * Query string with every key and value through `encodeURIComponent`. Not URLSearchParams: it writes a space
 * as `+`, which Jersey's query decoder on the NameNode does not turn back into a space in every version.
 */
export function encodeQuery(params: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/**
 * `<base>/webhdfs/v1<encoded path>?op=<OP>&<params>`. The base may carry a prefix (a gateway such as Knox
 * serves WebHDFS under `/gateway/<cluster>`); a trailing slash on it is ignored.
 */
export function buildUrl(
  base: string,
  path: string,
  op: string,
  params: Readonly<Record<string, QueryValue>> = {},
): string {
  let root: URL;
  try {
    root = new URL(base);
  } catch (cause) {
    throw new WebHdfsError('INVALID_ARGUMENT', `WebHDFS base URL ${JSON.stringify(base)} is not a URL`, {
      cause,
    });
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') {
    throw new WebHdfsError(
      'INVALID_ARGUMENT',
      `WebHDFS base URL ${JSON.stringify(base)} must be http: or https:`,
    );
  }
  const prefix = root.pathname.replace(/\/+$/, '');
  const query = encodeQuery({ op, ...params });
  return `${root.origin}${prefix}/webhdfs/v1${encodePath(path)}?${query}`;
}

/** Octal permission as WebHDFS takes it: 3 digits, or 4 with a leading sticky bit (`1777`). */
export function checkPermission(permission: string): string {
  if (!/^[01]?[0-7]{3}$/.test(permission)) {
    throw new WebHdfsError(
      'INVALID_ARGUMENT',
      `WebHDFS permission must be octal like "750" or "1777", got ${JSON.stringify(permission)}`,
    );
  }
  return permission;
}
