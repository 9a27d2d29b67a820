import { FeedbackFormBlocks as B, FormAction } from '../../slack/ids.js';
import { plainTextInputValue, staticSelectValue } from '../slack-payloads.js';
import { pollUntil } from '../standin/poll.js';
import type { MonthItem } from './month-feedback.js';
import { CHANNELS, PEOPLE } from './people.js';
import { acknowledge, type Filed, HANDLERS, isFeedbackPost, random, resolve, type SeedDeps } from './seed.js';

/**
 * Files a generated month (month-feedback.ts) through the real app the way people would: the rep fills in the
 * /feedback form, the departments click Acknowledge and Resolve, and the app's scheduler runs through every
 * simulated hour that passes (SLA escalations, reminders, digests). Only the clock is simulated.
 */

const HOUR = 3_600_000;

/** What the month left: each generated item's reference (FB-n), once the app filed it. */
export type FiledMonth = { items: MonthItem[]; ids: (number | undefined)[] };

type Step = { at: number; action: 'file' | 'acknowledge' | 'resolve'; index: number };

function steps(items: readonly MonthItem[], start: number): Step[] {
  return items
    .flatMap((item, index): Step[] => [
      { at: start + item.at, action: 'file', index },
      ...(item.acknowledgeAfter === undefined
        ? []
        : [{ at: start + item.at + item.acknowledgeAfter, action: 'acknowledge' as const, index }]),
      ...(item.resolveAfter === undefined
        ? []
        : [{ at: start + item.at + item.resolveAfter, action: 'resolve' as const, index }]),
    ])
    .sort((a, b) => a.at - b.at || a.index - b.index);
}

/** The rep's form, as Slack submits it. */
function formValues(item: MonthItem) {
  const select = (value: string | undefined) => ({
    [FormAction]: staticSelectValue(value === undefined ? null : { value }),
  });
  return {
    [B.customer]: { [FormAction]: plainTextInputValue(item.customer) },
    [B.contactChannel]: select('email'),
    [B.kind]: select(item.kind),
    [B.severity]: select(item.severity),
    [B.department]: select(item.department),
    [B.summary]: { [FormAction]: plainTextInputValue(item.summary) },
    [B.details]: { [FormAction]: plainTextInputValue('') },
  };
}

async function fileThroughForm(deps: SeedDeps, item: MonthItem, day: number): Promise<Filed | undefined> {
  const channels = Object.keys(HANDLERS);
  const before = new Set(channels.flatMap((c) => deps.standIn.messagesIn(c).map((m) => m.ts)));
  deps.workspace.record.modals.set(PEOPLE.rep, []);
  await deps.workspace.command(PEOPLE.rep, CHANNELS.support, '/feedback');
  const modal = await pollUntil(
    () => deps.workspace.record.modals.get(PEOPLE.rep)?.at(-1),
    5000,
    () => 'the /feedback form did not open',
  );
  await deps.workspace.submit(PEOPLE.rep, modal.viewId, formValues(item));
  await deps.time.settle();
  for (const channel of channels) {
    const post = deps.standIn.messagesIn(channel).find((m) => !before.has(m.ts) && isFeedbackPost(m));
    if (post) return { channel, ts: post.ts, day };
  }
  return undefined;
}

/** The item's reference, from its post in the department's channel. */
function referenceOf(deps: SeedDeps, filed: Filed): number | undefined {
  const post = deps.standIn.findMessage(filed.channel, filed.ts);
  const found = /FB-(\d+)/.exec(`${post?.text ?? ''} ${JSON.stringify(post?.blocks ?? [])}`);
  return found ? Number(found[1]) : undefined;
}

export async function fileMonth(deps: SeedDeps, items: MonthItem[], start: number): Promise<FiledMonth> {
  const rng = random(17);
  const filed: (Filed | undefined)[] = [];
  const ids: (number | undefined)[] = [];
  let hour = Math.floor(start / HOUR);
  for (const step of steps(items, start)) {
    // Let the scheduler run at each hour that passes, as the minute tick would in a real month.
    for (; hour < Math.floor(step.at / HOUR); hour++) {
      deps.clock.advanceTo((hour + 1) * HOUR);
      await deps.time.tick();
    }
    deps.clock.advanceTo(step.at);
    const item = items[step.index] as MonthItem;
    if (step.action === 'file') {
      const post = await fileThroughForm(deps, item, Math.floor(item.at / (24 * HOUR)));
      filed[step.index] = post;
      ids[step.index] = post ? referenceOf(deps, post) : undefined;
    } else {
      const post = filed[step.index];
      if (!post) continue;
      if (step.action === 'acknowledge') await acknowledge(deps, post, rng);
      else await resolve(deps, post, rng);
    }
  }
  return { items, ids };
}

/** What the app answers `user` to `/feedback <args>` (an ephemeral reply, only to them). */
export async function askFeedback(deps: SeedDeps, user: string, args: string): Promise<string> {
  const before = deps.workspace.record.ephemerals.length;
  await deps.workspace.command(user, CHANNELS.support, `/feedback ${args}`);
  const answer = deps.workspace.record.ephemerals.slice(before).find((e) => e.user === user);
  return answer?.text ?? '';
}
