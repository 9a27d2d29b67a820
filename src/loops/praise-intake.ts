import type { NewFeedback } from '../feedback/types.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { insertPraised } from './praise-repo.js';

/** At most this many colleagues are named by one praise item (the form allows 10; mentions add a few). */
export const MAX_PRAISED = 20;

/**
 * User ids mentioned in feedback text: Slack's `<@U123>` (with or without a label) and the `@U123` that a
 * forwarded message's mentions become once turned into plain text. A real id has a digit, so `@URGENT` is no one.
 */
export function mentionedUserIds(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(
    /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|(?<![\w@<])@([UW][A-Z0-9]{6,})(?![A-Za-z0-9])/g,
  )) {
    const id = m[1] ?? m[2];
    if (id && /\d/.test(id)) found.push(id);
  }
  return found;
}

/** The colleagues a praise item names: the form's "who helped", then mentions in its text; never the reporter. */
export function namedInPraise(input: NewFeedback): string[] {
  if (input.kind !== 'praise') return [];
  const named = [...(input.helperIds ?? []), ...mentionedUserIds(`${input.summary}\n${input.details}`)];
  return [...new Set(named)].filter((id) => id !== input.reporterId).slice(0, MAX_PRAISED);
}

/**
 * In the intake transaction: a praise item that names colleagues keeps who it names and queues the look-up
 * that records the customer praise, so both commit with the item or not at all.
 */
export function queueCustomerPraise(
  db: Db,
  filed: { itemId: number; input: NewFeedback; now: number },
): void {
  const named = namedInPraise(filed.input);
  if (named.length === 0) return;
  insertPraised(db, filed.itemId, named);
  enqueueOutbox(
    db,
    { kind: 'praise.record', payload: { itemId: filed.itemId }, dedupeKey: `praise:${filed.itemId}:record` },
    filed.now,
  );
}
