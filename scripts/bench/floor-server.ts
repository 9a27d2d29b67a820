/**
 * The floor: bare `node:http` that checks Slack's signature, parses the form and inserts one SQLite row,
 * then answers 200. Nothing a Slack app can do costs less. Prints `{"msg":"ready","port":N}` when listening.
 * Environment: BENCH_SECRET, BENCH_DB.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const secret = process.env.BENCH_SECRET ?? '';
const db = new Database(process.env.BENCH_DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, key TEXT UNIQUE, user TEXT, text TEXT)');
const insert = db.prepare('INSERT INTO items (key, user, text) VALUES (?, ?, ?)');

function signed(body: string, timestamp: string, signature: string): boolean {
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return (
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
  );
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
    if (!signed(body, ts, String(req.headers['x-slack-signature'] ?? ''))) {
      res.writeHead(401).end();
      return;
    }
    const form = new URLSearchParams(body);
    insert.run(form.get('trigger_id') ?? body, form.get('user_id'), form.get('text') ?? body);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"response_type":"ephemeral","text":"ok"}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'ready', port })}\n`);
});
process.on('SIGTERM', () => server.close(() => db.close()));
