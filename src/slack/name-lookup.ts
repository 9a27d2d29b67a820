import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { listCachedNames, saveCachedName } from '../config/name-cache.js';
import type { NameAnswer, NameLookup } from '../config/org.js';
import { distinctNames, nameKey, type RefKind, type SlackRef } from '../config/slack-refs.js';
import type { Db } from '../store/db.js';

/**
 * Turns the names in the org config into ids: `#billing` (conversations.list), `ana@example.com`
 * (users.lookupByEmail), `@support-team` (usergroups.list). Answers come from the database cache, so a start
 * or reload needs Slack only for names it has never seen; `lookUp` asks Slack and refreshes the cache.
 */
export type SlackNames = {
  /** For the org config store: the cached id, the last problem Slack gave, or undefined if never looked up. */
  answer: NameLookup;
  /** From now on, a name never looked up is a problem (after the first look-up at start). */
  requireLookedUp(): void;
  /** Ask Slack for each name; true when an id changed or a new one was learned. Never throws. */
  lookUp(refs: readonly SlackRef[]): Promise<boolean>;
};

type Outcome = { id: string } | { problem: string };

const keyOf = (ref: Pick<SlackRef, 'kind' | 'value'>) => `${ref.kind}:${nameKey(ref)}`;

export function createSlackNames(deps: {
  db: Db;
  client: WebClient;
  clock: Clock;
  logger: Logger;
}): SlackNames {
  const { db, client, clock, logger } = deps;
  const cache = new Map(listCachedNames(db).map((c) => [`${c.kind}:${c.name}`, c.id]));
  const problems = new Map<string, string>();
  let strict = false;
  /** Why the last look-up round could not reach Slack, if it could not. */
  let unreachable: string | undefined;

  return {
    answer(ref): NameAnswer {
      const key = keyOf(ref);
      const problem = problems.get(key);
      if (problem !== undefined) return { problem };
      const id = cache.get(key);
      if (id !== undefined) return { id };
      if (!strict) return undefined;
      return {
        problem: unreachable
          ? `could not be looked up: ${unreachable}; try again once Slack is reachable, or write the ID`
          : 'has not been looked up in Slack yet (Slack did not answer in time); try the reload again',
      };
    },
    requireLookedUp() {
      strict = true;
    },
    async lookUp(refs) {
      const names = distinctNames(refs);
      if (names.length === 0) return false;
      unreachable = undefined;
      const directory = lazyDirectory(client);
      let changed = false;
      for (const ref of names) {
        const key = keyOf(ref);
        let outcome: Outcome;
        try {
          outcome = await lookUpOne(client, directory, ref);
        } catch (error) {
          // Slack is unreachable: one log line for the round, and the rest of the names are not tried.
          unreachable = unreachableReason(error, client.slackApiUrl);
          logger.warn(
            { err: error },
            `could not look names up in Slack (${unreachable}); keeping the cached ids`,
          );
          return changed;
        }
        if ('problem' in outcome) {
          problems.set(key, outcome.problem);
          continue;
        }
        problems.delete(key);
        if (!db.open) return changed; // the app stopped while Slack was answering
        if (cache.get(key) !== outcome.id) changed = true;
        cache.set(key, outcome.id);
        saveCachedName(db, { kind: ref.kind, name: nameKey(ref), id: outcome.id, resolvedAt: clock.now() });
      }
      return changed;
    },
  };
}

type Named = { id: string; name: string };

/** conversations.list and usergroups.list, fetched at most once per look-up round. */
function lazyDirectory(client: WebClient) {
  let channels: Promise<Named[]> | undefined;
  let groups: Promise<Named[]> | undefined;
  return {
    channels: () => {
      channels ??= listChannels(client);
      return channels;
    },
    groups: () => {
      groups ??= listUsergroups(client);
      return groups;
    },
  };
}

async function listUsergroups(client: WebClient): Promise<Named[]> {
  const res = await client.usergroups.list({ include_disabled: false });
  return (res.usergroups ?? []).map((g) => ({ id: g.id ?? '', name: (g.handle ?? '').toLowerCase() }));
}

async function listChannels(client: WebClient): Promise<Named[]> {
  const all: Named[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const c of page.channels ?? [])
      if (c.id && c.name) all.push({ id: c.id, name: c.name.toLowerCase() });
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return all;
}

const NOT_FOUND: Record<RefKind, string> = {
  channel:
    'is not a channel the app can see in Slack: check the spelling, or invite the app to it first if it is private',
  user: 'is not the e-mail address of anyone in this Slack workspace: check the spelling',
  usergroup: 'is not the handle of an active user group in this Slack workspace: check the spelling',
};

async function lookUpOne(
  client: WebClient,
  directory: ReturnType<typeof lazyDirectory>,
  ref: SlackRef,
): Promise<Outcome> {
  const name = nameKey(ref);
  if (ref.kind === 'user') {
    try {
      const res = await client.users.lookupByEmail({ email: ref.value });
      return res.user?.id ? { id: res.user.id } : { problem: NOT_FOUND.user };
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'users_not_found')
        return { problem: NOT_FOUND.user };
      return slackRefused(error, 'users:read.email');
    }
  }
  let matches: Named[];
  try {
    matches = (await (ref.kind === 'channel' ? directory.channels() : directory.groups())).filter(
      (n) => n.name === name,
    );
  } catch (error) {
    return slackRefused(error, ref.kind === 'channel' ? 'channels:read and groups:read' : 'usergroups:read');
  }
  const [only] = matches;
  if (only && matches.length === 1) return { id: only.id };
  if (matches.length === 0) return { problem: NOT_FOUND[ref.kind] };
  return {
    problem: `matches ${matches.length} ${ref.kind === 'channel' ? 'channels' : 'user groups'} (${matches.map((m) => m.id).join(', ')}): write the ID instead`,
  };
}

/** `Slack could not be reached at https://slack.com/api/users.lookupByEmail (ECONNREFUSED)` */
function unreachableReason(error: unknown, apiUrl: string): string {
  const e = error as { original?: { cause?: { code?: string }; message?: string }; message?: string };
  const cause = e.original?.cause?.code ?? e.original?.message ?? e.message ?? String(error);
  return `Slack could not be reached at ${apiUrl} (${cause})`;
}

/** A Slack refusal (missing_scope, invalid_auth) is reported at the name; a network failure is thrown. */
function slackRefused(error: unknown, scopes: string): Outcome {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === undefined) throw error;
  const hint =
    code === 'missing_scope' ? ` (the app needs ${scopes}: paste the current manifest and reinstall)` : '';
  return { problem: `could not be looked up: Slack answered ${code}${hint}` };
}
