import { expect } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { type Harness, startHarness } from './app-harness.js';
import { ids, orgConfigInput } from './org-fixture.js';
import { randomEventId, type SlackDriver } from './slack-requests.js';
import { manualClock } from './temp-dir.js';

/**
 * A workspace with kudos on, for the tests where the two loops meet: people in billing and shipping, a bot,
 * and helpers to send events and read the kudos ledger.
 */
export const KUDOS_CHANNEL = 'C0KUDOS001';
export const ANA = { id: 'U0ANA00001', name: 'ana' }; // shipping
export const LI = { id: 'U0LI000001', name: 'li' }; // billing
export const BO = { id: 'U0BO000001', name: 'bo' }; // shipping
export const SAM = { id: 'U0SAM00001', name: 'sam' }; // no department
export const DEPLOY_BOT = 'U0BOTUSR01';
/** The app's own bot user in the stand-in: the author of every message the app posts. */
export const APP_BOT = 'U0BOT';

const started: Harness[] = [];

/** Stop every workspace the test started (`afterEach(closeKudosWorkspaces)`). */
export async function closeKudosWorkspaces(): Promise<void> {
  for (const h of started.splice(0)) await h.close();
}

export async function startKudosWorkspace(
  options: {
    kudos?: Record<string, unknown>;
    config?: Partial<OrgConfigInput>;
    /** Billing's members besides its usual member and Li. */
    billingMembers?: string[];
  } = {},
) {
  const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
  const base = orgConfigInput();
  const h = await startHarness({
    clock,
    config: {
      kudos: {
        channel: KUDOS_CHANNEL,
        reaction: 'clap',
        min_reason_length: 10,
        values: [{ id: 'ownership', label: 'Ownership' }],
        ...options.kudos,
      } as OrgConfigInput['kudos'],
      departments: base.departments.map((d) =>
        d.id === 'billing'
          ? { ...d, members: [ids.billingMember, LI.id, ...(options.billingMembers ?? [])] }
          : d.id === 'shipping'
            ? { ...d, members: [ANA.id, BO.id] }
            : d,
      ),
      ...options.config,
    },
    beforeStart: (s) => {
      for (const person of [ANA, LI, BO, SAM]) s.setUser({ ...person, tz: 'Europe/Berlin' });
      s.setUser({ id: DEPLOY_BOT, name: 'deploybot', is_bot: true });
    },
  });
  started.push(h);
  return { h, clock };
}

/** Send an event and wait until the app has recorded and handled it (events are acknowledged first). */
export async function sendHandledEvent<E extends { type: string }>(
  h: Harness,
  driver: SlackDriver,
  event: E,
  options: { eventId?: string; retryNum?: number } = {},
) {
  const eventId = options.eventId ?? randomEventId();
  const res = await driver.sendEvent(event, { ...options, eventId });
  expect(res.status).toBe(200);
  await h.loop.idle();
  const seen = h.loop.db.prepare('SELECT 1 FROM slack_events WHERE event_id = ?').get(eventId);
  expect(seen, `event ${eventId} was not handled`).toBeTruthy();
  return res;
}

/** A reaction event on a message, as Slack sends it. */
export const reactionEvent = (
  type: 'reaction_added' | 'reaction_removed',
  fields: { user: string; itemUser?: string; ts: string; channel: string; eventTs: string; name?: string },
) => ({
  type,
  user: fields.user,
  reaction: fields.name ?? 'clap',
  ...(fields.itemUser !== undefined ? { item_user: fields.itemUser } : {}),
  item: { type: 'message', channel: fields.channel, ts: fields.ts },
  event_ts: fields.eventTs,
});

export type LedgerRow = { kudos_id: number; giver_id: string; recipient_id: string; source: string };

/** Active kudos ledger rows, oldest first. */
export const activeLedger = (h: Harness) =>
  h.loop.db
    .prepare(
      'SELECT kudos_id, giver_id, recipient_id, source FROM kudos_ledger WHERE revoked_at IS NULL ORDER BY id',
    )
    .all() as LedgerRow[];
