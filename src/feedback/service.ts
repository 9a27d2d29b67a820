import type { ServiceDeps } from '../app-core.js';
import type { Department, OrgConfig } from '../config/org-schema.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { createGroupCommit } from '../store/group-commit.js';
import {
  type AnswerExpectation,
  type AnswerExpectations,
  createAnswerExpectations,
} from './expected-answer.js';
import { insertFeedbackEvent } from './history-repo.js';
import { createRecentWords, type RecentWords } from './recent-words.js';
import {
  countCustomerComplaintsSince,
  linkSimilarItems,
  listCustomerCandidates,
  markCustomerAtRisk,
} from './recurrence-repo.js';
import {
  findFeedbackByIdempotencyKey,
  getFeedbackItem,
  getLatestRouting,
  insertFeedbackItem,
  insertRouting,
  upsertCustomer,
} from './repo.js';
import {
  type CompiledRouter,
  compileRouter,
  explicitRouting,
  type RoutingDecision,
  routeFeedback,
} from './routing.js';
import { bestSimilarByWords, contentWords, type SimilarMatch, type WordsCandidate } from './similarity.js';
import {
  FEEDBACK_LIMITS,
  type FeedbackItem,
  type ItemThemer,
  type NewFeedback,
  type StoredRouting,
} from './types.js';

/**
 * Called inside the intake transaction for each new item (never for a repeated submission), so what it writes
 * and queues commits with the item or not at all.
 */
export type OnFeedbackFiled = (filed: { itemId: number; input: NewFeedback; now: number }) => void;

export type FeedbackDeps = ServiceDeps & { themes?: ItemThemer; onFiled?: OnFeedbackFiled | undefined };

export type SubmittedFeedback = {
  item: FeedbackItem;
  routing: StoredRouting;
  department: Department | undefined;
  /** True when this exact submission was already stored (a retried request or a double submit). */
  duplicate: boolean;
  /** When the customer can expect an answer, for the receipt. */
  expectation: AnswerExpectation | undefined;
};

export type FeedbackService = {
  submit(input: NewFeedback): SubmittedFeedback;
  /**
   * The same, committed together with the other submissions of this turn of the event loop (`createGroupCommit`):
   * resolves once the item is stored, for a listener to answer then. Intake under load writes far fewer pages.
   */
  submitSoon(input: NewFeedback): Promise<SubmittedFeedback>;
  /** Customer words were erased (retention, forget): new reports must not be compared with them. */
  forgetRecentWords(): void;
  /** When the customer can expect an answer to this item (the receipt DM asks at delivery). */
  expectAnswer: AnswerExpectations;
};

export function createFeedbackService(deps: FeedbackDeps): FeedbackService {
  // Compiled once per loaded config; a reload hands us a new config object and so a new router.
  const routers = new WeakMap<OrgConfig, CompiledRouter>();
  const routerFor = (config: OrgConfig): CompiledRouter => {
    let router = routers.get(config);
    if (!router) {
      router = compileRouter(config.departments);
      routers.set(config, router);
    }
    return router;
  };
  const recent = createRecentWords(deps.db);
  const decide = (config: OrgConfig, input: Pick<NewFeedback, 'departmentId' | 'summary' | 'details'>) =>
    decideRouting(routerFor(config), input);
  const expectAnswer = createAnswerExpectations({ db: deps.db, now: () => deps.clock.now() });
  const withExpectation = (submitted: Omit<SubmittedFeedback, 'expectation'>): SubmittedFeedback => ({
    ...submitted,
    expectation: expectAnswer(submitted.item, submitted.department),
  });
  const storeTogether = createGroupCommit(deps.db, {
    write: (input: NewFeedback) => {
      const config = deps.config();
      const stored = storeFeedback(deps, decide, recent, config, input);
      // The next items of the batch compare themselves with this one, as after a commit of its own; `undo`
      // forgets it again if the batch is rolled back.
      if (stored.filed) recent.add(input.teamId, stored.filed);
      return { ...stored, config };
    },
    undo: () => {
      recent.clear();
      deps.themes?.rolledBack();
    },
  });
  return {
    submit: (input) => withExpectation(submitFeedback(deps, decide, recent, input)),
    submitSoon: async (input) => {
      const { id, duplicate, config } = await storeTogether(input);
      return withExpectation(loadStored(deps, config, id, duplicate));
    },
    forgetRecentWords: () => recent.clear(),
    expectAnswer,
  };
}

