import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AppEnv } from '../../src/config/env.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { BOT_SCOPES } from '../../src/slack/manifest.js';
import { NAMED, namedOrgConfig, setUpNamedWorkspace } from '../support/named-workspace.js';
import { ids } from '../support/org-fixture.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

/** `npm run doctor` against the Slack stand-in: a workspace set up right, and one with every common problem. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LEAD = NAMED.lead;
const NOW = Date.parse('2026-11-25T10:00:00Z'); // a Wednesday

const config = () =>
  namedOrgConfig(
    { reminder: { schedule: '0 9 * * 1', timezone: 'Europe/Berlin' } },
    { managers: [{ user: ids.admin, departments: 'all' }] },
  );

async function workspace(): Promise<{ standIn: SlackStandIn; env: AppEnv }> {
  const dir = tempDir();
  const standIn = await startSlackStandIn({ grantedScopes: Object.keys(BOT_SCOPES) });
  cleanups.push(
    () => dir.remove(),
    () => standIn.close(),
  );
  setUpNamedWorkspace(standIn);
  const orgConfigPath = join(dir.path, 'org.yaml');
  writeFileSync(orgConfigPath, stringify(config()));
  const env: AppEnv = {
    botToken: 'xoxb-doctor',
    signingSecret: 'secret',
    appToken: undefined,
    slackApiUrl: standIn.apiUrl,
    port: 0,
    databasePath: join(dir.path, 'never-created.db'),
    shutdownDrainMs: 1000,
    orgConfigPath,
    logLevel: 'silent',
    mode: 'http',
  };
  return { standIn, env };
}

const doctor = (standIn: SlackStandIn, env: AppEnv) =>
  runDoctor({
    env,
    client: new WebClient(env.botToken, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } }),
    now: NOW,
    logger: silentLogger,
  });

describe('npm run doctor', () => {
  it('passes a workspace set up right, and says the schedules in words with their next run', async () => {
    const { standIn, env } = await workspace();
    const report = await doctor(standIn, env);
    expect(report.text).toContain('✓ Bot token works: @courtesy-loop in Courtesy Loop Test');
    expect(report.text).toContain(
      '✓ users:read.email: turn e-mail addresses in the org config into user ids',
    );
    expect(report.text).toContain('✓ Valid: 2 departments, 5 names looked up in Slack');
    expect(report.text).toContain('✓ #billing: the app is a member (departments[0].channel)');
    expect(report.text).toContain(`✓ Lea Lead (${LEAD.id}, departments[0].leads[0])`);
    expect(report.text).toContain('✓ @billing-team (S0BILLTEAM, departments[0].usergroup)');
    expect(report.text).toContain(
      'Billing reminder: At 09:00, only on Monday (Europe/Berlin); next: Mon, 30 Nov 2026, 09:00',
    );
    expect(report.text).toContain('Shipping: no team reminder');
    expect(report.text).toContain('All good.');
    expect(report.exitCode).toBe(0);
    expect(standIn.lastCall('auth.test')?.token).toBe('xoxb-doctor');
  });

  it('lists what to fix in a workspace with problems, joins public channels, and exits 1', async () => {
    const { standIn, env } = await workspace();
    standIn.setGrantedScopes(
      Object.keys(BOT_SCOPES)
        .filter((s) => s !== 'files:write')
        .concat('channels:manage'),
    );
    standIn.setNotInChannel(ids.shippingChannel); // public: the doctor joins it
    standIn.setChannel({ id: 'G0LEADS001', name: 'leads', is_private: true, is_member: false });
    standIn.setUser({ id: ids.admin, name: 'ada', deleted: true });
    const bad = config();
    bad.kudos = { channel: 'G0LEADS001' };
    writeFileSync(env.orgConfigPath, stringify(bad));

    const report = await doctor(standIn, env);
    expect(report.exitCode).toBe(1);
    expect(report.text).toContain('✗ files:write is not granted');
    expect(report.text).toContain(
      "Grant files:write: paste manifests/slack-app.socket.yaml (or .http.yaml) into the app's App Manifest page, then reinstall",
    );
    expect(report.text).toContain('! Granted but not needed: channels:manage');
    expect(report.text).toContain('✓ #shipping: joined it now (departments[1].channel)');
    expect(standIn.lastCall('conversations.join')?.args.channel).toBe(ids.shippingChannel);
    expect(report.text).toContain(
      'G0LEADS001 (kudos.channel) does not exist, or is private and the app is not in it',
    );
    expect(report.text).toContain(`Remove or replace ${ids.admin} in admins[0], managers[0].user`);
    expect(report.text).toMatch(/To fix \(3\):/);
  });

  it('checks that survey links can be signed: survey.public_url needs SURVEY_SECRET', async () => {
    const { standIn, env } = await workspace();
    expect((await doctor(standIn, env)).text).toContain(
      "✓ No survey.public_url: reps record the customer's score in Slack",
    );
    writeFileSync(
      env.orgConfigPath,
      stringify({ ...config(), survey: { public_url: 'https://survey.acme.test' } }),
    );
    const missing = await doctor(standIn, env);
    expect(missing.text).toContain('✗ SURVEY_SECRET is missing');
    expect(missing.text).toContain('Set SURVEY_SECRET to a random value of at least 32 characters');
    const signed = await doctor(standIn, { ...env, surveySecret: 'x'.repeat(32) });
    expect(signed.text).toContain(
      '✓ Survey links go to https://survey.acme.test/s/… (signed, valid 14 days)',
    );
  });

  it('names a wrong name at its line, and a bad token with what to do', async () => {
    const { standIn, env } = await workspace();
    const bad = config();
    (bad.departments[0] as { leads: string[] }).leads = ['lea@acme.tset'];
    writeFileSync(env.orgConfigPath, stringify(bad));
    const report = await doctor(standIn, env);
    expect(report.text).toMatch(
      /org\.yaml:\d+:\d+ departments\[0\]\.leads\[0\]: `lea@acme\.tset` is not the e-mail address/,
    );
    expect(report.exitCode).toBe(1);

    const denied = await startSlackStandIn({ botToken: 'xoxb-the-real-one' });
    cleanups.push(() => denied.close());
    const refused = await doctor(denied, { ...env, slackApiUrl: denied.apiUrl });
    expect(refused.text).toContain('SLACK_BOT_TOKEN is not valid');
    expect(refused.exitCode).toBe(1);
  });

  it('runs as `npm run doctor` (the CLI), checking the app-level token in Socket Mode, with its exit code', async () => {
    const { standIn, env } = await workspace();
    const socket = await startSocketStandIn(standIn);
    cleanups.push(() => socket.close());
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), resolve('src/cli/doctor.ts')],
      {
        cwd: tempDir().path,
        env: {
          PATH: process.env.PATH ?? '',
          SLACK_BOT_TOKEN: env.botToken,
          SLACK_APP_TOKEN: 'xapp-1-doctor',
          SLACK_API_URL: standIn.apiUrl,
          ORG_CONFIG: env.orgConfigPath,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(out).toContain('✓ App-level token works: Socket Mode can connect');
    expect(out).toContain('Slack (Socket Mode)');
    expect(out).toContain('All good.');
    expect(code).toBe(0);
  });
});
