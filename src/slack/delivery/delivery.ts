import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Signal } from '../../signal.js';
import type { Db } from '../../store/db.js';
import { adminAlertHandlers } from './admin-alert.js';
import type { CircuitOptions } from './circuit.js';
import { createDeliveredBatch } from './delivered-batch.js';
import { createGates } from './gates.js';
import { conversationOf, LANES } from './lanes.js';
import { lazyLogger } from './lazy-logger.js';
import {
  countOutbox,
  hasNewOutboxWork,
  markOutboxDead,
  nextOutboxDueAt,
  type OutboxCounts,
  type OutboxEntry,
  releaseAttempts,
  rescheduleOutbox,
  resumeWaitingOutbox,
  retryParkedOutbox,
} from './outbox-repo.js';
import { createPacer, type PacingSettings } from './pacer.js';
import { createPoster, type PostMessage } from './post-message.js';
import { createProblemReporter, type ProblemReporter } from './problem-reporter.js';
import type { DeliveryProblem } from './problems-repo.js';
import { createRunsUnderWay, deliverInOrder, RUN_MAX } from './runs.js';
import { classifySlackFailure, type FailureClass } from './slack-errors.js';
import { createTakeRuns } from './take-runs.js';

export type DeliveryContext = {
  client: WebClient;
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * chat.postMessage, effectively once: the post carries the outbox id in its metadata, and after an attempt
   * whose outcome is unknown it is looked for in Slack (and adopted) before it is posted again.
   */
  post: PostMessage;
  /** A post this handler could not make and worked around (a department post sent to triage instead). */
  reportProblem(problem: { code: string; channel?: string | undefined }): void;
  /**
   * Bookkeeping of a delivery made (the post's ts, who was told, the next messages to queue), committed with its
   * sent mark in the batch that marks it, not in a transaction of its own. Until then the message is still
   * pending: after a crash it is tried again, finds its post in Slack (`post`) and writes this then. So it must be
   * safe to run twice, and nothing may need it before the message counts as sent. The next message of its
   * conversation starts only after it is recorded, unless that message is of the same kind (`deliverInOrder`):
   * a message must not need what an earlier message of its own kind leaves here.
   */
  whenMarkedSent(write: () => void): void;
};

/** Performs one kind of outbox message. It must be safe to run again: post through `ctx.post`, record progress. */
export type DeliveryHandler = ((payload: unknown, ctx: DeliveryContext) => Promise<void>) & {
  /** Set when the kind's messages in one run may be delivered together (`deliverInOrder`). */
  combine?: CombinedHandler;
};

/**
 * Several messages of one kind to one conversation, delivered at once: a DM that lists several kudos instead of
 * one DM each. Each post names the messages it delivers (`ctx.post(args, covers)`), so any of them tried again
 * alone after an unknown outcome finds it. Only first attempts go together; a retry goes alone.
 */
export type CombinedHandler = (
  items: readonly { outboxId: number; payload: unknown }[],
  ctx: CombinedContext,
) => Promise<void>;

export type CombinedContext = Omit<DeliveryContext, 'whenMarkedSent'> & {
  /** The bookkeeping of the delivery of one of the messages (see DeliveryContext). */
  whenMarkedSent(outboxId: number, write: () => void): void;
  /**
   * These messages are delivered, whatever happens to the rest: a failure after it does not send them again
   * (an ephemeral note, which cannot be looked up in Slack, would be shown twice).
   */
  done(outboxIds: readonly number[]): void;
};

export type DeliverySettings = {
  /** How long a message keeps being retried through failures before it is parked (and the admins told). */
  retryWindowMs: number;
  pacing: PacingSettings;
};

/** Slack's documented pace for chat.postMessage: about one a second per channel, short bursts allowed. */
export const SLACK_PACING: PacingSettings = { perKeyIntervalMs: 1000, perKeyBurst: 3, maxPerSecond: 20 };

