import { z } from 'zod';
import { Events } from '../slack/ids.js';
import type { ListenerRegistry } from '../slack/listener-router.js';

export type InstallListenerDeps = {
  /** Slack stopped accepting the bot token: deliveries wait, health says why, admins hear when it works again. */
  tokenRefused: (code: string) => void;
};

const tokensRevokedSchema = z.object({
  tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }).optional(),
});

/** `app_uninstalled` and `tokens_revoked`: the app can no longer post until it is reinstalled. */
export function registerInstallListeners(app: ListenerRegistry, deps: InstallListenerDeps): void {
  app.event(Events.appUninstalled, async () => {
    deps.tokenRefused('app_uninstalled');
  });
  app.event(Events.tokensRevoked, async ({ event, logger }) => {
    const parsed = tokensRevokedSchema.safeParse(event);
    // Only the bot token posts; a revoked user token (if one were ever granted) changes nothing here.
    if (!parsed.success) logger.warn('tokens_revoked event without a readable token list');
    else if ((parsed.data.tokens?.bot ?? []).length === 0) return;
    deps.tokenRefused('tokens_revoked');
  });
}