/** The routing decision for new feedback: the reporter's choice wins, otherwise the rules, otherwise triage. */
export function decideRouting(
  router: CompiledRouter,
  input: Pick<NewFeedback, 'departmentId' | 'summary' | 'details'>,
): RoutingDecision {
  if (input.departmentId !== undefined) return explicitRouting(input.departmentId);
  return routeFeedback(router, `${input.summary}\n${input.details}`);
}

/**
 * Store a piece of customer feedback, decide where it goes, and queue its Slack posts — all in one
 * transaction, before anyone is told it was received. Submitting the same request twice (same
 * idempotency key: Slack's trigger id or view id) returns the first item instead of a second one.
 */
function submitFeedback(
  deps: FeedbackDeps,
  decide: Decide,
  recent: RecentWords,
  input: NewFeedback,
): Omit<SubmittedFeedback, 'expectation'> {
  const config = deps.config();
  const store = deps.db.transaction(() => storeFeedback(deps, decide, recent, config, input));
  const { id, duplicate, filed } = runStore(store.immediate, deps.themes);
  // Only once committed: a rolled-back filing never becomes a candidate.
  if (filed) recent.add(input.teamId, filed);
  return loadStored(deps, config, id, duplicate);
}

type Decide = (config: OrgConfig, input: NewFeedback) => RoutingDecision;
type Stored = { id: number; duplicate: boolean; filed?: RecentEntry };

/** The intake transaction's writes, inside the caller's transaction (one item's, or a batch's savepoint). */
function storeFeedback(
  deps: FeedbackDeps,
  decide: Decide,
  recent: RecentWords,
  config: OrgConfig,
  input: NewFeedback,
): Stored {
  const { db, clock } = deps;
  const existing = findFeedbackByIdempotencyKey(db, input.idempotencyKey);
  if (existing) return { id: existing.id, duplicate: true };
  const now = clock.now();
  const routing = decide(config, input);
  const customerId = input.customer ? upsertCustomer(db, input.teamId, input.customer, now) : undefined;
  const similar = findRecurring(db, config, recent, { teamId: input.teamId, customerId, now, input });
  const id = insertFeedbackItem(db, {
    ...input,
    customerId,
    departmentId: routing.departmentId ?? undefined,
    status: 'new',
    now,
    similarityWords: similar.words,
    similarCount: similar.total,
  });
  insertRouting(db, id, routing, routing.method === 'explicit' ? input.reporterId : undefined, now);
  insertFeedbackEvent(db, {
    itemId: id,
    at: now,
    actorId: input.reporterId,
    action: 'created',
    fromStatus: undefined,
    toStatus: 'new',
    note: routing.reason,
  });
  deps.themes?.assign({ id, summary: input.summary, details: input.details }, now);
  linkRecurring(db, config, { id, customerId, kind: input.kind, now, matches: similar.best });
  queuePosts(db, config, { id, departmentId: routing.departmentId, input, now });
  deps.onFiled?.({ itemId: id, input, now });
  return { id, duplicate: false, filed: { id, customerId, createdAt: now, words: similar.words } };
}

/** The new item's posts, in the outbox: its department channel's, and a receipt DM for a form. */
function queuePosts(
  db: Db,
  config: OrgConfig,
  item: { id: number; departmentId: string | null; input: NewFeedback; now: number },
): void {
  const { id, input, now } = item;
  // Items for one channel are posted in the order they were filed (the channel is the ordering key).
  const channel =
    config.departments.find((d) => d.id === item.departmentId)?.channel ?? config.triage.channel;
  enqueueOutbox(
    db,
    {
      kind: 'feedback.department_post',
      payload: { itemId: id },
      dedupeKey: `feedback:${id}:post`,
      orderingKey: channel,
    },
    now,
  );
  if (input.source !== 'command') {
    // An inline command gets its receipt in the command's response; a modal has nowhere else to answer.
    enqueueOutbox(
      db,
      {
        kind: 'feedback.receipt_dm',
        payload: { itemId: id },
        dedupeKey: `feedback:${id}:receipt`,
        orderingKey: input.reporterId,
      },
      now,
    );
  }
}

