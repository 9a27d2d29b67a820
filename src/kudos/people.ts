import { slackErrorCode } from '../slack/delivery/slack-errors.js';
import type { SlackDirectory } from '../slack/directory.js';
import type { KudosPeople } from './service.js';

/**
 * The Slack directory as kudos needs it: someone Slack does not know (`user_not_found`, e.g. a mention
 * typed by hand or a user from another workspace) is treated like a deactivated user, so the giver gets a
 * clear refusal instead of an apology for an error.
 */
export function kudosPeople(
  directory: Pick<SlackDirectory, 'user' | 'usergroupMembers' | 'known'>,
): KudosPeople {
  return {
    async user(userId) {
      try {
        return await directory.user(userId);
      } catch (error) {
        if (slackErrorCode(error) === 'user_not_found') return { isBot: false, deleted: true, tz: 'UTC' };
        throw error;
      }
    },
    usergroupMembers: (usergroupId) => directory.usergroupMembers(usergroupId),
    known: directory.known,
  };
}
