import type { OpenItem } from '../metrics/open-items.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { feedbackReference } from './types.js';

/**
 * Open feedback items as mrkdwn lines, for the messages that leave the department channel (digest, team
 * reminder, App Home): each item by reference, linked to its message when Slack gave a link, with no customer
 * details; and how many more are open than are listed.
 */

const DAY = 24 * 3_600_000;

/** `FB-42`, linked to its department message when there is a link. */
export function itemRef(id: number, links: ReadonlyMap<number, string>): string {
  const ref = feedbackReference(id);
  const link = links.get(id);
  return link ? `<${link}|${ref}>` : `*${ref}*`;
}

export type OpenItemsList = {
  /** Bold heading line, already mrkdwn. */
  title: string;
  items: readonly OpenItem[];
  /** How many are open in all (at least `items.length`). */
  total: number;
  links: ReadonlyMap<number, string>;
  now: number;
  /** The department's name for each line, when the list spans departments. */
  departmentName?: (departmentId: string) => string;
};

export function openItemsText(list: OpenItemsList): string {
  const lines = list.items.map((item) => {
    const days = Math.max(0, Math.floor((list.now - item.createdAt) / DAY));
    const department = list.departmentName
      ? ` · ${escapeMrkdwn(list.departmentName(item.departmentId))}`
      : '';
    return `• ${itemRef(item.id, list.links)}${department} · ${escapeMrkdwn(item.severity)} ${escapeMrkdwn(item.kind)} · ${item.status} · open ${days === 1 ? '1 day' : `${days} days`}`;
  });
  const more = list.total - list.items.length;
  return [list.title, ...lines, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
}
