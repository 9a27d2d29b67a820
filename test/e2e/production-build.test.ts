import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { orgConfigInput } from '../support/org-fixture.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { pollUntil } from '../support/standin/poll.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = resolve('.');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Run a command to its end; reject with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
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
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: standIn.apiUrl,
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });

    const running = await pollUntil(
      () =>
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg: string; port?: number })
          .find((l) => l.msg === 'Courtesy Loop is running'),
      20_000,
      () => `the start-up line; stdout:\n${out}\nstderr:\n${err}`,
    );
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('Courtesy Loop stopped');
    expect(err).toBe('');
  }, 120_000);
});
