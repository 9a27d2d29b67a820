import { findDepartment } from '../config/org.js';
import type { Department, OrgConfig } from '../config/org-schema.js';
import { truncateText } from '../text/truncate.js';
import { CONTACT_CHANNELS, type ContactChannel, FEEDBACK_LIMITS } from './types.js';

/**
 * `/feedback [department:] text [via:channel]` — pure parsing of the command text (already turned into plain
 * text). `via:email` (anywhere, the form's contact channels) says how the customer reached us; an unknown one is
 * refused with the list of valid ones. A leading `word:` (one to three words) names a department; an unknown name is refused with the list of
 * valid ones rather than guessed, because a complaint sent to the wrong team is a complaint ignored.
 */

export type InlineFeedback = {
  department: Department | undefined;
  /** How the customer reached us (`via:email`), one of the form's contact channels. */
  contactChannel: ContactChannel | undefined;
  summary: string;
  details: string;
};

export type InlineParseResult =
  | { ok: true; value: InlineFeedback }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'too-long'; length: number; max: number }
  | { ok: false; problem: 'unknown-department'; name: string; valid: string[] }
  | { ok: false; problem: 'no-text-after-department'; department: Department }
  | { ok: false; problem: 'unknown-contact-channel'; value: string; valid: readonly ContactChannel[] }
  | { ok: false; problem: 'several-contact-channels'; values: string[] };

const PREFIX = /^\s*([\p{L}\p{N}][\p{L}\p{N}&' -]{0,39}?)\s*:(?:\s+|$)([\s\S]*)$/u;

/** `via:email` anywhere in the text, as a word of its own (any case). */
const VIA = /(^|\s)via:(\S*)/giu;

type ViaResult =
  | { ok: true; text: string; contactChannel: ContactChannel | undefined }
  | Extract<InlineParseResult, { problem: 'unknown-contact-channel' | 'several-contact-channels' }>;

/** Takes `via:<channel>` out of the text: the form's contact channels, exactly (`via:in_person`). */
function takeContactChannel(text: string): ViaResult {
  const values = [...text.matchAll(VIA)].map((m) => (m[2] ?? '').toLowerCase());
  if (values.length === 0) return { ok: true, text, contactChannel: undefined };
  if (new Set(values).size > 1) return { ok: false, problem: 'several-contact-channels', values };
  const value = values[0] ?? '';
  const contactChannel = CONTACT_CHANNELS.find((c) => c === value);
  if (!contactChannel)
    return { ok: false, problem: 'unknown-contact-channel', value, valid: CONTACT_CHANNELS };
  return {
    ok: true,
    text: text
      .replace(VIA, '$1')
      .replace(/[ \t]{2,}/g, ' ')
      .trim(),
    contactChannel,
  };
}

export function parseInlineFeedback(plainText: string, config: OrgConfig): InlineParseResult {
  const trimmed = plainText.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  const max = config.feedback.max_details_length;
  if (trimmed.length > max) return { ok: false, problem: 'too-long', length: trimmed.length, max };
  const via = takeContactChannel(trimmed);
  if (!via.ok) return via;
  const { text, contactChannel } = via;
  if (text === '') return { ok: false, problem: 'empty' };

  let department: Department | undefined;
  let body = text;
  const prefix = PREFIX.exec(text);
  if (prefix && (prefix[1] ?? '').trim().split(/\s+/).length <= 3) {
    const name = (prefix[1] ?? '').trim();
    department = findDepartment(config, name);
    if (!department) {
      return { ok: false, problem: 'unknown-department', name, valid: config.departments.map((d) => d.id) };
    }
    body = (prefix[2] ?? '').trim();
    if (body === '') return { ok: false, problem: 'no-text-after-department', department };
  }
  return { ok: true, value: { department, contactChannel, ...splitSummary(body) } };
}

/** The first line, shortened, is the summary; the whole text is kept as details when it says more. */
export function splitSummary(text: string): { summary: string; details: string } {
  const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
  const summary = truncateText(firstLine.replace(/\s+/g, ' '), FEEDBACK_LIMITS.summary);
  const details = summary === text ? '' : text;
  return { summary, details };
}

/** What `/feedback <text>` asks for. Pure, so the listener only acts on the answer. */
export type FeedbackCommand =
  | { action: 'open-form' }
  | { action: 'help' }
  | { action: 'mine' }
  | { action: 'themes'; args: string }
  | { action: 'refuse'; problem: Exclude<InlineParseResult, { ok: true } | { problem: 'empty' }> }
  | { action: 'submit'; value: InlineFeedback };

export function interpretFeedbackCommand(plainText: string, config: OrgConfig): FeedbackCommand {
  const text = plainText.trim();
  if (text === '') return { action: 'open-form' };
  if (/^(help|\?)$/i.test(text)) return { action: 'help' };
  if (/^mine$/i.test(text)) return { action: 'mine' };
  // `themes [department] [period]`: a few words at most, so a complaint that starts with "themes" is still filed.
  const themes = /^themes(?:\s+([\s\S]*))?$/i.exec(text);
  if (themes && (themes[1] ?? '').split(/\s+/).length <= 4)
    return { action: 'themes', args: themes[1] ?? '' };
  const parsed = parseInlineFeedback(text, config);
  if (parsed.ok) return { action: 'submit', value: parsed.value };
  if (parsed.problem === 'empty') return { action: 'open-form' };
  return { action: 'refuse', problem: parsed };
}
