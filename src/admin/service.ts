import type { ConfigProblem, OrgConfigResult } from '../config/org.js';
import { isAdmin } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import type { OutboxCounts } from '../slack/delivery/outbox-repo.js';

/** `/loop` verbs. Pure: what was asked and who asked, in; what to do, out. */
export type LoopCommand =
  | { verb: 'help' }
  | { verb: 'status' }
  | { verb: 'reload' }
  | { verb: 'unknown'; word: string }
  | { verb: 'forbidden'; word: string };

const ADMIN_VERBS = new Set(['status', 'reload']);

export function interpretLoopCommand(text: string, config: OrgConfig, userId: string): LoopCommand {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (word === '' || word === 'help') return { verb: 'help' };
  if (!ADMIN_VERBS.has(word)) return { verb: 'unknown', word };
  if (!isAdmin(config, userId)) return { verb: 'forbidden', word };
  return { verb: word as 'status' | 'reload' };
}

export type LoopStatus = {
  departments: number;
  feedbackItems: number;
  outbox: OutboxCounts;
};

export type ReloadOutcome = { ok: true; departments: number } | { ok: false; problems: ConfigProblem[] };

export function reloadOutcome(result: OrgConfigResult): ReloadOutcome {
  return result.ok
    ? { ok: true, departments: result.config.departments.length }
    : { ok: false, problems: result.problems };
}
