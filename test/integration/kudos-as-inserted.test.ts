import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getKudos, insertKudos, kudosAsInserted } from '../../src/kudos/repo.js';
import type { NewKudos } from '../../src/kudos/types.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * A give answers with the kudos it wrote instead of reading it back: what it answers must be what a read gives,
 * field for field, or the giver's answer and the stored kudos drift apart when the ledger gains a column.
 */
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const base: NewKudos = {
  sourceKey: 'cmd:T1.abc',
  teamId: 'T0TEAM0001',
  giverId: 'U0GIVER001',
  source: 'command',
  reason: 'covered the night shift',
  valueIds: ['ownership'],
  giverDepartments: ['support'],
  giverTz: 'Europe/Berlin',
  recipients: [
    { userId: 'U0THANKED1', departments: ['billing'] },
    { userId: 'U0THANKED2', departments: [] },
  ],
  originChannelId: 'C0SUPPORT1',
  sourceChannelId: undefined,
  sourceMessageTs: undefined,
  now: 1_764_000_000_000,
};

describe('the kudos a give answers with', () => {
  it('is what reading it back gives, with and without a source message, a thread and a +1', () => {
    const db = store.db;
    const plain = insertKudos(db, base);
    expect(kudosAsInserted(plain, base)).toEqual(getKudos(db, plain));
    const reacted: NewKudos = {
      ...base,
      sourceKey: 'reaction:C0SUPPORT1:1700000000.000100:U0GIVER001',
      source: 'reaction',
      valueIds: [],
      sourceChannelId: 'C0SUPPORT1',
      sourceMessageTs: '1700000000.000100',
      sourceThreadTs: '1699999999.000100',
      plusOneOf: plain,
    };
    const plusOne = insertKudos(db, reacted);
    expect(kudosAsInserted(plusOne, reacted)).toEqual(getKudos(db, plusOne));
  });
});
