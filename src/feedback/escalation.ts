import type { Logger } from 'pino';
import type { Department, OrgConfig, Sla } from '../config/org-schema.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import {
  adoptSlaPolicy,
  insertEscalation,
  listDueSlaItems,
  type SlaCandidate,
  setSlaNextAt,
} from './escalation-repo.js';
import { type DueEscalation, type SlaPolicy, slaCheck } from './sla.js';
import { feedbackReference } from './types.js';

export type EscalationDeps = { db: Db; config: () => OrgConfig; logger: Logger };

/** Items read and escalated per slice: one slice holds the event loop for a few milliseconds at most. */
const SLICE = 200;

type Watched = { department: Department; sla: Sla };

/** The departments with an SLA, and a fingerprint of everything their deadlines depend on. */
function slaPolicies(config: OrgConfig): { byDepartment: Map<string, Watched>; fingerprint: string } {
  const byDepartment = new Map<string, Watched>();
  for (const department of config.departments) {
    if (department.sla) byDepartment.set(department.id, { department, sla: department.sla });
  }
  const fingerprint = JSON.stringify(
    [...byDepartment.values()].map(({ department, sla }) => [department.id, department.timezone, sla]),
  );
  return { byDepartment, fingerprint };
}

/**
 * The SLA job at a tick: nothing at all (not even a query) while no department has an SLA; otherwise
 * `escalateOverdue` in slices, yielding to requests between them, until no watched item is due.
 */
export async function runSlaJob(deps: EscalationDeps, now: number): Promise<number> {
  let queued = 0;
  for (;;) {
    const slice = escalateOverdue(deps, now);
    queued += slice.queued;
    if (!slice.more) return queued;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * One slice of the SLA job: the items whose next escalation is due (an index range over `sla_next_at`, at most
 * `limit`), each escalation due and not yet recorded is recorded and queued, and the item's next check time
 * stored. The record (unique key per item, SLA cycle, kind and level), the queued Slack posts and the next
 * check time commit together, so each escalation is sent exactly once, across restarts too. A change of the
 * SLA config marks every open item for a fresh look, a slice of ids per call first. `more`: work is left for
 * another slice.
 */
export function escalateOverdue(
  deps: EscalationDeps,
  now: number,
  limit = SLICE,
): { queued: number; more: boolean } {
  const { db } = deps;
  const config = deps.config();
  const policies = slaPolicies(config);
  if (policies.byDepartment.size === 0) return { queued: 0, more: false };
  // A new policy's fresh look is marked a slice per call; the due items are read once it is complete.
  if (adoptSlaPolicy(db, policies.fingerprint, now)) return { queued: 0, more: true };
  const items = listDueSlaItems(db, now, limit);
  let queued = 0;
  for (const item of items) {
    queued += escalateItem(deps, config, policies.byDepartment.get(item.departmentId), item, now);
  }
  return { queued, more: items.length === limit };
}

function escalateItem(
  deps: EscalationDeps,
  config: OrgConfig,
  watched: Watched | undefined,
  item: SlaCandidate,
  now: number,
): number {
  const { db } = deps;
  const target = watched?.sla.targets[item.severity];
  if (!watched || !target || item.waiting) {
    setSlaNextAt(db, item.id, undefined);
    return 0;
  }
  const { department, sla } = watched;
  const policy: SlaPolicy = {
    acknowledgeMs: target.acknowledge,
    resolveMs: target.resolve,
    triageAfterMs: sla.triage_after,
    businessHours: sla.business_hours,
    timeZone: department.timezone,
  };
  const check = slaCheck(item, policy, now);
  const sent = db.transaction(() => {
    setSlaNextAt(db, item.id, check.nextAt);
    return check.due.filter((e) => recordEscalation(db, config, department, item.id, e, now));
  })();
  for (const e of sent) {
    deps.logger.info(
      { item: feedbackReference(item.id), kind: e.kind, level: e.level },
      'SLA escalation queued',
    );
  }
  return sent.length;
}

/** Records one escalation and queues its posts; false when it was recorded (and sent) before. */
function recordEscalation(
  db: Db,
  config: OrgConfig,
  department: Department,
  itemId: number,
  e: DueEscalation,
  now: number,
): boolean {
  const recorded = insertEscalation(db, {
    itemId,
    departmentId: department.id,
    key: e.key,
    kind: e.kind,
    level: e.level,
    dueAt: e.dueAt,
    now,
  });
  if (!recorded) return false;
  const base = { itemId, key: e.key, kind: e.kind, level: e.level, dueAt: e.dueAt, at: now };
  if (e.level === 'leads') {
    // No leads configured: the department channel hears it instead.
    const recipients = department.leads.length > 0 ? department.leads : [undefined];
    for (const userId of recipients) {
      enqueueOutbox(
        db,
        {
          kind: 'feedback.escalation_dm',
          payload: { ...base, ...(userId ? { userId } : {}) },
          dedupeKey: `escalation:${e.key}:${userId ?? 'channel'}`,
          orderingKey: userId ?? department.channel,
        },
        now,
      );
    }
  } else {
    enqueueOutbox(
      db,
      {
        kind: 'feedback.escalation_triage',
        payload: base,
        dedupeKey: `escalation:${e.key}`,
        orderingKey: config.triage.channel,
      },
      now,
    );
  }
  return true;
}
