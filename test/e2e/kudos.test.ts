import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { MAX_REACTIONS_AT_WORK } from '../../src/kudos/reactions.js';
import type { Logger } from '../../src/logger.js';
import {
  Commands,
  FormAction,
  HomeActions,
  KudosFormBlocks as KB,
  MessageShortcuts,
  Views,
} from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { kudosAnswer } from '../support/kudos-command.js';
import { sendHandledEvent as sendEvent } from '../support/kudos-workspace.js';
import { captureLogs, LEVEL } from '../support/log-capture.js';
import { ids, orgConfigInput } from '../support/org-fixture.js';
import type { SlackDriver } from '../support/slack-requests.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  FORM_CONTENT_TYPE,
  interactivityBody,
  multiUsersSelectValue,
  plainTextInputValue,
  staticSelectAction,
  staticSelectValue,
} from '../support/slack-requests.js';
import { pollUntil } from '../support/standin/poll.js';
import { manualClock } from '../support/temp-dir.js';

const KUDOS_CHANNEL = 'C0KUDOS001';
const ANA = { id: 'U0ANA00001', name: 'ana' }; // shipping, Berlin
const LI = { id: 'U0LI000001', name: 'li' }; // billing
const BO = { id: 'U0BO000001', name: 'bo' }; // shipping
const SAM = { id: 'U0SAM00001', name: 'sam' }; // no department, Los Angeles
const BOT = 'U0BOTUSR01';
const WORKFLOW_BOT = 'U0WFBOT001';
const GROUP = 'S0OPSTEAM1';
const GONE = 'U0GONE0001';
const GHOST = 'U0GHOST001';
const MIN = 60_000;

