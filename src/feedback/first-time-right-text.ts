import type { KnownBlock } from '@slack/types';
import {
  type ContactMix,
  type FirstTimeRight,
  handoffsPerItem,
  NOT_SAID,
  reassignPercent,
  reopenPercent,
} from '../metrics/numbers.js';
import { section } from '../slack/blocks.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { CONTACT_LABELS, type ContactChannel } from './types.js';

/**
 * The first-time-right rates and the contact mix as one line each, shared by `/strategy`, team reminders and
 * manager digests (the numbers are defined in src/metrics/numbers.ts). With `previous`, each rate shows its
 * change against the week before, as the digest's other numbers do.
 */

const percent = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)}%`);
const ratio = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));

function change(current: number | undefined, previous: number | undefined, unit: string, digits: number) {
  if (current === undefined || previous === undefined) return '';
  const diff = Number((current - previous).toFixed(digits));
  if (diff === 0) return ' (= last week)';
  return ` (${diff > 0 ? '▲' : '▼'} ${Math.abs(diff).toFixed(digits)}${unit} vs last week)`;
}

function firstTimeRightText(c: FirstTimeRight, previous?: FirstTimeRight): string {
  const was = (pick: (x: FirstTimeRight) => number | undefined, unit: string, digits: number) =>
    previous ? change(pick(c), pick(previous), unit, digits) : '';
  const reopen = `reopen rate ${percent(reopenPercent(c))} (${c.reopened} of ${c.resolved} resolved)`;
  const reassign = `reassign rate ${percent(reassignPercent(c))} (${c.passedOn} of ${c.received} received)`;
  return [
    `*Right the first time:* ${reopen}${was(reopenPercent, ' pts', 0)}`,
    `${reassign}${was(reassignPercent, ' pts', 0)}`,
    `handoffs per item ${ratio(handoffsPerItem(c))}${was(handoffsPerItem, '', 1)}`,
  ].join(' · ');
}

const channelLabel = (channel: string) =>
  channel === NOT_SAID ? 'not said' : (CONTACT_LABELS[channel as ContactChannel] ?? escapeMrkdwn(channel));

function contactMixText(mix: ContactMix): string {
  // Those who did not say come last, whatever their count.
  const said = [...mix].sort((a, b) => Number(a[0] === NOT_SAID) - Number(b[0] === NOT_SAID));
  const counts =
    said.length === 0 ? '—' : said.map(([channel, n]) => `${channelLabel(channel)} ${n}`).join(' · ');
  return `*How customers reached us:* ${counts}`;
}

/** One section: the rates, then the contact mix (a reminder, `/strategy`, a digest). */
export function firstTimeRightSection(
  c: FirstTimeRight,
  mix: ContactMix,
  previous?: FirstTimeRight,
): KnownBlock {
  return section(`${firstTimeRightText(c, previous)}\n${contactMixText(mix)}`);
}