export type DeliveryOptions = {
  db: Db;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  /** The features' outbox kinds and their handlers (`outboxHandlers`); the engine's own admin alerts are added. */
  handlers: Record<string, DeliveryHandler>;
  /** Notified when something was committed to the outbox: look for due work at once. */
  queued?: Pick<Signal, 'subscribe'>;
  /**
   * Slack requests being answered now: while there are any, a look for work first waits one turn of the event
   * loop, so the requests' commits and acks queued in this turn go before it.
   */
  requestsInFlight?: () => number;
  /** Read at each decision, so a config reload applies at once. */
  settings?: () => DeliverySettings;
  /** Who is told when deliveries fail. */
  admins?: () => readonly string[];
  /** How many calls run at once (one per conversation at most). */
  concurrency?: number;
  /** The most messages of one conversation taken at once and sent one after another (`runs.ts`). */
  runMax?: number;
  /** First retry delay after a failure of one message; doubles each attempt up to maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
  /** How often to look for due work even if nobody kicked us (covers retries and restarts). */
  pollMs?: number;
  circuit?: Partial<CircuitOptions>;
  /** While Slack refuses the token, how often one delivery tries again. */
  tokenRetryMs?: number;
};

export type DeliveryHealth = {
  tokenRefused: string | undefined;
  slackUnreachable: boolean;
  problems: DeliveryProblem[];
  outbox: OutboxCounts;
};

export type Delivery = {
  /** Look for due work now (called after a commit that queued something). */
  kick(): void;
  start(): void;
  /** Stop taking new work and wait up to drainMs for posts under way. */
  stop(drainMs?: number): Promise<void>;
  /** Deliver everything that is due, and wait for it (tests and shutdown use it). */
  drain(): Promise<void>;
  counts(): OutboxCounts;
  health(): DeliveryHealth;
  /** Slack said the token no longer works (`app_uninstalled`, `tokens_revoked` events). */
  tokenRefused(code: string): void;
  /** `/loop retry`: parked messages go out again; returns how many. */
  retryParked(): number;
};

const DEFAULT_SETTINGS: DeliverySettings = { retryWindowMs: 24 * 3_600_000, pacing: SLACK_PACING };

/**
 * Calls at once: as many as a channel has lanes (`LANES`). A burst of kudos posts then fills every slot, and the
 * DMs to the people thanked wait behind it and go out together (`COMBINED_RUN_MAX` in `runs.ts`). With slots to
 * spare beside the lanes, those DMs went out as they were queued, one kudos each: 1.79 posts per reaction
 * instead of 1.24, and a drain three times as long.
 */
const DEFAULT_CONCURRENCY = LANES;

/** The engine's delays and sizes: the options given, or the defaults. */
function engineTimings(options: DeliveryOptions) {
  return {
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 10 * 60_000,
    pollMs: options.pollMs ?? 1000,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    runMax: options.runMax ?? RUN_MAX,
  };
}

