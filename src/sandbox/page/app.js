// The sandbox page: a small Slack client. It polls the sandbox server for what the chosen person sees and
// posts what they do; the server signs it as Slack would and sends it to the real app.

import { renderBlocks } from './blocks.js';
import { emojiFor, escapeHtml, mrkdwn } from './mrkdwn.js';

const $ = (selector, root = document) => root.querySelector(selector);
const ui = {
  me: 'U0RITA0001',
  channel: 'C0SUPPORT1',
  tab: 'messages',
  snapshot: null,
  version: '',
  /** Whether this conversation has been scrolled to its end once (then only when the reader is there). */
  scrolled: false,
  drawn: { messages: '', modal: '', home: '', sidebar: '' },
};

const dmOf = (user) => `D${user}`;
const isAppDm = () => ui.channel === dmOf(ui.me);

async function api(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!answer.ok) toast(`Slack: ${answer.error}`);
  await refresh();
  return answer;
}

function toast(text) {
  const box = $('#toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 4000);
}

function ctx(extra = {}) {
  const s = ui.snapshot;
  return {
    people: s.people,
    channels: s.channels,
    timeZone: s.timeZone,
    userName: (id) => (id === s.appUserId ? s.appName : s.people.find((p) => p.id === id)?.realName),
    channelName: (id) => s.channels.find((c) => c.id === id)?.name,
    fileUrl: (id) => `/files/${encodeURIComponent(id)}`,
    ...extra,
  };
}

function author(id) {
  const s = ui.snapshot;
  if (id === s.appUserId) return { name: s.appName, initial: 'CL', app: true };
  const person = s.people.find((p) => p.id === id);
  return { name: person?.realName ?? id, initial: (person?.realName ?? id).slice(0, 1), app: false };
}

function messageHtml(m, inThread = false) {
  const who = author(m.user);
  const body =
    Array.isArray(m.blocks) && m.blocks.length > 0 ? renderBlocks(m.blocks, ctx()) : mrkdwn(m.text, ctx());
  const files = m.files
    .map(
      (f) =>
        `<figure class="file"><img src="${escapeHtml(f.url)}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.title)}</figcaption></figure>`,
    )
    .join('');
  const reactions = m.reactions
    .map(
      (r) =>
        `<button class="reaction${r.users.includes(ui.me) ? ' mine' : ''}" data-emoji="${escapeHtml(r.emoji)}" title="${escapeHtml(r.users.map((u) => author(u).name).join(', '))}">${emojiFor(r.emoji)} ${r.users.length}</button>`,
    )
    .join('');
  const replies = m.replies.length
    ? `<details class="thread"><summary>${m.replies.length} ${m.replies.length === 1 ? 'reply' : 'replies'}</summary>${m.replies.map((r) => messageHtml(r, true)).join('')}</details>`
    : '';
  return `<div class="msg${inThread ? ' reply' : ''}" data-ts="${escapeHtml(m.ts)}">
    <div class="avatar${who.app ? ' app' : ''}">${escapeHtml(who.initial)}</div>
    <div class="msg-main">
      <div class="msg-meta"><b>${escapeHtml(who.name)}</b>${who.app ? '<span class="badge">APP</span>' : ''}<time>${escapeHtml(m.when)}</time>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>
      <div class="msg-content">${body}</div>${files}
      <div class="reactions">${reactions}</div>${replies}
    </div>
    <div class="msg-tools"><button class="tool-react" title="Add reaction" aria-label="Add reaction">☺+</button><button class="tool-more" title="More actions" aria-label="More actions">⋯</button></div>
  </div>`;
}

function refusalHtml(r) {
  const lines = r.messages.map((m) => `<li><code>${escapeHtml(m)}</code></li>`).join('');
  return `<div class="refusal" role="alert"><b>Slack refused ${escapeHtml(r.method)}: <code>${escapeHtml(r.error)}</code></b><ul>${lines}</ul></div>`;
}

function drawMessages() {
  const s = ui.snapshot;
  const list = $('#messages');
  const refusals = s.refusals.filter((r) => r.channel === ui.channel);
  const ephemerals = s.ephemerals.map(
    (e) =>
      `<div class="msg ephemeral"><div class="avatar app">CL</div><div class="msg-main"><div class="msg-meta"><b>${escapeHtml(s.appName)}</b><span class="badge">APP</span><time>${escapeHtml(e.when)}</time><span class="only-you">Only visible to you</span></div><div class="msg-content">${Array.isArray(e.blocks) && e.blocks.length ? renderBlocks(e.blocks, ctx()) : mrkdwn(e.text, ctx())}</div></div></div>`,
  );
  const html = [...s.messages.map((m) => messageHtml(m)), ...refusals.map(refusalHtml), ...ephemerals].join(
    '',
  );
  if (html === ui.drawn.messages) return;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  const open = new Set([...list.querySelectorAll('details[open]')].map((d) => d.closest('.msg')?.dataset.ts));
  list.innerHTML = html || '<p class="empty">No messages yet.</p>';
  for (const ts of open)
    list.querySelector(`.msg[data-ts="${CSS.escape(ts)}"] details`)?.setAttribute('open', '');
  ui.drawn.messages = html;
  if (atBottom || !ui.scrolled) list.scrollTop = list.scrollHeight;
  ui.scrolled = true;
}

function drawHome() {
  const home = ui.snapshot.home;
  const html = home ? renderBlocks(home.blocks, ctx()) : '<p class="empty">Opening the Home tab…</p>';
  if (html === ui.drawn.home) return;
  $('#home').innerHTML = html;
  $('#home').dataset.viewId = home?.id ?? '';
  ui.drawn.home = html;
}

function drawModal() {
  const modal = ui.snapshot.modal;
  const key = modal ? `${modal.view.id}|${modal.view.hash}|${JSON.stringify(modal.errors)}` : '';
  if (key === ui.drawn.modal) return;
  ui.drawn.modal = key;
  const overlay = $('#modal');
  if (!modal) {
    overlay.hidden = true;
    overlay.innerHTML = '';
    return;
  }
  const v = modal.view;
  const general = modal.errors['']
    ? `<div class="bk-error" role="alert">${escapeHtml(modal.errors[''])}</div>`
    : '';
  overlay.innerHTML = `<form class="modal" data-view-id="${escapeHtml(v.id)}" aria-label="${escapeHtml(v.title?.text)}">
    <header><h2>${escapeHtml(v.title?.text ?? '')}</h2><button type="button" class="modal-x" aria-label="Close">×</button></header>
    <div class="modal-body">${general}${renderBlocks(v.blocks, ctx({ errors: modal.errors }))}</div>
    <footer><button type="button" class="modal-close">${escapeHtml(v.close?.text ?? 'Cancel')}</button>${v.submit ? `<button type="submit" class="modal-submit bk-primary">${escapeHtml(v.submit.text)}</button>` : ''}</footer>
  </form>`;
  overlay.hidden = false;
}

function drawSidebar() {
  const s = ui.snapshot;
  const key = JSON.stringify([ui.me, ui.channel, s.channels, s.refusals.length]);
  if (key === ui.drawn.sidebar) return;
  ui.drawn.sidebar = key;
  const item = (id, label) =>
    `<li><button class="nav${id === ui.channel ? ' active' : ''}" data-channel="${escapeHtml(id)}">${label}</button></li>`;
  $('#channels').innerHTML = s.channels.map((c) => item(c.id, `# ${escapeHtml(c.name)}`)).join('');
  $('#apps').innerHTML = item(
    dmOf(ui.me),
    `<span class="avatar app tiny">CL</span> ${escapeHtml(s.appName)}`,
  );
  $('#refusal-count').textContent = s.refusals.length ? `${s.refusals.length} refused by Slack` : '';
  $('#who').innerHTML = s.people
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}"${p.id === ui.me ? ' selected' : ''}>${escapeHtml(p.realName)} — ${escapeHtml(p.role)}</option>`,
    )
    .join('');
}