function kudosConfig(
  kudos: Record<string, unknown> = {},
  billingExtra: Record<string, unknown> = {},
): Partial<OrgConfigInput> {
  const base = orgConfigInput();
  return {
    kudos: {
      channel: KUDOS_CHANNEL,
      reaction: 'clap',
      min_reason_length: 10,
      values: [
        { id: 'ownership', label: 'Ownership' },
        { id: 'craft', label: 'Craft' },
      ],
      ...kudos,
    } as OrgConfigInput['kudos'],
    departments: base.departments.map((d) =>
      d.id === 'billing'
        ? { ...d, members: [ids.billingMember, LI.id], ...billingExtra }
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

async function start(
  options: {
    kudos?: Record<string, unknown>;
    billing?: Record<string, unknown>;
    at?: number;
    logger?: Logger;
  } = {},
) {
  const clock = manualClock(options.at ?? Date.parse('2026-11-23T09:00:00Z'));
  const harness = await startHarness({
    config: kudosConfig(options.kudos, options.billing),
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    beforeStart: (s) => {
      s.setUser({ id: ANA.id, name: ANA.name, tz: 'Europe/Berlin' });
      s.setUser({ id: LI.id, name: LI.name, tz: 'Europe/Berlin' });
      s.setUser({ id: BO.id, name: BO.name, tz: 'Europe/Berlin' });
      s.setUser({ id: SAM.id, name: SAM.name, tz: 'America/Los_Angeles' });
      s.setUser({ id: BOT, name: 'deploybot', is_bot: true });
      s.setUser({ id: WORKFLOW_BOT, name: 'standup-workflow', is_workflow_bot: true });
      s.setUser({ id: GONE, name: 'gone', deleted: true });
      s.setUserNotFound(GHOST);
      s.setHandler('usergroups.users.list', (args) =>
        args.usergroup === GROUP
          ? { ok: true, users: [ANA.id, LI.id, BO.id] }
          : { ok: false, error: 'no_such_subteam' },
      );
    },
  });
  h = harness;
  return { h: harness, clock, ana: harness.driverFor(ANA), sam: harness.driverFor(SAM) };
}

type LedgerRow = {
  kudos_id: number;
  giver_id: string;
  recipient_id: string;
  giver_departments: string;
  recipient_departments: string;
  cross_department: number;
  value_ids: string;
  source: string;
  revoked_at: number | null;
};
const ledger = (harness: Harness) =>
  harness.loop.db.prepare('SELECT * FROM kudos_ledger ORDER BY id').all() as LedgerRow[];
const active = (harness: Harness) => ledger(harness).filter((r) => r.revoked_at === null);
const kudosCount = (harness: Harness) =>
  harness.loop.db.prepare('SELECT COUNT(*) FROM kudos').pluck().get() as number;
const postsIn = (harness: Harness, channel: string) =>
  harness.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response.ok);
const ephemeralText = (res: { json?: unknown }) => (res.json as { text?: string } | undefined)?.text ?? '';
const mention = (u: { id: string; name: string }) => `<@${u.id}|${u.name}>`;

describe('/kudos', () => {
  it('stores one ledger row per recipient, posts in the kudos channel and DMs each recipient with a link', async () => {
    const { h, ana } = await start();
    const answer = await kudosAnswer(
      h,
      ana,
      `${mention(LI)} ${mention(BO)} for staying late to fix the &lt;refund&gt; export &amp; more #ownership`,
    );
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.text).toContain('Kudos sent');
    expect(answer.text).toContain('3 of 5 kudos left today');

    const rows = ledger(h);
    expect(rows.map((r) => r.recipient_id)).toEqual([LI.id, BO.id]);
    expect(rows.every((r) => r.giver_id === ANA.id && r.source === 'command')).toBe(true);
    expect(JSON.parse(rows[0]?.value_ids ?? '')).toEqual(['ownership']);
    // Departments as they were at the time: ana (shipping) -> li (billing) crosses, -> bo (shipping) does not.
    expect(rows.map((r) => [JSON.parse(r.giver_departments), JSON.parse(r.recipient_departments)])).toEqual([
      [['shipping'], ['billing']],
      [['shipping'], ['shipping']],
    ]);
    expect(rows.map((r) => r.cross_department)).toEqual([1, 0]);

    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === KUDOS_CHANNEL,
    });
    const postJson = JSON.stringify(post?.args.blocks);
    expect(postJson).toContain(`<@${ANA.id}>`);
    expect(postJson).toContain('&lt;refund&gt; export &amp; more'); // user text escaped for mrkdwn
    expect(postJson).not.toContain('<refund>');
    expect(postJson).toContain('Ownership');

    const dms = await h.standIn.waitFor({
      method: 'chat.postMessage',
      count: 2,
      where: (c) => c.args.channel === LI.id || c.args.channel === BO.id,
    });
    for (const dm of dms) {
      expect(String(dm.args.text)).toContain('staying late');
      expect(String(dm.args.text)).toMatch(/<https?:\/\/[^|>]+\|See it in Slack>/);
    }
    const stored = h.loop.db.prepare('SELECT post_channel_id, post_ts FROM kudos').get() as {
      post_channel_id: string;
      post_ts: string;
    };
    expect(stored.post_channel_id).toBe(KUDOS_CHANNEL);
    expect(stored.post_ts).toBe(post?.response.ts);
  });

  it('posts kudos in the kudos channel side by side: one post Slack holds up does not hold up the next', async () => {
    const { h, ana } = await start();
    // Slack takes each post at once but answers only after 5 s (as a slow call does). Posts that had to go one
    // at a time per channel would send the second only after the first is answered.
    h.standIn.injectFault(
      'chat.postMessage',
      { kind: 'timeout', ms: 5000 },
      3,
      (args) => args.channel === KUDOS_CHANNEL,
    );
    for (const who of [LI, BO, SAM])
      expect(
        (await ana.command(Commands.kudos, `${mention(who)} for the careful release notes`)).status,
      ).toBe(200);
    const posts = await h.standIn.waitFor(
      { method: 'chat.postMessage', count: 3, where: (c) => c.args.channel === KUDOS_CHANNEL },
      4000,
    );
    expect(posts).toHaveLength(3);
    await h.loop.idle();
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(3);
  });

  it('expands a user group to its members, leaving out the giver', async () => {
    const { h, ana } = await start();
    const answer = await kudosAnswer(h, ana, `<!subteam^${GROUP}|@ops> for the calm incident handling`);
    expect(answer.text).toContain('Kudos sent');
    expect(active(h).map((r) => r.recipient_id)).toEqual([LI.id, BO.id]);
  });

  it('posts nothing publicly when visibility is private, but still DMs the recipient', async () => {
    const { h, ana } = await start({ kudos: { visibility: 'private' } });
    await ana.command(Commands.kudos, `${mention(LI)} for the careful invoice review`);
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === LI.id });
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(0);
  });

  it('replies in the thread of the message thanked when visibility is thread', async () => {
    const { h, ana } = await start({ kudos: { visibility: 'thread' } });
    const ts = '1700000900.000100';
    await sendEvent(h, ana, reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts }));
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === 'C0GENERAL',
    });
    expect(post?.args.thread_ts).toBe(ts);
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(0);
    // /kudos has no message to reply to: it goes to the kudos channel.
    await ana.command(Commands.kudos, `${mention(BO)} for the careful invoice review`);
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === KUDOS_CHANNEL });
  });

  it('replies under the thread parent when the message thanked through the shortcut is itself a reply', async () => {
    const { h, ana } = await start({ kudos: { visibility: 'thread' } });
    const parent = '1700000950.000100';
    await ana.messageShortcut(MessageShortcuts.giveKudos, {
      user: LI.id,
      ts: '1700000960.000200',
      thread_ts: parent,
      text: 'Fixed the export in this thread',
    });
    await h.standIn.waitFor({ method: 'views.open' });
    const ok = await ana.submitView({
      callbackId: Views.kudosForm,
      values: {
        [KB.recipients]: { [FormAction]: multiUsersSelectValue([LI.id]) },
        [KB.reason]: { [FormAction]: plainTextInputValue('for fixing the refund export in the thread') },
        [KB.value]: { [FormAction]: staticSelectValue(null) },
      },
    });
    expect(ok.status).toBe(200);
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.thread_ts !== undefined,
    });
    expect(post?.args.thread_ts).toBe(parent);
  });

  it('requires a value when the config says so', async () => {
    const { h, ana } = await start({ kudos: { require_value: true } });
    const res = await ana.command(Commands.kudos, `${mention(LI)} for the careful invoice review`);
    expect(ephemeralText(res)).toContain('#ownership');
    expect(kudosCount(h)).toBe(0);
  });

  it.each([
    ['no recipient', 'for being great all week long', 'Who would you like to thank'],
    ['an unknown value', `${mention(LI)} for the careful invoice review #speed`, "I don't know"],
    ['a reason of only emoji', `${mention(LI)} :tada: :clap: :heart:`, 'in words'],
    ['a too-short reason', `${mention(LI)} thanks!`, 'at least 10 characters'],
    ['@here', `<!here> for the careful invoice review`, 'not to `@here`'],
    ['@channel', `${mention(LI)} <!channel> for the careful invoice review`, 'not to `@channel`'],
    ['a channel mention', `<#C0GENERAL|general> for the careful invoice review`, 'not channels'],
    ['yourself', `${mention(ANA)} for the careful invoice review`, 'Thanking yourself'],
    ['a bot', `<@${BOT}|deploybot> for the careful invoice review`, 'is a bot or an app'],
    [
      'a workflow bot',
      `<@${WORKFLOW_BOT}|standup-workflow> for the careful invoice review`,
      'is a bot or an app',
    ],
    ['a deactivated user', `<@${GONE}|gone> for the careful invoice review`, 'no longer in this workspace'],
    [
      'a user Slack does not know',
      `<@${GHOST}> for the careful invoice review`,
      'no longer in this workspace',
    ],
    [
      'one bot among people',
      `${mention(LI)} <@${BOT}|deploybot> for the careful invoice review`,
      'is a bot or an app',
    ],
    [
      '50 recipients',
      `${Array.from({ length: 50 }, (_, i) => `<@U0PEOPLE${String(i).padStart(2, '0')}>`).join(' ')} for the big launch`,
      'That is 50 people',
    ],
  ])('refuses %s with a clear ephemeral answer and stores nothing', async (_what, text, answer) => {
    const { h, ana } = await start();
    const res = await kudosAnswer(h, ana, text);
    expect(res.body).toMatchObject({ response_type: 'ephemeral' });
    expect(res.text).toContain(answer);
    expect(res.text).toContain('Nothing was given');
    expect(kudosCount(h)).toBe(0);
    expect(ledger(h)).toHaveLength(0);
    // Nothing queued but the give itself, when it had to wait on Slack to look the people up.
    const outbox = h.loop.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind != 'kudos.give'").pluck().get();
    expect(outbox).toBe(0);
  });

  it('ignores mentions inside quotes and code', async () => {
    const { h, ana } = await start();
    const answer = await kudosAnswer(
      h,
      ana,
      `${mention(LI)} for answering \`${mention(BO)}\` so patiently\n&gt; ${mention(SAM)} asked twice`,
    );
    expect(answer.text).toContain('Kudos sent');
    expect(active(h).map((r) => r.recipient_id)).toEqual([LI.id]);
  });
});

