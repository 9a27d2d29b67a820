import type { ConfigProblem, OrgConfigResult } from '../config/org.js';
import { isAdmin } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import type { DeliveryStatus } from '../slack/delivery/delivery-status.js';

/** `/loop` verbs. Pure: what was asked and who asked, in; what to do, out. */
export type LoopCommand =
  | { verb: 'help' }
  | { verb: 'status' }
  | { verb: 'retry' }
  | { verb: 'reload' }
  | { verb: 'digest' }
  | { verb: 'focus'; args: string }
  | { verb: 'remind'; department: string; preview: boolean }
  | { verb: 'purge' }
  | { verb: 'forget'; customer: string }
  | { verb: 'theme'; rest: string }
  | { verb: 'unknown'; word: string }
  | { verb: 'forbidden'; word: string };

const ADMIN_VERBS = new Set(['status', 'retry', 'reload', 'remind', 'purge', 'forget']);

export function interpretLoopCommand(text: string, config: OrgConfig, userId: string): LoopCommand {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (word === '' || word === 'help') return { verb: 'help' };
  if (word === 'digest') return { verb: 'digest' };
  // Leads rename themes too: who may is decided with the theme (themes/rename-theme.ts).
  if (word === 'theme') return { verb: 'theme', rest: text.trim().slice(word.length) };
  // Leads and admins change a team's focus, anyone may look: the themes room decides who may do what.
  if (word === 'focus') return { verb: 'focus', args: text.trim().split(/\s+/).slice(1).join(' ') };
  if (!ADMIN_VERBS.has(word)) return { verb: 'unknown', word };
  if (!isAdmin(config, userId)) return { verb: 'forbidden', word };
  if (word === 'remind') {
    const rest = text.trim().split(/\s+/).slice(1);
    const preview = rest.at(-1)?.toLowerCase() === 'preview';
    return { verb: 'remind', department: (preview ? rest.slice(0, -1) : rest).join(' '), preview };
  }
  if (word === 'forget') return { verb: 'forget', customer: text.trim().split(/\s+/).slice(1).join(' ') };
  return { verb: word as 'status' | 'retry' | 'reload' | 'purge' };
}

export type LoopStatus = {
  departments: number;
  feedbackItems: number;
  delivery: DeliveryStatus;
};

export type ReloadOutcome = { ok: true; departments: number } | { ok: false; problems: ConfigProblem[] };

export function reloadOutcome(result: OrgConfigResult): ReloadOutcome {
  return result.ok
    ? { ok: true, departments: result.config.departments.length }
    : { ok: false, problems: result.problems };
}
