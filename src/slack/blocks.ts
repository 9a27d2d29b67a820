import type { KnownBlock, PlainTextOption } from '@slack/types';
import { escapeAndTruncate } from './mrkdwn.js';

/** Small typed helpers shared by every feature's block builders; Slack's limits live here once. */

export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  messageBlocks: 50,
  viewBlocks: 100,
} as const;

export function plain(
  text: string,
  max: number = LIMITS.sectionText,
): { type: 'plain_text'; text: string; emoji: true } {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return { type: 'plain_text', text: t === '' ? ' ' : t, emoji: true };
}

/** A mrkdwn section. `text` must already be escaped/safe; it is only shortened here as a last guard. */
export function section(mrkdwn: string, blockId?: string): KnownBlock {
  const text = mrkdwn.length > LIMITS.sectionText ? `${mrkdwn.slice(0, LIMITS.sectionText - 1)}…` : mrkdwn;
  return { type: 'section', text: { type: 'mrkdwn', text }, ...(blockId ? { block_id: blockId } : {}) };
}

export function header(text: string, blockId?: string): KnownBlock {
  return { type: 'header', text: plain(text, LIMITS.header), ...(blockId ? { block_id: blockId } : {}) };
}

export function context(mrkdwnParts: string[], blockId?: string): KnownBlock {
  return {
    type: 'context',
    elements: mrkdwnParts
      .slice(0, 10)
      .map((text) => ({ type: 'mrkdwn', text: text.slice(0, LIMITS.sectionText) })),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

/** A two-column fields section; each field is `*Label*\nvalue` with the value escaped and fitted. */
export function fields(pairs: [label: string, safeMrkdwnValue: string][], blockId?: string): KnownBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => {
      const head = `*${label}*\n`;
      const body =
        value.length + head.length > LIMITS.field
          ? `${value.slice(0, LIMITS.field - head.length - 1)}…`
          : value;
      return { type: 'mrkdwn', text: `${head}${body}` };
    }),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value: value.slice(0, LIMITS.optionValue) };
}

/** Slack renders this in each reader's own timezone; the fallback is UTC. */
export function slackDate(epochMs: number, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(epochMs / 1000);
  const fallback = new Date(epochMs).toISOString().replace('T', ' ').slice(0, 16);
  return `<!date^${seconds}^${format}|${fallback} UTC>`;
}

export function userMention(userId: string): string {
  return `<@${userId}>`;
}

export function channelMention(channelId: string): string {
  return `<#${channelId}>`;
}

/** User text as a safe, fitted value for fields and sections. */
export function userText(text: string, max: number): string {
  return escapeAndTruncate(text, max);
}
