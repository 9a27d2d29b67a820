/**
 * Shorten to at most `max` characters (code units, as Slack counts), cutting at a word boundary when one
 * is near, and ending with the suffix. Never splits a surrogate pair.
 */
export function truncateText(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - suffix.length);
  const space = text.lastIndexOf(' ', cut);
  if (space > cut * 0.8) cut = space;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${suffix}`;
}
