import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { httpModeEnv, startChild } from '../support/child-run.js';
import { orgConfigInput } from '../support/org-fixture.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { tempDir } from '../support/temp-dir.js';

const TSX = import.meta.resolve('tsx');
/** util-linux `script` runs a command on a pseudo-terminal: stdout is a terminal, as when a person runs the app. */
const hasScript = spawnSync('script', ['--version']).status === 0;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('log format', () => {
  it.skipIf(!hasScript && process.env.CI !== 'true')(
    'is pino-pretty on a terminal (JSON lines elsewhere), and Ctrl-C still stops the app cleanly',
    async () => {
      const dir = tempDir();
      cleanups.push(() => dir.remove());
      const standIn: SlackStandIn = await startSlackStandIn();
      cleanups.push(() => standIn.close());
      const config = join(dir.path, 'org.yaml');
      writeFileSync(config, stringify(orgConfigInput()));
      const command = `exec '${process.execPath}' --import '${TSX}' '${resolve('src/main.ts')}'`;
      const app = startChild('script', ['-qfec', command, '/dev/null'], {
        cwd: dir.path,
        env: {
          ...httpModeEnv(standIn.apiUrl, SIGNING_SECRET),
          ORG_CONFIG: config,
          DATABASE_PATH: join(dir.path, 'app.db'),
        },
      });
      cleanups.push(() => app.kill());

      await pollUntil(
        () => app.out().includes('Courtesy Loop is running') || undefined,
        20_000,
        () => `the start-up line; output so far:\n${app.out()}`,
      );
      const plain = stripVTControlCharacters(app.out());
      expect(plain).toMatch(/\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Courtesy Loop is running/);
      expect(app.out()).toContain('\u001b['); // coloured
      expect(app.out()).not.toContain('{"level"');

      // Ctrl-C on the terminal: SIGINT to the app, as a person stops it.
      app.child.stdin.write('\u0003');
      expect(await app.exited).toBe(0);
      const end = stripVTControlCharacters(app.out());
      expect(end).toMatch(/INFO: shutting down\s+signal: "SIGINT"/);
      expect(end).toContain('INFO: Courtesy Loop stopped');
    },
  );
});
