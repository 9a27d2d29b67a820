import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { escalateOverdue } from '../../src/feedback/escalation.js';
import { createLifecycleService, type LifecycleAction } from '../../src/feedback/lifecycle.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { createFeedbackService } from '../../src/feedback/service.js';
import type { FeedbackItem, Severity } from '../../src/feedback/types.js';
import { kudosPeople } from '../../src/kudos/people.js';
import { createKudosService } from '../../src/kudos/service.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, newFeedback, orgConfigInput } from '../support/org-fixture.js';
import { dmChannelFor } from '../support/slack-standin.js';
import { figuresOf, strategyFigures } from '../support/surfaces.js';
import { manualClock, silentLogger } from '../support/temp-dir.js';

/**
 * A random week of work, filed through the real services (filings, acknowledgements, reassignments, reopenings,
 * resolutions, SLA escalations, kudos across teams and withdrawals), then read the way people read it: `/strategy`,
 * the team reminder and the manager digest must show the same figure for every number they share, and the figures
 * must match a plain model of what happened.
 */

// Monday 2026-11-23 09:00 in Berlin = 08:00 UTC: reminders, digests and /strategy then cover the 7 days before.
const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const PERIOD = { start: MONDAY_9_BERLIN - 7 * DAY, end: MONDAY_9_BERLIN };
const DEPARTMENTS = ['billing', 'shipping', 'product'] as const;
type DepartmentId = (typeof DEPARTMENTS)[number];
const CHANNEL: Record<DepartmentId, string> = {
  billing: ids.billingChannel,
  shipping: ids.shippingChannel,
  product: ids.productChannel,
};
const MANAGER: Record<DepartmentId, string> = {
  billing: 'U0MGRBILL1',
  shipping: 'U0MGRSHIP1',
  product: 'U0MGRPROD1',
};
// Max belongs to Billing and Shipping; the rep to no department.
const MEMBERS: Record<DepartmentId, string[]> = {
  billing: [ids.billingLead, ids.billingMember, 'U0LI000001', 'U0MAX00001'],
  shipping: ['U0ANA00001', 'U0SAM00001', 'U0MAX00001'],
  product: ['U0PIA00001'],
};
const ROUTED_BY_TEXT: Record<DepartmentId, string> = {
  billing: 'the invoice charged twice',
  shipping: 'the parcel never arrived',
  product: 'the app crashes at login',
};
const PEOPLE = [...new Set([...Object.values(MEMBERS).flat(), ids.rep])];
const departmentsOf = (person: string) => DEPARTMENTS.filter((d) => MEMBERS[d].includes(person));

