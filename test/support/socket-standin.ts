/**
 * Socket Mode side of the Slack stand-in: a local WebSocket server (`ws`) that `apps.connections.open` on the
 * Web API stand-in hands out as the connection URL, the way Slack hands out `wss://wss-primary.slack.com/...`.
 * It greets each connection with `hello`, sends envelopes (`slash_commands`, `interactive`, `events_api`) in the
 * shapes Slack sends, records the app's acks by `envelope_id`, and can ask the app to reconnect (`disconnect`)
 * or drop the socket.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { pollUntil } from '../../src/sandbox/standin/poll.js';
import type { SlackStandIn } from './slack-standin.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export type Ack = { envelope_id: string; payload?: Record<string, unknown> };

export interface SocketStandIn {
  /** `ws://127.0.0.1:PORT/link/`, handed out by `apps.connections.open`. */
  readonly url: string;
  /** Connections opened so far (each `apps.connections.open` + WebSocket handshake). */
  readonly connectionsOpened: number;
  /** Every ack received, in arrival order. */
  readonly acks: Ack[];
  /** Resolves once `count` connections have been opened and greeted with `hello`. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Send one envelope on the newest connection; resolves with the app's ack (rejects if none comes within
   * `timeoutMs`, like Slack's 3 s).
   */
  send(
    type: EnvelopeType,
    payload: object,
    options?: { retryAttempt?: number; timeoutMs?: number },
  ): Promise<Ack>;
  /** Slack's `disconnect` message (it is about to recycle the connection): the app should reconnect. */
  requestReconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Drop every connection without a word, as a network failure would. */
  dropConnections(): void;
  /** Refuse new `apps.connections.open` calls with `error` (e.g. `invalid_auth`); undefined accepts again. */
  refuseConnections(error: string | undefined): void;
  close(): Promise<void>;
}

export async function startSocketStandIn(web: SlackStandIn): Promise<SocketStandIn> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/`;
  const sockets: WebSocket[] = [];
  const acks: Ack[] = [];
  let opened = 0;
  let refusal: string | undefined;

  web.setHandler('apps.connections.open', () =>
    refusal
      ? { ok: false, error: refusal }
      : { ok: true, url: `${url}?ticket=${randomUUID()}&app_id=${web.identity.appId}` },
  );

  server.on('connection', (socket) => {
    sockets.push(socket);
    opened += 1;
    socket.on('message', (data) => {
      try {
        const message = JSON.parse(String(data)) as Ack;
        if (typeof message.envelope_id === 'string') acks.push(message);
      } catch {
        // not JSON: Slack ignores it too
      }
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.filter((s) => s.readyState === s.OPEN).length,
        debug_info: { host: 'applink-standin', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: web.identity.appId },
      }),
    );
  });

  const newest = (): WebSocket => {
    const socket = sockets.findLast((s) => s.readyState === s.OPEN);
    if (!socket) throw new Error('Socket stand-in: no open connection');
    return socket;
  };

  return {
    url,
    get connectionsOpened() {
      return opened;
    },
    acks,
    waitForConnections: (count, timeoutMs = 5000) =>
      pollUntil(
        () => (opened >= count && sockets.some((s) => s.readyState === s.OPEN) ? true : undefined),
        timeoutMs,
        () => `Socket stand-in: ${opened} connection(s) opened, waited for ${count}`,
      ).then(() => undefined),
    send(type, payload, options = {}) {
      const envelopeId = randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' }
          : {}),
      };
      newest().send(JSON.stringify(envelope));
      const timeoutMs = options.timeoutMs ?? 3000;
      return pollUntil(
        () => acks.find((a) => a.envelope_id === envelopeId),
        timeoutMs,
        () => `Socket stand-in: no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`,
      );
    },
    requestReconnect(reason = 'refresh_requested') {
      newest().send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }));
    },
    dropConnections() {
      for (const s of sockets) s.terminate();
    },
    refuseConnections(error) {
      refusal = error;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.terminate();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
