import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The real entry point (src/main.ts) as a child process, the way `npm start` runs it (from source via tsx). */
const MAIN = resolve('src/main.ts');
const TSX = import.meta.resolve('tsx');

export type AppProcess = {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
};

export function runMain(env: Record<string, string>, cwd: string): AppProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout, stderr, exited };
}

/** The first JSON log line with this message; rejects after `timeoutMs` with everything the process printed. */
export async function waitForLog(
  run: AppProcess,
  msg: string,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of run.stdout) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === msg) return parsed;
      } catch {
        // not a log line
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${msg}" log line; stdout:\n${run.stdout.join('\n')}\nstderr:\n${run.stderr.join('')}`);
}