function config(): OrgConfigInput {
  const base = orgConfigInput();
  const sla = { targets: { normal: { acknowledge: '2h', resolve: '1d' }, high: { acknowledge: '1h' } } };
  return {
    ...base,
    kudos: {
      channel: 'C0KUDOS001',
      daily_allowance: 100,
      per_recipient_daily_cap: 100,
      withdraw_on_message_deleted: true,
    },
    departments: base.departments.map((d) => {
      const id = d.id as DepartmentId;
      const [lead, ...members] = MEMBERS[id];
      return {
        ...d,
        leads: id === 'billing' ? [lead as string] : [],
        members: id === 'billing' ? members : MEMBERS[id],
        reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' },
        ...(id === 'product' ? {} : { sla }),
      };
    }),
    managers: DEPARTMENTS.map((d) => ({ user: MANAGER[d], departments: [d] })),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return { next, pick };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A plain model of the week: what each department's numbers must be, by the definitions. */
function createModel() {
  const inPeriod = (at: number) => at >= PERIOD.start && at < PERIOD.end;
  const received = new Map(DEPARTMENTS.map((d) => [d, new Set<number>()]));
  const resolved = new Map(DEPARTMENTS.map((d) => [d, new Set<number>()]));
  const kudos: { at: number; giver: string; recipient: string; messageTs: string; revoked: boolean }[] = [];
  return {
    arrived(item: number, department: string | undefined, at: number) {
      if (inPeriod(at)) received.get(department as DepartmentId)?.add(item);
    },
    resolved(item: number, department: string | undefined, at: number) {
      if (inPeriod(at)) resolved.get(department as DepartmentId)?.add(item);
    },
    kudos,
    expected(d: DepartmentId) {
      const standing = kudos.filter((k) => !k.revoked && inPeriod(k.at));
      const crosses = (k: (typeof kudos)[number]) => {
        const [from, to] = [departmentsOf(k.giver), departmentsOf(k.recipient)];
        return from.length > 0 && to.length > 0 && !to.some((x) => from.includes(x));
      };
      return {
        'Feedback received': String(received.get(d)?.size),
        Resolved: String(resolved.get(d)?.size),
        'Kudos received': String(standing.filter((k) => departmentsOf(k.recipient).includes(d)).length),
        'Kudos to other teams': String(
          standing.filter((k) => departmentsOf(k.giver).includes(d) && crosses(k)).length,
        ),
      };
    },
  };
}

describe('the numbers every surface shares', () => {
  it('agree on /strategy, the reminder and the digest after a random week, and match what happened', async () => {
    const clock = manualClock(PERIOD.start - DAY);
    h = await startHarness({ config: config(), clock });
    const harness = h;
    for (const id of PEOPLE) harness.standIn.setUser({ id, name: id.toLowerCase(), tz: 'Europe/Berlin' });
    const deps = { db: harness.loop.db, clock, config: harness.loop.config.current, logger: silentLogger };
    const feedback = createFeedbackService(deps);
    const lifecycle = createLifecycleService({
      ...deps,
      groupMembers: harness.loop.directory.usergroupMembers,
    });
    const kudos = createKudosService({ ...deps, people: kudosPeople(harness.loop.directory) });
    const model = createModel();
    const random = prng(20261123);
    const items: number[] = [];
    const counts: Record<string, number> = {};

    const item = (id: number) => getFeedbackItem(harness.loop.db, id) as FeedbackItem;
    const actorFor = (i: FeedbackItem) =>
      i.departmentId ? random.pick(MEMBERS[i.departmentId as DepartmentId]) : ids.billingLead;
    const change = async (
      action: LifecycleAction,
      i: FeedbackItem,
      more: { toDepartmentId?: string } = {},
    ) => {
      const result = await lifecycle.change({
        actorId: actorFor(i),
        ref: { itemId: i.id, version: i.version },
        action,
        note: action === 'resolve' ? 'Refunded and told the customer' : undefined,
        ...more,
      });
      expect(result.ok).toBe(true);
      counts[action] = (counts[action] ?? 0) + 1;
      return result;
    };

    let n = 0;
    while (clock.now() < PERIOD.end - 6 * 60 * MIN) {
      n += 1;
      clock.advance(Math.floor(5 + random.next() * 180) * MIN);
      const now = clock.now();
      const roll = random.next();
      const open = items.map(item).filter((i) => i.status !== 'resolved');
      const done = items.map(item).filter((i) => i.status === 'resolved');
      if (roll < 0.25 || items.length < 3) {
        // Named departments, and text the routing rules send to each department (or to triage).
        const department = random.pick([...DEPARTMENTS, undefined]);
        const severity = random.pick<Severity>(['normal', 'normal', 'high', 'low']);
        const filed = feedback.submit(
          newFeedback({
            idempotencyKey: `history-${n}`,
            departmentId: random.next() < 0.5 ? department : undefined,
            severity,
            summary: department ? ROUTED_BY_TEXT[department] : 'something odd happened',
          }),
        );
        items.push(filed.item.id);
        model.arrived(filed.item.id, filed.item.departmentId, now);
        counts.file = (counts.file ?? 0) + 1;
      } else if (roll < 0.4 && open.some((i) => i.status !== 'acknowledged' && i.departmentId)) {
        await change(
          'acknowledge',
          random.pick(open.filter((i) => i.status !== 'acknowledged' && i.departmentId)),
        );
      } else if (roll < 0.55 && open.length > 0) {
        const i = random.pick(open);
        await change('resolve', i);
        model.resolved(i.id, i.departmentId, now);
      } else if (roll < 0.65 && open.length > 0) {
        const i = random.pick(open);
        const to = random.pick(DEPARTMENTS.filter((d) => d !== i.departmentId));
        await change('reassign', i, { toDepartmentId: to });
        model.arrived(i.id, to, now);
      } else if (roll < 0.7 && done.length > 0) {
        await change('reopen', random.pick(done));
      } else if (roll < 0.92) {
        const giver = random.pick(PEOPLE);
        const recipient = random.pick(PEOPLE.filter((p) => p !== giver));
        const messageTs = `${Math.floor(now / 1000)}.${String(n).padStart(6, '0')}`;
        const given = await kudos.give({
          sourceKey: `shortcut:C0GENERAL1:${messageTs}:${giver}`,
          source: 'shortcut',
          teamId: 'T0TEST',
          giverId: giver,
          userIds: [recipient],
          usergroupIds: [],
          valueIds: [],
          reason: 'for untangling the refund export',
          originChannelId: 'C0GENERAL1',
          sourceChannelId: 'C0GENERAL1',
          sourceMessageTs: messageTs,
        });
        expect(given.ok).toBe(true);
        model.kudos.push({ at: now, giver, recipient, messageTs, revoked: false });
      } else {
        const standing = model.kudos.filter((k) => !k.revoked);
        if (standing.length === 0) continue;
        const k = random.pick(standing);
        kudos.messageDeleted({ eventId: `Ev${n}`, channelId: 'C0GENERAL1', messageTs: k.messageTs });
        k.revoked = true;
        counts.withdraw = (counts.withdraw ?? 0) + 1;
      }
      escalateOverdue(deps, now);
    }
    // Every kind of change happened, several times.
    for (const kind of ['file', 'acknowledge', 'resolve', 'reassign', 'reopen', 'withdraw'])
      expect(counts[kind] ?? 0, kind).toBeGreaterThan(1);

    clock.set(MONDAY_9_BERLIN);
    await harness.loop.delivery.drain();
    const strategy = new Map<DepartmentId, Map<string, string>>();
    for (const d of DEPARTMENTS) {
      strategy.set(d, await strategyFigures(harness, d));
    }

    clock.set(MONDAY_9_BERLIN + 30_000);
    await harness.loop.scheduler.tick();
    const posted = (where: (c: { args: Record<string, unknown> }) => boolean) =>
      harness.standIn.waitFor({ method: 'chat.postMessage', count: DEPARTMENTS.length, where });
    const isReminder = (c: { args: Record<string, unknown> }) =>
      String(c.args.text).includes('our part in the promise');
    const isDigest = (c: { args: Record<string, unknown> }) =>
      String(c.args.text).startsWith('Weekly digest');
    const reminders = await posted(isReminder);
    const digests = await posted(isDigest);

    let nonZero = 0;
    for (const d of DEPARTMENTS) {
      const reminder = figuresOf(reminders.find((c) => c.args.channel === CHANNEL[d])?.args.blocks);
      const digestDm = digests.find((c) =>
        [MANAGER[d], dmChannelFor(MANAGER[d])].includes(String(c.args.channel)),
      );
      const digest = figuresOf(digestDm?.args.blocks);
      const onStrategy = strategy.get(d) as Map<string, string>;
      const shared = [
        'Feedback received',
        'Resolved',
        'Median time to acknowledge',
        'Median time to resolve',
        'Kudos received',
        'Still open',
        ...(d === 'product' ? [] : ['SLA breaches']),
      ];
      for (const label of shared) {
        expect(onStrategy.get(label), `${d}: ${label} on /strategy`).toBeDefined();
        expect(reminder.get(label), `${d}: ${label} in the reminder`).toBe(onStrategy.get(label));
        expect(digest.get(label), `${d}: ${label} in the digest`).toBe(onStrategy.get(label));
      }
      expect(reminder.get('Kudos to other teams')).toBe(onStrategy.get('Kudos to other teams'));
      expect(digest.get('Thanks to other teams')).toBe(onStrategy.get('Kudos to other teams'));
      for (const [label, value] of Object.entries(model.expected(d)))
        expect(onStrategy.get(label), `${d}: ${label} as it happened`).toBe(value);
      nonZero += shared.filter((l) => !['0', '—'].includes(onStrategy.get(l) ?? '0')).length;
    }
    expect(nonZero).toBeGreaterThan(10);
  });
});
