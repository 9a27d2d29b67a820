/**
 * The three servers the intake benchmark measures side by side, each started fresh against the same Slack
 * stand-in: the floor, plain Bolt, and Courtesy Loop itself (the built app, `node dist/main.js`, as
 * `npm start` runs it). Each says how many requests of a kind it has stored and posted so far.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import type { SlackStandIn } from '../../src/sandbox/slack-standin.js';
import { benchOrg } from './bench-org.js';
import type { LoadKind } from './payloads.js';
import { type ServerProcess, startServer } from './server-process.js';
import { startNodeFlags } from './start-flags.js';

export type TargetName = 'floor' | 'plainBolt' | 'app';
export const TARGETS: readonly TargetName[] = ['floor', 'plainBolt', 'app'];
export const BENCH_SECRET = 'bench-signing-secret';

export type Target = {
  server: ServerProcess;
  /** Rows stored for requests of this kind. */
  stored(kind: LoadKind): number;
  /** Whether every request it acks becomes at least one post (not the floor). */
  postsEach: boolean;
  /** chat.postMessage calls the stand-in has answered since the target started. */
  posted(): number;
  /**
   * What marks each of those posts as outbox steps (`outbox_id/step`, from the message metadata), in order: one
   * per post, or one per message for a post that delivered several together.
   */
  postKeys(): (string | undefined)[][];
  /** The stand-in's response_url for the slash commands sent to the target, before each command's own id. */
  responseUrl: string;
  /** The Web API methods the target has called since it started, in order. */
  calls(): string[];
  /**
   * Whether the target has posts queued and not made yet (the app's outbox; the references post in the request).
   * Not how many: counting a backlog of 20,000 on every look held the stand-in's thread for ms.
   */
  hasQueued(): boolean;
  stop(): Promise<void>;
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const APP_TABLES: Record<LoadKind, string> = {
  feedback: 'feedback_items',
  kudos: 'kudos',
  reaction: 'kudos',
};

export async function startTarget(
  name: TargetName,
  standIn: SlackStandIn,
  dir: string,
  profileDir?: string,
  appEntry = 'dist/main.js',
): Promise<Target> {
  const nodeArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const dbPath = join(dir, `${name}.db`);
  const env = { BENCH_SECRET, BENCH_DB: dbPath, SLACK_API_URL: standIn.apiUrl };
  let server: ServerProcess;
  if (name === 'app') {
    const orgPath = join(dir, 'org.yaml');
    writeFileSync(orgPath, stringify(benchOrg));
    server = await startServer({
      script: resolve(appEntry),
      typescript: false,
      ready: 'Courtesy Loop is running',
      path: '/slack/events',
      // As `npm start` runs it (its node options), from the checkout measured.
      nodeArgs: [...startNodeFlags(resolve(appEntry, '../..')), ...nodeArgs],
      env: {
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: BENCH_SECRET,
        SLACK_API_URL: standIn.apiUrl,
        PORT: '0',
        ORG_CONFIG: orgPath,
        DATABASE_PATH: dbPath,
      },
    });
  } else {
    const script = here(name === 'floor' ? './floor-server.ts' : './plain-bolt-server.ts');
    server = await startServer({
      script,
      typescript: true,
      ready: 'ready',
      path: '/slack/events',
      env,
      nodeArgs,
    });
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).pluck().get() as number | undefined) ?? 0;
  standIn.clearCalls();
  return {
    server,
    postsEach: name !== 'floor',
    stored: (kind) =>
      name === 'app'
        ? count(`SELECT COUNT(*) FROM ${APP_TABLES[kind]}`)
        : count(
            name === 'floor' || kind === 'feedback'
              ? 'SELECT COUNT(*) FROM items'
              : 'SELECT COUNT(*) FROM ledger',
          ),
    posted: () => standIn.callCount('chat.postMessage'),
    postKeys: () => standIn.callsTo('chat.postMessage').map((c) => deliveryKeys(c.args.metadata)),
    calls: () => standIn.calls.map((c) => c.method),
    responseUrl: standIn.responseUrl('bench-'),
    hasQueued: () =>
      name === 'app' && count("SELECT EXISTS (SELECT 1 FROM outbox WHERE status = 'pending')") === 1,
    async stop() {
      db.close();
      await server.stop();
    },
  };
}

/**
 * The outbox steps a post carries in its metadata (`courtesy_loop_delivery`): its own `outbox_id/step`, or for a
 * post that delivered several messages together, the step 0 of each it `covers`; none for the references.
 */
function deliveryKeys(metadata: unknown): (string | undefined)[] {
  const m = metadata as
    | { event_type?: string; event_payload?: { outbox_id?: unknown; step?: unknown; covers?: unknown } }
    | undefined;
  if (m?.event_type !== 'courtesy_loop_delivery') return [undefined];
  const covers = m.event_payload?.covers;
  if (typeof covers === 'string') return covers.split(',').map((id) => `${id}/0`);
  return [`${String(m.event_payload?.outbox_id)}/${String(m.event_payload?.step)}`];
}
