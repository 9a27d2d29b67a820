import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';

/**
 * Who people are, according to Slack: bots, time zones, user-group members. Cached briefly, because the
 * same people act many times a minute and Slack rate-limits these methods (users.info: Tier 4,
 * usergroups.users.list: Tier 2).
 */

export type SlackUser = {
  id: string;
  name: string;
  /** Bots, apps, workflow bots and Slackbot: they cannot receive kudos or own feedback. */
  isBot: boolean;
  deleted: boolean;
  /** IANA time zone, e.g. Europe/Berlin; UTC when Slack has none. */
  tz: string;
};

export type SlackDirectory = {
  user(userId: string): Promise<SlackUser>;
  usergroupMembers(usergroupId: string): Promise<ReadonlySet<string>>;
  /** What is already known without asking Slack: the cached answer, or undefined. */
  known: {
    user(userId: string): SlackUser | undefined;
    usergroupMembers(usergroupId: string): ReadonlySet<string> | undefined;
  };
  /** Forget cached answers (after a config reload, or in tests). */
  clear(): void;
};

type Cached<T> = { value: T; expiresAt: number };

export function createSlackDirectory(options: {
  client: WebClient;
  clock: Clock;
  userTtlMs?: number;
  groupTtlMs?: number;
}): SlackDirectory {
  const { client, clock } = options;
  const userTtl = options.userTtlMs ?? 10 * 60_000;
  const groupTtl = options.groupTtlMs ?? 5 * 60_000;
  const users = new Map<string, Cached<SlackUser>>();
  const groups = new Map<string, Cached<ReadonlySet<string>>>();

  const fresh = <T>(map: Map<string, Cached<T>>, key: string): T | undefined => {
    const hit = map.get(key);
    return hit && hit.expiresAt > clock.now() ? hit.value : undefined;
  };

  async function cached<T>(
    map: Map<string, Cached<T>>,
    key: string,
    ttl: number,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = fresh(map, key);
    if (hit !== undefined) return hit;
    const value = await load();
    map.set(key, { value, expiresAt: clock.now() + ttl });
    return value;
  }

  return {
    user: (userId) =>
      cached(users, userId, userTtl, async () => {
        const res = await client.users.info({ user: userId });
        const u = res.user;
        return {
          id: userId,
          name: u?.profile?.display_name || u?.real_name || u?.name || userId,
          // is_app_user marks a person who authorized this app (such as whoever installed it), not a bot.
          // A workflow's bot user has is_bot false and is_workflow_bot true.
          isBot: Boolean(u?.is_bot) || Boolean(u?.is_workflow_bot) || userId === 'USLACKBOT',
          deleted: Boolean(u?.deleted),
          tz: u?.tz || 'UTC',
        };
      }),
    usergroupMembers: (usergroupId) =>
      cached(groups, usergroupId, groupTtl, async () => {
        const res = await client.usergroups.users.list({ usergroup: usergroupId });
        return new Set(res.users ?? []);
      }),
    known: {
      user: (userId) => fresh(users, userId),
      usergroupMembers: (usergroupId) => fresh(groups, usergroupId),
    },
    clear() {
      users.clear();
      groups.clear();
    },
  };
}