function draw() {
  const s = ui.snapshot;
  drawSidebar();
  const channel = s.channels.find((c) => c.id === ui.channel);
  $('#title').textContent = isAppDm() ? s.appName : `# ${channel?.name ?? ui.channel}`;
  $('#tabs').hidden = !isAppDm();
  for (const tab of document.querySelectorAll('#tabs button'))
    tab.classList.toggle('active', tab.dataset.tab === ui.tab);
  const showHome = isAppDm() && ui.tab === 'home';
  $('#home').hidden = !showHome;
  $('#messages').hidden = showHome;
  $('#composer').hidden = showHome;
  $('#say').placeholder = isAppDm()
    ? `Message ${s.appName}`
    : `Message #${channel?.name ?? ''} (try /feedback, /kudos, /strategy, /loop help)`;
  $('#clock').textContent = `${s.nowText} (${s.timeZone})`;
  if (showHome) drawHome();
  else drawMessages();
  drawModal();
}

async function refresh() {
  const query = new URLSearchParams({ user: ui.me, channel: ui.channel, since: ui.version });
  const response = await fetch(`/api/state?${query}`);
  if (response.status === 204) return;
  ui.snapshot = await response.json();
  ui.version = ui.snapshot.version;
  draw();
}

function optionOf(select) {
  const option = select.selectedOptions[0];
  return option && option.value !== ''
    ? { text: option.dataset.text ?? option.textContent, value: option.value }
    : null;
}

