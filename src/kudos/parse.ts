import { slackTextToPlain } from '../slack/mrkdwn.js';
import type { KudosProblem } from './rules.js';

/**
 * `/kudos @ana @li for staying late to fix the refund export #ownership` — pure parsing of the command's
 * wire text (the command is declared with `should_escape`, so mentions arrive as `<@U123|ana>`).
 * Mentions and tags inside `code`, ```code blocks``` and `>` quotes are text, not recipients: quoting what
 * someone said must not thank (or refuse) them.
 */

export type SpecialMention = 'here' | 'channel' | 'everyone';

export type ParsedKudosText = {
  /** Users mentioned, first mention first, each once. */
  userIds: string[];
  /** User groups mentioned (`<!subteam^S123|@team>`), to be expanded to their members. */
  usergroupIds: string[];
  specialMentions: SpecialMention[];
  channelIds: string[];
  /** `#tags`, lower-cased, each once. */
  valueTags: string[];
  /** What the giver wrote, as plain text: leading mentions and the tags taken out. */
  reason: string;
};

const CODE_BLOCK = /```[\s\S]*?```/g;
const INLINE_CODE = /`[^`\n]+`/g;
const QUOTE_LINE = /^[ \t]*(?:&gt;|>).*$/gm;
const CONTROL = /<([@#!])([^<>|\s]+)(?:\|([^<>]*))?>/g;
const TAG = /(^|[\s(,;:!?])#([A-Za-z][\w-]{0,39})(?=$|[\s),.;:!?])/g;
const SPECIAL = new Set<string>(['here', 'channel', 'everyone']);

/** Replace the parts that are only quoted text with spaces of the same length, so offsets stay valid. */
function maskQuotedText(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text.replace(CODE_BLOCK, blank).replace(INLINE_CODE, blank).replace(QUOTE_LINE, blank);
}

type Span = { start: number; end: number };

/**
 * `valueIds`: the configured company values. With `should_escape`, Slack turns `#ownership` into a channel link
 * when a channel of that name exists (`<#C123|ownership>`); such a link naming a value is read as the value.
 */
export function parseKudosText(wireText: string, valueIds: readonly string[] = []): ParsedKudosText {
  const scan = maskQuotedText(wireText);
  const userIds: string[] = [];
  const usergroupIds: string[] = [];
  const specialMentions: SpecialMention[] = [];
  const channelIds: string[] = [];
  const valueTags: string[] = [];
  const mentionSpans: Span[] = [];
  const tagSpans: Span[] = [];
  const once = <T>(list: T[], item: T) => {
    if (!list.includes(item)) list.push(item);
  };

  for (const m of scan.matchAll(CONTROL)) {
    const [whole, sigil, target = '', label = ''] = m;
    const span = { start: m.index, end: m.index + whole.length };
    if (sigil === '@' && /^[UW][A-Z0-9]+$/.test(target)) {
      once(userIds, target);
      mentionSpans.push(span);
    } else if (sigil === '#' && /^[CG][A-Z0-9]+$/.test(target) && valueIds.includes(label.toLowerCase())) {
      once(valueTags, label.toLowerCase());
      tagSpans.push(span);
    } else if (sigil === '#' && /^[CG][A-Z0-9]+$/.test(target)) {
      once(channelIds, target);
    } else if (sigil === '!' && target.startsWith('subteam^')) {
      once(usergroupIds, target.slice('subteam^'.length));
      mentionSpans.push(span);
    } else if (sigil === '!' && SPECIAL.has(target)) {
      once(specialMentions, target as SpecialMention);
    }
  }
  for (const m of scan.matchAll(TAG)) {
    const lead = m[1] ?? '';
    const tag = (m[2] ?? '').toLowerCase();
    once(valueTags, tag);
    tagSpans.push({ start: m.index + lead.length, end: m.index + m[0].length });
  }

  return {
    userIds,
    usergroupIds,
    specialMentions,
    channelIds,
    valueTags,
    reason: reasonOf(wireText, mentionSpans, tagSpans),
  };
}

/**
 * The reason: the text without the run of mentions it starts with ("@ana, @li and @bo for …") and without
 * the tags. Mentions later in the sentence stay, as readable names.
 */
function reasonOf(wireText: string, mentions: Span[], tags: Span[]): string {
  const remove: Span[] = [...tags];
  let cursor = 0;
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  for (const span of sorted) {
    const between = wireText.slice(cursor, span.start);
    if (!/^(?:[\s,;:+]|&amp;|\band\b)*$/i.test(between)) break;
    remove.push({ start: cursor, end: span.end });
    cursor = span.end;
  }
  remove.sort((a, b) => b.start - a.start);
  let text = wireText;
  for (const span of remove) text = `${text.slice(0, span.start)} ${text.slice(span.end)}`;
  const plain = slackTextToPlain(text)
    // Leading separators go ("@ana, @li: for …"), but a colon that opens an emoji code (:tada:) stays.
    .replace(/^(?:[\s,;&+\-–—]|:(?![a-z0-9_+'-]+:))*(?:and\s+)?/i, '')
    .replace(/\(\s*\)/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,.;!?]|:(?![a-z0-9_+'-]+:))/gi, '$1')
    .replace(/ *\n */g, '\n')
    .trim();
  return plain;
}

/** Letters and digits in a reason, once emoji codes (`:tada:`) are set aside: a reason must say something. */
export function wordCharacters(reason: string): number {
  return (reason.replace(/:[a-z0-9_+'-]+:/gi, '').match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** What `/kudos <text>` asks for. Pure, so the listener only acts on the answer. */
export type KudosCommand =
  | { action: 'help' }
  | { action: 'open-form' }
  | { action: 'refuse'; problem: KudosProblem }
  | { action: 'give'; parsed: ParsedKudosText };

export function interpretKudosCommand(
  wireText: string,
  configured: boolean,
  valueIds: readonly string[] = [],
): KudosCommand {
  const text = wireText.trim();
  if (/^(help|\?)$/i.test(text)) return { action: 'help' };
  if (!configured) return { action: 'refuse', problem: { problem: 'not-configured' } };
  if (text === '') return { action: 'open-form' };
  const parsed = parseKudosText(text, valueIds);
  const [special] = parsed.specialMentions;
  if (special) return { action: 'refuse', problem: { problem: 'special-mention', mention: special } };
  if (parsed.channelIds.length > 0) return { action: 'refuse', problem: { problem: 'channel-mention' } };
  if (parsed.userIds.length === 0 && parsed.usergroupIds.length === 0) {
    return { action: 'refuse', problem: { problem: 'no-recipient' } };
  }
  return { action: 'give', parsed };
}
