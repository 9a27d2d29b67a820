import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { OrgConfigInput } from '../../src/config/org-schema.js';
import { SIGNING_SECRET } from './app-harness.js';
import { orgConfigInput } from './org-fixture.js';
import type { SlackStandIn } from './slack-standin.js';

/** The real entry point (src/main.ts) as a child process, the way `npm start` runs it (from source via tsx). */
const MAIN = resolve('src/main.ts');
const TSX = import.meta.resolve('tsx');

export type AppProcess = {
  child: ChildProcess;
  /** Every stdout line so far (JSON log lines); empty when stdout is not read. */
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** The log lines (parsed) whose `msg` matches, waiting up to `timeoutMs` for the first one. */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Every parsed log line so far. */
  logLines(): Record<string, unknown>[];
  /** Whether the process has exited. */
  hasExited(): boolean;
  /** SIGKILL if still running, and wait for the exit: every test ends with this. */
  kill(): Promise<void>;
};

export type AppProcessOptions = {
  env: Record<string, string>;
  cwd: string;
  /** `pipe` (default): the test reads stdout. `ignore`: stdout goes nowhere. */
  stdout?: 'pipe' | 'ignore';
  /** Extra options for node, before the entry point (e.g. another `--import`). */
  nodeArgs?: string[];
};

export function startAppProcess({ env, cwd, stdout = 'pipe', nodeArgs = [] }: AppProcessOptions): AppProcess {
  const child = spawn(process.execPath, ['--import', TSX, ...nodeArgs, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    out.push(...lines.filter(Boolean));
  });
  child.stderr?.on('data', (d: Buffer) => err.push(d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let code: number | null | undefined;
  void exited.then((c) => {
    code = c;
  });

  const logLines = () =>
    out.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const matches = (line: Record<string, unknown>, msg: string | RegExp) =>
    typeof msg === 'string' ? line.msg === msg : msg.test(String(line.msg));

  return {
    child,
    stdout: out,
    stderr: err,
    exited,
    logLines,
    hasExited: () => code !== undefined,
    async waitForLog(msg, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = logLines().find((line) => matches(line, msg));
        if (found) return found;
        if (code !== undefined) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no "${String(msg)}" log line; stdout:\n${out.join('\n')}\nstderr:\n${err.join('')}`);
    },
    async kill() {
      if (code === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * The app as `npm start` runs it against the stand-in: an org config (the fixture, with `config` overrides)
 * and a database in `dir`, a random port; resolves once it logs that it is running.
 */
export async function startAppAgainst(options: {
  standIn: SlackStandIn;
  dir: string;
  config?: Partial<OrgConfigInput>;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<{ app: AppProcess; appUrl: string }> {
  const orgConfig = join(options.dir, 'org.yaml');
  writeFileSync(orgConfig, stringify(orgConfigInput(options.config)));
  const app = startAppProcess({
    cwd: options.dir,
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: options.standIn.apiUrl,
      PORT: '0',
      ORG_CONFIG: orgConfig,
      DATABASE_PATH: join(options.dir, 'app.db'),
      ...options.env,
    },
  });
  try {
    const started = await app.waitForLog('Courtesy Loop is running');
    return { app, appUrl: `http://127.0.0.1:${String(started.port)}/slack/events` };
  } catch (error) {
    await app.kill();
    throw error;
  }
}
