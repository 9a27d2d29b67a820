import type { GroupServiceDeps } from '../app-core.js';
import { belongsToDepartment } from '../config/membership.js';
import { isAdmin } from '../config/org.js';
import type { Department, OrgConfig } from '../config/org-schema.js';
import { UserFacingError } from '../errors.js';
import type { OutboxKind, OutboxPayloads } from '../slack/delivery/outbox-kinds.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { insertFeedbackEvent, lastEventInto, lastEventOfAction } from './history-repo.js';
import { applyOutcomeReset } from './outcome-state-repo.js';
import {
  applyStatusChange,
  getFeedbackItem,
  hasFiledAny,
  insertRouting,
  listOpenItemsOfReporter,
} from './repo.js';
import { type FeedbackItem, type FeedbackStatus, REASSIGNED_REASON } from './types.js';

/**
 * What people do with a feedback item after it is filed: acknowledge, resolve, reassign, reopen.
 * Every change is checked (the item exists, the person belongs to the owning department, the button is
 * not stale, the change makes sense from the current status), then stored with its history row and its
 * queued Slack work in one transaction whose UPDATE only applies at the version the person saw — so a
 * double click, or two people at once, make exactly one change.
 */

export type LifecycleAction = 'acknowledge' | 'resolve' | 'reassign' | 'reopen';

/** The status each action leads to (reassign keeps the item open and hands it to a new team as new). */
const TARGET: Record<LifecycleAction, FeedbackStatus> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reassign: 'new',
  reopen: 'reopened',
};

const ALLOWED_FROM: Record<LifecycleAction, readonly FeedbackStatus[]> = {
  acknowledge: ['new', 'reopened'],
  resolve: ['new', 'acknowledged', 'reopened'],
  reassign: ['new', 'acknowledged', 'reopened'],
  reopen: ['resolved'],
};

/** Which buttons a message shows in each status. */
export function actionsFor(status: FeedbackStatus): LifecycleAction[] {
  return (Object.keys(ALLOWED_FROM) as LifecycleAction[]).filter((a) => ALLOWED_FROM[a].includes(status));
}

/** What a button or form acts on: the item, its version then and (forms) its department then. */
export type ButtonRef = { itemId: number; version: number; departmentId?: string | null | undefined };

export function buttonValue(item: Pick<FeedbackItem, 'id' | 'version'>): string {
  return `${item.id}:${item.version}`;
}

export function parseButtonValue(value: unknown): ButtonRef | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{1,15}):(\d{1,9})$/.exec(value.trim());
  if (!m) return undefined;
  return { itemId: Number(m[1]), version: Number(m[2]) };
}

/** A form remembers the department it was opened for; the item has moved to another one since. */
function movedSince(item: FeedbackItem, ref: ButtonRef): boolean {
  return ref.departmentId !== undefined && (item.departmentId ?? null) !== ref.departmentId;
}

export type Refusal =
  | { reason: 'malformed' }
  | { reason: 'not-found' }
  | { reason: 'not-allowed'; item: FeedbackItem; department: Department | undefined }
  | {
      reason: 'already';
      item: FeedbackItem;
      action: LifecycleAction;
      by: string | undefined;
      at: number | undefined;
    }
  | { reason: 'stale'; item: FeedbackItem }
  | {
      reason: 'moved';
      item: FeedbackItem;
      to: Department | undefined;
      by: string | undefined;
      at: number | undefined;
    }
  | { reason: 'invalid-transition'; item: FeedbackItem; action: LifecycleAction }
  | { reason: 'same-department'; item: FeedbackItem; department: Department | undefined }
  | { reason: 'unknown-department'; item: FeedbackItem }
  | { reason: 'no-other-department'; item: FeedbackItem }
  | { reason: 'note-required'; item: FeedbackItem };

export type Checked =
  | { ok: true; item: FeedbackItem; department: Department | undefined }
  | ({ ok: false } & Refusal);

export type ChangeRequest = {
  actorId: string;
  ref: ButtonRef | undefined;
  action: LifecycleAction;
  note?: string | undefined;
  customerContacted?: boolean | undefined;
  toDepartmentId?: string | undefined;
  /**
   * A modal submitted after the item changed (someone acknowledged it while the note was being written):
   * apply it if the action still makes sense from the current status. Buttons never set this: a button
   * from an old message version is refused. The change still applies only at the version read here.
   */
  acceptNewerVersion?: boolean;
  /** The customer came back (a follow-up answer): the reporter reopens the item, though not in the department. */
  byFollowUp?: boolean;
};

export type Changed = { ok: true; item: FeedbackItem; eventId: number } | ({ ok: false } & Refusal);

