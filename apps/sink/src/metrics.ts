// Prometheus text metrics and a health check on a loopback port, free when the port is 0 (the default).
import { createServer } from 'node:http';
import type { Server } from 'node:http';

export type MetricsSource = () => Record<string, number>;

export function renderMetrics(values: Record<string, number>): string {
  return Object.entries(values)
    .map(
      ([name, value]) =>
        `# TYPE adlake_sink_${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\nadlake_sink_${name} ${value}`,
    )
    .join('\n')
    .concat('\n');
}

export type HealthSource = () => { status: 'ok' | 'failing'; reason?: string };

/** `/health` answers 200 while the sink can do its job and 503 with the reason once it cannot. */
export async function serveMetrics(
  port: number,
  source: MetricsSource,
  health: HealthSource = () => ({ status: 'ok' }),
): Promise<Server | undefined> {
  if (port === 0) return undefined;
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics(source()));
    } else if (req.url === '/health') {
      const h = health();
      res
        .writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify(h));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}
