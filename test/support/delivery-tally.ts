import type { SlackStandIn } from './slack-standin.js';

/** What a fault run did, as the closing table of the delivery issue counts it. */
export type DeliveryTally = {
  acked: number;
  stored: number;
  posted: number;
  duplicated: number;
  outOfOrder: number;
  calls: number;
};

/**
 * Department posts as Slack holds them: per channel, the item numbers (`FB-12`) in the order they appear.
 * `posted` counts distinct items, `duplicated` the extra copies, `outOfOrder` the posts that appear after a
 * later-filed item in the same channel (queue order is filing order).
 */
export function tallyPosts(
  standIn: SlackStandIn,
  channels: readonly string[],
): Pick<DeliveryTally, 'posted' | 'duplicated' | 'outOfOrder'> {
  let posted = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const channel of channels) {
    const numbers = standIn
      .messagesIn(channel)
      .filter((m) => m.thread_ts === undefined)
      .map((m) => Number(/^FB-(\d+)\b/.exec(m.text)?.[1]))
      .filter((n) => Number.isInteger(n));
    const seen = new Set<number>();
    let highest = 0;
    for (const n of numbers) {
      if (seen.has(n)) {
        duplicated++;
        continue;
      }
      seen.add(n);
      if (n < highest) outOfOrder++;
      highest = Math.max(highest, n);
    }
    posted += seen.size;
  }
  return { posted, duplicated, outOfOrder };
}

/** Run `task` for each of `count` indexes, at most `width` at a time. */
export async function inPool(
  count: number,
  width: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}
