import type { KnownBlock } from '@slack/types';
import { isAdmin, type OrgConfigResult } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import type { RetentionService } from '../retention/service.js';
import { Commands } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';
import { SORRY_MALFORMED, slashCommandSchema } from '../slack/payloads.js';
import type { RemindOutcome } from '../strategy/remind.js';
import type { ThemeRenameOutcome } from '../themes/rename-theme.js';
import {
  loopHelpText,
  loopRefusalText,
  loopStatusText,
  reloadText,
  remindResponse,
  retryText,
} from './blocks.js';
import { forgetText, forgetUsageText, purgeText } from './retention-text.js';
import { interpretLoopCommand, type LoopCommand, type LoopStatus, reloadOutcome } from './service.js';
import { themeRenameText } from './theme-text.js';

export type AdminListenerDeps = {
  config: () => OrgConfig;
  /** Looks new names up in Slack (bounded to about 2 s), then re-reads the file. */
  reloadConfig: () => Promise<OrgConfigResult>;
  status: () => LoopStatus;
  /** `/loop retry`: send the parked deliveries again; how many. */
  retry: () => number;
  /** `/loop remind <department> [preview]`: queue the team's reminder now, or show it to the admin. */
  remind: (department: string, preview: boolean) => RemindOutcome;
  /** `/loop digest`: the caller's digest for the week so far, or why they have none (may ask Slack). */
  digest: (userId: string) => Promise<{ text: string; blocks?: KnownBlock[] }>;
  /** `/loop purge` and `/loop forget NAME`: remove customer details now (admin user id recorded). */
  retention: Pick<RetentionService, 'purgeNow' | 'forget'>;
  /** `/loop theme TH-12 "name"`: a lead or an admin names a theme. */
  renameTheme: (rest: string, userId: string) => ThemeRenameOutcome;
  /** `/loop focus <department> [TH-12 max:5/week | off]`: a team's focus theme, answered to the caller. */
  focus: (userId: string, args: string) => string;
};

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

/** `/loop purge` and `/loop forget NAME` (admins): remove customer details now, recorded as asked by `by`. */
function retentionAnswer(
  retention: AdminListenerDeps['retention'],
  intent: Extract<LoopCommand, { verb: 'purge' | 'forget' }>,
  by: string,
): string {
  if (intent.verb === 'purge') return purgeText(retention.purgeNow(by));
  if (intent.customer === '') return forgetUsageText();
  return forgetText(intent.customer, retention.forget(intent.customer, by));
}

/** The admin verbs answered at once: `/loop status`, `/loop retry`, `/loop remind <department> [preview]`. */
function adminAnswer(
  deps: AdminListenerDeps,
  intent: Extract<LoopCommand, { verb: 'status' | 'retry' | 'remind' }>,
): { text: string; blocks?: KnownBlock[] } {
  if (intent.verb === 'status') return { text: loopStatusText(deps.status()) };
  if (intent.verb === 'retry') return { text: retryText(deps.retry()) };
  return remindResponse(deps.remind(intent.department, intent.preview));
}

/** The verbs answered with a line: retention (admins), and the themes' `/loop focus …`, `/loop theme …` (leads too). */
function lineAnswer(
  deps: AdminListenerDeps,
  intent: Extract<LoopCommand, { verb: 'purge' | 'forget' | 'focus' | 'theme' }>,
  userId: string,
): string {
  if (intent.verb === 'focus') return deps.focus(userId, intent.args);
  if (intent.verb === 'theme') return themeRenameText(deps.renameTheme(intent.rest, userId));
  return retentionAnswer(deps.retention, intent, userId);
}

export function registerAdminListeners(app: ListenerRegistry, deps: AdminListenerDeps): void {
  app.command(Commands.loop, async ({ command, ack, respond }) => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) return ack(ephemeral(SORRY_MALFORMED));
    const config = deps.config();
    const intent = interpretLoopCommand(parsed.data.text, config, parsed.data.user_id);
    switch (intent.verb) {
      case 'help':
        return ack(ephemeral(loopHelpText(isAdmin(config, parsed.data.user_id))));
      case 'unknown':
      case 'forbidden':
        return ack(ephemeral(loopRefusalText(intent)));
      case 'status':
      case 'retry':
      case 'remind':
        return ack({ response_type: 'ephemeral', ...adminAnswer(deps, intent) });
      case 'reload':
        return ack(ephemeral(reloadText(reloadOutcome(await deps.reloadConfig()))));
      case 'digest': {
        // Composing may ask Slack for user-group members: answer within 3 s, then reply.
        await ack();
        await respond({ response_type: 'ephemeral', ...(await deps.digest(parsed.data.user_id)) });
        return;
      }
      case 'purge':
      case 'forget':
      case 'focus':
      case 'theme':
        return ack(ephemeral(lineAnswer(deps, intent, parsed.data.user_id)));
    }
  });
}
