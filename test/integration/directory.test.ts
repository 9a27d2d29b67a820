import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { belongsToDepartment, departmentsOfMember } from '../../src/config/membership.js';
import { createSlackDirectory } from '../../src/slack/directory.js';
import { departmentInput, orgConfig } from '../support/org-fixture.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { manualClock } from '../support/temp-dir.js';

let standIn: SlackStandIn;
beforeEach(async () => {
  standIn = await startSlackStandIn();
});
afterEach(async () => {
  await standIn.close();
});

const client = () => new WebClient('xoxb-test', { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } });

describe('Slack directory', () => {
  it('reads bots and time zones from users.info and caches them for a while', async () => {
    const clock = manualClock();
    standIn.setUser({ id: 'U0HUMAN001', tz: 'Asia/Tokyo' });
    standIn.setUser({ id: 'U0ROBOT001', is_bot: true });
    const dir = createSlackDirectory({ client: client(), clock, userTtlMs: 1000 });
    expect(await dir.user('U0HUMAN001')).toMatchObject({ isBot: false, tz: 'Asia/Tokyo' });
    expect(await dir.user('U0ROBOT001')).toMatchObject({ isBot: true });
    expect(await dir.user('USLACKBOT')).toMatchObject({ isBot: true });
    await dir.user('U0HUMAN001');
    expect(standIn.callsTo('users.info').filter((c) => c.args.user === 'U0HUMAN001')).toHaveLength(1);
    clock.advance(1001);
    await dir.user('U0HUMAN001');
    expect(standIn.callsTo('users.info').filter((c) => c.args.user === 'U0HUMAN001')).toHaveLength(2);
  });

  it('asks Slack once for a person named by gives under way at the same time', async () => {
    standIn.setUser({ id: 'U0HUMAN001', tz: 'Asia/Tokyo' });
    const dir = createSlackDirectory({ client: client(), clock: manualClock() });
    const answers = await Promise.all([
      dir.user('U0HUMAN001'),
      dir.user('U0HUMAN001'),
      dir.user('U0HUMAN001'),
    ]);
    expect(answers.map((a) => a.tz)).toEqual(['Asia/Tokyo', 'Asia/Tokyo', 'Asia/Tokyo']);
    expect(standIn.callsTo('users.info')).toHaveLength(1);
    expect(dir.known.user('U0HUMAN001')).toMatchObject({ tz: 'Asia/Tokyo' });
  });

  it('remembers at most so many people, forgetting the least recently asked first', async () => {
    for (const id of ['U0PERSON01', 'U0PERSON02', 'U0PERSON03']) standIn.setUser({ id });
    const dir = createSlackDirectory({ client: client(), clock: manualClock(), maxUsers: 2 });
    const asked = (id: string) => standIn.callsTo('users.info').filter((c) => c.args.user === id).length;
    await dir.user('U0PERSON01');
    await dir.user('U0PERSON02');
    await dir.user('U0PERSON01'); // now the most recently asked
    await dir.user('U0PERSON03'); // the cache is full: person 2 is forgotten
    expect(dir.known.user('U0PERSON02')).toBeUndefined();
    expect(dir.known.user('U0PERSON01')).toBeDefined();
    expect(dir.known.user('U0PERSON03')).toBeDefined();
    await dir.user('U0PERSON02');
    expect([asked('U0PERSON01'), asked('U0PERSON02'), asked('U0PERSON03')]).toEqual([1, 2, 1]);
  });

  it('answers department membership from the config first, and from the user group when needed', async () => {
    standIn.setHandler('usergroups.users.list', (args) => ({
      ok: true,
      users: args.usergroup === 'S0BILLING1' ? ['U0GROUPIE1'] : [],
    }));
    const dir = createSlackDirectory({ client: client(), clock: manualClock() });
    const config = orgConfig({
      departments: [
        departmentInput({
          id: 'billing',
          channel: 'C0BILLING1',
          members: ['U0MEMBER01'],
          usergroup: 'S0BILLING1',
        }),
        departmentInput({ id: 'shipping', channel: 'C0SHIPPIN1', leads: ['U0GROUPIE1'] }),
      ],
    });
    const [billing] = config.departments;
    if (!billing) throw new Error('fixture');
    expect(await belongsToDepartment(billing, 'U0MEMBER01', dir.usergroupMembers)).toBe(true);
    expect(standIn.callsTo('usergroups.users.list')).toHaveLength(0);
    expect(await belongsToDepartment(billing, 'U0GROUPIE1', dir.usergroupMembers)).toBe(true);
    expect(await belongsToDepartment(billing, 'U0STRANGER', dir.usergroupMembers)).toBe(false);
    expect((await departmentsOfMember(config, 'U0GROUPIE1', dir.usergroupMembers)).map((d) => d.id)).toEqual([
      'billing',
      'shipping',
    ]);
    expect(standIn.callsTo('usergroups.users.list')).toHaveLength(1); // cached
  });
});
