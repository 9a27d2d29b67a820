/**
 * Block Kit limits as Slack enforces them on `chat.postMessage` / `chat.update` / `chat.postEphemeral`
 * (answered with `invalid_blocks`) and on `views.open` / `views.update` / `views.push` / `views.publish`
 * (answered with `invalid_arguments`).
 *
 * Each problem is worded the way Slack words it in `response_metadata.messages` (without the `[ERROR] `
 * prefix), ending with a JSON pointer into the request argument, e.g.
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 *
 * Sources: Slack's Block Kit reference (blocks, block elements, composition objects, view objects) and its
 * message and modal limits (50 blocks a message, 100 a modal; the text lengths below).
 */

export const MESSAGE_MAX_BLOCKS = 50;
export const VIEW_MAX_BLOCKS = 100;

export const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

export const SELECT_TYPES = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);

export const TEXT_INPUT_TYPES = new Set([
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
]);

export const OTHER_ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'feedback_buttons',
  'file_input',
  'icon_button',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  'workflow_button',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack counts characters, not bytes; count code points so an emoji counts once. */
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

class Problems {
  readonly list: string[] = [];

  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }

  /** Optional string no longer than `max`. */
  maxString(value: unknown, max: number, pointer: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.add('must be a string', pointer);
      return;
    }
    if (charLength(value) > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }

  maxItems(value: unknown, max: number, pointer: string, min = 0): value is unknown[] {
    if (!Array.isArray(value)) {
      this.add('must be an array', pointer);
      return false;
    }
    if (value.length > max) this.add(`must provide no more than ${max} items`, pointer);
    if (value.length < min) this.add(`must provide at least ${min} items`, pointer);
    return true;
  }

  /**
   * A composition text object: `{ type: 'plain_text' | 'mrkdwn', text }` with 1..max characters.
   * `plainOnly` rejects mrkdwn where Slack accepts only plain_text.
   */
  textObject(value: unknown, max: number, pointer: string, plainOnly: boolean, required = true): void {
    if (value === undefined) {
      if (required) this.add('missing required field: text object', pointer);
      return;
    }
    if (!isObject(value)) {
      this.add('must be a text object', pointer);
      return;
    }
    const { type, text } = value;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.add(`must be one of plain_text, mrkdwn, got ${String(type)}`, `${pointer}/type`);
    } else if (plainOnly && type !== 'plain_text') {
      this.add('must be a plain_text text object', `${pointer}/type`);
    }
    if (typeof text !== 'string') {
      this.add('missing required field: text', `${pointer}/text`);
      return;
    }
    const length = charLength(text);
    if (length < 1) this.add('must be more than 0 characters', `${pointer}/text`);
    if (length > max) this.add(`must be less than ${max + 1} characters`, `${pointer}/text`);
  }

  identifier(value: unknown, pointer: string): void {
    this.maxString(value, 255, pointer);
  }
}

interface Surface {
  /** block_ids seen so far in this message or view (must be unique). */
  blockIds: Set<string>;
}

function validateConfirm(p: Problems, confirm: unknown, pointer: string): void {
  if (confirm === undefined) return;
  if (!isObject(confirm)) {
    p.add('must be an object', pointer);
    return;
  }
  p.textObject(confirm.title, 100, `${pointer}/title`, true);
  p.textObject(confirm.text, 300, `${pointer}/text`, false);
  p.textObject(confirm.confirm, 30, `${pointer}/confirm`, true);
  p.textObject(confirm.deny, 30, `${pointer}/deny`, true);
}

function validateOption(p: Problems, option: unknown, pointer: string, plainOnly: boolean): void {
  if (!isObject(option)) {
    p.add('must be an option object', pointer);
    return;
  }
  p.textObject(option.text, 75, `${pointer}/text`, plainOnly);
  if (typeof option.value !== 'string') {
    p.add('missing required field: value', `${pointer}/value`);
  } else {
    p.maxString(option.value, 150, `${pointer}/value`);
  }
  p.textObject(option.description, 75, `${pointer}/description`, plainOnly, false);
  p.maxString(option.url, 3000, `${pointer}/url`);
}

