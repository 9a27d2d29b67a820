import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const TSX = import.meta.resolve('tsx');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Run one of the operator tools (src/cli/NAME.ts) as `npm run NAME` does, to its exit; nothing is left running. */
export function runCli(
  name: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', TSX, resolve(`src/cli/${name}.ts`), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
