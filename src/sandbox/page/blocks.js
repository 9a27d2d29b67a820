// Block Kit as HTML for the sandbox page. Every block and element type the app's builders emit has a
// renderer here (test/unit/sandbox-blocks.test.ts checks it against the code); anything else shows as a
// visible placeholder, never silently disappears. Interactive elements carry data-* attributes that app.js
// turns into the block_actions and view_submission payloads Slack would send.

import { escapeHtml, mrkdwn, plainText } from './mrkdwn.js';

const attr = (value) => escapeHtml(value ?? '');

function text(object, ctx) {
  if (object === undefined || object === null) return '';
  if (typeof object === 'string') return mrkdwn(object, ctx);
  return object.type === 'mrkdwn' ? mrkdwn(object.text, ctx) : plainText(object.text, object.emoji !== false);
}

const optionLabel = (option) => option?.text?.text ?? option?.value ?? '';

function unknown(kind, type) {
  return `<div class="bk-unknown" data-unknown="${attr(type)}">Unsupported ${kind} type: <code>${attr(type)}</code></div>`;
}

function dataOf(element, block) {
  return `data-type="${attr(element.type)}" data-action-id="${attr(element.action_id)}" data-block-id="${attr(block.block_id)}"`;
}

function options(list, selected) {
  const chosen = new Set((selected ?? []).map((o) => o.value));
  return (list ?? [])
    .map(
      (o) =>
        `<option value="${attr(o.value)}" data-text="${attr(optionLabel(o))}"${chosen.has(o.value) ? ' selected' : ''}>${plainText(optionLabel(o))}</option>`,
    )
    .join('');
}

function groupedOptions(element) {
  const selected = element.initial_options ?? (element.initial_option ? [element.initial_option] : []);
  if (!element.option_groups) return options(element.options, selected);
  return element.option_groups
    .map((g) => `<optgroup label="${attr(g.label?.text)}">${options(g.options, selected)}</optgroup>`)
    .join('');
}

function peopleOptions(ctx, selected) {
  const chosen = new Set(selected ?? []);
  return ctx.people
    .map(
      (p) =>
        `<option value="${attr(p.id)}" data-text="${attr(p.realName)}"${chosen.has(p.id) ? ' selected' : ''}>${escapeHtml(p.realName)}</option>`,
    )
    .join('');
}

function channelOptions(ctx, selected) {
  return ctx.channels
    .map(
      (c) =>
        `<option value="${attr(c.id)}"${c.id === selected ? ' selected' : ''}>#${escapeHtml(c.name)}</option>`,
    )
    .join('');
}

const placeholder = (element) =>
  `<option value="">${plainText(element.placeholder?.text ?? 'Select an item')}</option>`;

/** Element renderers by type: `(element, block, ctx) => html`. */
export const ELEMENTS = {
  button: (e, b) =>
    `<button class="bk-button ${e.style ? `bk-${attr(e.style)}` : ''}" ${dataOf(e, b)} data-value="${attr(e.value)}" data-text="${attr(e.text?.text)}"${e.url ? ` data-url="${attr(e.url)}"` : ''}>${plainText(e.text?.text)}</button>`,
  overflow: (e, b) =>
    `<select class="bk-overflow" ${dataOf(e, b)} aria-label="More actions"><option value="">⋯</option>${options(e.options)}</select>`,
  static_select: (e, b) =>
    `<select class="bk-select" ${dataOf(e, b)}>${e.initial_option ? '' : placeholder(e)}${groupedOptions(e)}</select>`,
  multi_static_select: (e, b) =>
    `<select class="bk-select" multiple ${dataOf(e, b)}>${groupedOptions(e)}</select>`,
  users_select: (e, b, ctx) =>
    `<select class="bk-select" ${dataOf(e, b)}>${placeholder(e)}${peopleOptions(ctx, e.initial_user ? [e.initial_user] : [])}</select>`,
  multi_users_select: (e, b, ctx) =>
    `<select class="bk-select" multiple size="5" ${dataOf(e, b)}>${peopleOptions(ctx, e.initial_users)}</select>`,
  conversations_select: (e, b, ctx) =>
    `<select class="bk-select" ${dataOf(e, b)}>${placeholder(e)}${channelOptions(ctx, e.initial_conversation)}</select>`,
  channels_select: (e, b, ctx) =>
    `<select class="bk-select" ${dataOf(e, b)}>${placeholder(e)}${channelOptions(ctx, e.initial_channel)}</select>`,
  plain_text_input: (e, b) =>
    e.multiline
      ? `<textarea class="bk-input" rows="4" ${dataOf(e, b)} maxlength="${attr(e.max_length ?? 3000)}" placeholder="${attr(e.placeholder?.text)}">${escapeHtml(e.initial_value ?? '')}</textarea>`
      : `<input class="bk-input" ${dataOf(e, b)} maxlength="${attr(e.max_length ?? 3000)}" placeholder="${attr(e.placeholder?.text)}" value="${attr(e.initial_value)}">`,
  email_text_input: (e, b) =>
    `<input class="bk-input" type="email" ${dataOf(e, b)} value="${attr(e.initial_value)}">`,
  url_text_input: (e, b) =>
    `<input class="bk-input" type="url" ${dataOf(e, b)} value="${attr(e.initial_value)}">`,
  number_input: (e, b) =>
    `<input class="bk-input" type="number" ${dataOf(e, b)} value="${attr(e.initial_value)}">`,
  datepicker: (e, b) =>
    `<input class="bk-input" type="date" ${dataOf(e, b)} value="${attr(e.initial_date)}">`,
  timepicker: (e, b) =>
    `<input class="bk-input" type="time" ${dataOf(e, b)} value="${attr(e.initial_time)}">`,
  checkboxes: (e, b, ctx) => choices(e, b, ctx, 'checkbox', e.initial_options ?? []),
  radio_buttons: (e, b, ctx) => choices(e, b, ctx, 'radio', e.initial_option ? [e.initial_option] : []),
  image: (e) => `<img class="bk-image-element" src="${attr(e.image_url)}" alt="${attr(e.alt_text)}">`,
};

