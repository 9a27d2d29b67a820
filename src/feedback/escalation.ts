import type { Logger } from 'pino';
import type { OrgConfig } from '../config/org-schema.js';
import { enqueueOutbox } from '../slack/delivery/outbox-repo.js';
import type { Db } from '../store/db.js';
import { insertEscalation } from './escalation-repo.js';
import { listOpenDepartmentItems } from './repo.js';
import { dueEscalations, type SlaPolicy } from './sla.js';

export type EscalationDeps = { db: Db; config: () => OrgConfig; logger: Logger };

/**
 * One pass of the SLA job: for every open item whose department has an SLA for its severity, record and
 * queue each escalation that is due and not yet recorded. The record (unique key per item, SLA cycle,
 * kind and level) and the queued Slack posts commit together, so each escalation is sent exactly once,
 * across restarts too. Returns how many escalations were queued.
 */
export function escalateOverdue(deps: EscalationDeps, now: number): number {
  const { db } = deps;
  const config = deps.config();
  let queued = 0;
  for (const item of listOpenDepartmentItems(db)) {
    const department = config.departments.find((d) => d.id === item.departmentId);
    const sla = department?.sla;
    const target = sla?.targets[item.severity];
    if (!department || !sla || !target) continue;
    const policy: SlaPolicy = {
      acknowledgeMs: target.acknowledge,
      resolveMs: target.resolve,
      triageAfterMs: sla.triage_after,
      businessHours: sla.business_hours,
      timeZone: department.timezone,
    };
    for (const e of dueEscalations(item, policy, now)) {
      const sent = db.transaction(() => {
        if (
          !insertEscalation(db, {
            itemId: item.id,
            departmentId: department.id,
            key: e.key,
            kind: e.kind,
            level: e.level,
            dueAt: e.dueAt,
            now,
          })
        ) {
          return false;
        }
        const base = { itemId: item.id, key: e.key, kind: e.kind, level: e.level, dueAt: e.dueAt, at: now };
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
      })();
      if (sent) {
        queued++;
        deps.logger.info({ item: item.reference, kind: e.kind, level: e.level }, 'SLA escalation queued');
      }
    }
  }
  return queued;
}
