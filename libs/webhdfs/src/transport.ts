// Sends one HTTP request with a timeout and the caller's signal, and turns every failure into a WebHdfsError.
// NameNode calls and DataNode reads go through fetch (undici pools keep-alive connections per origin);
// DataNode writes go through node:http, because the DataNode answers a CREATE with an unsolicited
// `100 Continue` before its `201 Created`, which fetch rejects as "bad response" (docs/decisions/0004-webhdfs-client-on-node-http.md).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errorFromNetwork, errorFromResponse } from './errors.ts';
import type { WebHdfsErrorContext } from './errors.ts';

export interface CallOptions {
  /** Aborts the call; the error is `ABORTED` and not retriable. */
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for this call (milliseconds, whole call including the body). */
  readonly timeoutMs?: number;
}

interface Deadline {
  readonly signal: AbortSignal;
  readonly timeout: AbortSignal;
  readonly caller: AbortSignal | undefined;
  readonly timeoutMs: number;
}

export function deadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    signal: caller === undefined ? timeout : AbortSignal.any([caller, timeout]),
    timeout,
    caller,
    timeoutMs,
  };
}

function networkError(error: unknown, context: WebHdfsErrorContext, url: string, d: Deadline) {
  return errorFromNetwork(
    error,
    { ...context, url },
    { timedOut: d.timeout.aborted, aborted: d.caller?.aborted ?? false, timeoutMs: d.timeoutMs },
  );
}

/** fetch with manual redirects. Any status outside 2xx and 307 becomes a WebHdfsError built from its body. */
export async function fetchChecked(
  url: string,
  init: RequestInit,
  context: WebHdfsErrorContext,
  d: Deadline,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal: d.signal });
  } catch (error) {
    throw networkError(error, context, url, d);
  }
  if ((response.status >= 200 && response.status < 300) || response.status === 307) return response;
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The status is still worth reporting without its body.
  }
  throw errorFromResponse(response.status, body, context);
}

/** Reads a body inside the same deadline, mapping a broken or timed-out transfer. */
export async function readBody<T>(
  read: () => Promise<T>,
  url: string,
  context: WebHdfsErrorContext,
  d: Deadline,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw networkError(error, context, url, d);
  }
}

export interface Agents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

export function createAgents(maxSockets: number): Agents {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets }),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** PUT (or POST) bytes with node:http(s), which skips informational responses such as `100 Continue`. */
export function sendBytes(
  method: 'PUT' | 'POST',
  url: string,
  body: Uint8Array,
  agents: Agents,
  context: WebHdfsErrorContext,
  d: Deadline,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const send = secure ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method,
        agent: secure ? agents.https : agents.http,
        signal: d.signal,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => reject(networkError(error, context, url, d)));
      },
    );
    req.on('error', (error) => reject(networkError(error, context, url, d)));
    req.end(body);
  });
}