describe('daily allowance and per-recipient cap', () => {
  it('resets at midnight in each giver’s own time zone', async () => {
    // 22:30 UTC on Monday = 23:30 in Berlin (ana) and 14:30 in Los Angeles (sam).
    const { h, clock, ana, sam } = await start({
      kudos: { daily_allowance: 2 },
      at: Date.parse('2026-11-23T22:30:00Z'),
    });
    const give = async (d: typeof ana, to: { id: string; name: string }) =>
      (await kudosAnswer(h, d, `${mention(to)} for the careful invoice review`)).text;

    expect(await give(ana, LI)).toContain('Kudos sent');
    expect(await give(ana, BO)).toContain('Kudos sent');
    const over = await give(ana, SAM);
    expect(over).toContain("You have given all 2 of today's kudos");
    expect(over).toContain('Tue 24 Nov, 00:00'); // midnight in Berlin, in Berlin's time
    expect(over).toContain('Europe/Berlin');
    expect(over).toContain('in 30 min');

    expect(await give(sam, LI)).toContain('Kudos sent');
    expect(await give(sam, BO)).toContain('Kudos sent');
    const samOver = await give(sam, ANA);
    expect(samOver).toContain('Tue 24 Nov, 00:00');
    expect(samOver).toContain('America/Los_Angeles');

    // 23:01 UTC: a new day in Berlin, still Monday afternoon in Los Angeles.
    clock.set(Date.parse('2026-11-23T23:01:00Z'));
    expect(await give(ana, SAM)).toContain('Kudos sent');
    expect(await give(sam, ANA)).toContain("You have given all 2 of today's kudos");

    // 08:01 UTC Tuesday = 00:01 in Los Angeles.
    clock.set(Date.parse('2026-11-24T08:01:00Z'));
    expect(await give(sam, ANA)).toContain('Kudos sent');
    expect(active(h)).toHaveLength(6);
  });

  it('caps what one giver gives the same person per day, and lets others through', async () => {
    const { h, ana } = await start({ kudos: { per_recipient_daily_cap: 1 } });
    expect((await kudosAnswer(h, ana, `${mention(LI)} for the careful review`)).text).toContain('Kudos sent');
    const capped = (await kudosAnswer(h, ana, `${mention(LI)} ${mention(BO)} for the second careful review`))
      .text;
    expect(capped).toContain(`already thanked <@${LI.id}> once today`);
    expect(active(h)).toHaveLength(1); // the whole give was refused: nothing half-stored
    expect((await kudosAnswer(h, ana, `${mention(BO)} for the careful review`)).text).toContain('Kudos sent');
    expect(active(h)).toHaveLength(2);
  });

  it('honours an allowance override for a user group', async () => {
    const { h, ana } = await start({
      kudos: { daily_allowance: 1, allowance_overrides: [{ usergroup: GROUP, daily_allowance: 3 }] },
    });
    for (const to of [LI, BO, SAM]) {
      expect((await kudosAnswer(h, ana, `${mention(to)} for the careful review`)).text).toContain(
        'Kudos sent',
      );
    }
    expect((await kudosAnswer(h, ana, `<@U0OTHER001> for the careful review`)).text).toContain('all 3 of');
    expect(active(h)).toHaveLength(3);
  });

  it("answers /kudos help with the caller's own limits: a user override, a user-group override, the default", async () => {
    const { h, ana, sam } = await start({
      kudos: {
        allowance_overrides: [
          { user: SAM.id, daily_allowance: 3 },
          { usergroup: GROUP, daily_allowance: 7 },
        ],
      },
    });
    const helpFor = async (driver: SlackDriver) => {
      const res = await driver.command(Commands.kudos, 'help');
      expect(res.status).toBe(200);
      const [reply] = await h.standIn.waitForResponse(1, 5000, res.responseUrlId);
      return JSON.stringify(reply?.body);
    };
    await ana.command(Commands.kudos, `${mention(LI)} for the careful invoice review`);
    await h.loop.idle(); // given by the outbox once Slack has said who Li is

    const anaHelp = await helpFor(ana); // in the ops user group
    expect(anaHelp).toContain('You can give 7 kudos a day (your own allowance; the default is 5)');
    expect(anaHelp).toContain('You have 6 left today');
    expect(anaHelp).toContain('`#ownership`');

    const samHelp = await helpFor(sam); // a user override
    expect(samHelp).toContain('You can give 3 kudos a day (your own allowance; the default is 5)');
    expect(samHelp).toContain('You have 3 left today');

    h.standIn.setUser({ id: ids.billingMember, name: 'bea', tz: 'Europe/Berlin' });
    const beaHelp = await helpFor(h.driverFor({ id: ids.billingMember, name: 'bea' })); // no override
    expect(beaHelp).toContain('You can give 5 kudos a day, one per person thanked, up to');
    expect(beaHelp).not.toContain('your own allowance');
  });

  it('lets exactly the allowance through when gives race each other', async () => {
    const { h, ana } = await start({ kudos: { daily_allowance: 3 } });
    const recipients = Array.from({ length: 8 }, (_, i) => `U0RACE000${i}`);
    const answers = await Promise.all(
      recipients.map((id) => kudosAnswer(h, ana, `<@${id}> for the careful invoice review`)),
    );
    const sent = answers.filter((a) => a.text.includes('Kudos sent'));
    const refused = answers.filter((a) => a.text.includes("today's kudos"));
    expect(sent).toHaveLength(3);
    expect(refused).toHaveLength(5);
    expect(active(h)).toHaveLength(3);
    expect(kudosCount(h)).toBe(3);
  });
});

