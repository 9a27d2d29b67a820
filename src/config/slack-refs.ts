/**
 * Slack references in the org config: an id (`C0123ABCD`, `U0123ABCD`, `S0123ABCD`) or a name an admin can
 * read — `#billing` for a channel, an e-mail address for a person, `@support-team` for a user group. Pure: the
 * names are looked up in Slack elsewhere (slack/name-lookup.ts) and their ids cached in the database.
 */

export type RefKind = 'channel' | 'user' | 'usergroup';

export type Segment = string | number;

/** One reference written in the file, and where (the key path, for file:line in errors). */
export type SlackRef = { kind: RefKind; value: string; path: Segment[] };

export const ID_PATTERNS: Record<RefKind, RegExp> = {
  channel: /^[CG][A-Z0-9]{6,}$/,
  user: /^[UW][A-Z0-9]{6,}$/,
  usergroup: /^S[A-Z0-9]{6,}$/,
};

/** Slack channel names: letters, digits, `-`, `_` and `.`, at most 80 characters (looked up in lower case). */
export const CHANNEL_NAME = /^#[\p{L}\p{N}_.-]{1,80}$/u;
export const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
export const USERGROUP_HANDLE = /^@[\p{L}\p{N}_.-]{1,80}$/u;

const NAME_PATTERNS: Record<RefKind, RegExp> = {
  channel: CHANNEL_NAME,
  user: EMAIL,
  usergroup: USERGROUP_HANDLE,
};

export const isSlackId = (kind: RefKind, value: string): boolean => ID_PATTERNS[kind].test(value);
export const isSlackName = (kind: RefKind, value: string): boolean => NAME_PATTERNS[kind].test(value);

/** The cache key of a name: `#billing` → `billing`, e-mail addresses in lower case. */
export function nameKey(ref: Pick<SlackRef, 'kind' | 'value'>): string {
  return ref.kind === 'user' ? ref.value.toLowerCase() : ref.value.slice(1).toLowerCase();
}

type Loose = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' ? (v as Loose) : {});

/** Every Slack reference the config holds, ids and names alike, with its key path. */
export function collectSlackRefs(config: unknown): SlackRef[] {
  const refs: SlackRef[] = [];
  const add = (kind: RefKind, value: unknown, path: Segment[]) => {
    if (typeof value === 'string' && value !== '') refs.push({ kind, value, path });
  };
  const c = obj(config);
  add('channel', obj(c.triage).channel, ['triage', 'channel']);
  for (const [i, u] of list(c.admins).entries()) add('user', u, ['admins', i]);
  for (const [i, d] of list(c.departments).entries()) {
    const dept = obj(d);
    add('channel', dept.channel, ['departments', i, 'channel']);
    for (const [j, u] of list(dept.leads).entries()) add('user', u, ['departments', i, 'leads', j]);
    for (const [j, u] of list(dept.members).entries()) add('user', u, ['departments', i, 'members', j]);
    add('usergroup', dept.usergroup, ['departments', i, 'usergroup']);
  }
  for (const [i, m] of list(c.managers).entries()) add('user', obj(m).user, ['managers', i, 'user']);
  const kudos = obj(c.kudos);
  add('channel', kudos.channel, ['kudos', 'channel']);
  for (const [i, o] of list(kudos.allowance_overrides).entries()) {
    add('user', obj(o).user, ['kudos', 'allowance_overrides', i, 'user']);
    add('usergroup', obj(o).usergroup, ['kudos', 'allowance_overrides', i, 'usergroup']);
  }
  return refs;
}

/** Only the names (not ids), each once per kind. */
export function distinctNames(refs: readonly SlackRef[]): SlackRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    if (isSlackId(r.kind, r.value)) return false;
    const key = `${r.kind}:${nameKey(r)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A copy of `config` with the value at each path replaced. */
export function replaceAt<T>(config: T, replacements: readonly { path: Segment[]; value: string }[]): T {
  const copy = structuredClone(config) as unknown;
  for (const { path, value } of replacements) {
    let node = copy as Loose;
    for (const segment of path.slice(0, -1)) node = node[segment as string] as Loose;
    node[path[path.length - 1] as string] = value;
  }
  return copy as T;
}
