import type { App } from '@slack/bolt';
import { isAdmin, type OrgConfigResult } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import { Commands } from '../slack/ids.js';
import { SORRY_MALFORMED, slashCommandSchema } from '../slack/payloads.js';
import { loopHelpText, loopRefusalText, loopStatusText, reloadText, remindResponse } from './blocks.js';
import { interpretLoopCommand, type LoopStatus, type RemindOutcome, reloadOutcome } from './service.js';

export type AdminListenerDeps = {
  config: () => OrgConfig;
  reloadConfig: () => OrgConfigResult;
  status: () => LoopStatus;
  /** `/loop remind <department> [preview]`: queue the team's reminder now, or show it to the admin. */
  remind: (department: string, preview: boolean) => RemindOutcome;
};

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

export function registerAdminListeners(app: App, deps: AdminListenerDeps): void {
  app.command(Commands.loop, async ({ command, ack }) => {
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
        return ack(ephemeral(loopStatusText(deps.status())));
      case 'reload':
        return ack(ephemeral(reloadText(reloadOutcome(deps.reloadConfig()))));
      case 'remind':
        return ack({
          response_type: 'ephemeral',
          ...remindResponse(deps.remind(intent.department, intent.preview)),
        });
    }
  });
}
