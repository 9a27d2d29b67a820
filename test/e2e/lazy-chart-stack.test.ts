import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Commands } from '../../src/slack/ids.js';
import { SIGNING_SECRET } from '../support/app-harness.js';
import { startAppAgainst } from '../support/app-process.js';
import { ids } from '../support/org-fixture.js';
import { createSlackDriver } from '../support/slack-requests.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A node `--import` that makes loading the chart stack (Vega, resvg) fail: a process started with it runs
 * only as long as nothing imports them. Vega and resvg are most of the idle memory the app would hold.
 */
const HOOK = `export async function resolve(specifier, context, next) {
  if (/^(vega|@resvg\\/)/.test(specifier)) throw new Error('chart stack loaded: ' + specifier);
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;
const NO_CHART_STACK = ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the chart stack is loaded only when a chart is drawn', () => {
  it('refuses Vega in a process started with the guard (so the check below can fail)', async () => {
    const child = spawn(
      process.execPath,
      [...NO_CHART_STACK, '--input-type=module', '-e', "await import('vega')"],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('chart stack loaded: vega');
  });

  it('starts and files feedback without loading Vega or resvg', async () => {
    const dir = tempDir();
    const standIn = await startSlackStandIn();
    cleanups.push(
      () => dir.remove(),
      () => standIn.close(),
    );
    const { app, appUrl } = await startAppAgainst({ standIn, dir: dir.path, nodeArgs: NO_CHART_STACK });
    cleanups.push(() => app.kill());
    const rep = createSlackDriver({
      appUrl,
      secret: SIGNING_SECRET,
      standIn,
      user: { id: ids.rep, name: 'rita' },
    });
    const answer = await rep.command(Commands.feedback, 'the March invoice charged twice');
    expect(answer.status).toBe(200);
    await standIn.waitFor({
      method: 'chat.postMessage',
      where: (c) => c.args.channel === ids.billingChannel,
    });
    expect(app.stderr.join('')).not.toContain('chart stack loaded');
  });
});
