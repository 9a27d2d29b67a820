import { truncateText } from '../text/truncate.js';

/**
 * Text going to and coming from Slack.
 * Slack sends user text with `&`, `<`, `>` escaped and mentions as control sequences (`<!channel>`, `<@U1|ana>`).
 * We store plain human text, and escape it again whenever it is posted as mrkdwn, so a customer quote that
 * says "@channel" or "<!here>" never pings anyone.
 */

/** Escape the three characters Slack treats as markup. Everything user-written goes through this. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Turn Slack's wire format into the plain text a person typed (mentions become readable, entities decoded). */
export function slackTextToPlain(text: string): string {
  const withoutMarkup = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!subteam^')) return label ? `@${label.replace(/^@/, '')}` : '@group';
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return withoutMarkup.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** Escape then fit: escaping can lengthen text (`&` -> `&amp;`), so the limit applies to the escaped form. */
export function escapeAndTruncate(text: string, max: number, suffix = '…'): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  // Cut the plain text until its escaped form fits; never cut inside an entity.
  let plainMax = max;
  let result = escapeMrkdwn(truncateText(text, plainMax, suffix));
  while (result.length > max && plainMax > suffix.length) {
    plainMax -= result.length - max;
    result = escapeMrkdwn(truncateText(text, plainMax, suffix));
  }
  return result;
}

/** Quote a block of user text as a mrkdwn blockquote (every line prefixed with `>`), escaped. */
export function quoteMrkdwn(escapedText: string): string {
  return escapedText
    .split('\n')
    .map((line) => `&gt; ${line}`)
    .join('\n');
}
