import type { WebClient } from '@slack/web-api';
import { formatPath } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import { collectSlackRefs, type RefKind } from '../config/slack-refs.js';
import { BOT_SCOPES } from '../slack/manifest.js';
import type { Check } from './report.js';

const slackError = (error: unknown): string =>
  (error as { data?: { error?: string } }).data?.error ??
  (error instanceof Error ? error.message : String(error));

const MANIFESTS = 'manifests/slack-app.socket.yaml (or .http.yaml)';

/** auth.test: the token works; Slack sends the scopes it grants in the x-oauth-scopes header. */
export async function checkToken(
  client: WebClient,
  apiUrl: string,
): Promise<{ checks: Check[]; scopes?: string[] }> {
  try {
    const res = await client.auth.test();
    return {
      checks: [{ status: 'ok', what: `Bot token works: @${res.user} in ${res.team} (${res.url ?? apiUrl})` }],
      scopes: res.response_metadata?.scopes ?? [],
    };
  } catch (error) {
    const code = slackError(error);
    const fix =
      code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
        ? 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token (xoxb-) from OAuth & Permissions, after installing the app'
        : `Slack could not be reached at ${apiUrl}auth.test (${code}): check the network, a proxy, or SLACK_API_URL`;
    return { checks: [{ status: 'fail', what: `Bot token: ${code}`, fix }] };
  }
}

export function scopeChecks(granted: readonly string[]): Check[] {
  const needed = Object.keys(BOT_SCOPES);
  const missing = needed.filter((s) => !granted.includes(s));
  const extra = granted.filter((s) => !needed.includes(s));
  const checks: Check[] = needed
    .filter((s) => granted.includes(s))
    .map((s) => ({ status: 'ok', what: `${s}: ${BOT_SCOPES[s as keyof typeof BOT_SCOPES]}` }));
  for (const s of missing)
    checks.push({
      status: 'fail',
      what: `${s} is not granted (needed to ${BOT_SCOPES[s as keyof typeof BOT_SCOPES]})`,
      fix: `Grant ${s}: paste ${MANIFESTS} into the app's App Manifest page, then reinstall the app to the workspace`,
    });
  if (extra.length > 0)
    checks.push({
      status: 'warn',
      what: `Granted but not needed: ${extra.join(', ')}`,
      fix: `For least privilege, remove ${extra.join(', ')} from the app (paste the current manifest) and reinstall`,
    });
  return checks;
}

/** apps.connections.open with the app-level token (Socket Mode). */
export async function checkAppToken(appClient: WebClient): Promise<Check> {
  try {
    await appClient.apps.connections.open();
    return { status: 'ok', what: 'App-level token works: Socket Mode can connect' };
  } catch (error) {
    const code = slackError(error);
    return {
      status: 'fail',
      what: `App-level token: ${code}`,
      fix: 'SLACK_APP_TOKEN must be an app-level token (xapp-) with connections:write, and Socket Mode enabled for the app',
    };
  }
}

/** Each configured channel exists and the bot is in it; public channels are joined on the spot. */
export async function channelChecks(client: WebClient, config: OrgConfig): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [id, uses] of refsByKind(config, 'channel')) {
    try {
      const { channel } = await client.conversations.info({ channel: id });
      const name = `#${channel?.name ?? id}`;
      if (channel?.is_archived) {
        checks.push({
          status: 'fail',
          what: `${name} is archived (${uses})`,
          fix: `Unarchive ${name}, or use another channel for ${uses}`,
        });
      } else if (channel?.is_member) {
        checks.push({ status: 'ok', what: `${name}: the app is a member (${uses})` });
      } else if (!channel?.is_private) {
        await client.conversations.join({ channel: id });
        checks.push({ status: 'ok', what: `${name}: joined it now (${uses})` });
      } else {
        checks.push({
          status: 'fail',
          what: `${name}: the app is not a member (${uses})`,
          fix: `Invite the app to ${name}: /invite @courtesy-loop`,
        });
      }
    } catch (error) {
      const code = slackError(error);
      checks.push({
        status: 'fail',
        what: `${id} (${uses}): ${code}`,
        fix:
          code === 'channel_not_found'
            ? `${id} (${uses}) does not exist, or is private and the app is not in it: check the id or invite the app`
            : `Could not check ${id}: Slack answered ${code}`,
      });
    }
  }
  return checks;
}

/** Each person exists, is active and is a person; each user group exists. */
export async function peopleChecks(client: WebClient, config: OrgConfig): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [id, uses] of refsByKind(config, 'user')) {
    try {
      const { user } = await client.users.info({ user: id });
      const who = `${user?.real_name || user?.name || id} (${id}, ${uses})`;
      if (user?.deleted)
        checks.push({
          status: 'fail',
          what: `${who} is deactivated`,
          fix: `Remove or replace ${id} in ${uses}`,
        });
      else if (user?.is_bot)
        checks.push({
          status: 'warn',
          what: `${who} is a bot`,
          fix: `${id} in ${uses} is a bot, not a person`,
        });
      else checks.push({ status: 'ok', what: who });
    } catch (error) {
      checks.push({
        status: 'fail',
        what: `${id} (${uses}): ${slackError(error)}`,
        fix: `${id} in ${uses} is not a user of this workspace`,
      });
    }
  }
  const groups = refsByKind(config, 'usergroup');
  if (groups.size === 0) return checks;
  try {
    const { usergroups = [] } = await client.usergroups.list({ include_disabled: false });
    for (const [id, uses] of groups) {
      const group = usergroups.find((g) => g.id === id);
      checks.push(
        group
          ? { status: 'ok', what: `@${group.handle} (${id}, ${uses})` }
          : {
              status: 'fail',
              what: `User group ${id} (${uses}) does not exist or is disabled`,
              fix: `Check the user group ${id} in ${uses}`,
            },
      );
    }
  } catch (error) {
    checks.push({
      status: 'fail',
      what: `User groups: ${slackError(error)}`,
      fix: 'The app needs usergroups:read',
    });
  }
  return checks;
}

/** Distinct ids of one kind, with the config keys that use each (`departments[0].channel, kudos.channel`). */
function refsByKind(config: OrgConfig, kind: RefKind): Map<string, string> {
  const byId = new Map<string, string[]>();
  for (const ref of collectSlackRefs(config)) {
    if (ref.kind !== kind) continue;
    byId.set(ref.value, [...(byId.get(ref.value) ?? []), formatPath(ref.path)]);
  }
  return new Map([...byId].map(([id, keys]) => [id, keys.join(', ')]));
}
