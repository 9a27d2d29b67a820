import { Commands } from '../../src/slack/ids.js';
import type { Harness } from './app-harness.js';
import { dmChannelFor } from './slack-standin.js';

/**
 * The figures a person reads in a message: each `*Label*\nvalue` field of its blocks, with the digest's change
 * against last week (" (▲ 2 vs last week)") left out, and the "Still open" count of a team's section.
 */
export function figuresOf(blocks: unknown): Map<string, string> {
  const figures = new Map<string, string>();
  for (const block of (Array.isArray(blocks) ? blocks : []) as {
    fields?: { text?: string }[];
    text?: { text?: string };
  }[]) {
    for (const field of block.fields ?? []) {
      const m = /^\*(.+?)\*\n([\s\S]*)$/.exec(field.text ?? '');
      if (m) figures.set(m[1] as string, (m[2] as string).replace(/ \((?:=|▲|▼)[^)]*\)$/, ''));
    }
    const open = /^\*Still open: (\d+)\*/.exec(block.text?.text ?? '');
    if (open) figures.set('Still open', open[1] as string);
  }
  return figures;
}

/** What `/strategy <name>` answers, as figures. */
export async function strategyFigures(harness: Harness, name: string): Promise<Map<string, string>> {
  const res = await harness.rep.command(Commands.strategy, name);
  const [reply] = await harness.standIn.waitForResponse(1, 5000, res.responseUrlId);
  return figuresOf((reply?.body as { blocks?: unknown } | undefined)?.blocks);
}

/** The weekly digest DMs the stand-in delivered to this manager, oldest first. */
export const digestsTo = (harness: Harness, user: string) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        (c.args.channel === user || c.args.channel === dmChannelFor(user)) &&
        c.response.ok &&
        String(c.args.text).startsWith('Weekly digest'),
    );
