import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KudosConfig } from '../../src/config/kudos-schema.js';
import type { GiveKudosRequest } from '../../src/kudos/give.js';
import { createKudosService, type KudosPeople, type KudosService } from '../../src/kudos/service.js';
import { orgConfig } from '../support/org-fixture.js';
import { watchStatements } from '../support/statements.js';
import { manualClock, silentLogger, tempDatabase } from '../support/temp-dir.js';

/**
 * Kudos given before an answer (a `/kudos` naming people already known, a reaction) in the same turn of the
 * event loop are committed in one transaction (a burst wrote a commit per kudos), and each is still checked
 * against what the ones before it took: the allowance is never overdrawn by gives committed together.
 */

let store: ReturnType<typeof tempDatabase>;
let kudos: KudosService;
const GIVER = 'U0GIVER001';
const person = { isBot: false, deleted: false, tz: 'Europe/Berlin' };
/** Slack's directory with everyone already looked up: nothing here waits on Slack. */
const people: KudosPeople = {
  user: async () => person,
  usergroupMembers: async () => new Set(),
  known: { user: () => person, usergroupMembers: () => new Set() },
};

beforeEach(() => {
  store = tempDatabase();
  const config = orgConfig({
    kudos: { channel: 'C0KUDOS001', daily_allowance: 3 } as Partial<KudosConfig> as KudosConfig,
  });
  kudos = createKudosService({
    db: store.db,
    clock: manualClock(),
    config: () => config,
    logger: silentLogger,
    people,
  });
});
afterEach(() => store.remove());

const command = (n: number): GiveKudosRequest => ({
  sourceKey: `command:T${n}`,
  source: 'command',
  teamId: 'T0TEAM0001',
  giverId: GIVER,
  userIds: [`U0PEER000${n}`],
  usergroupIds: [],
  valueIds: [],
  reason: `for covering shift number ${n}`,
  originChannelId: 'C0SUPPORT1',
  sourceChannelId: undefined,
  sourceMessageTs: undefined,
});

it('stores the /kudos of one turn that wait on Slack in one transaction, to be given by the outbox', async () => {
  const unknown: KudosPeople = {
    ...people,
    known: { user: () => undefined, usergroupMembers: () => undefined },
  };
  const later = createKudosService({
    db: store.db,
    clock: manualClock(),
    config: () => orgConfig({ kudos: { channel: 'C0KUDOS001' } as Partial<KudosConfig> as KudosConfig }),
    logger: silentLogger,
    people: unknown,
  });
  let begun = 0;
  const stop = watchStatements(store.db, (sql) => {
    if (sql.startsWith('BEGIN')) begun += 1;
  });
  const outcomes = await Promise.all([1, 2, 3].map((n) => later.giveNowOrLater(command(n), undefined)));
  stop();
  expect(begun).toBe(1);
  expect(outcomes.map((o) => o.ok)).toEqual(['later', 'later', 'later']);
  expect(store.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'kudos.give'").pluck().get()).toBe(3);
});

it('commits the kudos the outbox gives in one turn together (a /kudos stored until Slack was asked)', async () => {
  let begun = 0;
  const stop = watchStatements(store.db, (sql) => {
    if (sql.startsWith('BEGIN')) begun += 1;
  });
  const outcomes = await Promise.all([1, 2].map((n) => kudos.give(command(n))));
  stop();
  expect(begun).toBe(1);
  expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
});

it('commits the kudos of one turn together, each within what the ones before it left', async () => {
  let begun = 0;
  const stop = watchStatements(store.db, (sql) => {
    if (sql.startsWith('BEGIN')) begun += 1;
  });
  const outcomes = await Promise.all([1, 2, 3, 4].map((n) => kudos.giveNowOrLater(command(n), undefined)));
  stop();
  expect(begun).toBe(1);
  expect(outcomes.map((o) => (o.ok === true ? `left ${o.left}` : String(o.ok)))).toEqual([
    'left 2',
    'left 1',
    'left 0',
    'false',
  ]);
  expect(store.db.prepare('SELECT COUNT(*) FROM kudos_ledger').pluck().get()).toBe(3);
  expect(store.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'kudos.post'").pluck().get()).toBe(3);
});
