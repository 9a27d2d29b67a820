import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { httpModeEnv, startChild } from '../support/child-run.js';
import { orgConfigInput } from '../support/org-fixture.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = resolve('.');
const cleanups: (() => Promise<void> | void)[] = [];
// The clean-up removes an installed node_modules tree: 18 s was measured on a loaded 2-core machine, close to
// the 20 s default that every other hook keeps.
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
}, 90_000);

/** Run a command to its end; fail with its output when it fails. */
async function run(command: string, args: string[], cwd: string): Promise<void> {
  const step = startChild(command, args, { cwd, env: process.env });
  const code = await step.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${step.out()}${step.err()}`);
}

describe('the production build', () => {
  it('starts from dist/ with `npm ci --omit=dev` only, answers /healthz, and stops on SIGTERM', async () => {
    const dir = tempDir('courtesy-loop-prod-');
    cleanups.push(() => dir.remove());
    const app = dir.path;
    copyFileSync(join(REPO, 'package.json'), join(app, 'package.json'));
    copyFileSync(join(REPO, 'package-lock.json'), join(app, 'package-lock.json'));
    // Install scripts off: better-sqlite3's would download its prebuilt binary from GitHub, which this
    // machine cannot reach; the binary this repository's install built is copied in below instead.
    await run(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      app,
    );
    const native = 'node_modules/better-sqlite3/build/Release';
    mkdirSync(join(app, native), { recursive: true });
    copyFileSync(join(REPO, native, 'better_sqlite3.node'), join(app, native, 'better_sqlite3.node'));
    for (const devOnly of ['typescript', 'tsx', 'vitest', '@biomejs/biome'])
      expect(existsSync(join(app, 'node_modules', devOnly))).toBe(false);
    // The build step may use this repository's dev dependencies (as the Dockerfile's build stage has its own).
    await run(
      process.execPath,
      [
        join(REPO, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        join(app, 'dist'),
      ],
      REPO,
    );
    expect(existsSync(join(app, 'dist/sandbox'))).toBe(false);

    const standIn = await startSlackStandIn();
    cleanups.push(() => standIn.close());
    mkdirSync(join(app, 'data'));
    writeFileSync(join(app, 'data/org.yaml'), stringify(orgConfigInput()));
    const main = startChild(process.execPath, ['dist/main.js'], {
      cwd: app,
      env: httpModeEnv(standIn.apiUrl, SIGNING_SECRET),
    });
    cleanups.push(() => main.kill());

    const running = await pollUntil(
      () =>
        main
          .out()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg: string; port?: number })
          .find((l) => l.msg === 'Courtesy Loop is running'),
      20_000,
      () => `the start-up line; stdout:\n${main.out()}\nstderr:\n${main.err()}`,
    );
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(main.out()).toContain('Courtesy Loop stopped');
    expect(main.err()).toBe('');

    // The operator tools run from dist/ too, without tsx (as in the container).
    const backup = startChild(process.execPath, ['dist/cli/backup.js', 'data/backup.db'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(await backup.exited).toBe(0);
    expect(backup.out()).toContain('Backed up data/courtesy-loop.db to data/backup.db');
  }, 120_000);
});
