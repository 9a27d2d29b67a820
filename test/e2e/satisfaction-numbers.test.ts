import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { createLifecycleService } from '../../src/feedback/lifecycle.js';
import { getFeedbackItem } from '../../src/feedback/repo.js';
import { createFeedbackService } from '../../src/feedback/service.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, newFeedback, orgConfigInput } from '../support/org-fixture.js';
import { dmChannelFor } from '../support/slack-standin.js';
import { digestsTo } from '../support/surfaces.js';
import { answerForm, SURVEY_SECRET, withPublicSurvey } from '../support/survey.js';
import { manualClock, silentLogger } from '../support/temp-dir.js';

/**
 * Customer satisfaction from hand-counted answers, read the way people read it: the weekly digest, the team
 * reminder and `/strategy` each show the same line, against the week before.
 *
 * Week before (9 to 16 Nov): Billing 3 and 2 -> 2.5 / 5, nobody satisfied.
 * The week (16 to 23 Nov): Billing 5, 4, 2 -> 11 / 3 = 3.7, 2 of 3 satisfied (67%), ▲ 1.2;
 * Shipping 5 -> 5.0, 100%, no answers the week before. Both together: 16 / 4 = 4.0, 75%, ▲ 1.5 on 2.5.
 */

const MONDAY_9_BERLIN = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK_START = MONDAY_9_BERLIN - 7 * DAY;
const MANAGER = 'U0MGRALL01';
const SHIPPER = 'U0SHIPMEM1';

function config(): OrgConfigInput {
  const base = orgConfigInput(withPublicSurvey);
  return {
    ...base,
    departments: base.departments.map((d) => ({
      ...d,
      ...(d.id === 'shipping' ? { members: [SHIPPER] } : {}),
      ...(d.id === 'billing' ? { reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' } } : {}),
    })),
    managers: [{ user: MANAGER, departments: 'all' }],
  };
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('customer satisfaction on every surface', () => {
  it('shows the hand-counted answers per department in the digest, the reminder and /strategy, vs the week before', async () => {
    const clock = manualClock(WEEK_START - 7 * DAY - HOUR);
    h = await startHarness({ config: config(), clock, env: { surveySecret: SURVEY_SECRET } });
    const deps = { db: h.loop.db, clock, config: h.loop.config.current, logger: silentLogger };
    const feedback = createFeedbackService(deps);
    const lifecycle = createLifecycleService({ ...deps, groupMembers: h.loop.directory.usergroupMembers });

    /** File to a department, resolve it, and answer its survey a day later with this score. */
    const answered = async (at: number, departmentId: 'billing' | 'shipping', score: number) => {
      clock.set(at);
      const { item } = feedback.submit(newFeedback({ departmentId, summary: `${departmentId} at ${at}` }));
      const resolver = departmentId === 'billing' ? ids.billingLead : SHIPPER;
      const done = await lifecycle.change({
        actorId: resolver,
        ref: { itemId: item.id, version: getFeedbackItem(h.loop.db, item.id)?.version ?? 1 },
        action: 'resolve',
        note: 'Sorted.',
      });
      expect(done.ok).toBe(true);
      await h.loop.idle();
      const dm = h.standIn
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === ids.rep && String(c.args.text).includes(`*${item.reference}*`));
      const path = /https:\/\/survey\.acme\.test(\/s\/[A-Za-z0-9_.-]+)/.exec(JSON.stringify(dm?.args.blocks));
      clock.set(at + DAY);
      expect((await answerForm(`${h.baseUrl}${path?.[1]}`, { score: String(score) })).status).toBe(200);
    };
    await answered(WEEK_START - 6 * DAY, 'billing', 3);
    await answered(WEEK_START - 3 * DAY, 'billing', 2);
    await answered(WEEK_START + 1 * DAY, 'billing', 5);
    await answered(WEEK_START + 2 * DAY, 'billing', 4);
    await answered(WEEK_START + 3 * DAY, 'shipping', 5);
    await answered(WEEK_START + 4 * DAY, 'billing', 2);

    clock.set(MONDAY_9_BERLIN);
    const billing = '3.7 / 5 from 3 answers, 67% satisfied (4-5)';
    const strategy = await h.rep.command('/strategy', 'billing');
    const [reply] = await h.standIn.waitForResponse(1, 5000, strategy.responseUrlId);
    expect(JSON.stringify(reply?.body)).toContain(
      `*Customer satisfaction:* ${billing} (▲ 1.2 vs the period before)`,
    );

    clock.set(MONDAY_9_BERLIN + 30_000);
    await h.loop.scheduler.tick();
    await h.loop.idle();
    const [reminder] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) =>
        c.args.channel === ids.billingChannel && String(c.args.text).includes('our part in the promise'),
    });
    expect(JSON.stringify(reminder?.args.blocks)).toContain(
      `*Customer satisfaction:* ${billing} (▲ 1.2 vs the period before)`,
    );

    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => [MANAGER, dmChannelFor(MANAGER)].includes(String(c.args.channel)),
    });
    const [digest] = digestsTo(h, MANAGER);
    const text = JSON.stringify(digest?.args.blocks);
    expect(text).toContain(
      '*Customer satisfaction:* 4.0 / 5 from 4 answers, 75% satisfied (4-5) (▲ 1.5 vs last week)',
    );
    expect(text).toContain(`• Billing: ${billing} (▲ 1.2 vs last week)`);
    expect(text).toContain('• Shipping: 5.0 / 5 from 1 answer, 100% satisfied (4-5) (no answers last week)');
    expect(text).not.toContain('• Product &amp; App:');
  });
});
