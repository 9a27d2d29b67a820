import { describe, expect, it } from 'vitest';
import {
  collectSlackRefs,
  distinctNames,
  isSlackName,
  nameKey,
  replaceAt,
} from '../../src/config/slack-refs.js';
import { orgConfig } from '../support/org-fixture.js';

describe('Slack references in the org config', () => {
  const config = orgConfig({
    triage: { channel: '#triage' },
    admins: ['Ana@Acme.test', 'U0BENBBB02'],
    managers: [{ user: 'ana@acme.test', departments: 'all' }],
    kudos: { channel: 'C0KUDOS001', allowance_overrides: [{ usergroup: '@leads', daily_allowance: 9 }] },
  });

  it('finds every channel, person and user group with its key path', () => {
    const refs = collectSlackRefs(config).map((r) => `${r.kind} ${r.value} ${r.path.join('.')}`);
    expect(refs).toContain('channel #triage triage.channel');
    expect(refs).toContain('user Ana@Acme.test admins.0');
    expect(refs).toContain('user U0BENBBB02 admins.1');
    expect(refs).toContain('user ana@acme.test managers.0.user');
    expect(refs).toContain('channel C0BILLING1 departments.0.channel');
    expect(refs).toContain('user U0BILEAD01 departments.0.leads.0');
    expect(refs).toContain('channel C0KUDOS001 kudos.channel');
    expect(refs).toContain('usergroup @leads kudos.allowance_overrides.0.usergroup');
  });

  it('lists each name once (e-mail case ignored), and never an id', () => {
    const names = distinctNames(collectSlackRefs(config)).map((r) => r.value);
    expect(names).toEqual(['#triage', 'Ana@Acme.test', '@leads']);
    expect(nameKey({ kind: 'user', value: 'Ana@Acme.test' })).toBe('ana@acme.test');
    expect(nameKey({ kind: 'channel', value: '#Triage' })).toBe('triage');
  });

  it('tells names from ids and from what is neither', () => {
    expect(isSlackName('channel', '#billing-ops_2')).toBe(true);
    expect(isSlackName('channel', 'billing')).toBe(false);
    expect(isSlackName('channel', '#Billing')).toBe(true); // looked up as #billing
    expect(isSlackName('channel', '#Billing Team')).toBe(false);
    expect(isSlackName('user', 'ana@acme.test')).toBe(true);
    expect(isSlackName('user', 'ana')).toBe(false);
    expect(isSlackName('usergroup', '@support-team')).toBe(true);
  });

  it('replaces values at their paths in a copy, leaving the original as it was', () => {
    const replaced = replaceAt(config, [
      { path: ['triage', 'channel'], value: 'C0TRIAGE99' },
      { path: ['admins', 0], value: 'U0ANAAAA01' },
    ]);
    expect(replaced.triage.channel).toBe('C0TRIAGE99');
    expect(replaced.admins).toEqual(['U0ANAAAA01', 'U0BENBBB02']);
    expect(config.triage.channel).toBe('#triage');
  });
});
