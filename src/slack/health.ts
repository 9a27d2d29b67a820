import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebPage, webPageFor } from './web-page.js';

/** What `/healthz` reports: 200 when `ok`, 503 otherwise (only when a restart, or Slack coming back, would help). */
export type HealthCheck = () => { ok: boolean; details: Record<string, unknown> };

export function answerHealth(res: Pick<ServerResponse, 'writeHead' | 'end'>, check: HealthCheck): void {
  const h = check();
  res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unhealthy', ...h.details }));
}

export type HealthServer = { listen(port: number): Promise<number>; close(): Promise<void> };

/**
 * `GET /healthz` on its own port, for Socket Mode (which has no HTTP server of its own): the same answer and the
 * same `PORT` as in HTTP mode, so a load balancer or container health check works whichever mode runs. The
 * pages the app shows customers (`pages`, the survey) are served here too.
 */
export function createHealthServer(check: HealthCheck, pages: readonly WebPage[] = []): HealthServer {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      answerHealth(res, check);
      return;
    }
    const page = webPageFor(pages, path);
    if (page) return page.handle(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: Socket Mode serves only GET /healthz and the pages the app shows customers');
  });
  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