/** Slack's event when the message `ts` (by Li, in #general) is deleted. */
function messageDeleted(ts: string) {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: 'C0GENERAL',
    deleted_ts: ts,
    ts: '1700000300.000100',
    event_ts: '1700000300.000100',
    previous_message: { type: 'message', user: LI.id, text: 'the fix is live', ts },
  };
}

const reaction = (
  type: 'reaction_added' | 'reaction_removed',
  fields: { user: string; itemUser?: string; ts: string; channel?: string; name?: string; eventTs?: string },
) => ({
  type,
  user: fields.user,
  reaction: fields.name ?? 'clap',
  ...(fields.itemUser !== undefined ? { item_user: fields.itemUser } : {}),
  item: { type: 'message', channel: fields.channel ?? 'C0GENERAL', ts: fields.ts },
  event_ts: fields.eventTs ?? `${Math.floor(Date.now() / 1000)}.000100`,
});

describe('kudos by emoji reaction', () => {
  it('gives the author a kudos and confirms to the giver; a retried event and a repeated reaction count once', async () => {
    const { h, ana } = await start();
    const event = reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' });
    const first = await sendEvent(h, ana, event, { eventId: 'Ev0REACT0001' });
    expect(first.status).toBe(200);
    const retry = await sendEvent(h, ana, event, { eventId: 'Ev0REACT0001', retryNum: 1 });
    expect(retry.status).toBe(200);
    // The same person reacting again (e.g. with a skin tone) is a new event for the same message.
    await sendEvent(h, ana, { ...event, reaction: 'clap::skin-tone-3' }, { eventId: 'Ev0REACT0002' });

    expect(active(h)).toHaveLength(1);
    expect(active(h)[0]).toMatchObject({ giver_id: ANA.id, recipient_id: LI.id, source: 'reaction' });
    const [notice] = await h.standIn.waitFor({
      method: 'chat.postEphemeral',
      where: (c) => c.args.user === ANA.id,
    });
    expect(String(notice?.args.text)).toContain('Your kudos to');
    expect(String(notice?.args.text)).toContain('Remove the reaction within 60 min');
    expect(notice?.args.channel).toBe('C0GENERAL');
    await h.standIn.waitFor({ method: 'chat.postMessage', where: (c) => c.args.channel === LI.id });
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.postEphemeral').filter((c) => c.args.user === ANA.id)).toHaveLength(1);
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(1);
  });

  it('keeps a reaction Slack could not look up right away, and counts it once Slack answers again', async () => {
    const { h, ana } = await start();
    // Slack is answered before the handler runs: a lookup failing now must not lose the kudos.
    h.standIn.injectFault('users.info', { kind: 'http', status: 503 }, 2);
    const event = reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700000200.000100' });
    await sendEvent(h, ana, event, { eventId: 'Ev0REACTFAIL' });
    expect(active(h)).toHaveLength(1);
    expect(active(h)[0]).toMatchObject({ giver_id: ANA.id, recipient_id: LI.id, source: 'reaction' });
    expect(h.standIn.calls.filter((c) => c.method === 'users.info' && c.fault)).not.toHaveLength(0);
    await sendEvent(h, ana, event, { eventId: 'Ev0REACTFAIL', retryNum: 1 });
    expect(active(h)).toHaveLength(1);
  });

  it('stores the reactions past those at work for the outbox, and handles every one once', async () => {
    const { h, ana } = await start();
    // Slack is slow to say who people are: the reactions wait at work, up to the bound, then go to the outbox.
    h.standIn.injectFault('users.info', { kind: 'timeout', ms: 400 }, 2);
    const count = MAX_REACTIONS_AT_WORK + 4;
    const sent = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        ana.sendEvent(
          reaction('reaction_added', {
            user: ANA.id,
            itemUser: LI.id,
            ts: `17000009${String(i).padStart(2, '0')}.0001`,
          }),
          { eventId: `Ev0BOUND${i}` },
        ),
      ),
    );
    for (const res of sent) expect(res.status).toBe(200);
    const kept = () =>
      h.loop.db
        .prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'kudos.reaction_retry'`)
        .pluck()
        .get() as number;
    // Stored before Slack answered about anyone.
    expect(h.standIn.callsTo('users.info').filter((c) => !c.fault)).toHaveLength(0);
    expect(kept()).toBeGreaterThanOrEqual(4);
    await h.loop.idle();
    const handled = h.loop.db
      .prepare(`SELECT COUNT(*) FROM slack_events WHERE event_id LIKE 'Ev0BOUND%'`)
      .pluck();
    expect(handled.get()).toBe(count);
    // Those stored for the outbox were each handled there, as any reaction (the kudos rules applied).
    const retries = h.loop.db
      .prepare(`SELECT status FROM outbox WHERE kind = 'kudos.reaction_retry'`)
      .pluck()
      .all();
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(new Set(retries)).toEqual(new Set(['sent']));
    expect(h.loop.delivery.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('drops a reaction waiting to be retried once the reaction is removed', async () => {
    const { h, ana } = await start();
    h.standIn.injectFault('users.info', { kind: 'http', status: 503 }, 1000);
    const ts = '1700000300.000100';
    const added = await ana.sendEvent(reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts }), {
      eventId: 'Ev0REACTLATE',
    });
    expect(added.status).toBe(200);
    const retry = () =>
      h.loop.db.prepare(`SELECT status, last_error FROM outbox WHERE kind = 'kudos.reaction_retry'`).get() as
        | { status: string; last_error: string | null }
        | undefined;
    await pollUntil(
      () => retry(),
      3000,
      () => 'the failed reaction was not kept for a retry',
    );
    await sendEvent(h, ana, reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts }));
    h.standIn.clearFaults();
    await h.loop.delivery.drain();
    expect(retry()).toMatchObject({ status: 'sent', last_error: 'cancelled: the reaction was removed' });
    expect(kudosCount(h)).toBe(0);
  });

  it('ignores other emoji', async () => {
    const { h, ana } = await start();
    await ana.sendEvent(
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1.2', name: 'eyes' }),
    );
    await h.loop.idle();
    expect(kudosCount(h)).toBe(0);
  });

  it('stopping waits for a listener still at work, so what it stores is kept', async () => {
    const { h, ana } = await start();
    h.standIn.injectFault('users.info', { kind: 'timeout', ms: 300 }, 2);
    await ana.sendEvent(reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1.4' }));
    const path = h.loop.db.name;
    await h.stopApp();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM kudos').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('is idle only once a slow reaction listener has stored its kudos (the signal tests wait on)', async () => {
    const { h, ana } = await start();
    // Slack answers the look-ups of who reacted and whose message it was only after 300 ms.
    h.standIn.injectFault('users.info', { kind: 'timeout', ms: 300 }, 2);
    await ana.sendEvent(reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1.3' }));
    await h.loop.idle();
    expect(kudosCount(h)).toBe(1);
    expect(h.standIn.messagesIn(KUDOS_CHANNEL)).toHaveLength(1);
  });

  it('reverses the kudos when the reaction is removed within the window, and marks the post withdrawn', async () => {
    const { h, clock, ana } = await start({ kudos: { undo_window_minutes: 30 } });
    await sendEvent(
      h,
      ana,
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' }),
    );
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === KUDOS_CHANNEL,
    });
    await h.loop.delivery.drain();
    clock.advance(10 * MIN);
    const removed = reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' });
    await sendEvent(h, ana, removed, { eventId: 'Ev0REMOVE001' });
    await sendEvent(h, ana, removed, { eventId: 'Ev0REMOVE001', retryNum: 1 });
    expect(active(h)).toHaveLength(0);
    expect(ledger(h)).toHaveLength(1);
    expect(ledger(h)[0]?.revoked_at).toBe(clock.now());
    const [update] = await h.standIn.waitFor({ method: 'chat.update' });
    expect(update?.args.ts).toBe(post?.response.ts);
    expect(JSON.stringify(update?.args.blocks)).toContain('withdrawn');
    // Li was told about the kudos, so Li is told it was taken back.
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) =>
        c.args.channel === LI.id && String(c.args.text).includes(`<@${ANA.id}> removed their reaction`),
    });

    // Reacting again later gives a new kudos (the old one stays withdrawn in the ledger).
    await sendEvent(
      h,
      ana,
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' }),
    );
    expect(active(h)).toHaveLength(1);
    expect(ledger(h)).toHaveLength(2);
  });

  it('gives the allowance back when a kudos is withdrawn', async () => {
    const { h, clock, ana } = await start({ kudos: { daily_allowance: 1 } });
    const first = '1700000150.000100';
    await sendEvent(h, ana, reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: first }));
    const full = await kudosAnswer(h, ana, `${mention(BO)} for the careful invoice review`);
    expect(full.text).toContain('all 1 of today');
    clock.advance(MIN);
    await sendEvent(h, ana, reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts: first }));
    const again = await kudosAnswer(h, ana, `${mention(BO)} for the careful invoice review`);
    expect(again.text).toContain('Kudos sent');
    expect(active(h).map((r) => r.recipient_id)).toEqual([BO.id]);
  });

  it('lets a removal win over the add it follows, even while the add still waits on Slack', async () => {
    const { h, ana } = await start();
    // users.info answers late, as a busy Slack does: the add is still being handled when the removal comes.
    h.standIn.injectFault('users.info', { kind: 'timeout', ms: 1000 }, 10);
    const ts = '1700000110.000100';
    const added = 'Ev0ORDERADD1';
    const res = await ana.sendEvent(
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts, eventTs: '1700000200.000100' }),
      { eventId: added },
    );
    expect(res.status).toBe(200);
    await h.standIn.waitFor({ method: 'users.info' }); // the add is waiting on Slack
    await sendEvent(
      h,
      ana,
      reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts, eventTs: '1700000200.120200' }),
    );
    await pollUntil(
      () => h.loop.db.prepare('SELECT 1 FROM slack_events WHERE event_id = ?').get(added),
      3000,
      () => 'the add was not handled',
    );
    await h.loop.delivery.drain();
    expect(kudosCount(h)).toBe(0);
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(0);
    // Nobody is told anything: no "remove the reaction to take it back" for a reaction already gone.
    expect(h.standIn.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('goes by event_ts, not arrival: a removal arriving first still wins, and an older removal takes nothing back', async () => {
    const { h, clock, ana } = await start({ kudos: { undo_window_minutes: 30 } });
    const ts = '1700000120.000100';
    const at = (eventTs: string) => ({ user: ANA.id, itemUser: LI.id, ts, eventTs });
    await sendEvent(h, ana, reaction('reaction_removed', at('1700000300.000200')));
    await sendEvent(h, ana, reaction('reaction_added', at('1700000300.000100')));
    expect(kudosCount(h)).toBe(0);

    // Added again later; the removal of the earlier add arrives after this newer add: the kudos stands.
    await sendEvent(h, ana, reaction('reaction_added', at('1700000400.000100')));
    expect(active(h)).toHaveLength(1);
    await sendEvent(h, ana, reaction('reaction_removed', at('1700000350.000100')));
    expect(active(h)).toHaveLength(1);

    // A removal is remembered for the undo window, then forgotten.
    const remembered = () => h.loop.db.prepare('SELECT COUNT(*) FROM reaction_events').pluck().get();
    expect(remembered()).toBe(1);
    clock.advance(31 * MIN);
    await h.loop.scheduler.tick();
    expect(remembered()).toBe(0);
  });

  it('keeps the kudos when the reaction is removed after the window', async () => {
    const { h, clock, ana } = await start({ kudos: { undo_window_minutes: 30 } });
    await sendEvent(
      h,
      ana,
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' }),
    );
    clock.advance(31 * MIN);
    await sendEvent(
      h,
      ana,
      reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts: '1700000100.000100' }),
    );
    expect(active(h)).toHaveLength(1);
  });

  it('keeps the kudos when its message is deleted and withdraw_on_message_deleted is off (the default)', async () => {
    const { h, ana } = await start();
    const ts = '1700000200.000100';
    await sendEvent(h, ana, reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts }));
    await sendEvent(h, ana, messageDeleted(ts));
    expect(active(h)).toHaveLength(1);
  });

  it('reverses every kudos for a message when the message is deleted', async () => {
    const { h, ana } = await start({ kudos: { withdraw_on_message_deleted: true } });
    const ts = '1700000200.000100';
    await sendEvent(h, ana, reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts }));
    await sendEvent(h, h.driverFor(BO), reaction('reaction_added', { user: BO.id, itemUser: LI.id, ts }));
    expect(active(h)).toHaveLength(2);
    const deleted = messageDeleted(ts);
    const dmsToLi = () => postsIn(h, LI.id).map((c) => String(c.args.text));
    expect(dmsToLi()).toHaveLength(2); // one per kudos given
    await sendEvent(h, ana, deleted, { eventId: 'Ev0DELETE001' });
    await sendEvent(h, ana, deleted, { eventId: 'Ev0DELETE001', retryNum: 2 });
    expect(active(h)).toHaveLength(0);
    expect(ledger(h)).toHaveLength(2);
    // Li was told about both kudos, so Li is told both were withdrawn, once each.
    const withdrawn = dmsToLi().filter((t) => t.includes('was withdrawn'));
    expect(withdrawn).toHaveLength(2);
    expect(withdrawn.join('\n')).toContain(
      `The kudos <@${ANA.id}> gave you for one of your messages was withdrawn`,
    );
    expect(withdrawn[0]).toContain('the message it was for was deleted');
  });

  it('never posts a kudos withdrawn before its post went out, and tells nobody it was given', async () => {
    const { h, clock, ana } = await start();
    // The post first fetches the reacted message's link; Slack is slow to answer it.
    h.standIn.injectFault('chat.getPermalink', { kind: 'timeout', ms: 1000 });
    const ts = '1700000250.000100';
    await ana.sendEvent(
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts, eventTs: '1700000260.000100' }),
    );
    await h.standIn.waitFor({ method: 'chat.getPermalink' }); // the post is under way
    await sendEvent(
      h,
      ana,
      reaction('reaction_removed', { user: ANA.id, itemUser: LI.id, ts, eventTs: '1700000261.000100' }),
    );
    const post = () =>
      h.loop.db.prepare(`SELECT status FROM outbox WHERE kind = 'kudos.post'`).pluck().get() as string;
    await pollUntil(
      () => (post() === 'sent' ? true : undefined),
      3000,
      () => 'the post never finished',
    );
    clock.advance(MIN); // what waited for the post is retried
    await h.loop.delivery.drain();
    expect(h.loop.delivery.counts().pending).toBe(0);
    expect(active(h)).toHaveLength(0);
    expect(postsIn(h, KUDOS_CHANNEL)).toHaveLength(0);
    expect(h.standIn.callsTo('chat.update')).toHaveLength(0);
    expect(postsIn(h, LI.id)).toHaveLength(0);
  });

  it('reverses the kudos when a message with replies is deleted (Slack sends a tombstone)', async () => {
    const { h, ana } = await start({ kudos: { withdraw_on_message_deleted: true } });
    const ts = '1700000400.000100';
    await sendEvent(h, ana, reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts }));
    await sendEvent(h, ana, {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0GENERAL',
      ts: '1700000500.000100',
      event_ts: '1700000500.000100',
      message: {
        type: 'message',
        subtype: 'tombstone',
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        ts,
      },
      previous_message: { type: 'message', user: LI.id, text: 'the fix is live', ts },
    });
    expect(active(h)).toHaveLength(0);
  });

  it.each([
    ['a bot’s message', BOT, 'is a bot or an app'],
    ['a workflow bot’s message', WORKFLOW_BOT, 'is a bot or an app'],
    ['your own message', ANA.id, 'That is your own message'],
    // An integration's message: Slack sends no item_user at all.
    ['a message with no person as author', undefined, 'That message is from a bot or an app'],
  ])('refuses a reaction on %s with an ephemeral note and stores nothing', async (_what, author, answer) => {
    const { h, ana } = await start();
    await sendEvent(
      h,
      ana,
      reaction('reaction_added', {
        user: ANA.id,
        ...(author !== undefined ? { itemUser: author } : {}),
        ts: '1700000100.000100',
      }),
    );
    const [notice] = await h.standIn.waitFor({ method: 'chat.postEphemeral' });
    expect(notice?.args.user).toBe(ANA.id);
    expect(String(notice?.args.text)).toContain(answer);
    expect(kudosCount(h)).toBe(0);
    await h.loop.delivery.drain();
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('"Give kudos for this" message shortcut', () => {
  it('opens a modal prefilled with the author, and the submission gives kudos linked to the message', async () => {
    const { h, ana } = await start();
    const res = await ana.messageShortcut(MessageShortcuts.giveKudos, {
      user: LI.id,
      ts: '1700000600.000100',
      text: 'Refund export fixed',
    });
    expect(res.status).toBe(200);
    const [open] = await h.standIn.waitFor({ method: 'views.open' });
    const view = open?.args.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: Record<string, unknown> }[];
    };
    expect(view.callback_id).toBe(Views.kudosForm);
    const recipients = view.blocks.find((b) => b.block_id === KB.recipients);
    expect(recipients?.element?.initial_users).toEqual([LI.id]);

    const tooShort = await ana.submitView({
      callbackId: Views.kudosForm,
      values: {
        [KB.recipients]: { [FormAction]: multiUsersSelectValue([LI.id]) },
        [KB.reason]: { [FormAction]: plainTextInputValue('ty') },
        [KB.value]: { [FormAction]: staticSelectValue(null) },
      },
    });
    expect(tooShort.json).toMatchObject({
      response_action: 'errors',
      errors: { [KB.reason]: expect.any(String) },
    });
    expect(kudosCount(h)).toBe(0);

    // Field errors are plain text in Slack: people are named, not shown as raw ids.
    const toBot = await ana.submitView({
      callbackId: Views.kudosForm,
      values: {
        [KB.recipients]: { [FormAction]: multiUsersSelectValue([BOT]) },
        [KB.reason]: { [FormAction]: plainTextInputValue('for the careful invoice review') },
        [KB.value]: { [FormAction]: staticSelectValue(null) },
      },
    });
    expect(toBot.json).toMatchObject({
      response_action: 'errors',
      errors: { [KB.recipients]: expect.stringContaining('@deploybot is a bot or an app') },
    });
    expect(JSON.stringify(toBot.json)).not.toContain(BOT);

    const ok = await ana.submitView({
      callbackId: Views.kudosForm,
      values: {
        [KB.recipients]: { [FormAction]: multiUsersSelectValue([LI.id]) },
        [KB.reason]: { [FormAction]: plainTextInputValue('for fixing the refund export before the weekend') },
        [KB.value]: { [FormAction]: staticSelectValue({ text: 'Craft', value: 'craft' }) },
      },
    });
    expect(ok.status).toBe(200);
    expect(active(h)).toHaveLength(1);
    expect(active(h)[0]).toMatchObject({ recipient_id: LI.id, source: 'shortcut', value_ids: '["craft"]' });
    const stored = h.loop.db.prepare('SELECT source_channel_id, source_message_ts FROM kudos').get();
    expect(stored).toEqual({ source_channel_id: 'C0SUPPORT1', source_message_ts: '1700000600.000100' });
    const [post] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === KUDOS_CHANNEL,
    });
    expect(JSON.stringify(post?.args.blocks)).toContain('this message');
    const [notice] = await h.standIn.waitFor({
      method: 'chat.postEphemeral',
      where: (c) => c.args.user === ANA.id,
    });
    expect(String(notice?.args.text)).toContain('You have 4 kudos left today.');
    expect(String(notice?.args.text)).not.toContain('reaction');
  });

  it('refuses a bot’s message with an ephemeral answer and opens no modal', async () => {
    const { h, ana } = await start();
    const res = await ana.messageShortcut(MessageShortcuts.giveKudos, {
      user: BOT,
      bot_id: 'B0DEPLOY01',
      subtype: 'bot_message',
      ts: '1700000700.000100',
    });
    expect(res.status).toBe(200);
    const [answer] = await h.standIn.waitForResponse(1, 3000, res.responseUrlId);
    expect(JSON.stringify(answer)).toContain('kudos are for people');
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
  });

  it('logs an expected refusal at info without a stack, and keeps error level for bugs', async () => {
    const { logger, lines } = captureLogs();
    const { h, ana } = await start({ logger });
    const res = await ana.messageShortcut(MessageShortcuts.giveKudos, {
      user: BOT,
      bot_id: 'B0DEPLOY01',
      subtype: 'bot_message',
      ts: '1700000700.000100',
    });
    await h.standIn.waitForResponse(1, 3000, res.responseUrlId);
    const refusal = lines.find((l) => l.code === 'kudos_refused');
    expect(refusal).toMatchObject({ level: LEVEL.info, module: 'listener', user: ANA.id });
    expect(refusal?.err).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain('"stack"');
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);

    // Slack failing under a listener is not an expected refusal: it stays an error, with its stack.
    h.standIn.injectFault('users.info', { kind: 'http', status: 500 }, 10);
    const failed = await ana.command(Commands.kudos, 'help');
    const [apology] = await h.standIn.waitForResponse(1, 3000, failed.responseUrlId);
    expect(JSON.stringify(apology?.body)).toContain('something went wrong');
    const bug = lines.find((l) => l.level === LEVEL.error && l.module === 'listener');
    expect(bug?.err?.stack).toBeDefined();
  });
});

describe('App Home', () => {
  it('publishes the Home tab on app_home_opened with counts, allowance, recent kudos, values and the leaderboard', async () => {
    const { h, ana } = await start();
    await ana.command(Commands.kudos, `${mention(LI)} for the careful invoice review #ownership`);
    await h.driverFor(BO).command(Commands.kudos, `${mention(LI)} for covering my on-call shift #craft`);
    await h.loop.delivery.drain();
    h.standIn.clearCalls();

    const li = h.driverFor(LI);
    await li.sendEvent(appHomeOpenedEvent(LI.id));
    const [publish] = await h.standIn.waitFor({
      method: 'views.publish',
      where: (c) => c.args.user_id === LI.id,
    });
    const home = JSON.stringify(publish?.args.view);
    expect(home).toContain('Received this week');
    expect(home).toMatch(/Received this week\*\\n2/);
    expect(home).toContain('covering my on-call shift');
    expect(home).toContain('Ownership: 1');
    expect(home).toContain('Craft: 1');
    expect(home).toContain(`1. <@${LI.id}> · 2 kudos (you)`);
    expect(home).toContain('5 of 5');

    // Choosing another period publishes again with it.
    const click = await li.post(
      interactivityBody(
        blockActionsPayload({
          team: { id: h.standIn.identity.teamId, domain: h.standIn.identity.teamDomain },
          user: LI,
          view: {
            id: String(publish?.response.view && (publish.response.view as { id: string }).id),
          } as never,
          state: {},
          actions: [
            staticSelectAction({
              actionId: HomeActions.leaderboardPeriod,
              blockId: 'home_leaderboard',
              option: { text: 'All time', value: 'all' },
            }),
          ],
        }),
      ),
      FORM_CONTENT_TYPE,
    );
    expect(click.status).toBe(200);
    await h.standIn.waitFor({ method: 'views.publish', count: 2, where: (c) => c.args.user_id === LI.id });
    expect(JSON.stringify(h.standIn.homeView(LI.id))).toContain('All time');
  });

  it('publishes the giver’s and recipients’ Home after a kudos, for those who have opened it', async () => {
    const { h, ana } = await start();
    for (const person of [ANA, LI]) await h.driverFor(person).sendEvent(appHomeOpenedEvent(person.id));
    await h.loop.delivery.drain();
    h.standIn.clearCalls();
    await ana.command(Commands.kudos, `${mention(LI)} ${mention(BO)} for the careful invoice review`);
    await h.loop.delivery.drain();
    const published = h.standIn.callsTo('views.publish').map((c) => c.args.user_id);
    // Bo never opened the Home: it is published when Bo first opens it, not on every kudos before that.
    expect(published.sort()).toEqual([ANA.id, LI.id].sort());
    expect(JSON.stringify(h.standIn.homeView(ANA.id))).toContain('3 of 5');
    await h.driverFor(BO).sendEvent(appHomeOpenedEvent(BO.id));
    await h.standIn.waitFor({ method: 'views.publish', where: (c) => c.args.user_id === BO.id });
    expect(JSON.stringify(h.standIn.homeView(BO.id))).toContain('careful invoice review');
  });
});

