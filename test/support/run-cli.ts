import { resolve } from 'node:path';
import { startChild } from './child-run.js';

const TSX = import.meta.resolve('tsx');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Run one of the operator tools (src/cli/NAME.ts) as `npm run NAME` does, to its exit; nothing is left running. */
export async function runCli(
  name: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<CliResult> {
  const run = startChild(process.execPath, ['--import', TSX, resolve(`src/cli/${name}.ts`), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  const code = await run.exited;
  return { code, stdout: run.out(), stderr: run.err() };
}
