import { Writable } from 'node:stream';
import { createLogger } from '../logger.js';
import { SANDBOX_DATABASE, startSandbox } from './sandbox.js';

/**
 * `npm run sandbox [-- --port 3030]`: the real app against a built-in local Slack, with a demo organisation,
 * and a page on 127.0.0.1 to use it. Never loaded by `npm start` (src/main.ts) or the production build.
 */

const DEFAULT_PORT = 3030;

function portFromArgs(args: string[]): number {
  const index = args.indexOf('--port');
  if (index === -1) return DEFAULT_PORT;
  const port = Number(args[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write('--port needs a port number, for example: npm run sandbox -- --port 3031\n');
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const started = Date.now();
  const port = portFromArgs(process.argv.slice(2));
  process.stdout.write('Courtesy Loop SANDBOX: the real app against a local Slack on this machine.\n');
  process.stdout.write('Creating a demo organisation with five weeks of history...\n');
  // The app's warnings about the simulated past (reminders "missed while the app was down") are not news.
  let seeding = true;
  const destination = new Writable({
    write(chunk, _encoding, done) {
      if (!seeding) process.stdout.write(chunk);
      done();
    },
  });
  const sandbox = await startSandbox({ logger: createLogger({ level: 'warn', destination }), port });
  seeding = false;
  const seeded = sandbox.seeded;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `  Open ${sandbox.pageUrl}  (ready in ${seconds} s; this computer only)`,
      seeded
        ? `  Demo history: ${seeded.feedback} feedback items and ${seeded.kudos} kudos over ${seeded.days} days.`
        : '',
      '',
      '  This is the sandbox: nothing here reaches Slack. Its demo database is',
      `  ${SANDBOX_DATABASE}, created afresh at each start; your real data is untouched.`,
      '',
      '  To connect a real workspace: create the Slack app from manifests/slack-app.socket.yaml',
      '  (Socket Mode, no public URL needed), copy .env.example to .env and fill in the tokens,',
      '  copy data/org.example.yaml to data/org.yaml and describe your organisation,',
      '  check it with npm run doctor, then run: npm start',
      '  (README.md, "Run it with your Slack workspace", has every step.)',
      '',
      '  Ctrl+C stops the sandbox.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? error.message : String(error);
  const hint = text.includes('EADDRINUSE')
    ? ' (another program uses the port: try npm run sandbox -- --port 3031)'
    : '';
  process.stderr.write(`The sandbox could not start: ${text}${hint}\n`);
  process.exit(1);
});
