/**
 * The node options `npm start` runs the app with (package.json's `start`, e.g. the heap bounds), so the
 * benchmarks measure the app as it is started, not as plain `node dist/main.js`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function startNodeFlags(appDir = '.'): string[] {
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const start = pkg.scripts?.start ?? '';
  const [command, ...args] = start.split(/\s+/).filter(Boolean);
  if (command !== 'node') return [];
  return args.filter((a) => a.startsWith('--'));
}
