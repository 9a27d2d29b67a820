import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  actionBody,
  reactBody,
  sayBody,
  shortcutBody,
  stateQuery,
  submitBody,
  timeBody,
  userBody,
} from './page-api.js';
import type { SlackStandIn } from './slack-standin.js';
import { readBody } from './standin/request-body.js';
import type { TimeControl } from './time-control.js';
import type { Outcome, Workspace } from './workspace.js';
import type { Snapshot } from './workspace-snapshot.js';

/**
 * The sandbox page: static files and a small JSON API, on 127.0.0.1 only. It acts as anyone (it signs
 * requests with the app's secret), so it refuses other hosts (DNS rebinding) and anything but JSON posts
 * (a form on another site cannot post JSON without the browser asking first).
 */

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/blocks.js': { file: 'blocks.js', type: 'text/javascript; charset=utf-8' },
  '/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

export type PageServerDeps = {
  workspace: Workspace;
  time: TimeControl;
  standIn: SlackStandIn;
  snapshot(user: string, channel: string): Snapshot;
  /** Extra facts for the page: message shortcuts, the kudos emoji. */
  info: { shortcuts: { callbackId: string; name: string }[]; reactions: string[]; timeZone: string };
};

export type PageServer = { url: string; close(): Promise<void> };

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

async function parseJson<S extends z.ZodType>(req: IncomingMessage, schema: S) {
  const raw = (await readBody(req)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false as const, error: 'The request body must be JSON.' };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false as const,
      error: `${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is not valid'}`,
    };
  }
  return { ok: true as const, value: parsed.data as z.output<S> };
}

export async function startPageServer(deps: PageServerDeps, port: number): Promise<PageServer> {
  const { workspace, time } = deps;
  const posts: Record<string, (req: IncomingMessage) => Promise<Outcome | { ok: true; now: number }>> = {
    '/api/say': async (req) =>
      whenValid(await parseJson(req, sayBody), (b) => workspace.say(b.user, b.channel, b.text)),
    '/api/action': async (req) =>
      whenValid(await parseJson(req, actionBody), (b) => workspace.act(b.user, b.target, b.action, b.state)),
    '/api/submit': async (req) =>
      whenValid(await parseJson(req, submitBody), (b) => workspace.submit(b.user, b.viewId, b.values)),
    '/api/close': async (req) =>
      whenValid(await parseJson(req, userBody), async (b) => workspace.closeModal(b.user)),
    '/api/home': async (req) => whenValid(await parseJson(req, userBody), (b) => workspace.openHome(b.user)),
    '/api/shortcut': async (req) =>
      whenValid(await parseJson(req, shortcutBody), (b) =>
        workspace.shortcut(b.user, b.channel, b.ts, b.callbackId),
      ),
    '/api/react': async (req) =>
      whenValid(await parseJson(req, reactBody), (b) =>
        workspace.react(b.user, b.channel, b.ts, b.emoji, b.add),
      ),
    '/api/time': async (req) =>
      whenValid(await parseJson(req, timeBody), async (b) => {
        const ops = {
          tick: () => time.tick(),
          day: () => time.advance(1),
          week: () => time.advance(7),
          reminders: () => time.runReminders(),
          digests: () => time.runDigests(),
        } as const;
        return { ok: true as const, now: await ops[b.op]() };
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const page = STATIC[url.pathname];
    if (req.method === 'GET' && page !== undefined) {
      return send(res, 200, page.type, readFileSync(`${PAGE_DIR}${page.file}`));
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const file = deps.standIn.file(decodeURIComponent(url.pathname.slice('/files/'.length)));
      if (file?.uploaded === undefined) return send(res, 404, 'text/plain', 'file_not_found');
      return send(
        res,
        200,
        file.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
        file.uploaded.bytes,
      );
    }
    if (req.method === 'GET' && url.pathname === '/api/state') {
      const query = stateQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return json(res, 400, { ok: false, error: 'user and channel must be Slack ids' });
      const snapshot = deps.snapshot(query.data.user, query.data.channel);
      if (query.data.since === snapshot.version) return send(res, 204, 'text/plain', '');
      return json(res, 200, { ...snapshot, ...deps.info });
    }
    const post = posts[url.pathname];
    if (req.method === 'POST' && post !== undefined) {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return json(res, 415, { ok: false, error: 'Send JSON (content-type: application/json).' });
      }
      const outcome = await post(req);
      return json(res, outcome.ok ? 200 : 400, outcome);
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const host = req.headers.host ?? '';
    if (host !== new URL(origin).host && host !== `localhost:${new URL(origin).port}`) {
      send(res, 421, 'text/plain', 'The sandbox answers only on 127.0.0.1 and localhost.');
      return;
    }
    handle(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: `sandbox error: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Runs `act` on a valid body; an invalid one is answered with what is wrong. */
async function whenValid<T, R>(
  parsed: { ok: true; value: T } | { ok: false; error: string },
  act: (body: T) => Promise<R>,
): Promise<R | { ok: false; error: string }> {
  return parsed.ok ? act(parsed.value) : { ok: false, error: parsed.error };
}