describe('team reminder numbers', () => {
  it('reports kudos received by the team and given to other teams, and checks the kudos commitment', async () => {
    // Sunday 22 Nov 2026, 12:00 Berlin; the weekly reminder is Monday 09:00 Berlin (08:00 UTC).
    const { h, clock } = await start({
      at: Date.parse('2026-11-22T11:00:00Z'),
      billing: {
        commitments: [{ text: 'Thank another team every week', measure: 'kudos_to_other_teams', target: 2 }],
        reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' },
      },
    });
    const li = h.driverFor(LI);
    await li.command(Commands.kudos, `${mention(ANA)} ${mention(BO)} for the smooth parcel recall`); // 2 out
    await li.command(Commands.kudos, `<@${ids.billingMember}> for the careful invoice review`); // inside billing
    await h.driverFor(ANA).command(Commands.kudos, `${mention(LI)} for explaining the refund rules`); // 1 in
    // The first two named people Slack had not been asked about yet: the outbox gives those after the answer.
    await h.loop.idle();
    expect(active(h)).toHaveLength(4);

    clock.set(Date.parse('2026-11-23T08:00:30Z'));
    await h.loop.scheduler.tick();
    const [billing] = await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel && String(c.args.text).includes('our part'),
    });
    expect(String(billing?.args.text)).toContain('2 kudos received and 2 given to other teams');
    const blocks = JSON.stringify(billing?.args.blocks);
    expect(blocks).toContain('*Kudos received*\\n2'); // li from ana, billingMember from li
    expect(blocks).toContain('*Kudos to other teams*\\n2');
    expect(blocks).toContain(':white_check_mark: Thank another team every week');
    expect(blocks).toContain('2 kudos to other teams, target at least 2');
  });
});

describe('event id log', () => {
  it('forgets Slack event ids after a day, on the scheduler tick', async () => {
    const { h, clock, ana } = await start();
    await sendEvent(
      h,
      ana,
      reaction('reaction_added', { user: ANA.id, itemUser: LI.id, ts: '1700001000.000100' }),
    );
    const count = () => h.loop.db.prepare('SELECT COUNT(*) FROM slack_events').pluck().get();
    expect(count()).toBe(1);
    clock.advance(23 * 60 * MIN);
    await h.loop.scheduler.tick();
    expect(count()).toBe(1);
    clock.advance(2 * 60 * MIN);
    await h.loop.scheduler.tick();
    expect(count()).toBe(0);
    expect(active(h)).toHaveLength(1); // the ledger is untouched
  });
});