const slackOption = (o) => ({ text: { type: 'plain_text', text: o.text, emoji: true }, value: o.value });

/** `view.state.values` from the modal's inputs, shaped as Slack sends them. */
function collectState(root) {
  const values = {};
  for (const el of root.querySelectorAll('.bk-input-block [data-action-id]')) {
    const { type, actionId, blockId } = el.dataset;
    const v = { type };
    if (['plain_text_input', 'email_text_input', 'url_text_input', 'number_input'].includes(type))
      v.value = el.value === '' ? null : el.value;
    else if (type === 'static_select') v.selected_option = optionOf(el) ? slackOption(optionOf(el)) : null;
    else if (type === 'multi_static_select')
      v.selected_options = [...el.selectedOptions].map((o) =>
        slackOption({ text: o.dataset.text, value: o.value }),
      );
    else if (type === 'users_select') v.selected_user = el.value || null;
    else if (type === 'multi_users_select') v.selected_users = [...el.selectedOptions].map((o) => o.value);
    else if (type === 'conversations_select') v.selected_conversation = el.value || null;
    else if (type === 'channels_select') v.selected_channel = el.value || null;
    else if (type === 'datepicker') v.selected_date = el.value || null;
    else if (type === 'timepicker') v.selected_time = el.value || null;
    else if (type === 'checkboxes')
      v.selected_options = [...el.querySelectorAll('input:checked')].map((i) =>
        slackOption({ text: i.dataset.text, value: i.value }),
      );
    else if (type === 'radio_buttons') {
      const chosen = el.querySelector('input:checked');
      v.selected_option = chosen ? slackOption({ text: chosen.dataset.text, value: chosen.value }) : null;
    }
    values[blockId] ??= {};
    values[blockId][actionId] = v;
  }
  return values;
}

/** Slack's client checks required inputs before it submits anything. */
function requiredFilled(form) {
  let filled = true;
  for (const block of form.querySelectorAll('.bk-input-block:not([data-optional])')) {
    const value = Object.values(collectState(block.parentElement)[block.dataset.blockId] ?? {})[0] ?? {};
    const empty =
      [
        'value',
        'selected_option',
        'selected_user',
        'selected_conversation',
        'selected_channel',
        'selected_date',
        'selected_time',
      ].every((key) => value[key] === null || value[key] === undefined) &&
      (value.selected_options ?? value.selected_users ?? []).length === 0;
    block.querySelector('.bk-required')?.remove();
    if (empty) {
      filled = false;
      block.insertAdjacentHTML(
        'beforeend',
        '<div class="bk-error bk-required" role="alert">Please complete this required field.</div>',
      );
    }
  }
  return filled;
}

/** Where an element sits: a message (channel, ts), the modal, or the Home tab. */
function targetOf(el) {
  const form = el.closest('.modal');
  if (form) return { target: { viewId: form.dataset.viewId }, state: collectState(form) };
  if (el.closest('#home')) return { target: { viewId: $('#home').dataset.viewId } };
  const msg = el.closest('.msg[data-ts]');
  return msg ? { target: { channel: ui.channel, ts: msg.dataset.ts } } : undefined;
}

function elementAction(el) {
  const { type, actionId, blockId } = el.dataset;
  const action = { type, actionId, blockId };
  if (type === 'button')
    Object.assign(action, { value: el.dataset.value || undefined, text: el.dataset.text });
  else if (type === 'users_select') action.selectedUser = el.value;
  else {
    const option = optionOf(el);
    if (!option) return undefined;
    action.selectedOption = option;
  }
  return action;
}

