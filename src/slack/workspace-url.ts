import type { WebClient } from '@slack/web-api';

/**
 * The workspace's own URL (auth.test's `url`, e.g. `https://acme.slack.com/`), per client, so a link to a
 * message whose place is known can be written without asking Slack.
 *
 * Slack documents the form chat.getPermalink answers with: `<workspace url>archives/<channel>/p<ts without the
 * dot>` for a message in a channel, and for a reply the same with `?thread_ts=<parent ts>&cid=<channel>`. What
 * is built here is only that, and only when it is sure: the message's place is known (a post the app made, not
 * a message someone reacted to, which may be a reply), and the token is a single workspace's (an Enterprise
 * Grid org-wide install's URL is the organisation's, not the workspace's). Anything else asks chat.getPermalink.
 */

/** Where a message is: top level in its channel, or a reply in the thread whose parent is `threadTs`. */
export type MessagePlace = { threadTs: string | undefined };

const urls = new WeakMap<WebClient, string>();

const WORKSPACE_URL = /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+\/$/i;
const MESSAGE_TS = /^\d+\.\d+$/;
const CHANNEL_ID = /^[A-Z0-9]+$/;

/** What auth.test said about the token's workspace; an org-wide install or an odd URL is not remembered. */
export function rememberWorkspaceUrl(
  client: WebClient,
  auth: { url?: string | undefined; is_enterprise_install?: boolean | undefined },
): void {
  if (auth.is_enterprise_install === true || !auth.url) {
    urls.delete(client);
    return;
  }
  const url = auth.url.endsWith('/') ? auth.url : `${auth.url}/`;
  if (WORKSPACE_URL.test(url)) urls.set(client, url);
  else urls.delete(client);
}

/** The permalink of a message whose place is known, or undefined when it cannot be built soundly. */
export function builtPermalink(
  client: WebClient,
  channel: string,
  ts: string,
  place: MessagePlace,
): string | undefined {
  const base = urls.get(client);
  if (!base || !CHANNEL_ID.test(channel) || !MESSAGE_TS.test(ts)) return undefined;
  const link = `${base}archives/${channel}/p${ts.replace('.', '')}`;
  const { threadTs } = place;
  if (threadTs === undefined || threadTs === ts) return link;
  if (!MESSAGE_TS.test(threadTs)) return undefined;
  return `${link}?thread_ts=${threadTs}&cid=${channel}`;
}
