import type { Button, KnownBlock } from '@slack/types';
import { plain, section } from '../slack/blocks.js';
import { ResolvedDmActions, ResolvedDmBlocks } from '../slack/ids.js';
import type { StoredFeedbackEvent } from './history-repo.js';
import type { FeedbackItem } from './types.js';

/**
 * The reporter's "resolved" DM as blocks: the note, then its buttons, then blocks of their own (told the
 * customer, the survey). Each part is built by its own function and is left out when it does not apply, so the
 * message is plain text when none does.
 */
export function resolvedDmBlocks(
  text: string,
  buttons: (Button | undefined)[],
  more: (KnownBlock | undefined)[] = [],
): KnownBlock[] | undefined {
  const shown = buttons.filter((b): b is Button => b !== undefined);
  const rest = more.filter((b): b is KnownBlock => b !== undefined);
  if (shown.length === 0 && rest.length === 0) return undefined;
  const actions: KnownBlock[] =
    shown.length > 0 ? [{ type: 'actions', block_id: ResolvedDmBlocks.actions, elements: shown }] : [];
  return [section(text), ...actions, ...rest];
}

/** The people who fixed the item: whoever acknowledged or resolved it, not the reporter, in the order they acted. */
export function fixersOf(item: Pick<FeedbackItem, 'reporterId'>, history: StoredFeedbackEvent[]): string[] {
  const acted = history.filter((e) => e.action === 'acknowledge' || e.action === 'resolve');
  return [...new Set(acted.map((e) => e.actorId))].filter((id) => id !== item.reporterId);
}

/** **Thank the people who fixed it**: opens the kudos form filled in with them (when kudos are on). */
export function thankFixersButton(
  item: Pick<FeedbackItem, 'id' | 'status'>,
  fixerIds: readonly string[],
  kudosOn: boolean,
): Button | undefined {
  if (!kudosOn || item.status !== 'resolved' || fixerIds.length === 0) return undefined;
  return {
    type: 'button',
    action_id: ResolvedDmActions.thankFixers,
    text: plain(
      fixerIds.length === 1 ? 'Thank the person who fixed it' : 'Thank the people who fixed it',
      75,
    ),
    value: String(item.id),
  };
}