function validateOptions(
  p: Problems,
  options: unknown,
  pointer: string,
  max: number,
  plainOnly: boolean,
  min = 1,
): void {
  if (!p.maxItems(options, max, pointer, min)) return;
  options.forEach((option, i) => {
    validateOption(p, option, `${pointer}/${i}`, plainOnly);
  });
}

function validateImageElement(p: Problems, element: Json, pointer: string): void {
  if (element.image_url === undefined && element.slack_file === undefined) {
    p.add('missing required field: image_url', `${pointer}/image_url`);
  }
  p.maxString(element.image_url, 3000, `${pointer}/image_url`);
  if (typeof element.alt_text !== 'string') {
    p.add('missing required field: alt_text', `${pointer}/alt_text`);
  } else {
    p.maxString(element.alt_text, 2000, `${pointer}/alt_text`);
  }
}

/** A static select: its options (or option groups) and initial option. */
function validateStaticSelect(p: Problems, element: Json, pointer: string): void {
  if (element.option_groups !== undefined) {
    if (p.maxItems(element.option_groups, 100, `${pointer}/option_groups`, 1)) {
      element.option_groups.forEach((group, g) => {
        const groupPointer = `${pointer}/option_groups/${g}`;
        if (!isObject(group)) {
          p.add('must be an option group object', groupPointer);
          return;
        }
        p.textObject(group.label, 75, `${groupPointer}/label`, true);
        validateOptions(p, group.options, `${groupPointer}/options`, 100, true, 1);
      });
    }
  } else {
    validateOptions(p, element.options, `${pointer}/options`, 100, true, 1);
  }
  if (element.initial_option !== undefined) {
    validateOption(p, element.initial_option, `${pointer}/initial_option`, true);
  }
}

/** A plain text input: its length limits and initial value. */
function validatePlainTextInput(p: Problems, element: Json, pointer: string): void {
  const maxLength = element.max_length;
  if (maxLength !== undefined) {
    if (typeof maxLength !== 'number' || !Number.isInteger(maxLength)) {
      p.add('must be an integer', `${pointer}/max_length`);
    } else if (maxLength > 3000) {
      p.add('must be less than or equal to 3000', `${pointer}/max_length`);
    } else if (maxLength < 1) {
      p.add('must be greater than or equal to 1', `${pointer}/max_length`);
    }
  }
  const minLength = element.min_length;
  if (minLength !== undefined && (typeof minLength !== 'number' || minLength > 3000 || minLength < 0)) {
    p.add('must be an integer between 0 and 3000', `${pointer}/min_length`);
  }
  p.maxString(element.initial_value, 3000, `${pointer}/initial_value`);
  if (
    typeof element.initial_value === 'string' &&
    typeof maxLength === 'number' &&
    charLength(element.initial_value) > maxLength
  ) {
    p.add(`must be less than ${maxLength + 1} characters`, `${pointer}/initial_value`);
  }
}

/** What each element type allows beyond the common fields. */
function validateElementByType(p: Problems, element: Json, type: string, pointer: string): void {
  switch (type) {
    case 'button':
      p.textObject(element.text, 75, `${pointer}/text`, true);
      p.maxString(element.value, 2000, `${pointer}/value`);
      p.maxString(element.url, 3000, `${pointer}/url`);
      p.maxString(element.accessibility_label, 75, `${pointer}/accessibility_label`);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        p.add('must be one of primary, danger', `${pointer}/style`);
      }
      break;
    case 'workflow_button':
      p.textObject(element.text, 75, `${pointer}/text`, true);
      break;
    case 'overflow':
      validateOptions(p, element.options, `${pointer}/options`, 5, true, 1);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      validateOptions(p, element.options, `${pointer}/options`, 10, false, 1);
      break;
    case 'static_select':
    case 'multi_static_select':
      validateStaticSelect(p, element, pointer);
      break;
    case 'plain_text_input':
      validatePlainTextInput(p, element, pointer);
      break;
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      p.maxString(element.initial_value, 3000, `${pointer}/initial_value`);
      break;
    default:
      break;
  }
}

