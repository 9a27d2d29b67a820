/** Runs a benchmark script in its own process (the load generator, the digest benchmark) and collects its output. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load.js';

const LOAD = fileURLToPath(new URL('./load.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** `node --import tsx SCRIPT ARGS`: resolves with its stdout, rejects with its stderr when it exits non-zero. */
export function runScriptProcess(script: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, script, ...args], {
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
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${what} failed (${String(code)}): ${err}`)),
    );
  });
}

/** One load phase in its own process (load.ts): what it measured. */
export async function runLoadProcess(spec: LoadSpec): Promise<LoadResult> {
  const out = await runScriptProcess(LOAD, [JSON.stringify(spec)], 'load generator');
  try {
    return JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult;
  } catch {
    throw new Error(`load generator printed no result: ${out}`);
  }
}