function choices(e, b, ctx, kind, selected) {
  const chosen = new Set(selected.map((o) => o.value));
  const name = `${b.block_id}-${e.action_id}`;
  const items = (e.options ?? []).map(
    (o) =>
      `<label class="bk-choice"><input type="${kind}" name="${attr(name)}" value="${attr(o.value)}" data-text="${attr(optionLabel(o))}"${chosen.has(o.value) ? ' checked' : ''}> ${text(o.text, ctx)}${o.description ? `<span class="bk-hint">${text(o.description, ctx)}</span>` : ''}</label>`,
  );
  return `<div class="bk-choices" ${dataOf(e, b)}>${items.join('')}</div>`;
}

export function renderElement(element, block, ctx) {
  const render = ELEMENTS[element?.type];
  return render ? render(element, block, ctx) : unknown('element', element?.type);
}

/** Block renderers by type: `(block, ctx) => html`. */
export const BLOCKS = {
  section: (b, ctx) => {
    const body = [
      b.text ? `<div class="bk-text">${text(b.text, ctx)}</div>` : '',
      b.fields
        ? `<div class="bk-fields">${b.fields.map((f) => `<div>${text(f, ctx)}</div>`).join('')}</div>`
        : '',
    ].join('');
    const accessory = b.accessory
      ? `<div class="bk-accessory">${renderElement(b.accessory, b, ctx)}</div>`
      : '';
    return `<div class="bk-section"><div class="bk-section-body">${body}</div>${accessory}</div>`;
  },
  header: (b, ctx) => `<div class="bk-header">${text(b.text, ctx)}</div>`,
  divider: () => '<hr class="bk-divider">',
  image: (b, ctx) =>
    `<figure class="bk-image">${b.title ? `<figcaption>${text(b.title, ctx)}</figcaption>` : ''}<img src="${attr(b.image_url ?? ctx.fileUrl?.(b.slack_file?.id))}" alt="${attr(b.alt_text)}"></figure>`,
  context: (b, ctx) =>
    `<div class="bk-context">${(b.elements ?? [])
      .map((e) => (e.type === 'image' ? ELEMENTS.image(e, b, ctx) : `<span>${text(e, ctx)}</span>`))
      .join('')}</div>`,
  actions: (b, ctx) =>
    `<div class="bk-actions">${(b.elements ?? []).map((e) => renderElement(e, b, ctx)).join('')}</div>`,
  input: (b, ctx) => {
    const error = ctx.errors?.[b.block_id];
    return `<div class="bk-input-block${error ? ' bk-has-error' : ''}" data-block-id="${attr(b.block_id)}"${b.optional ? ' data-optional="true"' : ''}>
      <label class="bk-label">${text(b.label, ctx)}${b.optional ? ' <span class="bk-optional">(optional)</span>' : ''}</label>
      ${renderElement(b.element, b, ctx)}
      ${b.hint ? `<div class="bk-hint">${text(b.hint, ctx)}</div>` : ''}
      ${error ? `<div class="bk-error" role="alert">${escapeHtml(error)}</div>` : ''}
    </div>`;
  },
  markdown: (b, ctx) => `<div class="bk-text">${mrkdwn(b.text, ctx)}</div>`,
  rich_text: (b, ctx) => `<div class="bk-text">${mrkdwn(richText(b.elements), ctx)}</div>`,
};

/** rich_text as mrkdwn: enough for what a person types (sections, quotes, lists, links, mentions). */
function richText(elements) {
  const inline = (list) =>
    (list ?? [])
      .map((e) => {
        if (e.type === 'text')
          return e.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        if (e.type === 'user') return `<@${e.user_id}>`;
        if (e.type === 'channel') return `<#${e.channel_id}>`;
        if (e.type === 'link') return `<${e.url}|${e.text ?? e.url}>`;
        if (e.type === 'emoji') return `:${e.name}:`;
        return '';
      })
      .join('');
  return (elements ?? [])
    .map((e) => {
      if (e.type === 'rich_text_quote') return `> ${inline(e.elements)}`;
      if (e.type === 'rich_text_list')
        return (e.elements ?? []).map((item) => `• ${inline(item.elements)}`).join('\n');
      if (e.type === 'rich_text_preformatted') return `\`\`\`${inline(e.elements)}\`\`\``;
      return inline(e.elements);
    })
    .join('\n');
}

export function renderBlock(block, ctx) {
  const render = BLOCKS[block?.type];
  return render ? render(block, ctx) : unknown('block', block?.type);
}

/** A list of blocks as HTML. `ctx`: userName, channelName, timeZone, people, channels, errors. */
export function renderBlocks(blocks, ctx) {
  return (Array.isArray(blocks) ? blocks : []).map((b) => renderBlock(b, ctx)).join('');
}
