import { insertFeedbackItem } from '../../src/feedback/repo.js';
import type { ContactChannel } from '../../src/feedback/types.js';
import { insertKudos } from '../../src/kudos/repo.js';
import type { Db } from '../../src/store/db.js';

/** Rows written straight through the repos, for integration tests of what is counted from them. */

let seq = 0;

/** A complaint stored for `departmentId` at `at` (no routing, no history: the caller adds what it needs). */
export function storedItem(
  db: Db,
  departmentId: string | undefined,
  at: number,
  contactChannel?: ContactChannel,
): number {
  seq += 1;
  return insertFeedbackItem(db, {
    idempotencyKey: `stored-${seq}`,
    teamId: 'T1',
    reporterId: 'U0REP00001',
    source: 'command',
    customerId: undefined,
    contactChannel,
    kind: 'complaint',
    severity: 'normal',
    summary: 's',
    details: '',
    departmentId,
    status: 'new',
    originChannelId: undefined,
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
    now: at,
  });
}

/** Four people: A in billing and support, B in billing, C and D in shipping. */
export const KUDOS_PEOPLE = ['U0AAAAAAA1', 'U0BBBBBBB2', 'U0CCCCCCC3', 'U0DDDDDDD4'];
export const departmentsOf = (userId: string) =>
  userId === 'U0AAAAAAA1' ? ['billing', 'support'] : userId === 'U0BBBBBBB2' ? ['billing'] : ['shipping'];

/** Kudos number `n` from `giver` to `recipients`, with the departments each belongs to, given at `at`. */
export function storedKudos(db: Db, n: number, giver: string, recipients: string[], at: number): number {
  return insertKudos(db, {
    sourceKey: `k${n}`,
    teamId: 'T0TEST',
    giverId: giver,
    source: 'command',
    reason: 'for untangling the refund export',
    valueIds: [],
    giverDepartments: departmentsOf(giver),
    giverTz: 'UTC',
    recipients: recipients.map((userId) => ({ userId, departments: departmentsOf(userId) })),
    originChannelId: undefined,
    sourceChannelId: undefined,
    sourceMessageTs: undefined,
    now: at,
  });
}
