import { findDepartment } from '../config/org.js';
import type { Db } from '../store/db.js';
import { reminderLeadBlocks } from '../themes/lead-blocks.js';
import { reminderBlocks, reminderText } from './blocks.js';
import type { StrategyService } from './service.js';

/** What `/loop remind <department> [preview]` did: queued the reminder now, showed it, or found no such team. */
export type RemindOutcome =
  | { kind: 'queued'; department: string; channel: string }
  | { kind: 'preview'; text: string; blocks: unknown[] }
  | { kind: 'no-department'; name: string; valid: string[] };

/** `/loop remind`: a team's reminder queued now, or rendered for the admin as it would go out now. */
export function remindTeam(
  deps: {
    strategy: Pick<StrategyService, 'teamStrategy' | 'nextPeriod' | 'remindNow'>;
    config: Parameters<typeof findDepartment>[0];
    now: number;
    db: Db;
    outboxQueued: () => void;
  },
  name: string,
  preview: boolean,
): RemindOutcome {
  const department = findDepartment(deps.config, name);
  if (!department) return { kind: 'no-department', name, valid: deps.config.departments.map((d) => d.id) };
  if (preview) {
    const s = deps.strategy.teamStrategy(department, deps.strategy.nextPeriod(department, deps.now));
    const lead = reminderLeadBlocks(deps.db, department, s.period);
    return { kind: 'preview', text: reminderText(s), blocks: reminderBlocks(s, undefined, lead) };
  }
  deps.strategy.remindNow(department.id);
  deps.outboxQueued();
  return { kind: 'queued', department: department.name, channel: department.channel };
}
