import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The only place that reads process.env (ARCHITECTURE.md: config/).
 * `loadEnv(env)` validates everything at once and reports every problem, so a first-time admin
 * fixes the whole list in one go instead of one error per restart.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is missing' })
    .trim()
    .min(1, 'is missing')
    .refine((v) => v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine(
    (v) => v === undefined || v.startsWith('xapp-'),
    'must be an app-level token starting with xapp- (or be left unset for HTTP mode)',
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ error: 'must be a URL such as https://slack.com/api/' })
      .transform((v) => (v.endsWith('/') ? v : `${v}/`))
      .optional(),
  ),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0)
    .max(65_535)
    .default(3000),
  DATABASE_PATH: z.string().trim().min(1).default('data/courtesy-loop.db'),
  ORG_CONFIG: z.string().trim().min(1).default('data/org.yaml'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  METRICS_PORT: optionalText.pipe(
    z.coerce
      .number<string>({ error: 'must be a port number (or be left empty for no /metrics)' })
      .int('must be a whole number')
      .min(0, 'must be a port number from 0 to 65535')
      .max(65_535, 'must be a port number from 0 to 65535')
      .optional(),
  ),
  SHUTDOWN_DRAIN_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or more')
    .max(60_000, 'must be at most 60000 (one minute)')
    .default(5000),
  SURVEY_SECRET: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters (generate one with: openssl rand -hex 32)').optional(),
  ),
});

export type AppEnv = {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  databasePath: string;
  orgConfigPath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** On SIGTERM, how long posts under way may take to finish; the process exits within this plus 1 s. */
  shutdownDrainMs: number;
  /** `GET /metrics` (Prometheus) on 127.0.0.1 at this port; undefined: no metrics endpoint. */
  metricsPort?: number | undefined;
  /** Signs the customer survey links (HMAC-SHA256); required when the org config sets `survey.public_url`. */
  surveySecret?: string | undefined;
  mode: 'http' | 'socket';
};

export type EnvResult = { ok: true; env: AppEnv } | { ok: false; problems: string[] };

/** Validate the environment. Pure: pass any record (tests do); defaults to process.env. */
export function loadEnv(env: Record<string, string | undefined> = process.env): EnvResult {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  // Checked here rather than in a zod refinement: zod skips refinements when any field fails, and the
  // admin should see the whole list at once.
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  if (blank(env.SLACK_APP_TOKEN) && blank(env.SLACK_SIGNING_SECRET)) {
    problems.push(
      'SLACK_SIGNING_SECRET is missing (needed in HTTP mode; set SLACK_APP_TOKEN instead to use Socket Mode)',
    );
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const e = parsed.data;
  return {
    ok: true,
    env: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      slackApiUrl: e.SLACK_API_URL,
      port: e.PORT,
      databasePath: e.DATABASE_PATH,
      orgConfigPath: e.ORG_CONFIG,
      logLevel: e.LOG_LEVEL,
      shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
      metricsPort: e.METRICS_PORT,
      surveySecret: e.SURVEY_SECRET,
      mode: e.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
    },
  };
}

/**
 * What the operator tools (backup, restore, export, forget) need: the database file, and the org config for
 * its time zone. No Slack tokens: they never talk to Slack.
 */
export function loadToolEnv(env: Record<string, string | undefined> = process.env): {
  databasePath: string;
  orgConfigPath: string;
} {
  const parsed = envSchema.pick({ DATABASE_PATH: true, ORG_CONFIG: true }).parse(env);
  return { databasePath: parsed.DATABASE_PATH, orgConfigPath: parsed.ORG_CONFIG };
}

/** Read `.env` into process.env if the file exists (variables already set win). */
export function loadDotEnvFile(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

export function formatEnvProblems(problems: string[]): string {
  return [
    'Courtesy Loop cannot start: the environment is incomplete.',
    ...problems.map((p) => `  - ${p}`),
    'Create the Slack app from manifests/slack-app.socket.yaml (Socket Mode, recommended: set SLACK_APP_TOKEN) or',
    'manifests/slack-app.http.yaml (HTTP: set SLACK_SIGNING_SECRET), then copy .env.example to .env and fill in the tokens',
    '(Bot token: OAuth & Permissions; signing secret: Basic Information; app token: Basic Information > App-Level Tokens).',
    'To see the app work first, without a Slack workspace or tokens: npm run sandbox',
  ].join('\n');
}
