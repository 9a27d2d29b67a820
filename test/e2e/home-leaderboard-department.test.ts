import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { Commands, HomeActions } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  FORM_CONTENT_TYPE,
  interactivityBody,
  staticSelectAction,
} from '../support/slack-requests.js';
import { manualClock } from '../support/temp-dir.js';

/** The App Home's leaderboard filtered by department: a select on the tab, kept per person, withdrawals counted. */

const LI = { id: 'U0LI000001', name: 'li' }; // billing
const ANA = { id: 'U0ANA00001', name: 'ana' }; // shipping
const BO = { id: 'U0BO000001', name: 'bo' }; // shipping

function config(): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    kudos: { channel: 'C0KUDOS001', reaction: 'clap' },
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? { ...d, members: [ids.billingMember, LI.id] }
        : d.id === 'shipping'
          ? { ...d, members: [ANA.id, BO.id] }
          : d,
    ),
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const mention = (u: { id: string; name: string }) => `<@${u.id}|${u.name}>`;

/** The leaderboard lines and title of the Home last published for this person. */
function board(harness: Harness, userId: string) {
  const view = harness.standIn.homeView(userId) as {
    blocks?: { block_id?: string; text?: { text?: string } }[];
  };
  const blocks = view?.blocks ?? [];
  const at = blocks.findIndex((b) => b.block_id === 'home_leaderboard');
  const lines = blocks.slice(at + 1).find((b) => b.text?.text)?.text?.text ?? '';
  return { title: blocks[at]?.text?.text, lines: lines.split('\n') };
}

async function publishedAfter(harness: Harness, userId: string, act: () => Promise<unknown>) {
  const before = harness.standIn.callsTo('views.publish').filter((c) => c.args.user_id === userId).length;
  await act();
  await harness.loop.idle();
  await harness.standIn.waitFor({
    method: 'views.publish',
    count: before + 1,
    where: (c) => c.args.user_id === userId,
  });
}

/** Li picks a value in one of the Home leaderboard's selects (its period or its department). */
async function pick(harness: Harness, actionId: string, value: string, text: string) {
  const res = await harness.driverFor(LI).post(
    interactivityBody(
      blockActionsPayload({
        team: { id: harness.standIn.identity.teamId, domain: harness.standIn.identity.teamDomain },
        user: LI,
        state: {},
        actions: [staticSelectAction({ actionId, option: { text, value } })],
      }),
    ),
    FORM_CONTENT_TYPE,
  );
  expect(res.status).toBe(200);
}

describe('App Home leaderboard by department', () => {
  it("shows one department's board when picked, keeps the choice, and drops a withdrawn kudos", async () => {
    const clock = manualClock(Date.parse('2026-11-24T09:00:00Z'));
    h = await startHarness({
      config: config(),
      clock,
      beforeStart: (s) => {
        for (const u of [LI, ANA, BO]) s.setUser({ id: u.id, name: u.name, tz: 'Europe/Berlin' });
      },
    });
    const harness = h;
    await harness
      .driverFor(ANA)
      .command(Commands.kudos, `${mention(LI)} for the careful invoice review today`);
    await harness.driverFor(BO).command(Commands.kudos, `${mention(LI)} for untangling the refund export`);
    await harness
      .driverFor(LI)
      .command(Commands.kudos, `${mention(ANA)} for finding the parcel the courier lost`);
    // Ana thanks Bo with the reaction, then takes it back.
    const clap = {
      type: 'reaction_added',
      user: ANA.id,
      reaction: 'clap',
      item_user: BO.id,
      item: { type: 'message', channel: 'C0GENERAL', ts: '1795000000.000100' },
      event_ts: '1795000001.000100',
    };
    await harness.driverFor(ANA).sendEvent(clap);
    await harness.loop.idle();
    await harness.loop.delivery.drain();

    await publishedAfter(harness, LI.id, () => harness.driverFor(LI).sendEvent(appHomeOpenedEvent(LI.id)));
    expect(board(harness, LI.id).lines).toEqual([
      `1. <@${LI.id}> · 2 kudos (you)`,
      `2. <@${ANA.id}> · 1 kudos`,
      `3. <@${BO.id}> · 1 kudos`,
    ]);

    await publishedAfter(harness, LI.id, () =>
      pick(harness, HomeActions.leaderboardDepartment, 'shipping', 'Shipping'),
    );
    expect(board(harness, LI.id)).toEqual({
      title: '*Leaderboard* · this week · Shipping',
      lines: [`1. <@${ANA.id}> · 1 kudos`, `2. <@${BO.id}> · 1 kudos`],
    });
    const filter = JSON.stringify(harness.standIn.homeView(LI.id));
    expect(filter).toContain('"initial_option":{"text":{"type":"plain_text","text":"Shipping"');

    await harness
      .driverFor(ANA)
      .sendEvent({ ...clap, type: 'reaction_removed', event_ts: '1795000002.000100' });
    await harness.loop.idle();
    await harness.loop.delivery.drain();
    // The choice is kept: opening the Home again shows Shipping's board, without Bo's withdrawn kudos.
    await publishedAfter(harness, LI.id, () => harness.driverFor(LI).sendEvent(appHomeOpenedEvent(LI.id)));
    expect(board(harness, LI.id).lines).toEqual([`1. <@${ANA.id}> · 1 kudos`]);

    // All time for a department reads the running totals, which count the withdrawal too.
    await publishedAfter(harness, LI.id, () =>
      pick(harness, HomeActions.leaderboardPeriod, 'all', 'All time'),
    );
    expect(board(harness, LI.id)).toEqual({
      title: '*Leaderboard* · all time · Shipping',
      lines: [`1. <@${ANA.id}> · 1 kudos`],
    });

    await publishedAfter(harness, LI.id, () =>
      pick(harness, HomeActions.leaderboardDepartment, '*', 'Every department'),
    );
    expect(board(harness, LI.id).title).toBe('*Leaderboard* · all time');
    expect(board(harness, LI.id).lines).toEqual([
      `1. <@${LI.id}> · 2 kudos (you)`,
      `2. <@${ANA.id}> · 1 kudos`,
    ]);
  });
});
