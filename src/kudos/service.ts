import type { ServiceDeps } from '../app-core.js';
import type { KudosConfig } from '../config/kudos-schema.js';
import { dayWindow } from '../time/local-time.js';
import { allowanceOf, type GiveKudosOutcome, type GiveKudosRequest, giveKudos } from './give.js';
import { type GiveLater, giveKudosNowOrLater } from './give-later.js';
import { recordHomeViewer } from './home-viewers.js';
import { queueHomeRefresh } from './queue.js';
import { createReactionHandlers, type ReactionEvent } from './reactions.js';
import { giverDay, pruneReactionEvents, pruneSlackEvents, setHomeDepartment, setHomePeriod } from './repo.js';
import type { LeaderboardPeriod } from './rules.js';
import { createKudosWrites, type KudosWrites } from './writes.js';

/** Who people are (bots, time zones) and who is in a user group: the Slack directory in the app. */
export type KudosPeople = {
  user(userId: string): Promise<KudosPerson>;
  usergroupMembers(usergroupId: string): Promise<ReadonlySet<string>>;
  /** What is known without asking Slack (cached), or undefined. */
  known: {
    user(userId: string): KudosPerson | undefined;
    usergroupMembers(usergroupId: string): ReadonlySet<string> | undefined;
  };
};
export type KudosPerson = { isBot: boolean; deleted: boolean; tz: string };

export type KudosDeps = ServiceDeps & { people: KudosPeople };

/** What giving needs besides: the writes before an answer, committed a turn of the event loop at a time. */
export type GiveDeps = KudosDeps & { write: KudosWrites };

/** What a person picked on their Home's leaderboard. */
export type LeaderboardChoice = { period: LeaderboardPeriod } | { department: string | undefined };

export type KudosService = {
  /** The kudos settings, or undefined when the org config has none (kudos are off). */
  settings(): KudosConfig | undefined;
  give(request: GiveKudosRequest): Promise<GiveKudosOutcome>;
  /**
   * `/kudos`: given now when nobody needs looking up in Slack, otherwise stored and given by the outbox
   * (`give-later.ts`), which answers the giver through `responseUrl`.
   */
  giveNowOrLater(
    request: GiveKudosRequest,
    responseUrl: string | undefined,
  ): Promise<GiveKudosOutcome | GiveLater>;
  /**
   * Before Slack is answered (Bolt answers events before their listener runs): a reaction of the kudos emoji is
   * stored in the outbox, due a minute later, so a process that stops before it is given still gives it (after
   * a start, at once). Handled when it arrives, it is closed again.
   */
  journalReaction(event: ReactionEvent): Promise<void>;
  /** A reaction was added; gives kudos when it is the configured emoji. Throws when Slack could not be asked. */
  reactionAdded(event: ReactionEvent): Promise<void>;
  /**
   * The listener's entry: Slack has already been answered (Bolt acknowledges events first), so a reaction that
   * cannot be handled now (Slack lookups failing) is given by the outbox, with backoff (`journalReaction` kept it).
   */
  reactionAddedOrLater(event: ReactionEvent): Promise<void>;
  /** A reaction was removed; withdraws its kudos within the undo window. */
  reactionRemoved(event: ReactionEvent): void;
  /** A message was deleted; withdraws every kudos given for it. */
  messageDeleted(event: { eventId: string; channelId: string; messageTs: string }): void;
  /**
   * Queue an App Home publish for the user (on app_home_opened, or after choosing the leaderboard's period or
   * department; `department: undefined` is every department). From then on, what changes their Home refreshes it.
   */
  refreshHome(userId: string, trigger: string, choice?: LeaderboardChoice): void;
  /** Scheduled: forget Slack event ids older than a day and reaction events older than the undo window. */
  pruneEventLog(now: number): number;
  /** The user's own limits today (their allowance under the overrides), or undefined when kudos are off. */
  limitsOf(userId: string): Promise<KudosLimits | undefined>;
};

export type KudosLimits = {
  /** The user's daily allowance (an override's, or the default). */
  allowance: number;
  defaultAllowance: number;
  perRecipientCap: number;
  leftToday: number;
  /** The end of the user's day, in their own time zone. */
  resetsAt: number;
};

/** How long a Slack event id is remembered: Slack retries within about 5 minutes; a day is plenty. */
export const EVENT_ID_RETENTION_MS = 24 * 3_600_000;

/**
 * The kudos service: giving (`give.ts`), reactions and deleted messages (`reactions.ts`), and the Home refresh
 * and clean-up here. Every write and the outbox messages it needs commit in one transaction.
 */
export function createKudosService(deps: KudosDeps): KudosService {
  const { db, clock, logger } = deps;
  const settings = () => deps.config().kudos;
  // Gives share a commit per turn of the event loop (a burst of kudos, reactions, or `/kudos` given by the
  // outbox once Slack has been asked: one commit each turn, not one each); each is answered once committed.
  const giving: GiveDeps = { ...deps, write: createKudosWrites(db) };
  return {
    settings,
    give: (request) => giveKudos(giving, request),
    giveNowOrLater: (request, responseUrl) => giveKudosNowOrLater(giving, request, responseUrl),
    ...createReactionHandlers(giving),

    async limitsOf(userId) {
      const kudos = settings();
      if (!kudos) return undefined;
      const [person, allowance] = await Promise.all([
        deps.people.user(userId),
        allowanceOf(deps.people, kudos, userId),
      ]);
      const today = dayWindow(clock.now(), person.tz);
      return {
        allowance,
        defaultAllowance: kudos.daily_allowance,
        perRecipientCap: kudos.per_recipient_daily_cap,
        leftToday: Math.max(0, allowance - giverDay(db, userId, today).usedToday),
        resetsAt: today.end,
      };
    },

    pruneEventLog(now) {
      const undoWindowMs = (settings()?.undo_window_minutes ?? 60) * 60_000;
      pruneReactionEvents(db, now - undoWindowMs);
      const removed = pruneSlackEvents(db, now - EVENT_ID_RETENTION_MS);
      if (removed > 0) logger.debug({ removed }, 'forgot old Slack event ids');
      return removed;
    },

    refreshHome(userId, trigger, choice) {
      db.transaction(() => {
        const now = clock.now();
        recordHomeViewer(db, userId, now);
        if (choice && 'period' in choice) setHomePeriod(db, userId, choice.period, now);
        // Only a department of the config: anything else ("every department", or one removed since the Home
        // was drawn) shows everyone's board.
        if (choice && 'department' in choice) {
          const department = deps.config().departments.find((d) => d.id === choice.department);
          setHomeDepartment(db, userId, department?.id, now);
        }
        queueHomeRefresh(db, [userId], trigger, now);
      }).immediate();
    },
  };
}
