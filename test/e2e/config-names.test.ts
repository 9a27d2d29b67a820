import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Commands } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../support/app-harness.js';
import { NAMED, namedOrgConfig, setUpNamedWorkspace } from '../support/named-workspace.js';
import { ids } from '../support/org-fixture.js';

/**
 * Names instead of ids in the org config: `#billing`, `lea@acme.test`, `@billing-team`. Looked up in Slack the
 * first time, cached in the database, and the app starts from the cache when Slack is not there.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LEAD = NAMED.lead;
const MEMBER = NAMED.member;
const workspace = setUpNamedWorkspace;
const namedConfig = (channel = '#billing') => namedOrgConfig({ channel });

/** Line and column (1-based) where `text` is written in the file. */
function positionOf(file: string, text: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return `${line + 1}:${(lines[line] ?? '').indexOf(text) + 1}`;
}

describe('names in the org config', () => {
  it('turns #channel, e-mail and @group names into ids, and caches them', async () => {
    h = await startHarness({ config: namedConfig(), beforeStart: workspace });
    const billing = h.loop.config.current().departments[0];
    expect(billing).toMatchObject({
      channel: ids.billingChannel,
      leads: [LEAD.id],
      members: [MEMBER.id],
      usergroup: 'S0BILLTEAM',
    });
    expect(h.loop.config.current().triage.channel).toBe(ids.triage);
    const res = await h.rep.command(Commands.feedback, 'the invoice was wrong');
    expect(res.text).toContain('FB-1');
    await h.standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    const cached = h.loop.db
      .prepare('SELECT kind, name, slack_id FROM slack_names ORDER BY kind, name')
      .all();
    expect(cached).toEqual([
      { kind: 'channel', name: 'billing', slack_id: ids.billingChannel },
      { kind: 'channel', name: 'triage', slack_id: ids.triage },
      { kind: 'user', name: 'lea@acme.test', slack_id: LEAD.id },
      { kind: 'user', name: 'max@acme.test', slack_id: MEMBER.id },
      { kind: 'usergroup', name: 'billing-team', slack_id: 'S0BILLTEAM' },
    ]);
  });

  it('starts from the cache when Slack cannot answer, and refreshes in the background', async () => {
    h = await startHarness({ config: namedConfig(), beforeStart: workspace });
    await h.standIn.waitFor({ method: 'conversations.list', count: 2 }); // start, then the background refresh
    await h.stopApp();
    h.standIn.clearCalls();
    for (const method of ['conversations.list', 'users.lookupByEmail', 'usergroups.list'])
      h.standIn.injectFault(method, { kind: 'http', status: 503 }, 10);
    await h.startApp();
    expect(h.loop.config.current().departments[0]?.channel).toBe(ids.billingChannel);
    const res = await h.rep.command(Commands.feedback, 'the invoice was wrong');
    expect(res.text).toContain('FB-1');
    await h.standIn.waitFor({ method: 'conversations.list' }); // the background refresh tried, and failed
    expect(h.loop.config.current().departments[0]?.leads).toEqual([LEAD.id]);
  });

  it('refuses to start on a name Slack does not know, naming the file, line and name', async () => {
    h = await startHarness({ config: namedConfig(), beforeStart: workspace });
    h.writeOrgConfig(stringify(namedConfig('#biling')));
    await h.stopApp();
    const error = await h.startApp().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(
      `${h.orgConfigPath}:${positionOf(h.orgConfigPath, '"#biling"')} departments[0].channel: \`#biling\` is not a channel the app can see`,
    );
    h.writeOrgConfig(stringify(namedConfig()));
    await h.startApp();
  });

  it('refuses to start when a name was never looked up and Slack cannot be reached, saying so', async () => {
    h = await startHarness({ beforeStart: workspace });
    await h.stopApp();
    h.writeOrgConfig(stringify(namedConfig()));
    h.standIn.injectFault('*', { kind: 'http', status: 503 }, 20);
    const error = await h.startApp().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(
      `departments[0].channel: \`#billing\` could not be looked up: Slack could not be reached at ${h.standIn.apiUrl}`,
    );
    const lookUps = ['conversations.list', 'users.lookupByEmail', 'usergroups.list'];
    // One try per round, not one per name.
    expect(h.standIn.calls.filter((c) => lookUps.includes(c.method))).toHaveLength(1);
    h.standIn.clearFaults();
  });

  it('on reload: a wrong e-mail or an ambiguous channel is refused at its line, and the last good config stays', async () => {
    h = await startHarness({ config: namedConfig(), beforeStart: workspace });
    h.standIn.setChannel({ id: 'C0BILLING2', name: 'billing-ops' });
    h.standIn.setChannel({ id: 'C0BILLING3', name: 'billing-ops' });
    const config = namedConfig('#billing-ops');
    (config.departments[0] as { leads: string[] }).leads = ['nobody@acme.test'];
    h.writeOrgConfig(stringify(config));
    const result = await h.loop.reloadConfig();
    expect(result.ok).toBe(false);
    const text = result.ok
      ? ''
      : result.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n');
    expect(text).toContain(
      `${positionOf(h.orgConfigPath, '"#billing-ops"')} departments[0].channel: \`#billing-ops\` matches 2 channels (C0BILLING2, C0BILLING3): write the ID instead`,
    );
    expect(text).toContain(
      `${positionOf(h.orgConfigPath, 'nobody@acme.test')} departments[0].leads[0]: \`nobody@acme.test\` is not the e-mail address of anyone`,
    );
    expect(h.loop.config.current().departments[0]?.channel).toBe(ids.billingChannel);

    h.writeOrgConfig(stringify(namedConfig('#billing-leads')));
    const fixed = await h.loop.reloadConfig();
    expect(fixed.ok).toBe(true);
    expect(h.loop.config.current().departments[0]?.channel).toBe(NAMED.privateChannel);
  });

  it('keeps accepting ids, and never asks Slack about them', async () => {
    h = await startHarness({ beforeStart: workspace });
    expect(h.loop.config.current().departments[0]?.channel).toBe(ids.billingChannel);
    expect(h.standIn.callsTo('conversations.list')).toEqual([]);
    expect(h.standIn.callsTo('users.lookupByEmail')).toEqual([]);
  });
});