async function sendAction(el) {
  const where = targetOf(el);
  const action = elementAction(el);
  if (!where || !action) return;
  await api('/api/action', { user: ui.me, ...where, action });
}

function popup(anchor, items) {
  const menu = $('#popup');
  menu.innerHTML = items.map((item, i) => `<button data-i="${i}">${item.label}</button>`).join('');
  const box = anchor.getBoundingClientRect();
  menu.style.top = `${box.bottom + window.scrollY + 4}px`;
  menu.style.left = `${Math.max(8, box.right - 220)}px`;
  menu.hidden = false;
  menu.onclick = (event) => {
    const i = event.target.closest('button')?.dataset.i;
    menu.hidden = true;
    if (i !== undefined) items[Number(i)].run();
  };
}

function messageTs(el) {
  return el.closest('.msg[data-ts]')?.dataset.ts;
}

document.addEventListener('click', async (event) => {
  const el = event.target;
  if (!(el instanceof Element)) return;
  if (!el.closest('#popup') && !el.closest('.msg-tools')) $('#popup').hidden = true;
  const nav = el.closest('.nav, .permalink');
  if (nav) {
    event.preventDefault();
    const channel = nav.dataset.channel;
    return select(channel.startsWith('D') ? dmOf(ui.me) : channel, 'messages');
  }
  const tab = el.closest('#tabs button');
  if (tab) return select(ui.channel, tab.dataset.tab);
  const time = el.closest('[data-time]');
  if (time) return api('/api/time', { op: time.dataset.time });
  const button = el.closest('.bk-button');
  if (button) {
    event.preventDefault();
    if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
    return sendAction(button);
  }
  if (el.closest('.modal-x, .modal-close')) return api('/api/close', { user: ui.me });
  const ts = messageTs(el);
  if (el.closest('.tool-react') && ts) {
    return popup(
      el,
      ui.snapshot.reactions.map((emoji) => ({
        label: `${emojiFor(emoji)} :${emoji}:`,
        run: () => api('/api/react', { user: ui.me, channel: ui.channel, ts, emoji, add: true }),
      })),
    );
  }
  if (el.closest('.tool-more') && ts) {
    return popup(
      el,
      ui.snapshot.shortcuts.map((s) => ({
        label: escapeHtml(s.name),
        run: () => api('/api/shortcut', { user: ui.me, channel: ui.channel, ts, callbackId: s.callbackId }),
      })),
    );
  }
  const pill = el.closest('.reaction');
  if (pill && ts) {
    return api('/api/react', {
      user: ui.me,
      channel: ui.channel,
      ts,
      emoji: pill.dataset.emoji,
      add: !pill.classList.contains('mine'),
    });
  }
});

document.addEventListener('change', (event) => {
  const el = event.target;
  if (!(el instanceof HTMLSelectElement)) return;
  if (el.id === 'who') {
    const wasDm = isAppDm();
    ui.me = el.value;
    select(wasDm ? dmOf(ui.me) : ui.channel, ui.tab);
    return;
  }
  if (el.closest('.modal')) return; // inputs in a modal are sent with the submission
  if (el.matches('.bk-select, .bk-overflow')) sendAction(el);
});

document.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.id === 'composer') {
    const text = $('#say').value.trim();
    if (!text) return;
    $('#say').value = '';
    api('/api/say', { user: ui.me, channel: ui.channel, text });
  } else if (form.classList.contains('modal') && requiredFilled(form)) {
    api('/api/submit', { user: ui.me, viewId: form.dataset.viewId, values: collectState(form) });
  }
});

document.addEventListener('input', (event) => {
  event.target.closest?.('.bk-input-block')?.querySelector('.bk-required')?.remove();
});

$('#say').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('#composer').requestSubmit();
  }
});

async function select(channel, tab) {
  ui.channel = channel;
  ui.tab = tab;
  ui.version = '';
  ui.scrolled = false;
  ui.drawn = { messages: '', modal: '', home: '', sidebar: '' };
  if (channel === dmOf(ui.me) && tab === 'home') await api('/api/home', { user: ui.me });
  else await refresh();
}

async function poll() {
  try {
    await refresh();
  } catch {
    $('#clock').textContent = 'The sandbox stopped (run npm run sandbox again)';
  }
  setTimeout(poll, 700);
}

poll();
