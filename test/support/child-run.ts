import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export type ChildRun = {
  child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout (stderr) so far. */
  out(): string;
  err(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL if still running, and wait for the exit: every test that starts a process ends with this. */
  kill(): Promise<void>;
};

/** Start a process with its output collected, for tests that read what it printed and wait for its exit. */
export function startChild(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ChildRun {
  const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
    },
  };
}

/** The environment the app needs in HTTP mode against the stand-in at `apiUrl`, on a free port. */
export function httpModeEnv(apiUrl: string, signingSecret: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: apiUrl,
    PORT: '0',
  };
}
