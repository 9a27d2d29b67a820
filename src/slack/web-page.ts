import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A page the app serves to people outside Slack (the customer survey) on its own HTTP server, in both modes:
 * Bolt's receiver routes `<prefix>:token` to it in HTTP mode, and the `/healthz` server does in Socket Mode.
 * Requests under `prefix` never reach the Slack request gate (which guards only POST /slack/events).
 */
export type WebPage = {
  /** Like `/s/`: the page answers every path that starts with it and has one more segment. */
  prefix: `/${string}/`;
  /** Answer the request completely (the page owns its errors). */
  handle(req: IncomingMessage, res: ServerResponse): void;
};

/** The page that answers this path, if any. */
export function webPageFor(pages: readonly WebPage[], path: string): WebPage | undefined {
  return pages.find((p) => path.startsWith(p.prefix) && path.length > p.prefix.length);
}
