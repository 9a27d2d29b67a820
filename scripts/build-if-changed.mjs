// `npm start` runs this first: it compiles TypeScript to dist/ only when a source or build setting is newer than
// the last build (tsc's incremental build still takes seconds when nothing changed; this check takes
// milliseconds). Plain JavaScript so it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.tsbuildinfo';
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time among the TypeScript files under `dir` (the sandbox is never built). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join('src', 'sandbox')) newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

const built = existsSync(STAMP) && existsSync('dist/main.js') ? statSync(STAMP).mtimeMs : -1;
const inputs = Math.max(newestSource('src'), ...INPUTS.filter(existsSync).map((f) => statSync(f).mtimeMs));
if (inputs > built) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  // tsc leaves the stamp alone when no output changed (a file saved without edits): mark this check as done.
  const now = new Date();
  utimesSync(STAMP, now, now);
}
