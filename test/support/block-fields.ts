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
