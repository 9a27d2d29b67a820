import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_BLOCK_TYPES,
  OTHER_ELEMENT_TYPES,
  SELECT_TYPES,
  TEXT_INPUT_TYPES,
} from '../../src/sandbox/block-kit-limits.js';

/**
 * The sandbox page renders every Block Kit block and element type the app's code emits (listed from the
 * source, so a builder that starts using a new type fails here until the page can show it), and shows
 * anything else as a visible placeholder. Its mrkdwn is escaped before any markup is added.
 */

type Ctx = {
  people: { id: string; realName: string }[];
  channels: { id: string; name: string }[];
  timeZone: string;
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  errors?: Record<string, string>;
};
type PageBlocks = {
  BLOCKS: Record<string, unknown>;
  ELEMENTS: Record<string, unknown>;
  renderBlocks(blocks: unknown[], ctx: Ctx): string;
};
type PageMrkdwn = { mrkdwn(text: string, ctx: Ctx): string };

const load = async <T>(file: string) =>
  (await import(pathToFileURL(resolve('src/sandbox/page', file)).href)) as T;

const ctx: Ctx = {
  people: [{ id: 'U0RITA0001', realName: 'Rita Alves' }],
  channels: [{ id: 'C0KUDOS001', name: 'kudos' }],
  timeZone: 'Europe/Berlin',
  userName: (id) => (id === 'U0RITA0001' ? 'Rita Alves' : undefined),
  channelName: (id) => (id === 'C0KUDOS001' ? 'kudos' : undefined),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.endsWith(join('src', 'sandbox')) ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `type: '…'` literal in the app's source that names a Block Kit block or element. */
function typesInSource(): { blocks: Set<string>; elements: Set<string> } {
  const literals = new Set(
    sourceFiles('src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/type: '([a-z_]+)'/g)].map((m) => m[1] ?? ''),
    ),
  );
  const elementTypes = new Set([...SELECT_TYPES, ...TEXT_INPUT_TYPES, ...OTHER_ELEMENT_TYPES]);
  return {
    blocks: new Set([...literals].filter((t) => KNOWN_BLOCK_TYPES.has(t))),
    elements: new Set([...literals].filter((t) => elementTypes.has(t))),
  };
}

describe('the sandbox page renders what the app emits', () => {
  it('has a renderer for every block and element type in the code', async () => {
    const { BLOCKS, ELEMENTS } = await load<PageBlocks>('blocks.js');
    const used = typesInSource();
    // The scan itself works: these are in the app's builders today.
    for (const t of ['section', 'header', 'context', 'divider', 'actions', 'input'])
      expect(used.blocks).toContain(t);
    for (const t of ['button', 'static_select', 'plain_text_input', 'checkboxes', 'multi_users_select']) {
      expect(used.elements).toContain(t);
    }
    expect([...used.blocks].filter((t) => !(t in BLOCKS))).toEqual([]);
    expect([...used.elements].filter((t) => !(t in ELEMENTS))).toEqual([]);
    // And the ones the issue names, which any builder may start to use.
    for (const t of ['image', 'overflow', 'users_select', 'radio_buttons']) {
      expect(t in BLOCKS || t in ELEMENTS).toBe(true);
    }
  });

  it('shows an unknown block or element as a visible placeholder', async () => {
    const { renderBlocks } = await load<PageBlocks>('blocks.js');
    const html = renderBlocks(
      [
        { type: 'carousel_of_things' },
        { type: 'actions', elements: [{ type: 'hologram', action_id: 'x' }] },
        { type: 'divider' },
      ],
      ctx,
    );
    expect(html).toContain('Unsupported block type: <code>carousel_of_things</code>');
    expect(html).toContain('Unsupported element type: <code>hologram</code>');
    expect(html).toContain('<hr class="bk-divider">');
  });

  it('escapes text before adding markup, and renders mentions, links, quotes and dates', async () => {
    const { mrkdwn } = await load<PageMrkdwn>('mrkdwn.js');
    const html = mrkdwn(
      '*FB-1* <script>alert(1)</script> &lt;!here&gt; <@U0RITA0001> <#C0KUDOS001> <https://example.com/a?b=1&c=2|the "doc">\n&gt; quoted _line_\n<javascript:alert(1)|click> <!date^1795677360^{date_short_pretty} at {time}|fallback>',
      ctx,
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;!here&gt;');
    expect(html).toContain('<b>FB-1</b>');
    expect(html).toContain('@Rita Alves');
    expect(html).toContain('#kudos');
    expect(html).toContain('href="https://example.com/a?b=1&amp;c=2"');
    expect(html).toContain('>the &quot;doc&quot;</a>');
    expect(html).toContain('<blockquote>quoted <i>line</i></blockquote>');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('26 Nov at 08:16');
  });
});
