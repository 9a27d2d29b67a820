// Slack's mrkdwn as safe HTML: every piece of text is HTML-escaped before any markup is added.
// Handles *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, <links|labels>, <@user>, <#channel>,
// <!here>, <!subteam^S|@group>, <!date^…> and :emoji: names.

const EMOJI = {
  clap: '👏',
  tada: '🎉',
  eyes: '👀',
  white_check_mark: '✅',
  heart: '❤️',
  warning: '⚠️',
  x: '❌',
  arrow_right: '➡️',
  white_circle: '⚪',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  wastebasket: '🗑️',
  small_blue_diamond: '🔹',
  slightly_smiling_face: '🙂',
  rotating_light: '🚨',
  repeat: '🔁',
  grey_question: '❔',
  arrows_counterclockwise: '🔄',
  alarm_clock: '⏰',
  '+1': '👍',
  thumbsup: '👍',
  fire: '🔥',
  star: '⭐',
  sparkles: '✨',
  trophy: '🏆',
  bell: '🔔',
  memo: '📝',
  package: '📦',
  calendar: '📅',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  raised_hands: '🙌',
  speech_balloon: '💬',
  hourglass: '⌛',
  mag: '🔍',
  pushpin: '📌',
  heavy_check_mark: '✔️',
  inbox_tray: '📥',
  information_source: 'ℹ️',
  busts_in_silhouette: '👥',
  moneybag: '💰',
  wrench: '🔧',
  smile: '😄',
  pray: '🙏',
};

export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Slack's own entities in message text, turned back into characters (then escaped again for HTML). */
function decodeSlack(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emojify(escaped) {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] ?? all);
}

export function emojiFor(name) {
  return EMOJI[name] ?? `:${name}:`;
}

const pad = (n) => String(n).padStart(2, '0');

/** `<!date^seconds^format|fallback>` in the demo's time zone (Slack uses each reader's own). */
function formatDate(seconds, format, zone) {
  const date = new Date(Number(seconds) * 1000);
  const part = (options) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options }).format(date);
  const parts = {
    date_num: `${part({ year: 'numeric' })}-${pad(part({ month: 'numeric' }))}-${pad(part({ day: 'numeric' }))}`,
    date: part({ day: 'numeric', month: 'long', year: 'numeric' }),
    date_short: part({ day: 'numeric', month: 'short', year: 'numeric' }),
    date_long: part({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
    date_pretty: part({ day: 'numeric', month: 'long', year: 'numeric' }),
    date_short_pretty: part({ day: 'numeric', month: 'short' }),
    date_long_pretty: part({ weekday: 'long', day: 'numeric', month: 'long' }),
    time: part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    time_secs: part({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  };
  return format.replace(/\{([a-z_]+)\}/g, (all, key) => parts[key] ?? all);
}

function renderToken(inner, ctx) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(ctx.userName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(ctx.channelName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    return escapeHtml(formatDate(seconds, format ?? '{date}', ctx.timeZone));
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const permalink = /^https:\/\/[a-z0-9-]+\.slack\.com\/archives\/([A-Z0-9]+)\/p\d+$/.exec(target);
  if (permalink) {
    return `<a href="#" class="permalink" data-channel="${escapeHtml(permalink[1])}">${escapeHtml(label ?? target)}</a>`;
  }
  if (/^(https?:|mailto:)/.test(target)) {
    return `<a href="${escapeHtml(target)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? target)}</a>`;
  }
  return escapeHtml(`<${inner}>`);
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Inline formatting on already-escaped text; tokens are placeholders (\uE000n\uE000) by now. */
function formatInline(escaped) {
  return emojify(escaped)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1<b>$2</b>')
    .replace(/(^|[^\w])_(?!\s)([^_\n]+?)_(?!\w)/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?!\w)/g, '$1<s>$2</s>');
}

function renderLines(text, ctx) {
  const tokens = [];
  const withPlaceholders = text.replace(/<([^<>\n]+)>/g, (_all, inner) => {
    tokens.push(renderToken(decodeSlack(inner), ctx));
    return `\uE000${tokens.length - 1}\uE000`;
  });
  const html = formatInline(escapeHtml(decodeSlack(withPlaceholders)));
  const lines = html.split('\n');
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const match = /^&gt;\s?(.*)$/.exec(line);
    if (match) {
      quote.push(match[1]);
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out
    .join('<br>')
    .replace(/<\/blockquote><br>/g, '</blockquote>')
    .replace(/\uE000(\d+)\uE000/g, (_all, n) => tokens[Number(n)] ?? '');
}

/** mrkdwn text as HTML. `ctx`: userName(id), channelName(id), timeZone. */
export function mrkdwn(text, ctx) {
  const parts = String(text ?? '').split('```');
  return parts
    .map((part, i) =>
      i % 2 === 1 ? `<pre>${escapeHtml(decodeSlack(part.replace(/^\n/, '')))}</pre>` : renderLines(part, ctx),
    )
    .join('');
}

/** plain_text: escaped, with :emoji: when `emoji` is not false. */
export function plainText(text, emoji = true) {
  const escaped = escapeHtml(text ?? '');
  return emoji ? emojify(escaped) : escaped;
}