/** `/feedback mine`: the newest open items a person filed; `filedAny` tells "all resolved" from "never filed". */
export type MyFeedback = { open: FeedbackItem[]; filedAny: boolean };

export type LifecycleDeps = GroupServiceDeps & {
  /** How long to wait for Slack to tell us user-group members before giving up politely. */
  membershipTimeoutMs?: number;
};

export type LifecycleService = {
  /** Before opening a modal: may this person do this to the item the button shows? No state change. */
  check(actorId: string, ref: ButtonRef | undefined, action: LifecycleAction): Promise<Checked>;
  change(request: ChangeRequest): Promise<Changed>;
  /** The caller's open items, newest first, and whether they ever filed anything. */
  mine(userId: string): MyFeedback;
};

/**
 * The Slack side of one change, queued in its transaction. Ordering keys: the item's messages in a channel
 * (post, updates, thread lines) go out in the order of the changes, and so do the reporter's DMs.
 */
function queueChangeDeliveries(
  db: Db,
  config: OrgConfig,
  change: { item: FeedbackItem; target: Department | undefined; eventId: number },
  now: number,
): void {
  const { item, target, eventId } = change;
  const version = item.version + 1;
  const channelOf = (departmentId: string | undefined) =>
    config.departments.find((d) => d.id === departmentId)?.channel ?? config.triage.channel;
  const itemChannel = item.postChannelId ?? channelOf(item.departmentId);
  const queue = <K extends OutboxKind>(
    kind: K,
    payload: OutboxPayloads[K],
    dedupeKey: string,
    orderingKey: string,
  ) => enqueueOutbox(db, { kind, payload, dedupeKey, orderingKey }, now);
  if (target) {
    if (item.postChannelId && item.postTs) {
      queue(
        'feedback.moved_notice',
        { itemId: item.id, eventId, channel: item.postChannelId, ts: item.postTs },
        `feedback:event:${eventId}:moved`,
        item.postChannelId,
      );
    }
    queue(
      'feedback.department_post',
      { itemId: item.id },
      `feedback:${item.id}:post:v${version}`,
      target.channel,
    );
  } else {
    queue('feedback.post_update', { itemId: item.id }, `feedback:${item.id}:update:v${version}`, itemChannel);
    queue(
      'feedback.thread_note',
      { itemId: item.id, eventId },
      `feedback:event:${eventId}:thread`,
      itemChannel,
    );
  }
  queue('feedback.status_dm', { itemId: item.id, eventId }, `feedback:event:${eventId}:dm`, item.reporterId);
}