/** The gates every call passes: concurrency, the circuit breaker, and a token Slack refused. */
function engineGates(
  options: DeliveryOptions,
  problems: ProblemReporter,
  limits: { concurrency: number; retryBaseMs: number },
) {
  return createGates({
    ...limits,
    tokenRefused: () => problems.tokenProblem() !== undefined,
    tokenRetryMs: options.tokenRetryMs ?? 60_000,
    circuit: {
      threshold: 3,
      baseMs: Math.max(limits.retryBaseMs, 250),
      maxMs: 5 * 60_000,
      ...options.circuit,
    },
  });
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const { db, client, clock } = options;
  const handlers: Record<string, DeliveryHandler> = { ...adminAlertHandlers, ...options.handlers };
  const logger = options.logger.child({ module: 'delivery' });
  const settings = options.settings ?? (() => DEFAULT_SETTINGS);
  const { retryBaseMs, maxDelayMs, pollMs, concurrency, runMax } = engineTimings(options);
  const pacer = createPacer(() => settings().pacing);
  const admins = options.admins ?? (() => []);
  const problems: ProblemReporter = createProblemReporter({ db, clock, logger, admins });
  const gates = engineGates(options, problems, { concurrency, retryBaseMs });

  const inFlight = createRunsUnderWay();
  const delivered = createDeliveredBatch(db, clock, (entry, error) => {
    const log = logger.child({ outboxId: entry.id, kind: entry.kind });
    log.error({ err: error }, 'could not record a delivery made; it is tried again');
    settle(entry, classifySlackFailure(error), true, log);
  });
  const markDelivered = () => delivered.mark();
  let wakeAt: number | undefined;
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  const wake = (at: number) => {
    wakeAt = wakeAt === undefined ? at : Math.min(wakeAt, at);
  };
  const runs = createTakeRuns(db, pacer, {
    markDelivered,
    underWay: () => inFlight.claimedIds(),
    wake,
    combines: (entry) => combines(entry),
  });

  function park(entry: OutboxEntry, reason: string, cause: { code: string; cause?: string }): void {
    markOutboxDead(db, entry.id, reason, clock.now());
    logger.error(
      { outboxId: entry.id, kind: entry.kind, channel: conversationOf(entry.orderingKey), reason },
      'delivery cannot be made; parked, and the admins are told',
    );
    problems.report({ ...cause, channel: conversationOf(entry.orderingKey) });
  }

  /**
   * After a failed attempt: when to try again, or park it. `posted`: a post of this attempt reached Slack.
   * `counted`: the gates already know of this failure (another message of the same combined attempt).
   */
  function settle(
    entry: OutboxEntry,
    failure: FailureClass,
    posted: boolean,
    log: Logger,
    counted = false,
  ): void {
    const now = clock.now();
    if (!counted) gates.onFailure(failure, now);
    const reason = failure.kind === 'rate-limited' ? 'ratelimited' : failure.reason;
    if (failure.kind === 'permanent') {
      park(entry, reason, { code: reason });
      return;
    }
    if (failure.kind === 'token') problems.tokenRefused(reason);
    if (now - entry.retrySince >= settings().retryWindowMs) {
      park(entry, `gave up after the retry window: ${reason}`, {
        code: 'retry_window',
        cause: 'parked:retry_window',
      });
      return;
    }
    const retry = (at: number, countAttempt: boolean) =>
      rescheduleOutbox(db, entry.id, at, reason, {
        countAttempt,
        // A timeout or a cut connection may have posted: the next attempt looks in Slack first.
        outcomeUnknown: failure.kind === 'outage' || posted,
      });
    switch (failure.kind) {
      case 'rate-limited':
        retry(now + failure.retryAfterMs, false);
        log.warn(
          { retryAfterMs: failure.retryAfterMs },
          'Slack rate limit; every post waits as Retry-After asks',
        );
        return;
      case 'outage':
        retry(gates.retryAfterOutage(now), false);
        log.warn({ reason }, 'Slack unreachable or failing; will retry');
        return;
      case 'token':
        retry(now, false);
        return;
      case 'transient': {
        const delay = Math.min(maxDelayMs, retryBaseMs * 2 ** entry.attempts);
        const jitter = Math.floor(Math.random() * Math.min(1000, delay / 4));
        retry(now + delay + jitter, true);
        log.warn({ reason, retryInMs: delay + jitter }, 'delivery failed; will retry');
      }
    }
  }

  /** One attempt; whether it was delivered, and whether it left bookkeeping to commit (`whenMarkedSent`). */
  async function deliverOne(entry: OutboxEntry): Promise<{ ok: boolean; writes: boolean }> {
    const handler = handlers[entry.kind];
    // The message's own logger is made only when something is logged (`lazyLogger`).
    let child: Logger | undefined;
    const log = () => {
      child ??= logger.child({ outboxId: entry.id, kind: entry.kind });
      return child;
    };
    if (!handler) {
      park(entry, `no handler for kind ${entry.kind}`, {
        code: 'no_handler',
        cause: `no_handler:${entry.kind}`,
      });
      return { ok: false, writes: false };
    }
    const lazy = lazyLogger(log);
    const poster = createPoster(client, {
      outboxId: entry.id,
      uncertainSince: entry.attemptStartedAt,
      logger: lazy,
    });
    const writes: (() => void)[] = [];
    try {
      await handler(entry.payload, {
        client,
        db,
        clock,
        logger: lazy,
        post: poster.post,
        reportProblem: (p) => problems.report(p),
        whenMarkedSent: (write) => writes.push(write),
      });
      delivered.add(entry, writes);
      succeeded(log);
      return { ok: true, writes: writes.length > 0 };
    } catch (error) {
      settle(entry, classifySlackFailure(error), poster.state.posted, log());
      return { ok: false, writes: false };
    }
  }

  function succeeded(log: () => Logger): void {
    if (gates.onSuccess()) {
      resumeWaitingOutbox(db, clock.now());
      logger.info('Slack answers again; deliveries resume');
    }
    problems.tokenWorks();
    if (logger.isLevelEnabled('debug')) log().debug('delivered');
  }

  /**
   * Messages of one kind delivered together (`CombinedHandler`). Those the handler said were done (`ctx.done`)
   * are marked sent whatever happens after; the others are marked sent, or settled, as one.
   */
  async function deliverCombined(entries: readonly OutboxEntry[]): Promise<{ ok: boolean; writes: boolean }> {
    const first = entries[0] as OutboxEntry;
    const combine = handlers[first.kind]?.combine as CombinedHandler;
    let child: Logger | undefined;
    const log = () => {
      child ??= logger.child({ outboxIds: entries.map((e) => e.id), kind: first.kind });
      return child;
    };
    const lazy = lazyLogger(log);
    const poster = createPoster(client, { outboxId: first.id, uncertainSince: undefined, logger: lazy });
    const writes = new Map<number, (() => void)[]>();
    const done = new Set<number>();
    const ctx: CombinedContext = {
      client,
      db,
      clock,
      logger: lazy,
      // A post that names nothing delivers them all: a retry of any of them alone must find it.
      post: (args, covers) => poster.post(args, covers ?? entries.map((e) => e.id)),
      reportProblem: (p) => problems.report(p),
      whenMarkedSent: (id, write) => writes.set(id, [...(writes.get(id) ?? []), write]),
      done: (ids) => {
        for (const id of ids) done.add(id);
        // What is still to go has posted nothing yet.
        poster.state.posted = false;
      },
    };
    try {
      await combine(
        entries.map((e) => ({ outboxId: e.id, payload: e.payload })),
        ctx,
      );
      for (const entry of entries) delivered.add(entry, writes.get(entry.id) ?? []);
      succeeded(log);
      return { ok: true, writes: writes.size > 0 };
    } catch (error) {
      for (const entry of entries.filter((e) => done.has(e.id)))
        delivered.add(entry, writes.get(entry.id) ?? []);
      settleCombined(
        entries.filter((e) => !done.has(e.id)),
        classifySlackFailure(error),
        poster.state.posted,
        log(),
      );
      return { ok: false, writes: false };
    }
  }

  /** After a failed combined attempt, each message not yet done: one failure for the gates, each retried. */
  function settleCombined(
    entries: readonly OutboxEntry[],
    failure: FailureClass,
    posted: boolean,
    log: Logger,
  ) {
    entries.forEach((entry, i) => {
      // One message's problem must not park the others: each is tried again alone, where it is its own.
      if (failure.kind === 'permanent') {
        if (i === 0) gates.onFailure(failure, clock.now());
        rescheduleOutbox(db, entry.id, clock.now(), failure.reason, {
          countAttempt: true,
          outcomeUnknown: posted,
        });
      } else settle(entry, failure, posted, log, i > 0);
    });
  }

  /** Whether a message may go together with the others of its kind: its kind combines, and this is its first try. */
  const combines = (entry: OutboxEntry) =>
    handlers[entry.kind]?.combine !== undefined &&
    entry.attemptStartedAt === undefined &&
    entry.attempts === 0;

  const deliverRun = (run: readonly OutboxEntry[]) =>
    deliverInOrder(run, {
      mayGoOn: () => running && gates.allowance(clock.now(), () => {}) > 1,
      combines,
      deliver: (entries) =>
        entries.length === 1 ? deliverOne(entries[0] as OutboxEntry) : deliverCombined(entries),
      recorded: (entries) => {
        const failed = markDelivered();
        return entries.every((e) => !failed.has(e.id));
      },
      release: (ids) => releaseAttempts(db, ids),
    });

  function launch(run: readonly OutboxEntry[]): void {
    const first = run[0] as OutboxEntry;
    const probe = gates.begin(clock.now());
    const done = deliverRun(run)
      .catch((error: unknown) =>
        logger.error({ err: error, outboxId: first.id }, 'delivery failed unexpectedly'),
      )
      .finally(() => {
        inFlight.remove(run);
        gates.end(probe, clock.now());
        soon();
      });
    inFlight.add(run, done);
  }

  /** Start as much due work as the gates allow; returns how many started. Each finished call pumps again. */
  function pump(): number {
    wakeAt = undefined;
    const now = clock.now();
    const allowed = gates.allowance(now, wake);
    const free = allowed - inFlight.size;
    if (free <= 0) {
      markDelivered();
      return 0;
    }
    const taken = runs.take(now, free, allowed > 1 ? runMax : 1);
    for (const run of taken) launch(run);
    return taken.length;
  }

  function schedule(): void {
    if (!running) return;
    clearTimeout(timer);
    const now = clock.now();
    // Work already due but not started waits for a gate (wakeAt) or a call under way (which pumps when done).
    const due = nextOutboxDueAt(db);
    const next = due !== undefined && due > now ? due : now + pollMs;
    const at = Math.min(next, wakeAt ?? next);
    timer = setTimeout(tick, Math.max(0, Math.min(pollMs, at - now)));
    timer.unref();
  }

  /**
   * Pump on the next turn of the event loop; calls made before then share that one pump. Every request that
   * queues a post and every delivery that finishes asks for one, so under load most of them coalesce.
   * `queued`: only new messages were committed (a kick). Then the full look runs only if one of them may start
   * (`hasNewOutboxWork`): while every conversation with work is under way, as during a burst of filings to a
   * few department channels, each request's kick cost a full look over the queue that found nothing; the
   * run that finishes looks anyway.
   */
  let tickQueued = false;
  let onlyQueued = true;
  function soon(queued = false): void {
    if (!queued) onlyQueued = false;
    if (!running || tickQueued) return;
    tickQueued = true;
    let gaveWay = false;
    setImmediate(function look() {
      // Stopped meanwhile (the hop below makes that a turn more likely): start nothing more.
      if (!running) {
        tickQueued = false;
        onlyQueued = true;
        return;
      }
      // A request's commit is queued for this same turn (`createGroupCommit`), and its ack follows that commit:
      // a look (a transaction, then the calls it starts) run before it would make the person's answer wait.
      if (!gaveWay && (options.requestsInFlight?.() ?? 0) > 0) {
        gaveWay = true;
        setImmediate(look);
        return;
      }
      tickQueued = false;
      const kicked = onlyQueued;
      onlyQueued = true;
      if (kicked && !newWorkMayStart()) return;
      tick();
    });
  }
  const kick = () => soon(true);
  /** Whether a kick needs a full look; when the check itself fails, the full look runs (and reports it). */
  function newWorkMayStart(): boolean {
    try {
      return hasNewOutboxWork(db, runs.lookedUpTo(), inFlight.busyKeys());
    } catch {
      return true;
    }
  }

  function tick(): void {
    try {
      pump();
    } catch (error) {
      logger.error({ err: error }, 'delivery loop failed');
    }
    schedule();
  }

  options.queued?.subscribe(kick);

  return {
    kick,
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop(drainMs = 5000) {
      running = false;
      clearTimeout(timer);
      if (inFlight.size > 0) {
        await Promise.race([
          inFlight.ended(),
          new Promise((resolve) => setTimeout(resolve, drainMs).unref()),
        ]);
      }
      markDelivered();
    },
    async drain() {
      for (;;) {
        const started = pump();
        if (inFlight.size > 0) {
          await inFlight.ended();
          continue;
        }
        // Nothing under way: done, unless due work only waits for its pacing turn.
        if (started > 0) continue;
        const now = clock.now();
        const due = nextOutboxDueAt(db);
        const turn = wakeAt;
        if (due === undefined || due > now || turn === undefined || gates.allowance(now, wake) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, turn - now)));
      }
    },
    counts: () => {
      markDelivered();
      return countOutbox(db);
    },
    health: () => ({
      tokenRefused: problems.tokenProblem(),
      slackUnreachable: gates.slackUnreachable(),
      problems: problems.open(),
      outbox: countOutbox(db),
    }),
    tokenRefused(code) {
      problems.tokenRefused(code);
      gates.onFailure({ kind: 'token', reason: code }, clock.now());
    },
    retryParked() {
      const n = retryParkedOutbox(db, clock.now());
      problems.resolveAll();
      soon();
      return n;
    },
  };
}
