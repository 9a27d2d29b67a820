import { z } from 'zod';
import type { Db } from '../store/db.js';
import { renameTheme, resolveTheme } from './theme-repo.js';

/**
 * `/loop theme TH-12 "double charges"`: a department lead or an admin names a theme (the name replaces its top
 * terms wherever it is shown). A reference to a theme that was merged renames the theme it went into.
 */

export const THEME_NAME_MAX = 80;

const renameSchema = z.object({
  id: z.coerce.number().int().positive(),
  name: z.string().min(1).max(THEME_NAME_MAX),
});

export type ThemeRenameOutcome =
  | { kind: 'renamed'; id: number; name: string; asked: number }
  | { kind: 'usage' }
  | { kind: 'too-long'; length: number }
  | { kind: 'unknown'; reference: string }
  | { kind: 'forbidden' };

/** "TH-12 double charges", with or without quotes (straight or curly) around the name. */
const COMMAND = /^\s*TH-?(\d{1,9})\s*(.*)$/is;
const QUOTED = /^["“”'‘’](.*)["“”'‘’]$/s;

export function renameThemeFromCommand(
  db: Db,
  input: { text: string; userId: string; mayRename: boolean; now: number },
): ThemeRenameOutcome {
  if (!input.mayRename) return { kind: 'forbidden' };
  const match = COMMAND.exec(input.text);
  if (!match) return { kind: 'usage' };
  const raw = (match[2] ?? '').trim();
  const name = (QUOTED.exec(raw)?.[1] ?? raw).replace(/\s+/g, ' ').trim();
  const parsed = renameSchema.safeParse({ id: match[1], name });
  if (!parsed.success)
    return name.length > THEME_NAME_MAX ? { kind: 'too-long', length: name.length } : { kind: 'usage' };
  const theme = resolveTheme(db, parsed.data.id);
  if (!theme) return { kind: 'unknown', reference: `TH-${parsed.data.id}` };
  renameTheme(db, theme.id, parsed.data.name, input.userId, input.now);
  return { kind: 'renamed', id: theme.id, name: parsed.data.name, asked: parsed.data.id };
}