/** The committed item as the receipt shows it, and the line that says it was stored. */
function loadStored(
  deps: FeedbackDeps,
  config: OrgConfig,
  id: number,
  duplicate: boolean,
): Omit<SubmittedFeedback, 'expectation'> {
  const loaded = loadSubmitted(deps.db, config, id);
  deps.logger.info(
    {
      item: loaded.item.reference,
      department: loaded.item.departmentId ?? 'triage',
      method: loaded.routing.method,
      duplicate,
    },
    duplicate ? 'feedback submission repeated; kept the first' : 'feedback stored',
  );
  return { ...loaded, duplicate };
}

/** The intake transaction; when it fails, what theme assignment changed in memory is undone. */
function runStore<T>(run: () => T, themes: ItemThemer | undefined): T {
  try {
    return run();
  } catch (error) {
    themes?.rolledBack();
    throw error;
  }
}

function loadSubmitted(
  db: Db,
  config: OrgConfig,
  id: number,
): Omit<SubmittedFeedback, 'duplicate' | 'expectation'> {
  const item = getFeedbackItem(db, id);
  const routing = getLatestRouting(db, id);
  if (!item || !routing) throw new Error(`feedback item ${id} vanished right after it was stored`);
  const department = item.departmentId
    ? config.departments.find((d) => d.id === item.departmentId)
    : undefined;
  return { item, routing, department };
}

const DAY_MS = 86_400_000;

type RecentEntry = Parameters<RecentWords['add']>[1];

/**
 * Recurring complaints, decided once when an item is filed and stored with it: its meaningful words and the
 * similar earlier reports (same customer, or similar wording) within the window. Found before the item is
 * inserted, so the item's row is written once with its words and how many matched (each later UPDATE of the
 * row rewrote its page and an index entry).
 */
function findRecurring(
  db: Db,
  config: OrgConfig,
  recent: RecentWords,
  r: {
    teamId: string;
    customerId: number | undefined;
    now: number;
    input: Pick<NewFeedback, 'summary' | 'details'>;
  },
): { words: ReadonlySet<string>; total: number; best: SimilarMatch[] } {
  const { similarity } = config.feedback;
  const words = contentWords(`${r.input.summary}\n${r.input.details}`);
  // The team's latest reports (from memory), plus every report of the same customer in the window.
  const since = r.now - similarity.window_days * DAY_MS;
  const latest = recent.candidates(r.teamId, since);
  const candidates =
    r.customerId === undefined
      ? latest
      : withoutRepeats(
          latest,
          listCustomerCandidates(db, { teamId: r.teamId, since, customerId: r.customerId }),
        );
  const report = { customerId: r.customerId, words };
  const { total, best } = bestSimilarByWords(
    report,
    candidates,
    similarity.threshold,
    FEEDBACK_LIMITS.similarNamed,
  );
  return { words, total, best };
}

/** The latest reports, then the customer's reports that are not among them. */
function withoutRepeats(
  latest: readonly WordsCandidate[],
  sameCustomer: WordsCandidate[],
): readonly WordsCandidate[] {
  if (sameCustomer.length === 0) return latest;
  const seen = new Set(latest.map((c) => c.id));
  return [...latest, ...sameCustomer.filter((c) => !seen.has(c.id))];
}

/**
 * What the new item found, written with it: links to the similar reports its post names (`matches`, the best
 * ones), and the at-risk mark when the customer has reached the configured number of complaints.
 */
function linkRecurring(
  db: Db,
  config: OrgConfig,
  r: {
    id: number;
    customerId: number | undefined;
    kind: NewFeedback['kind'];
    now: number;
    matches: readonly SimilarMatch[];
  },
): void {
  const { at_risk } = config.feedback;
  if (r.matches.length > 0) linkSimilarItems(db, r.id, r.matches);
  if (r.customerId !== undefined && r.kind === 'complaint') {
    const complaints = countCustomerComplaintsSince(db, r.customerId, r.now - at_risk.days * DAY_MS);
    if (complaints >= at_risk.complaints) markCustomerAtRisk(db, r.customerId, r.id, complaints, r.now);
  }
}
