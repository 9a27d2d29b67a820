import { occurrenceAfter } from '../../jobs/cron.js';
import { FeedbackActions, FormAction, LifecycleFormBlocks } from '../../slack/ids.js';
import type { SandboxClock } from '../clock.js';
import { checkboxesValue, plainTextInputValue } from '../slack-payloads.js';
import type { SlackStandIn, StoredMessage } from '../slack-standin.js';
import { pollUntil } from '../standin/poll.js';
import type { TimeControl } from '../time-control.js';
import type { Workspace } from '../workspace.js';
import { CHANNELS, PEOPLE } from './people.js';
import { FEEDBACK, GENERAL_CHAT, KUDOS, RESOLUTIONS } from './stories.js';

/**
 * Weeks of demo history, made the way users make it: the rep files feedback, the department acknowledges
 * and resolves it through the buttons and the modal, colleagues thank each other, and the app's own
 * scheduler runs at each simulated day (reminders, digests, SLA escalations). Only the clock is simulated.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const HANDLERS: Record<string, readonly string[]> = {
  [CHANNELS.billing]: [PEOPLE.billingLead, PEOPLE.billingMember],
  [CHANNELS.shipping]: [PEOPLE.shippingLead, PEOPLE.shippingMember],
  [CHANNELS.product]: [PEOPLE.productLead, PEOPLE.productMember],
  [CHANNELS.support]: [PEOPLE.supportLead, PEOPLE.rep],
  [CHANNELS.triage]: [PEOPLE.supportLead, PEOPLE.admin],
};

/** A small deterministic generator, so every sandbox starts with the same story. */
export function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
  };
}

export type SeedDeps = {
  workspace: Workspace;
  standIn: SlackStandIn;
  clock: SandboxClock;
  time: TimeControl;
};
export type SeedResult = { feedback: number; kudos: number; days: number };

export type Filed = { channel: string; ts: string; day: number };

/** The first Monday 08:00 (Berlin) at least `weeks` weeks ago. */
export function seedStart(weeks: number, now: number = Date.now()): number {
  return (
    occurrenceAfter('0 8 * * 1', 'Europe/Berlin', now - weeks * 7 * DAY - 7 * DAY) ?? now - weeks * 7 * DAY
  );
}

export async function seedDemo(deps: SeedDeps, until: number): Promise<SeedResult> {
  const { workspace, clock } = deps;
  const rng = random(16);
  const start = clock.now();
  const days = Math.floor((until - start) / DAY);
  const result: SeedResult = { feedback: 0, kudos: 0, days };
  const open: Filed[] = [];
  /** Every step moves the clock and lets the app's scheduler run, as the minute tick would. */
  const at = async (time: number) => {
    clock.advanceTo(time);
    await deps.time.tick();
  };
  for (let day = 0; day < days; day++) {
    const morning = start + day * DAY;
    if (morning + 10 * HOUR > until) break;
    await at(morning + HOUR);
    if (day % 7 >= 5) continue;
    for (let n = rng.int(1, 2); n > 0; n--) {
      clock.advanceTo(clock.now() + rng.int(10, 60) * 60_000);
      const filed = await fileFeedback(deps, rng.pick(FEEDBACK), day);
      if (filed) open.push(filed);
      result.feedback += filed ? 1 : 0;
    }
    await at(morning + 3 * HOUR);
    await at(morning + 5 * HOUR + rng.int(0, 60) * 60_000);
    for (const item of open.filter((f) => f.day === day && rng.next() < 0.85))
      await acknowledge(deps, item, rng);
    await at(morning + 7 * HOUR);
    result.kudos += await giveKudos(deps, rng, rng.int(1, 2));
    await at(morning + 8 * HOUR + rng.int(0, 50) * 60_000);
    const resolvable = open.filter((f) => f.day <= day - 1 && day < days - 3 && rng.next() < 0.6);
    for (const item of resolvable) {
      await resolve(deps, item, rng);
      open.splice(open.indexOf(item), 1);
    }
  }
  clock.advanceTo(until);
  for (const [user, text] of GENERAL_CHAT) await workspace.say(user, CHANNELS.general, text);
  await deps.time.tick();
  return result;
}

export const isFeedbackPost = (m: StoredMessage) =>
  JSON.stringify(m.blocks ?? []).includes(`"action_id":"${FeedbackActions.acknowledge}"`);

async function fileFeedback(deps: SeedDeps, text: string, day: number): Promise<Filed | undefined> {
  const before = new Set(Object.keys(HANDLERS).flatMap((c) => deps.standIn.messagesIn(c).map((m) => m.ts)));
  await deps.workspace.command(PEOPLE.rep, CHANNELS.support, `/feedback ${text}`);
  await deps.time.settle();
  for (const channel of Object.keys(HANDLERS)) {
    const post = deps.standIn.messagesIn(channel).find((m) => !before.has(m.ts) && isFeedbackPost(m));
    if (post) return { channel, ts: post.ts, day };
  }
  return undefined;
}

async function clickOnItem(deps: SeedDeps, item: Filed, user: string, actionId: string) {
  const post = deps.standIn.findMessage(item.channel, item.ts);
  const blocks = (post?.blocks ?? []) as {
    block_id?: string;
    elements?: { action_id?: string; value?: string }[];
  }[];
  for (const block of blocks) {
    const button = block.elements?.find((e) => e.action_id === actionId);
    if (button === undefined) continue;
    await deps.workspace.act(
      user,
      { channel: item.channel, ts: item.ts },
      { type: 'button', actionId, blockId: block.block_id ?? '', value: button.value },
    );
    await deps.time.settle();
    return true;
  }
  return false;
}

export async function acknowledge(deps: SeedDeps, item: Filed, rng: ReturnType<typeof random>) {
  await clickOnItem(deps, item, rng.pick(HANDLERS[item.channel] ?? []), FeedbackActions.acknowledge);
}

export async function resolve(deps: SeedDeps, item: Filed, rng: ReturnType<typeof random>) {
  const user = rng.pick(HANDLERS[item.channel] ?? []);
  deps.workspace.record.modals.set(user, []);
  if (!(await clickOnItem(deps, item, user, FeedbackActions.resolve))) return;
  // The app acknowledges the click first and opens the modal just after, as Slack apps must.
  const modal = await pollUntil(
    () => deps.workspace.record.modals.get(user)?.at(-1),
    5000,
    () => `no resolve modal opened for ${user}`,
  );
  await deps.workspace.submit(user, modal.viewId, {
    [LifecycleFormBlocks.resolutionNote]: { [FormAction]: plainTextInputValue(rng.pick(RESOLUTIONS)) },
    [LifecycleFormBlocks.customerContacted]: {
      [FormAction]: checkboxesValue(
        rng.next() < 0.8 ? [{ value: 'contacted', text: 'The customer was contacted' }] : [],
      ),
    },
  });
  await deps.time.settle();
}

async function giveKudos(deps: SeedDeps, rng: ReturnType<typeof random>, count: number): Promise<number> {
  let given = 0;
  for (let i = 0; i < count; i++) {
    const [giver, text] = rng.pick(KUDOS);
    await deps.workspace.command(giver, CHANNELS.general, `/kudos ${text}`);
    given += 1;
  }
  await deps.time.settle();
  return given;
}
