import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics` on 127.0.0.1 only: the numbers say how busy the company is, so they are not for the network;
 * a Prometheus on the same host (or a sidecar) scrapes them. Anything else is 404.
 */
export type MetricsServer = { listen(port: number): Promise<number>; close(): Promise<void> };

export function createMetricsServer(registry: Registry): MetricsServer {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  return {
    listen: (port) =>
      new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(port, '127.0.0.1', () => done((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((done) => {
        if (!server.listening) return done();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
