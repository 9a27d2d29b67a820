import type { KnownBlock } from '@slack/types';
import type { AppCore, Feature } from '../app-core.js';
import { isLeadOrAdmin, type OrgConfigResult } from '../config/org.js';
import { countFeedbackItems } from '../feedback/repo.js';
import type { RetentionService } from '../retention/service.js';
import type { Delivery } from '../slack/delivery/delivery.js';
import { deliveryStatus } from '../slack/delivery/delivery-status.js';
import type { RemindOutcome } from '../strategy/remind.js';
import type { ThemeRenameOutcome } from '../themes/rename-theme.js';
import { registerInstallListeners } from './install-listeners.js';
import { registerAdminListeners } from './listeners.js';

/** The admin room: `/loop` (help, status, retry, reload, remind, digest, theme) and the install events. */
export function createAdminFeature(
  core: AppCore,
  deps: {
    delivery: Delivery;
    reloadConfig: () => Promise<OrgConfigResult>;
    remind: (department: string, preview: boolean) => RemindOutcome;
    digestPreview: (userId: string) => Promise<{ text: string; blocks?: KnownBlock[] }>;
    retention: Pick<RetentionService, 'purgeNow' | 'forget'>;
    renameTheme: (rest: string, userId: string, mayRename: boolean) => ThemeRenameOutcome;
    focus: (userId: string, args: string) => string;
  },
): Feature {
  const { delivery } = deps;
  return {
    listeners(app) {
      registerAdminListeners(app, {
        config: core.config,
        reloadConfig: deps.reloadConfig,
        status: () => ({
          departments: core.config().departments.length,
          feedbackItems: countFeedbackItems(core.db),
          delivery: deliveryStatus(core.db, delivery),
        }),
        retry: () => delivery.retryParked(),
        remind: deps.remind,
        digest: deps.digestPreview,
        retention: deps.retention,
        renameTheme: (rest, userId) => deps.renameTheme(rest, userId, isLeadOrAdmin(core.config(), userId)),
        focus: deps.focus,
      });
      registerInstallListeners(app, { tokenRefused: (code) => delivery.tokenRefused(code) });
    },
  };
}
