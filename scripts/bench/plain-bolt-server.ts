/**
 * The framework anchor: Bolt listeners as a team would write them by hand. `/feedback` and `/kudos` insert one
 * row, ack, then post it with chat.postMessage; `reaction_added` inserts one ledger row and posts.
 * Prints `{"msg":"ready","port":N}` when listening. Environment: BENCH_SECRET, BENCH_DB, SLACK_API_URL.
 */
import type { Server } from 'node:http';
import bolt from '@slack/bolt';
import Database from 'better-sqlite3';

const db = new Database(process.env.BENCH_DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, key TEXT UNIQUE, user TEXT, text TEXT)');
db.exec('CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, key TEXT UNIQUE, giver TEXT, text TEXT)');
const insertItem = db.prepare('INSERT INTO items (key, user, text) VALUES (?, ?, ?)');
const insertKudos = db.prepare('INSERT INTO ledger (key, giver, text) VALUES (?, ?, ?)');

const app = new bolt.App({
  token: 'xoxb-bench',
  signingSecret: process.env.BENCH_SECRET ?? '',
  botId: 'B0BOT',
  botUserId: 'U0BOT',
  logLevel: bolt.LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '', retryConfig: { retries: 0 } },
});

app.command('/feedback', async ({ command, ack, client }) => {
  insertItem.run(command.trigger_id, command.user_id, command.text);
  await ack({ response_type: 'ephemeral', text: 'Thanks, filed.' });
  await client.chat.postMessage({ channel: 'C0TRIAGE01', text: `New feedback: ${command.text}` });
});

app.command('/kudos', async ({ command, ack, client }) => {
  insertKudos.run(command.trigger_id, command.user_id, command.text);
  await ack({ response_type: 'ephemeral', text: 'Kudos sent.' });
  await client.chat.postMessage({ channel: 'C0KUDOS001', text: `<@${command.user_id}>: ${command.text}` });
});

app.event('reaction_added', async ({ event, body, client }) => {
  insertKudos.run(String(body.event_id), event.user, event.reaction);
  await client.chat.postMessage({
    channel: 'C0KUDOS001',
    text: `<@${event.user}> thanked <@${event.item_user}>`,
  });
});

const server = (await app.start(0)) as Server;
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ msg: 'ready', port })}\n`);
process.on('SIGTERM', () => void app.stop().then(() => db.close()));
