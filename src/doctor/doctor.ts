import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AppEnv } from '../config/env.js';
import { formatConfigProblems, loadOrgConfig } from '../config/org.js';
import type { OrgConfig } from '../config/org-schema.js';
import { collectSlackRefs, distinctNames } from '../config/slack-refs.js';
import { surveySecretProblem } from '../config/survey-secret.js';
import { createSlackNames } from '../slack/name-lookup.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { migrations } from '../store/migrations/index.js';
import { type Check, hasFailures, renderReport } from './report.js';
import { scheduleChecks } from './schedules.js';
import { channelChecks, checkAppToken, checkToken, peopleChecks, scopeChecks } from './slack-checks.js';

export type DoctorDeps = {
  env: AppEnv;
  /** The bot's Web API client (SLACK_API_URL applies). */
  client: WebClient;
  /** A client with the app-level token, in Socket Mode. */
  appClient?: WebClient;
  now: number;
  logger: Logger;
};

type Section = { title: string; checks: Check[] };

/**
 * `npm run doctor`: checks the setup against the real workspace — token, granted scopes, the org config's names,
 * channels, people and user groups, and the schedules — and says what to fix. Exit code 0 when nothing must be
 * fixed, 1 otherwise. Changes nothing in Slack except joining public channels the app should be in.
 */
export async function runDoctor(deps: DoctorDeps): Promise<{ text: string; exitCode: number }> {
  const { env, client } = deps;
  const apiUrl = env.slackApiUrl ?? 'https://slack.com/api/';
  const token = await checkToken(client, apiUrl);
  const sections: Section[] = [
    { title: `Slack (${env.mode === 'socket' ? 'Socket Mode' : 'HTTP mode'})`, checks: token.checks },
  ];
  if (deps.appClient) token.checks.push(await checkAppToken(deps.appClient));
  if (token.scopes === undefined) return finish(sections);
  sections.push({ title: 'Scopes granted to the bot', checks: scopeChecks(token.scopes) });

  const loaded = await loadConfigWithNames(env.orgConfigPath, client, deps.logger, deps.now);
  sections.push({ title: `Org config (${env.orgConfigPath})`, checks: loaded.checks });
  if (!loaded.config) return finish(sections);
  sections.push(
    { title: 'Channels', checks: await channelChecks(client, loaded.config) },
    { title: 'People and user groups', checks: await peopleChecks(client, loaded.config) },
    { title: 'Schedules', checks: scheduleChecks(loaded.config, deps.now) },
    { title: 'Customer survey', checks: [surveyCheck(loaded.config, env.surveySecret)] },
  );
  return finish(sections);
}

/** The survey's page needs SURVEY_SECRET to sign its links; without a public URL reps record scores in Slack. */
function surveyCheck(config: OrgConfig, secret: string | undefined): Check {
  const problem = surveySecretProblem(config, secret);
  if (problem) return { status: 'fail', what: 'SURVEY_SECRET is missing', fix: problem };
  const url = config.survey.public_url;
  return url
    ? {
        status: 'ok',
        what: `Survey links go to ${url}/s/… (signed, valid ${config.survey.expires_days} days)`,
      }
    : { status: 'ok', what: "No survey.public_url: reps record the customer's score in Slack" };
}

function finish(sections: Section[]) {
  return { text: renderReport(sections), exitCode: hasFailures(sections) ? 1 : 0 };
}

/** The org config with its names looked up in Slack now (a throwaway cache: the doctor writes no database). */
async function loadConfigWithNames(
  path: string,
  client: WebClient,
  logger: Logger,
  now: number,
): Promise<{ checks: Check[]; config?: OrgConfig }> {
  const raw = loadOrgConfig(path);
  if (!raw.ok) {
    return {
      checks: [{ status: 'fail', what: 'The file has mistakes', fix: formatConfigProblems(raw.problems) }],
    };
  }
  const db = openDatabase(':memory:');
  try {
    migrate(db, migrations, logger);
    const names = createSlackNames({ db, client, clock: { now: () => now }, logger });
    const refs = collectSlackRefs(raw.config);
    await names.lookUp(refs);
    names.requireLookedUp();
    const resolved = loadOrgConfig(path, names.answer);
    if (!resolved.ok) {
      return {
        checks: [
          { status: 'fail', what: 'Some names are wrong', fix: formatConfigProblems(resolved.problems) },
        ],
      };
    }
    const named = distinctNames(refs).length;
    const what = `Valid: ${resolved.config.departments.length} departments${named > 0 ? `, ${named} names looked up in Slack` : ''}`;
    return { checks: [{ status: 'ok', what }], config: resolved.config };
  } finally {
    db.close();
  }
}