export function createLifecycleService(deps: LifecycleDeps): LifecycleService {
  const timeoutMs = deps.membershipTimeoutMs ?? 1500;
  const log = deps.logger;

  const mayChange = async (config: OrgConfig, item: FeedbackItem, userId: string): Promise<boolean> => {
    const department = config.departments.find((d) => d.id === item.departmentId);
    // Triage items belong to no department yet: admins and any department lead may pick them up.
    // A department's items are changed by its members and leads only.
    if (!department)
      return isAdmin(config, userId) || config.departments.some((d) => d.leads.includes(userId));
    const lookup = belongsToDepartment(department, userId, deps.groupMembers);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('membership lookup timed out')), timeoutMs);
    });
    try {
      return await Promise.race([lookup, timeout]);
    } catch (error) {
      throw new UserFacingError(
        'membership_unavailable',
        'Sorry, I could not check with Slack who belongs to this department just now, so nothing changed. Please try again in a minute.',
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  };

  /** Everything but the version race, which the UPDATE settles. */
  const precheck = (
    item: FeedbackItem,
    ref: ButtonRef,
    action: LifecycleAction,
    acceptNewerVersion = false,
  ): Refusal | undefined => {
    // A form opened before the item moved to another department acts on a department it no longer has
    // (two Reassign forms open at once would otherwise both go through).
    if (movedSince(item, ref)) return movedRefusal(item);
    if (item.version !== ref.version) {
      if (item.status === TARGET[action] && action !== 'reassign') {
        const by = lastEventInto(deps.db, item.id, item.status);
        return { reason: 'already', item, action, by: by?.actorId, at: by?.at };
      }
      if (!(acceptNewerVersion && ALLOWED_FROM[action].includes(item.status)))
        return { reason: 'stale', item };
    }
    if (!ALLOWED_FROM[action].includes(item.status)) return { reason: 'invalid-transition', item, action };
    return undefined;
  };

  /** Where the item went, who moved it and when: said first, before who may change it there. */
  const movedRefusal = (item: FeedbackItem): Refusal => {
    const moved = lastEventOfAction(deps.db, item.id, 'reassign');
    const to = deps.config().departments.find((d) => d.id === item.departmentId);
    return { reason: 'moved', item, to, by: moved?.actorId, at: moved?.at };
  };

  const check = async (
    actorId: string,
    ref: ButtonRef | undefined,
    action: LifecycleAction,
    acceptNewerVersion = false,
    byFollowUp = false,
  ): Promise<Checked> => {
    if (!ref) return { ok: false, reason: 'malformed' };
    const config = deps.config();
    const item = getFeedbackItem(deps.db, ref.itemId);
    if (!item) return { ok: false, reason: 'not-found' };
    if (movedSince(item, ref)) return { ok: false, ...movedRefusal(item) };
    const department = config.departments.find((d) => d.id === item.departmentId);
    if (!(byFollowUp && action === 'reopen') && !(await mayChange(config, item, actorId)))
      return { ok: false, reason: 'not-allowed', item, department };
    const refusal = precheck(item, ref, action, acceptNewerVersion);
    if (refusal) return { ok: false, ...refusal };
    if (action === 'reassign' && !config.departments.some((d) => d.id !== item.departmentId)) {
      return { ok: false, reason: 'no-other-department', item };
    }
    return { ok: true, item, department };
  };

  const change = async (request: ChangeRequest): Promise<Changed> => {
    const checked = await check(
      request.actorId,
      request.ref,
      request.action,
      request.acceptNewerVersion,
      request.byFollowUp,
    );
    if (!checked.ok) return checked;
    const { item } = checked;
    const config = deps.config();
    const note = request.note?.trim();
    if (request.action === 'resolve' && !note) return { ok: false, reason: 'note-required', item };
    let target: Department | undefined;
    if (request.action === 'reassign') {
      target = config.departments.find((d) => d.id === request.toDepartmentId);
      if (!target) return { ok: false, reason: 'unknown-department', item };
      if (target.id === item.departmentId) {
        return { ok: false, reason: 'same-department', item, department: target };
      }
    }

    const { db, clock } = deps;
    const tx = db.transaction((): Changed => {
      const now = clock.now();
      const toStatus = TARGET[request.action];
      const applied = applyStatusChange(db, {
        id: item.id,
        expectedVersion: item.version,
        expectedStatus: item.status,
        toStatus,
        now,
        departmentId: target?.id,
        restartSla: request.action === 'reassign' || request.action === 'reopen',
        resolutionNote: request.action === 'resolve' ? note : undefined,
        customerContacted: request.action === 'resolve' ? (request.customerContacted ?? false) : undefined,
      });
      if (!applied) {
        // Someone else got there between our read and this write: report what they did.
        const current = getFeedbackItem(db, item.id);
        if (!current) return { ok: false, reason: 'not-found' };
        const refusal = precheck(current, { itemId: item.id, version: item.version }, request.action) ?? {
          reason: 'stale' as const,
          item: current,
        };
        return { ok: false, ...refusal };
      }
      applyOutcomeReset(db, {
        itemId: item.id,
        action: request.action,
        actorId: request.actorId,
        now,
        customerContacted: request.customerContacted ?? false,
      });
      const eventId = insertFeedbackEvent(db, {
        itemId: item.id,
        at: now,
        actorId: request.actorId,
        action: request.action,
        fromStatus: item.status,
        toStatus,
        note: request.action === 'resolve' || request.action === 'reopen' ? note || undefined : undefined,
        fromDepartment: request.action === 'reassign' ? item.departmentId : undefined,
        toDepartment: target?.id,
      });
      if (target) {
        const routing = { method: 'explicit' as const, departmentId: target.id, reason: REASSIGNED_REASON };
        insertRouting(db, item.id, { ...routing, score: 0, matched: [] }, request.actorId, now);
      }
      queueChangeDeliveries(db, config, { item, target, eventId }, now);
      const updated = getFeedbackItem(db, item.id);
      if (!updated) throw new Error(`feedback item ${item.id} vanished during a change`);
      return { ok: true, item: updated, eventId };
    });
    const result = tx.immediate();
    if (result.ok) {
      log.info(
        {
          item: result.item.reference,
          action: request.action,
          status: result.item.status,
          user: request.actorId,
        },
        'feedback item changed',
      );
    } else {
      log.info(
        { reason: result.reason, action: request.action, user: request.actorId },
        'feedback change refused',
      );
    }
    return result;
  };

  return {
    check,
    change,
    mine: (userId) => {
      const open = listOpenItemsOfReporter(deps.db, userId, 20);
      return { open, filedAny: open.length > 0 || hasFiledAny(deps.db, userId) };
    },
  };
}
