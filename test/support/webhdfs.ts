// Minimal WebHDFS calls for tests: NameNode requests through fetch, the DataNode write through node:http.
import { request } from 'node:http';

export interface WebHdfs {
  readonly baseUrl: string;
}

export function opUrl(
  baseUrl: string,
  path: string,
  op: string,
  user: string,
  extra: Record<string, string> = {},
): string {
  const url = new URL(`/webhdfs/v1${path}`, baseUrl);
  url.searchParams.set('op', op);
  url.searchParams.set('user.name', user);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * PUT to a DataNode. Its CREATE handler sends an unsolicited `100 Continue` before `201 Created`, which
 * fetch (undici) rejects as "bad response"; node:http skips informational responses.
 */
export function putBytes(url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', timeout: 15_000, headers: { 'content-type': 'application/octet-stream' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`PUT ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
