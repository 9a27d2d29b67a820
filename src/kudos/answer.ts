import type { KudosConfig } from '../config/kudos-schema.js';
import { givenText, people, problemText } from './blocks.js';
import type { GiveKudosOutcome } from './give.js';
import type { GiveLater } from './give-later.js';

/** The answer to `/kudos @ana …`: what was given and what is left today, why it was not, or that it is on its way. */
export function giveAnswer(
  outcome: GiveKudosOutcome | GiveLater,
  settings: KudosConfig | undefined,
  now: number,
): string {
  if (outcome.ok === 'later') return laterText(outcome);
  if (!outcome.ok) return problemText(outcome.problem, now);
  return givenText({ ...outcome, visibility: settings?.visibility, channel: settings?.channel });
}

/** Stored, to be given once Slack has told us about the people named. */
function laterText({ userIds, usergroupIds }: GiveLater): string {
  const groups = usergroupIds.map((id) => `<!subteam^${id}>`);
  const named = [people(userIds), ...groups].filter(Boolean).join(' and ');
  return `:hourglass_flowing_sand: Passing your kudos on to ${named}. I will confirm here in a moment.`;
}