/** An interactive (or image) element inside a section accessory, actions, input or context block. */
function validateElement(p: Problems, element: unknown, pointer: string, actionIds: Set<string>): void {
  if (!isObject(element)) {
    p.add('must be an element object', pointer);
    return;
  }
  const type = element.type;
  if (typeof type !== 'string') {
    p.add('missing required field: type', `${pointer}/type`);
    return;
  }
  if (!SELECT_TYPES.has(type) && !TEXT_INPUT_TYPES.has(type) && !OTHER_ELEMENT_TYPES.has(type)) {
    p.add(`unsupported element type: ${type}`, `${pointer}/type`);
    return;
  }
  if (type === 'image') {
    validateImageElement(p, element, pointer);
    return;
  }

  if (element.action_id !== undefined) {
    p.identifier(element.action_id, `${pointer}/action_id`);
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        p.add(`duplicate action_id: ${element.action_id}`, `${pointer}/action_id`);
      }
      actionIds.add(element.action_id);
    }
  }
  validateConfirm(p, element.confirm, `${pointer}/confirm`);
  if (element.placeholder !== undefined) {
    p.textObject(element.placeholder, 150, `${pointer}/placeholder`, true);
  }

  validateElementByType(p, element, type, pointer);
}

/** A section: text or fields, and an optional accessory. */
function validateSection(p: Problems, block: Json, pointer: string, actionIds: Set<string>): void {
  if (block.text === undefined && block.fields === undefined) {
    p.add('must provide either text or fields', pointer);
  }
  if (block.text !== undefined) p.textObject(block.text, 3000, `${pointer}/text`, false);
  if (block.fields !== undefined && p.maxItems(block.fields, 10, `${pointer}/fields`, 1)) {
    block.fields.forEach((field, i) => {
      p.textObject(field, 2000, `${pointer}/fields/${i}`, false);
    });
  }
  if (block.accessory !== undefined) {
    validateElement(p, block.accessory, `${pointer}/accessory`, actionIds);
  }
}

/** A context block: images and text objects. */
function validateContext(p: Problems, block: Json, pointer: string): void {
  if (p.maxItems(block.elements, 10, `${pointer}/elements`, 1)) {
    block.elements.forEach((element, i) => {
      const elementPointer = `${pointer}/elements/${i}`;
      if (isObject(element) && element.type === 'image') {
        validateImageElement(p, element, elementPointer);
      } else {
        p.textObject(element, 3000, elementPointer, false);
      }
    });
  }
}

/** What each block type allows beyond its block_id; action ids are unique within the block. */
function validateBlockByType(
  p: Problems,
  block: Json,
  type: string,
  pointer: string,
  actionIds: Set<string>,
): void {
  switch (type) {
    case 'section':
      validateSection(p, block, pointer, actionIds);
      break;
    case 'header':
      p.textObject(block.text, 150, `${pointer}/text`, true);
      break;
    case 'divider':
      break;
    case 'image':
      validateImageElement(p, block, pointer);
      if (block.title !== undefined) p.textObject(block.title, 2000, `${pointer}/title`, true);
      break;
    case 'actions':
      if (p.maxItems(block.elements, 25, `${pointer}/elements`, 1)) {
        block.elements.forEach((element, i) => {
          validateElement(p, element, `${pointer}/elements/${i}`, actionIds);
        });
      }
      break;
    case 'context':
      validateContext(p, block, pointer);
      break;
    case 'context_actions':
      if (p.maxItems(block.elements, 5, `${pointer}/elements`, 1)) {
        block.elements.forEach((element, i) => {
          validateElement(p, element, `${pointer}/elements/${i}`, actionIds);
        });
      }
      break;
    case 'input':
      p.textObject(block.label, 2000, `${pointer}/label`, true);
      if (block.hint !== undefined) p.textObject(block.hint, 2000, `${pointer}/hint`, true);
      if (block.element === undefined) {
        p.add('missing required field: element', `${pointer}/element`);
      } else {
        validateElement(p, block.element, `${pointer}/element`, actionIds);
      }
      break;
    case 'markdown':
      if (typeof block.text !== 'string') {
        p.add('missing required field: text', `${pointer}/text`);
      } else {
        p.maxString(block.text, 12000, `${pointer}/text`);
      }
      break;
    case 'rich_text':
      p.maxItems(block.elements, Number.MAX_SAFE_INTEGER, `${pointer}/elements`);
      break;
    case 'video':
      p.textObject(block.title, 200, `${pointer}/title`, true);
      p.maxString(block.alt_text, 2000, `${pointer}/alt_text`);
      p.maxString(block.video_url, 3000, `${pointer}/video_url`);
      p.maxString(block.thumbnail_url, 3000, `${pointer}/thumbnail_url`);
      break;
    default:
      break;
  }
}

