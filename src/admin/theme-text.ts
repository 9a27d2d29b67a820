import { Commands } from '../slack/ids.js';
import { escapeMrkdwn } from '../slack/mrkdwn.js';
import { THEME_NAME_MAX, type ThemeRenameOutcome } from '../themes/rename-theme.js';

const USAGE = `\`${Commands.loop} theme TH-12 "double charges"\`: the theme's reference, then its new name (up to ${THEME_NAME_MAX} characters).`;

/** The ephemeral answer to `/loop theme`. */
export function themeRenameText(outcome: ThemeRenameOutcome): string {
  switch (outcome.kind) {
    case 'renamed': {
      const name = `“${escapeMrkdwn(outcome.name)}”`;
      return outcome.asked === outcome.id
        ? `TH-${outcome.id} is now called ${name}.`
        : `TH-${outcome.asked} was merged into TH-${outcome.id}, so TH-${outcome.id} is now called ${name}.`;
    }
    case 'usage':
      return `To name a theme: ${USAGE}`;
    case 'too-long':
      return `That name has ${outcome.length} characters; a theme's name can have up to ${THEME_NAME_MAX}. ${USAGE}`;
    case 'unknown':
      return `There is no theme ${outcome.reference}. Theme references (TH-…) are shown with the themes in digests, reminders and \`${Commands.feedback} themes\`.`;
    case 'forbidden':
      return 'Only department leads and admins can name a theme. Ask your team lead if this one needs a better name.';
  }
}
