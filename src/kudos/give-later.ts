import type { OutboxPayloads } from '../slack/delivery/outbox-kinds.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import { type GiveKudosOutcome, type GiveKudosRequest, giveKudos } from './give.js';
import type { GiveDeps, KudosPeople } from './service.js';

/**
 * `/kudos` answers at once, whoever is named. A give needs to know things only Slack knows (whether the people
 * are bots or deactivated, the giver's time zone for "today", user-group members): when all of them are known
 * already (cached), it is given before the answer, as before. When any is not, the request is stored first (an
 * outbox message, committed before the answer), the answer says it is on its way, and the outbox gives it with
 * the Slack look-ups afterwards: a look-up that fails is retried with backoff like any delivery, and parked (the
 * admins told, `/loop retry` re-sends) when it never succeeds, so nothing acknowledged is lost. Until it is given
 * it is in no ledger and no number, so every number counts it with the departments of the people it names.
 */

/** The kudos is given later (Slack has to be asked about someone first); the giver hears the outcome then. */
export type GiveLater = { ok: 'later'; userIds: string[]; usergroupIds: string[] };

/**
 * A give handed to the outbox: the request as typed, when it was made, and where to answer the giver (the slash
 * command's response_url, good for 30 minutes; after that a note in the channel or a DM).
 */
export type LaterGive = OutboxPayloads['kudos.give'];

/**
 * What stops a give that needs Slack. Not an Error: it is thrown for every `/kudos` naming someone new (most of a
 * burst of kudos between new people), and an Error captures a stack trace nobody reads (0.5 s of CPU in a
 * profile of 20,000 such kudos). It never leaves `giveKudosNowOrLater`.
 */
const SLACK_NEEDED = Object.freeze({ slackNeeded: true });

/** The people as far as they are known without Slack: anything else stops the give before it writes. */
function knownOnly(people: KudosPeople): KudosPeople {
  return {
    ...people,
    user: (userId) => {
      const known = people.known.user(userId);
      return known ? Promise.resolve(known) : Promise.reject(SLACK_NEEDED);
    },
    usergroupMembers: (usergroupId) => {
      const known = people.known.usergroupMembers(usergroupId);
      return known ? Promise.resolve(known) : Promise.reject(SLACK_NEEDED);
    },
  };
}

/** Give now when nobody has to be looked up in Slack; otherwise store the request for the outbox. */
export async function giveKudosNowOrLater(
  deps: GiveDeps,
  request: GiveKudosRequest,
  responseUrl: string | undefined,
): Promise<GiveKudosOutcome | GiveLater> {
  try {
    return await giveKudos({ ...deps, people: knownOnly(deps.people) }, request);
  } catch (error) {
    if (error !== SLACK_NEEDED) throw error;
  }
  const {
    notifyGiver: _notify,
    problem: _problem,
    reactionEvent: _reaction,
    eventId: _event,
    ...asked
  } = request;
  const later: LaterGive = { ...asked, requestedAt: deps.clock.now(), responseUrl };
  // Committed with the turn's other writes (a burst of kudos between new people: one commit, not one each).
  await deps.write(() =>
    enqueueOutbox(
      deps.db,
      { kind: 'kudos.give', payload: later, dedupeKey: `kudos-give:${request.sourceKey}` },
      later.requestedAt,
    ),
  );
  deps.logger.debug({ giver: request.giverId }, 'kudos stored to give once Slack is asked');
  return { ok: 'later', userIds: request.userIds, usergroupIds: request.usergroupIds };
}