function validateBlock(p: Problems, block: unknown, pointer: string, surface: Surface): void {
  if (!isObject(block)) {
    p.add('must be a block object', pointer);
    return;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    p.add('missing required field: type', `${pointer}/type`);
    return;
  }
  if (!KNOWN_BLOCK_TYPES.has(type)) {
    p.add(`unsupported block type: ${type}`, `${pointer}/type`);
    return;
  }
  if (block.block_id !== undefined) {
    p.identifier(block.block_id, `${pointer}/block_id`);
    if (typeof block.block_id === 'string') {
      if (surface.blockIds.has(block.block_id)) {
        p.add(`non-unique block_id: ${block.block_id}`, `${pointer}/block_id`);
      }
      surface.blockIds.add(block.block_id);
    }
  }
  validateBlockByType(p, block, type, pointer, new Set<string>());
}

function validateBlocks(p: Problems, blocks: unknown, pointer: string, max: number): void {
  if (!Array.isArray(blocks)) {
    p.add('must be an array', pointer);
    return;
  }
  if (blocks.length > max) p.add(`must provide no more than ${max} items`, pointer);
  const surface: Surface = { blockIds: new Set() };
  blocks.forEach((block, i) => {
    validateBlock(p, block, `${pointer}/${i}`, surface);
  });
}

/**
 * Problems with a message's `blocks` argument (empty when Slack would accept it).
 * Pointers start at `/blocks`, as in Slack's `invalid_blocks` answers.
 */
export function validateMessageBlocks(blocks: unknown): string[] {
  const p = new Problems();
  validateBlocks(p, blocks, '/blocks', MESSAGE_MAX_BLOCKS);
  return p.list;
}

/**
 * Problems with a `view` argument of views.open / views.update / views.push / views.publish
 * (empty when Slack would accept it). Pointers start at `/view`.
 */
export function validateView(view: unknown): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('must be a view object', '/view');
    return p.list;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    p.add(`must be one of modal, home, got ${String(type)}`, '/view/type');
  }
  if (view.blocks === undefined) {
    p.add('missing required field: blocks', '/view/blocks');
  } else {
    validateBlocks(p, view.blocks, '/view/blocks', VIEW_MAX_BLOCKS);
  }
  if (type === 'modal') {
    p.textObject(view.title, 24, '/view/title', true);
    if (view.submit !== undefined) p.textObject(view.submit, 24, '/view/submit', true);
    if (view.close !== undefined) p.textObject(view.close, 24, '/view/close', true);
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) {
      p.add('must provide submit when the view has input blocks', '/view/submit');
    }
  } else if (view.title !== undefined) {
    p.textObject(view.title, 24, '/view/title', true);
  }
  p.maxString(view.private_metadata, 3000, '/view/private_metadata');
  p.identifier(view.callback_id, '/view/callback_id');
  p.identifier(view.external_id, '/view/external_id');
  return p.list;
}
