/**
 * A server under test as a child process: started, waited on until it says it listens (a JSON stdout line
 * with `port`), measured (resident memory from /proc), and stopped and awaited.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type ServerProcess = {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the ready line. */
  startupMs: number;
  /** Resident memory now and the peak so far, in MB (Linux /proc; undefined elsewhere). */
  memory(): { rssMb: number | undefined; peakMb: number | undefined };
  stop(): Promise<void>;
};

const TSX = import.meta.resolve('tsx');

/** `node [--import tsx] script` with `env`; ready when a stdout JSON line whose `msg` matches carries a port. */
export async function startServer(options: {
  script: string;
  typescript: boolean;
  env: Record<string, string>;
  ready: string;
  path: string;
  cwd?: string;
  /** Extra node options, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}): Promise<ServerProcess> {
  const started = performance.now();
  const args = [
    ...(options.nodeArgs ?? []),
    ...(options.typescript ? ['--import', TSX] : []),
    options.script,
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const port = await readyPort(child, options.ready, stderr);
  const startupMs = performance.now() - started;
  const pid = child.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}${options.path}`,
    pid,
    startupMs,
    memory: () => memoryOf(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

function readyPort(child: ChildProcess, ready: string, stderr: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let partial = '';
    let found = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (found) return; // Later output is read and dropped, so the child never blocks on a full pipe.
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const parsed = JSON.parse(line) as { msg?: unknown; port?: unknown };
          if (parsed.msg === ready && typeof parsed.port === 'number') {
            found = true;
            resolve(parsed.port);
            return;
          }
        } catch {
          // Not a JSON line: ignore.
        }
      }
    });
    child.on('exit', (code) => {
      if (!found)
        reject(new Error(`server exited (${String(code)}) before it was ready:\n${stderr.join('')}`));
    });
  });
}

function memoryOf(pid: number): { rssMb: number | undefined; peakMb: number | undefined } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => {
      const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return match?.[1] ? Number(match[1]) / 1024 : undefined;
    };
    return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
  } catch {
    return { rssMb: undefined, peakMb: undefined };
  }
}
