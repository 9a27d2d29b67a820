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

/**
 * How many answers are remembered (the most recently asked; a user about 200 bytes, a group its member ids):
 * a burst of kudos between new people each time (an all-hands, a benchmark) must not keep every one of them
 * until it expires.
 */
export const MAX_CACHED_USERS = 5000;
export const MAX_CACHED_GROUPS = 200;

/**
 * Answers by key, each kept for `ttl`, at most `max` of them (the least recently asked forgotten first), and
 * one Slack call per key at a time: gives naming the same new person at once share the one look-up.
 */
function createLookupCache<T>(clock: Clock, ttl: number, max: number) {
  const answers = new Map<string, Cached<T>>();
  const asking = new Map<string, Promise<T>>();
  const fresh = (key: string): T | undefined => {
    const hit = answers.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= clock.now()) {
      answers.delete(key);
      return undefined;
    }
    // Most recently asked last, so the oldest is the one forgotten when full.
    answers.delete(key);
    answers.set(key, hit);
    return hit.value;
  };
  const remember = (key: string, value: T) => {
    answers.delete(key);
    if (answers.size >= max) answers.delete(answers.keys().next().value as string);
    answers.set(key, { value, expiresAt: clock.now() + ttl });
  };
  return {
    fresh,
    clear: () => answers.clear(),
    get(key: string, load: () => Promise<T>): Promise<T> {
      const hit = fresh(key);
      if (hit !== undefined) return Promise.resolve(hit);
      let pending = asking.get(key);
      if (!pending) {
        pending = load()
          .then((value) => {
            remember(key, value);
            return value;
          })
          .finally(() => asking.delete(key));
        asking.set(key, pending);
      }
      return pending;
    },
  };
}

export function createSlackDirectory(options: {
  client: WebClient;
  clock: Clock;
  userTtlMs?: number;
  groupTtlMs?: number;
  maxUsers?: number;
  maxGroups?: number;
}): SlackDirectory {
  const { client, clock } = options;
  const users = createLookupCache<SlackUser>(
    clock,
    options.userTtlMs ?? 10 * 60_000,
    options.maxUsers ?? MAX_CACHED_USERS,
  );
  const groups = createLookupCache<ReadonlySet<string>>(
    clock,
    options.groupTtlMs ?? 5 * 60_000,
    options.maxGroups ?? MAX_CACHED_GROUPS,
  );

  return {
    user: (userId) =>
      users.get(userId, async () => {
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
      groups.get(usergroupId, async () => {
        const res = await client.usergroups.users.list({ usergroup: usergroupId });
        return new Set(res.users ?? []);
      }),
    known: {
      user: (userId) => users.fresh(userId),
      usergroupMembers: (usergroupId) => groups.fresh(usergroupId),
    },
    clear() {
      users.clear();
      groups.clear();
    },
  };
}
