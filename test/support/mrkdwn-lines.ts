/**
 * Slack mrkdwn that only works at the start of a line: a quote marker (`>`, sent escaped as `&gt;`) anywhere else
 * is shown as a literal "> ". These helpers find every mrkdwn text in what the app sends (message text, mrkdwn
 * text objects in blocks and views) and the lines where a quote marker sits mid-line. Tests feed the app text
 * without `>` of its own, so every marker found comes from a template.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Every mrkdwn text in blocks, a view, or a message body (`text` is mrkdwn unless `mrkdwn: false`). */
export function mrkdwnTexts(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isObject(v)) return;
    if (v.type === 'mrkdwn' && typeof v.text === 'string') found.push(v.text);
    for (const [key, child] of Object.entries(v)) if (key !== 'text' || isObject(child)) walk(child);
  };
  walk(value);
  return found;
}

/** Message-level text (`chat.postMessage`, `chat.update`, `chat.postEphemeral`, response bodies). */
export function messageMrkdwn(message: unknown): string[] {
  if (!isObject(message)) return [];
  const top = typeof message.text === 'string' && message.mrkdwn !== false ? [message.text] : [];
  return [...top, ...mrkdwnTexts(message.blocks), ...mrkdwnTexts(message.view)];
}

/** Lines where a quote marker follows other text on the same line (links, mentions and dates set aside). */
export function midLineQuoteMarkers(text: string): string[] {
  return text.split('\n').filter((line) => {
    const outsideTokens = line.replace(/<[^<>]*>/g, 'x');
    return /\S.*?(?:&gt;|>)/.test(outsideTokens.replace(/^\s*(?:&gt;|>)+/, ''));
  });
}
