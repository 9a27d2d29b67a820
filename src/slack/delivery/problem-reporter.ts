import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';
import { enqueueOutbox } from './outbox-repo.js';
import { problemAlertText, tokenRecoveredText } from './problem-notes.js';
import {
  type DeliveryProblem,
  listOpenProblems,
  markProblemReported,
  recordProblem,
  resolveProblems,
} from './problems-repo.js';

const TOKEN_PREFIX = 'token:';

export type ProblemReporter = {
  /** A delivery that cannot be made to `channel`: recorded; the admins get one DM per cause. */
  report(problem: { code: string; channel?: string | undefined; cause?: string }): void;
  /** Slack refused the token: an error log line once, the health detail; the DM waits until it works again. */
  tokenRefused(code: string): void;
  /** A call succeeded: if the token had been refused, the admins are told it was and works again. */
  tokenWorks(): void;
  /** The code Slack refused the token with, while it does. */
  tokenProblem(): string | undefined;
  open(): DeliveryProblem[];
  /** `/loop retry`: every open cause but the token's is closed, so a new failure is reported again. */
  resolveAll(): void;
};

export function createProblemReporter(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  admins: () => readonly string[];
}): ProblemReporter {
  const { db, clock, logger } = deps;
  let token = listOpenProblems(db).find((p) => p.cause.startsWith(TOKEN_PREFIX))?.code;

  const tellAdmins = (problem: DeliveryProblem, text: string, now: number) => {
    const admins = deps.admins();
    if (admins.length === 0) logger.error({ cause: problem.cause }, 'no admins in the org config to tell');
    for (const admin of admins) {
      enqueueOutbox(
        db,
        {
          kind: 'admin.alert_dm',
          payload: { userId: admin, text },
          dedupeKey: `delivery-problem:${problem.cause}:${problem.firstAt}:${admin}`,
          orderingKey: admin,
        },
        now,
      );
    }
    markProblemReported(db, problem.cause, now);
  };

  return {
    report({ code, channel, cause }) {
      const now = clock.now();
      db.transaction(() => {
        const problem = recordProblem(db, { cause: cause ?? `${code}:${channel ?? ''}`, code, channel }, now);
        if (problem.reportedAt === undefined) tellAdmins(problem, problemAlertText(problem), now);
      })();
    },
    tokenRefused(code) {
      const problem = recordProblem(db, { cause: `${TOKEN_PREFIX}${code}`, code }, clock.now());
      if (token !== code || problem.count === 1) {
        logger.error(
          { code },
          'Slack refuses the bot token: nothing can be posted until the app is reinstalled or the token fixed; deliveries wait',
        );
      }
      token = code;
    },
    tokenWorks() {
      if (token === undefined) return;
      token = undefined;
      const now = clock.now();
      db.transaction(() => {
        for (const problem of resolveProblems(db, TOKEN_PREFIX, now)) {
          tellAdmins(problem, tokenRecoveredText(problem, now), now);
        }
      })();
      logger.info('Slack accepts the bot token again; deliveries resume');
    },
    tokenProblem: () => token,
    open: () => listOpenProblems(db),
    resolveAll() {
      const now = clock.now();
      for (const p of listOpenProblems(db)) {
        if (!p.cause.startsWith(TOKEN_PREFIX)) resolveProblems(db, p.cause, now);
      }
    },
  };
}
